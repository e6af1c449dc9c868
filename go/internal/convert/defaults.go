package convert

import (
	"errors"
	"reflect"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// CheckDefault reports why value cannot be the default of a parameter of
// type t, or nil if it can: the default crosses to Python once, for the
// signature, and comes back on every call that leaves the argument out,
// so it must make the round trip. A nil func is a default only for a
// nil-able parameter, as Python's None is.
func CheckDefault(value any, t reflect.Type, nilable bool) error {
	if value == nil && t.Kind() == reflect.Func && !nilable {
		return errors.New("a nil func default needs the parameter to be nil-able (py.Nilable)")
	}
	var enc pymarshal.Encoder
	if err := (&ToPython{Enc: &enc}).Value(value); err != nil {
		return err
	}
	from := FromPython{Dec: pymarshal.NewDecoder(enc.Bytes())}
	if _, err := from.Value(t); err != nil {
		if ae, ok := err.(*ArgError); ok {
			return errors.New(ae.message("the default"))
		}
		return err
	}
	return nil
}
