package main

import (
	"fmt"
	"go/doc"
	"go/types"
)

// constructorDirective marks, in its doc comment, the function that calling
// a class calls, when it is not named NewT.
const constructorDirective = "gobridge:constructor"

// constructor picks the constructor of type t among the bound functions
// go/doc associates with it (those returning T or *T): the one whose doc
// comment has //gobridge:constructor, or else NewT. It must return T or *T
// and optionally an error. A value struct is built from its fields and
// takes none.
func (b *builder) constructor(t *doc.Type, named *types.Named, funcs []funcItem) *funcItem {
	bound := map[string]*funcItem{}
	for i := range funcs {
		bound[funcs[i].goName] = &funcs[i]
	}
	var marked []*doc.Func
	var byName *doc.Func
	for _, f := range t.Funcs {
		if hasDirective(f.Decl, constructorDirective) {
			marked = append(marked, f)
			b.used["constructor:"+f.Name] = true
		}
		if f.Name == "New"+t.Name {
			byName = f
		}
	}
	if len(marked) > 1 {
		b.errs = append(b.errs, fmt.Errorf("type %s has two constructors: %s and %s are both marked //%s", b.qualified(t.Name), marked[0].Name, marked[1].Name, constructorDirective))
		return nil
	}
	chosen := byName
	if len(marked) == 1 {
		chosen = marked[0]
	}
	if chosen == nil {
		return nil
	}
	if isValueStruct(named) {
		if len(marked) == 1 {
			b.errs = append(b.errs, fmt.Errorf("%s: //%s: %s crosses by value and is constructed from its fields", b.qualified(chosen.Name), constructorDirective, b.qualified(t.Name)))
		}
		return nil
	}
	item, ok := bound[chosen.Name]
	if !ok {
		if len(marked) == 1 {
			b.errs = append(b.errs, fmt.Errorf("%s: //%s: the function is not bound (excluded, or its signature cannot cross)", b.qualified(chosen.Name), constructorDirective))
		}
		return nil
	}
	obj := b.src.types.Scope().Lookup(chosen.Name).(*types.Func)
	res := obj.Type().(*types.Signature).Results()
	n := res.Len()
	if n == 2 && isErrorType(res.At(1).Type()) {
		n = 1
	}
	if n != 1 || !makes(res.At(0).Type(), named) {
		if len(marked) == 1 {
			b.errs = append(b.errs, fmt.Errorf("%s: //%s: it must return %s or *%s, and optionally an error", b.qualified(chosen.Name), constructorDirective, t.Name, t.Name))
		}
		return nil
	}
	return item
}

// checkConstructorsUsed reports //gobridge:constructor lines on functions
// that return no type of the package.
func (b *builder) checkConstructorsUsed() {
	for _, f := range b.src.doc.Funcs {
		if hasDirective(f.Decl, constructorDirective) && !b.used["constructor:"+f.Name] {
			b.errs = append(b.errs, fmt.Errorf("%s: //%s: it returns no type of package %s", b.qualified(f.Name), constructorDirective, b.src.types.Name()))
		}
	}
}

func makes(t types.Type, named *types.Named) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	return types.Identical(t, named)
}

// isValueStruct mirrors convert.IsValueStruct: a struct with fields, all
// exported, not embedded and able to cross both ways, and no exported
// methods on T or *T.
func isValueStruct(named *types.Named) bool {
	st, ok := named.Underlying().(*types.Struct)
	if !ok || st.NumFields() == 0 || !named.Obj().Exported() {
		return false
	}
	mset := types.NewMethodSet(types.NewPointer(named))
	for i := 0; i < mset.Len(); i++ {
		if mset.At(i).Obj().Exported() {
			return false
		}
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if !f.Exported() || f.Embedded() || checkType(f.Type(), true) != nil || checkType(f.Type(), false) != nil {
			return false
		}
	}
	return true
}
