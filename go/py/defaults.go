package py

import (
	"fmt"

	"github.com/gobridge/gobridge/internal/convert"
)

// defaultDecl is one Default option, resolved once every option has named
// the parameters.
type defaultDecl struct {
	name  string
	value any
}

// Default gives the parameter name (its Python name) a default value: a
// call that leaves the argument out passes value, and inspect.signature,
// help() and the stubs show it. value is a Go value that crosses to Python
// and back to the parameter's type (a number, string, bool, or nil for a
// pointer, slice, map or nil-able func). As in Python, every parameter
// after one with a default needs one too, except a variadic one. The
// generator sets it from a "//gobridge:default name=value ..." line in the
// function's doc comment.
func Default(name string, value any) FuncOption {
	return func(f *Function) { f.defaults = append(f.defaults, defaultDecl{name, value}) }
}

// resolveDefaults sets the defaults Default declared, checking each against
// its parameter's type and Python's rule that defaults are trailing.
func (f *Function) resolveDefaults() error {
	for _, d := range f.defaults {
		found := false
		for i := range f.Params {
			p := &f.Params[i]
			if p.Name != ParamName(d.name) && p.Name != d.name {
				continue
			}
			if f.Receiver && i == 0 {
				break
			}
			if f.Variadic && i == len(f.Params)-1 {
				return fmt.Errorf("gobridge: cannot wrap %s: py.Default(%q): a variadic parameter cannot have a default", f.GoName, d.name)
			}
			if err := convert.CheckDefault(d.value, p.Type, p.Nilable); err != nil {
				return fmt.Errorf("gobridge: cannot wrap %s: py.Default(%q, %#v): %v", f.GoName, d.name, d.value, err)
			}
			p.Default, p.HasDefault, found = d.value, true, true
		}
		if !found {
			return fmt.Errorf("gobridge: cannot wrap %s: py.Default(%q): no such parameter", f.GoName, d.name)
		}
	}
	f.defaults = nil
	last := len(f.Params)
	if f.Variadic {
		last--
	}
	for i := 1; i < last; i++ {
		if f.Params[i-1].HasDefault && !f.Params[i].HasDefault {
			return fmt.Errorf("gobridge: cannot wrap %s: parameter %q has no default but follows %q, which has one", f.GoName, f.Params[i].Name, f.Params[i-1].Name)
		}
	}
	return nil
}
