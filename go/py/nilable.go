package py

import (
	"fmt"
	"reflect"
)

// Nilable declares func parameters, by Python name, that take None: Python
// None is passed to Go as a nil func, and the stubs say Optional. Without
// it, None for a func parameter is a TypeError ("f() argument 'cb' must be
// callable, not None"), since Go would panic calling a nil func. Declare a
// parameter nilable only when the Go function checks it for nil. The
// generator sets it from a "//gobridge:nilable name ..." line in the
// function's doc comment.
func Nilable(names ...string) FuncOption {
	return func(f *Function) { f.nilable = append(f.nilable, names...) }
}

// resolveNilable marks the parameters Nilable named; naming one that does
// not exist, or is not a func, is an error.
func (f *Function) resolveNilable() error {
	for _, name := range f.nilable {
		found := false
		for i := range f.Params {
			p := &f.Params[i]
			if p.Name != ParamName(name) && p.Name != name {
				continue
			}
			if p.Type.Kind() != reflect.Func {
				return fmt.Errorf("gobridge: cannot wrap %s: py.Nilable(%q): parameter is %s, not a func", f.GoName, name, p.Type)
			}
			p.Nilable, found = true, true
		}
		if !found {
			return fmt.Errorf("gobridge: cannot wrap %s: py.Nilable(%q): no such parameter", f.GoName, name)
		}
	}
	f.nilable = nil
	return nil
}
