package convert

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// ValueClasses names the Python classes of value structs, for ToPython
// (through its Lender) and FromPython (through its Objects).
type ValueClasses interface {
	// ValueClass returns the class id of the value struct type t and the
	// Python names of its fields, in field order.
	ValueClass(t reflect.Type) (tid uint64, fields []string)
}

var valueStructs sync.Map // reflect.Type -> bool

// IsValueStruct reports whether values of type t, a struct type, cross by
// value: Python gets an instance of its class holding a copy of the
// fields, and passes one (or a dict of the fields) back. A value struct is
// a named struct type with at least one field, whose fields are all
// exported, not embedded, and of types that cross both ways, and which has
// no exported methods on either T or *T: a type with methods, or with
// state Python cannot see, is lent by reference as an object instead.
func IsValueStruct(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t.Name() == "" || t.NumField() == 0 {
		return false
	}
	if known, ok := valueStructs.Load(t); ok {
		return known.(bool)
	}
	is := t.NumMethod() == 0 && reflect.PointerTo(t).NumMethod() == 0 && isExported(t.Name())
	for i := 0; is && i < t.NumField(); i++ {
		sf := t.Field(i)
		is = sf.IsExported() && !sf.Anonymous && CheckParam(sf.Type) == nil && CheckResult(sf.Type) == nil
	}
	valueStructs.Store(t, is)
	return is
}

// valueStruct writes a value struct as the marker (Ellipsis, "val", class
// id, fields), which the Python side turns into an instance of its class.
func (c *ToPython) valueStruct(v reflect.Value, depth int) error {
	vc, ok := c.Lender.(ValueClasses)
	if !ok {
		return fmt.Errorf("Go %s values cannot cross to Python here", v.Type())
	}
	tid, _ := vc.ValueClass(v.Type())
	c.Lent = true
	if err := c.Enc.Tuple(4); err != nil {
		return err
	}
	c.Enc.Ellipsis()
	if err := c.Enc.Str("val"); err != nil {
		return err
	}
	c.Enc.Uint(tid)
	if err := c.Enc.Tuple(v.NumField()); err != nil {
		return err
	}
	for i := 0; i < v.NumField(); i++ {
		if err := c.value(v.Field(i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// valueStruct reads a value struct from a dict of its fields by Python
// name, which is also how an instance of its class crosses: a field left
// out keeps Go's zero value.
func (c *FromPython) valueStruct(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	vc, ok := c.Objects.(ValueClasses)
	if kind != pymarshal.KindDict || !ok {
		return reflect.Value{}, c.mismatch(t, kind)
	}
	_, names := vc.ValueClass(t)
	if err := c.Dec.ReadDict(); err != nil {
		return reflect.Value{}, err
	}
	out := reflect.New(t).Elem()
	seen := make([]bool, len(names))
	for {
		more, err := c.Dec.DictNext()
		if err != nil {
			return reflect.Value{}, err
		}
		if !more {
			return out, nil
		}
		if k, err := c.Dec.Peek(); err != nil || k != pymarshal.KindStr {
			got := "?"
			if err == nil {
				got = c.typeName(k)
			}
			return reflect.Value{}, &ArgError{Type: "TypeError", Want: "a dict with str keys (the fields of Go " + GoTypeName(t) + ")", Got: "a " + got + " key"}
		}
		key, err := c.Dec.ReadStr()
		if err != nil {
			return reflect.Value{}, strError(err)
		}
		i := indexOf(names, key)
		if i < 0 {
			return reflect.Value{}, &ArgError{Type: "TypeError", Want: "a " + t.Name() + " or a dict of its fields (" + joinNames(names) + ")", Got: "a dict with the key " + strconv.Quote(key)}
		}
		if seen[i] {
			return reflect.Value{}, valueError("field " + strconv.Quote(key) + " given twice")
		}
		seen[i] = true
		v, err := c.Value(t.Field(i).Type)
		if err != nil {
			if ae, ok := err.(*ArgError); ok {
				return reflect.Value{}, ae.at("." + key)
			}
			return reflect.Value{}, err
		}
		out.Field(i).Set(v)
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}
