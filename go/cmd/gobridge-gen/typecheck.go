package main

import (
	"errors"
	"fmt"
	"go/types"
)

// This file mirrors convert.CheckParam and convert.CheckResult
// (go/internal/convert/check.go) on go/types instead of reflect: the
// generator sees source, not values, and must reject at generation time
// exactly the signatures that py.NewFunction would reject at import time.
// The two are kept in step by TestCheckAgreesWithConvert, which runs both on
// a table of types; change them together.

const (
	convertPkg = "github.com/gobridge/gobridge/internal/convert"
	bigPkg     = "math/big"
)

// checkType reports why values of type t cannot cross between Go and
// Python, or nil if they can. toGo is the direction, as in convert: Python
// can pass functions (callables) but not receive them, and can receive
// iterators (receive channels, iter.Seq-shaped functions) but not pass them.
func checkType(t types.Type, toGo bool) error {
	return checkTypeSeen(t, toGo, map[types.Type]bool{})
}

// isIterator mirrors convert.IsIterator.
func isIterator(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Chan:
		return u.Dir() != types.SendOnly
	case *types.Signature:
		if u.Params().Len() != 1 || u.Results().Len() != 0 || u.Variadic() {
			return false
		}
		yield, ok := u.Params().At(0).Type().Underlying().(*types.Signature)
		if !ok || yield.Variadic() || yield.Results().Len() != 1 {
			return false
		}
		b, isBasic := yield.Results().At(0).Type().Underlying().(*types.Basic)
		return isBasic && b.Kind() == types.Bool && (yield.Params().Len() == 1 || yield.Params().Len() == 2)
	}
	return false
}

func checkIterator(t types.Type, seen map[types.Type]bool) error {
	var elems []types.Type
	switch u := t.Underlying().(type) {
	case *types.Chan:
		elems = append(elems, u.Elem())
	case *types.Signature:
		yield := u.Params().At(0).Type().Underlying().(*types.Signature)
		for i := 0; i < yield.Params().Len(); i++ {
			elems = append(elems, yield.Params().At(i).Type())
		}
	}
	for _, e := range elems {
		if err := checkTypeSeen(e, false, seen); err != nil {
			return fmt.Errorf("iterator element: %w", err)
		}
	}
	return nil
}

