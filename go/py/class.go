package py

import (
	"fmt"
	"reflect"
)

// Class describes how a Go type appears in Python. Any exported named type,
// or pointer to one, that crosses to Python becomes a class with its
// exported methods (snake_case) and exported fields (as properties); Class
// declares the type up front to bind the class as a module attribute, and
// to rename or document it and its methods.
type Class struct {
	// Name is the Python class name; the Go type name by default.
	Name string
	// Doc is the class docstring.
	Doc string
	// Type is the Go type whose values are the class's instances: a pointer
	// type for pointer receivers.
	Type reflect.Type
	// Methods holds per-method options, by Go method name.
	Methods map[string][]FuncOption
	// Hidden lists Go methods and fields that Python does not see.
	Hidden map[string]bool
}

// A ClassOption adjusts a Class.
type ClassOption func(*Class)

// ClassName sets the Python class name.
func ClassName(name string) ClassOption { return func(c *Class) { c.Name = name } }

// ClassDoc sets the class docstring.
func ClassDoc(doc string) ClassOption { return func(c *Class) { c.Doc = doc } }

// Method sets options (Name, Doc, Params) for the Go method goName.
func Method(goName string, opts ...FuncOption) ClassOption {
	return func(c *Class) { c.Methods[goName] = append(c.Methods[goName], opts...) }
}

// Hide keeps Go methods or fields out of the Python class.
func Hide(goNames ...string) ClassOption {
	return func(c *Class) {
		for _, n := range goNames {
			c.Hidden[n] = true
		}
	}
}

// Class declares the Go type of sample (for example (*regexp.Regexp)(nil))
// as a Python class and binds it in the module under its Python name.
func (m *Module) Class(sample any, opts ...ClassOption) *Class {
	t := reflect.TypeOf(sample)
	if t == nil {
		panic("gobridge: Module.Class: nil sample has no type")
	}
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.Name() == "" {
		panic(fmt.Sprintf("gobridge: Module.Class: %s is not a named type", t))
	}
	c := &Class{Name: base.Name(), Type: t, Methods: map[string][]FuncOption{}, Hidden: map[string]bool{}}
	for _, opt := range opts {
		opt(c)
	}
	if err := CheckName(c.Name); err != nil {
		panic(fmt.Sprintf("gobridge: Module.Class(%s): %v", t, err))
	}
	m.Set(c.Name, c)
	return c
}
