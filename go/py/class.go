package py

import (
	"fmt"
	"reflect"

	"github.com/gobridge/gobridge/internal/convert"
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
	// Constructor is the function calling the class calls, nil when Python
	// cannot construct the class (see Constructor).
	Constructor *Function

	constructor *constructorDecl
}

type constructorDecl struct {
	fn   any
	opts []FuncOption
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

// Constructor makes calling the class call fn, a Go function returning the
// class's type (T or *T, with or without a trailing error), wrapped with
// opts as Func wraps a function: the class's signature is fn's, and an
// error fn returns is raised. The generator sets it from a function named
// NewT, or from one whose doc comment has the line //gobridge:constructor.
// A value struct (one that crosses by value) is constructed from its
// fields and takes no constructor.
func Constructor(fn any, opts ...FuncOption) ClassOption {
	return func(c *Class) { c.constructor = &constructorDecl{fn, opts} }
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
	if c.constructor != nil {
		if err := c.resolveConstructor(); err != nil {
			panic(fmt.Sprintf("gobridge: Module.Class(%s): %v", t, err))
		}
	}
	m.Set(c.Name, c)
	return c
}

// resolveConstructor wraps the Constructor option's function and checks
// that it makes values of the class.
func (c *Class) resolveConstructor() error {
	base := c.Type
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if convert.IsValueStruct(base) {
		return fmt.Errorf("py.Constructor: %s crosses by value and is constructed from its fields", base)
	}
	f, err := NewFunction(c.constructor.fn, c.constructor.opts...)
	if err != nil {
		return fmt.Errorf("py.Constructor: %w", err)
	}
	if len(f.Results) != 1 || (f.Results[0] != base && f.Results[0] != reflect.PointerTo(base)) {
		return fmt.Errorf("py.Constructor: %s does not return %s or *%s (and optionally an error)", f.GoName, base, base)
	}
	f.Name = c.Name
	c.Constructor, c.constructor = f, nil
	return nil
}