func checkTypeSeen(t types.Type, toGo bool, seen map[types.Type]bool) error {
	t = types.Unalias(t)
	if seen[t] {
		return nil
	}
	seen[t] = true
	if !toGo && isIterator(t) {
		return checkIterator(t, seen)
	}
	if isNamed(t, convertPkg, "BorrowedBytes") {
		return nil
	}
	if p, ok := t.(*types.Pointer); ok && isNamed(p.Elem(), bigPkg, "Int") {
		return nil
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && !n.Obj().Exported() {
		return fmt.Errorf("unexported type %s cannot cross to Python", typeString(t))
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			return errors.New("unsafe pointers cannot cross to Python")
		case u.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsComplex|types.IsString) != 0 &&
			u.Info()&types.IsUntyped == 0:
			return nil
		}
	case *types.Slice:
		if err := checkTypeSeen(u.Elem(), toGo, seen); err != nil {
			return fmt.Errorf("element: %w", err)
		}
		return nil
	case *types.Array:
		if err := checkTypeSeen(u.Elem(), toGo, seen); err != nil {
			return fmt.Errorf("element: %w", err)
		}
		return nil
	case *types.Map:
		if !isMapKey(u.Key()) {
			return fmt.Errorf("map key type %s has no Python equivalent", typeString(u.Key()))
		}
		if err := checkTypeSeen(u.Elem(), toGo, seen); err != nil {
			return fmt.Errorf("map value: %w", err)
		}
		return nil
	case *types.Pointer:
		if _, ok := types.Unalias(u.Elem()).Underlying().(*types.Pointer); ok {
			return fmt.Errorf("pointer to pointer type %s cannot cross to Python", typeString(t))
		}
		if err := checkTypeSeen(u.Elem(), toGo, seen); err != nil {
			return fmt.Errorf("pointer: %w", err)
		}
		return nil
	case *types.Interface:
		if u.NumMethods() == 0 && u.IsMethodSet() {
			return nil
		}
		if isErrorType(t) {
			return errors.New("error values cross only as a function's last result")
		}
		return fmt.Errorf("interface type %s cannot cross to Python", typeString(t))
	case *types.Chan:
		return fmt.Errorf("channel type %s cannot cross to Python", typeString(t))
	case *types.Signature:
		if !toGo {
			return fmt.Errorf("function type %s cannot be returned to Python", typeString(t))
		}
		// A Python callable stands in for a func: its parameters go to
		// Python and its results, with an optional trailing error, come back.
		for i := 0; i < u.Params().Len(); i++ {
			in := u.Params().At(i).Type()
			if u.Variadic() && i == u.Params().Len()-1 {
				in = in.(*types.Slice).Elem()
			}
			if err := checkTypeSeen(in, false, seen); err != nil {
				return fmt.Errorf("callback parameter %d: %w", i, err)
			}
		}
		for i := 0; i < u.Results().Len(); i++ {
			out := u.Results().At(i).Type()
			if isErrorType(out) && i == u.Results().Len()-1 {
				break
			}
			if err := checkTypeSeen(out, true, seen); err != nil {
				return fmt.Errorf("callback result %d: %w", i, err)
			}
		}
		return nil
	case *types.Struct:
		// A named struct crosses as an object of a class, by handle.
		if _, named := t.(*types.Named); !named {
			return fmt.Errorf("unnamed struct type %s cannot cross to Python", typeString(t))
		}
		return nil
	}
	return fmt.Errorf("type %s cannot cross to Python", typeString(t))
}

// isMapKey mirrors the key kinds convert accepts: reflect looks at the
// kind only, so a named key type is fine whatever its name.
func isMapKey(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsUntyped != 0 {
		return false
	}
	switch b.Kind() {
	case types.Uintptr:
		return false
	}
	return b.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsString) != 0
}

// checkSignature mirrors py.NewFunction and py.NewMethod: a function's
// leading context.Context is not a Python parameter (a method's is, and is
// refused), a variadic parameter is checked by its element type, and an
// error is allowed only as the last result. The receiver is not checked:
// it is the class's own type.
func checkSignature(sig *types.Signature) error {
	params := sig.Params()
	first := 0
	if takesContext(sig) {
		first = 1
	}
	for i := first; i < params.Len(); i++ {
		pt := params.At(i).Type()
		ct := pt
		if sig.Variadic() && i == params.Len()-1 {
			ct = pt.(*types.Slice).Elem()
		}
		if err := checkType(ct, true); err != nil {
			return fmt.Errorf("parameter %d (%s): %w", i-first, typeString(pt), err)
		}
	}
	results := sig.Results()
	for i := 0; i < results.Len(); i++ {
		rt := results.At(i).Type()
		if isErrorType(rt) && i == results.Len()-1 {
			break
		}
		if err := checkType(rt, false); err != nil {
			return fmt.Errorf("result %d (%s): %w", i, typeString(rt), err)
		}
	}
	return nil
}

// takesContext reports whether a function's first parameter is a
// context.Context, which gobridge supplies rather than Python. Methods never
// take one, as py.NewMethod does not look for it.
func takesContext(sig *types.Signature) bool {
	return sig.Recv() == nil && sig.Params().Len() > 0 && isNamed(sig.Params().At(0).Type(), "context", "Context")
}

func isNamed(t types.Type, pkgPath, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == name
}

func isErrorType(t types.Type) bool {
	return types.Identical(types.Unalias(t), types.Universe.Lookup("error").Type())
}

// typeString spells a type the way reflect does, qualified by package
// name, so that warnings read like the errors py.NewFunction gives.
func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
