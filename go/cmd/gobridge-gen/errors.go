package main

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/types"
	"sort"
)

// errorItem is an exception class: a sentinel error (py.Module.Error) or an
// error type (py.Module.ErrorType).
type errorItem struct {
	pyName string
	goName string // unqualified
	// sentinel: a package-level variable, matched with errors.Is; otherwise
	// a type, matched with errors.As.
	sentinel bool
	// pointer: the type's pointer implements error, the type itself not.
	pointer bool
	doc     string
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// errorTypeOf reports whether t, or a pointer to it, implements error, for
// a named type that is not an interface: such a type is an error type, and
// becomes an exception class rather than a class.
func errorTypeOf(t types.Type) (ok, pointer bool) {
	if _, iface := t.Underlying().(*types.Interface); iface {
		return false, false
	}
	if types.Implements(t, errorIface) {
		return true, false
	}
	return types.Implements(types.NewPointer(t), errorIface), true
}

// errors plans the package's exception classes: its exported sentinel
// errors (package-level variables whose type implements error), then its
// exported error types, each sorted by name. An error matching both a
// sentinel and a type raises the sentinel's class, which is declared first.
func (b *builder) errors() []errorItem {
	var values []*doc.Value
	values = append(values, b.src.doc.Vars...)
	for _, t := range b.src.doc.Types {
		values = append(values, t.Vars...)
	}
	docs := map[string]string{}
	var names []string
	for _, v := range values {
		for _, spec := range v.Decl.Specs {
			vs := spec.(*ast.ValueSpec)
			// A variable's own comment, or that of a declaration of one
			// variable: a group's comment describes the group.
			comment := vs.Doc.Text()
			if comment == "" && len(v.Decl.Specs) == 1 && len(vs.Names) == 1 {
				comment = v.Doc
			}
			for _, n := range vs.Names {
				names = append(names, n.Name)
				docs[n.Name] = comment
			}
		}
	}
	sort.Strings(names)
	found := map[string]bool{}
	var items []errorItem
	for _, name := range names {
		obj, ok := b.src.types.Scope().Lookup(name).(*types.Var)
		if !ok || !obj.Exported() || !types.Implements(obj.Type(), errorIface) {
			continue
		}
		found[name] = true
		if !b.cfg.errors.selects(name) || b.excluded(name) {
			continue
		}
		items = append(items, b.errorItem(name, true, false, docs[name]))
	}
	checkSelected(b, &b.cfg.errors, "errors", found)
	items = append(items, b.errorTypes()...)
	var claimed []errorItem
	for _, it := range items {
		if b.claim(it.pyName, it.goName, b.cfg.errors.has(it.goName) || b.cfg.types.has(it.goName)) {
			claimed = append(claimed, it)
		}
	}
	return claimed
}

// errorTypes plans the exported error types, aliases included: a package
// that wraps another can declare the other's error types with
// "type ParseError = other.ParseError".
func (b *builder) errorTypes() []errorItem {
	docs := map[string]string{}
	for _, t := range b.src.doc.Types {
		docs[t.Name] = t.Doc
	}
	var items []errorItem
	for _, name := range b.src.types.Scope().Names() {
		obj, ok := b.src.types.Scope().Lookup(name).(*types.TypeName)
		if !ok || !obj.Exported() {
			continue
		}
		isErr, pointer := errorTypeOf(obj.Type())
		if !isErr || !b.cfg.types.selects(name) || b.excluded(name) {
			continue
		}
		if named, ok := obj.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
			b.problem(b.cfg.types.has(name), "skipping error type %s: generic types cannot be bound without instantiating them", b.qualified(name))
			continue
		}
		items = append(items, b.errorItem(name, false, pointer, docs[name]))
	}
	return items
}

func (b *builder) errorItem(goName string, sentinel, pointer bool, comment string) errorItem {
	it := errorItem{goName: goName, pyName: goName, sentinel: sentinel, pointer: pointer, doc: docText(b.src.doc, comment)}
	if name, ok := b.rename(goName); ok {
		it.pyName = name
	}
	return it
}

// errorCall returns the statement that declares the exception class.
func errorCall(it errorItem, qual func(string) string) string {
	var call string
	switch {
	case it.sentinel:
		call = fmt.Sprintf("m.Error(%q, %s", it.pyName, qual(it.goName))
	case it.pointer:
		call = fmt.Sprintf("m.ErrorType(%q, (*%s)(nil)", it.pyName, qual(it.goName))
	default:
		call = fmt.Sprintf("m.ErrorType(%q, *new(%s)", it.pyName, qual(it.goName))
	}
	if it.doc != "" {
		call += ", py.ErrorDoc(" + goString(it.doc) + ")"
	}
	return call + ")\n"
}
