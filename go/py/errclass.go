package py

import (
	"fmt"
	"reflect"
)

// ErrorClass declares a Go error as an exception class of the module, a
// subclass of gobridge.GoError named Name. A Go error returned to Python
// raises the class when it matches: errors.Is for a sentinel error,
// errors.As for an error type. Wrapped errors match too, and the message
// is the full error string.
type ErrorClass struct {
	// Name is the Python class name, as in Go: "ErrNotFound", "ParseError".
	Name string
	// Doc is the class docstring.
	Doc string
	// Sentinel is the error value matched with errors.Is; nil for an error
	// type.
	Sentinel error
	// Type is the error type matched with errors.As; nil for a sentinel.
	Type reflect.Type
}

// An ErrorOption adjusts an ErrorClass.
type ErrorOption func(*ErrorClass)

// ErrorDoc sets the exception class's docstring.
func ErrorDoc(doc string) ErrorOption { return func(c *ErrorClass) { c.Doc = doc } }

var errorInterface = reflect.TypeOf((*error)(nil)).Elem()

// Error binds name to an exception class for the sentinel error sentinel
// (such as io.EOF, or a package's var ErrNotFound = errors.New(...)). It
// panics, naming the class, on a nil sentinel or an invalid name; Exec's
// caller turns the panic into a failed import.
func (m *Module) Error(name string, sentinel error, opts ...ErrorOption) *ErrorClass {
	if sentinel == nil {
		panic(fmt.Sprintf("gobridge: Module.Error(%q): the sentinel error is nil", name))
	}
	return m.errorClass(&ErrorClass{Name: name, Sentinel: sentinel}, opts)
}

// ErrorType binds name to an exception class for the Go error type of
// sample, such as (*ParseError)(nil) or base64.CorruptInputError(0). A
// sample whose type does not implement error but whose pointer type does
// declares the pointer type. It panics, naming the class, if neither
// implements error or on an invalid name.
func (m *Module) ErrorType(name string, sample any, opts ...ErrorOption) *ErrorClass {
	t := reflect.TypeOf(sample)
	switch {
	case t == nil:
		panic(fmt.Sprintf("gobridge: Module.ErrorType(%q): nil sample has no type", name))
	case t.Kind() == reflect.Interface || !t.Implements(errorInterface) && !reflect.PointerTo(t).Implements(errorInterface):
		panic(fmt.Sprintf("gobridge: Module.ErrorType(%q): Go type %s does not implement error", name, t))
	case !t.Implements(errorInterface):
		t = reflect.PointerTo(t)
	}
	return m.errorClass(&ErrorClass{Name: name, Type: t}, opts)
}

func (m *Module) errorClass(c *ErrorClass, opts []ErrorOption) *ErrorClass {
	for _, opt := range opts {
		opt(c)
	}
	if err := CheckName(c.Name); err != nil {
		panic(fmt.Sprintf("gobridge: exception class %s: %v", c.Name, err))
	}
	m.Set(c.Name, c)
	return c
}
