package py

import (
	"fmt"
	"reflect"
)

// Types declares the concrete Go types of samples as types the module's
// functions return behind an interface, such as the unexported hash type
// that sha256.New returns as a hash.Hash and a function passes on as any. A
// declared type whose values pickle (it implements
// encoding.BinaryMarshaler and encoding.BinaryUnmarshaler, or
// encoding.TextMarshaler and encoding.TextUnmarshaler) can then be
// unpickled in another process: Go cannot look a type up by name, so the
// pickle names the module, and importing the module there declares the
// type again. Types named by Class need no declaration.
func (m *Module) Types(samples ...any) {
	for _, s := range samples {
		t := reflect.TypeOf(s)
		if t == nil {
			panic(fmt.Sprintf("gobridge: Module.Types(%s): a nil sample has no type", m.name))
		}
		m.types = append(m.types, t)
	}
}

// DeclaredTypes returns the types declared with Types, in order.
func (m *Module) DeclaredTypes() []reflect.Type {
	return append([]reflect.Type(nil), m.types...)
}
