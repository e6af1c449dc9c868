package convert

import (
	"cmp"
	"fmt"
	"math/big"
	"reflect"
	"slices"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// Lender lends Go objects to Python.
type Lender interface {
	// Lend returns the handle and class id under which Python sees v.
	Lend(v reflect.Value) (handle, typeID uint64)
}

// MaxDepth bounds the nesting of a Go value written for Python, below
// marshal's own limit, so that cyclic Go data fails cleanly.
const MaxDepth = pymarshal.MaxDepth - 10

// ToPython writes Go values as marshal data for Python.
type ToPython struct {
	// Enc receives the data.
	Enc *pymarshal.Encoder
	// Lender lends Go objects; a value that needs it fails without one.
	Lender Lender
	// Lent reports whether any Go object was written, so that Python knows
	// to look for them.
	Lent bool
}

// InvalidUTF8 is the error for a Go string that is not valid UTF-8, which a
// Python str cannot hold. It becomes UnicodeDecodeError.
type InvalidUTF8 struct {
	// Data is the string's bytes.
	Data []byte
	// Offset is the index of the first invalid byte.
	Offset int
}

func (e *InvalidUTF8) Error() string {
	return fmt.Sprintf("Go string is not valid UTF-8 (invalid byte 0x%02x at offset %d)", e.Data[e.Offset], e.Offset)
}

// Tuple is a Go value that Python receives as a tuple.
type Tuple []any

// Value writes v.
func (c *ToPython) Value(v any) error {
	switch x := v.(type) {
	case nil:
		c.Enc.None()
		return nil
	case Tuple:
		if err := c.Enc.Tuple(len(x)); err != nil {
			return err
		}
		for _, item := range x {
			if err := c.Value(item); err != nil {
				return err
			}
		}
		return nil
	case string:
		return c.str(x)
	case []byte:
		return c.Enc.PyBytes(x)
	case int:
		c.Enc.Int(int64(x))
		return nil
	case int64:
		c.Enc.Int(x)
		return nil
	case bool:
		c.Enc.Bool(x)
		return nil
	case float64:
		c.Enc.Float(x)
		return nil
	case []string:
		if err := c.Enc.List(len(x)); err != nil {
			return err
		}
		for _, s := range x {
			if err := c.str(s); err != nil {
				return err
			}
		}
		return nil
	}
	return c.value(reflect.ValueOf(v), 0)
}

func (c *ToPython) str(s string) error { return WriteStr(c.Enc, s) }

// WriteStr writes a Go string as a Python str, failing with *InvalidUTF8
// if it is not valid UTF-8.
func WriteStr(enc *pymarshal.Encoder, s string) error {
	if err := enc.Str(s); err != nil {
		if pe, ok := err.(*pymarshal.Error); ok && pe.Offset >= 0 {
			return &InvalidUTF8{Data: []byte(s), Offset: pe.Offset}
		}
		return err
	}
	return nil
}

func (c *ToPython) value(v reflect.Value, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("Go value nested more than %d levels deep (a cycle?)", MaxDepth)
	}
	if !v.IsValid() {
		c.Enc.None()
		return nil
	}
	t := v.Type()
	if t == bigIntType {
		if v.IsNil() {
			c.Enc.None()
		} else {
			c.Enc.BigInt(v.Interface().(*big.Int))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		c.Enc.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.Enc.Int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.Enc.Uint(v.Uint())
	case reflect.Float32, reflect.Float64:
		c.Enc.Float(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c.Enc.Complex(v.Complex())
	case reflect.String:
		return c.str(v.String())
	case reflect.Slice:
		if v.IsNil() && t.Elem().Kind() != reflect.Uint8 {
			return c.Enc.List(0)
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return c.Enc.PyBytes(v.Bytes())
		}
		return c.list(v, depth)
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return c.Enc.PyBytes(b)
		}
		return c.list(v, depth)
	case reflect.Map:
		return c.dict(v, depth)
	case reflect.Pointer:
		if v.IsNil() {
			c.Enc.None()
			return nil
		}
		if IsObject(t) {
			return c.object(v)
		}
		return c.value(v.Elem(), depth) // only containers nest in Python
	case reflect.Interface:
		if v.IsNil() {
			c.Enc.None()
			return nil
		}
		return c.value(v.Elem(), depth)
	case reflect.Struct:
		if IsValueStruct(t) {
			return c.valueStruct(v, depth)
		}
		return c.object(v)
	case reflect.Chan, reflect.Func:
		if v.IsNil() {
			c.Enc.None()
			return nil
		}
		if IsIterator(t) {
			return c.object(v)
		}
		return fmt.Errorf("Go %s values cannot cross to Python", t)
	default:
		return fmt.Errorf("Go %s values cannot cross to Python", t)
	}
	return nil
}

func (c *ToPython) list(v reflect.Value, depth int) error {
	n := v.Len()
	if err := c.Enc.List(n); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := c.value(v.Index(i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// dict writes a map with its keys sorted where they are ordered, so that
// the same Go map always gives the same Python dict.
func (c *ToPython) dict(v reflect.Value, depth int) error {
	keys := v.MapKeys()
	slices.SortFunc(keys, compareKeys)
	c.Enc.DictBegin()
	for _, k := range keys {
		if err := c.value(k, depth+1); err != nil {
			return err
		}
		if err := c.value(v.MapIndex(k), depth+1); err != nil {
			return err
		}
	}
	c.Enc.DictEnd()
	return nil
}

func compareKeys(a, b reflect.Value) int {
	// The keys of a map[any]any are interfaces: order by what they hold.
	if a.Kind() == reflect.Interface && !a.IsNil() {
		a = a.Elem()
	}
	if b.Kind() == reflect.Interface && !b.IsNil() {
		b = b.Elem()
	}
	if a.Kind() != b.Kind() {
		return cmp.Compare(a.Kind(), b.Kind())
	}
	switch a.Kind() {
	case reflect.String:
		return cmp.Compare(a.String(), b.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(a.Int(), b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.Uint(), b.Uint())
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(a.Float(), b.Float())
	case reflect.Bool:
		return cmp.Compare(btoi(a.Bool()), btoi(b.Bool()))
	}
	return 0
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// object writes a Go object as the marker tuple (Ellipsis, "obj", handle,
// type id) that the Python side turns into an instance of its class.
func (c *ToPython) object(v reflect.Value) error {
	if c.Lender == nil {
		return fmt.Errorf("Go %s values cannot cross to Python here", v.Type())
	}
	h, tid := c.Lender.Lend(v)
	c.Lent = true
	if err := c.Enc.Tuple(4); err != nil {
		return err
	}
	c.Enc.Ellipsis()
	if err := c.Enc.Str("obj"); err != nil {
		return err
	}
	c.Enc.Uint(h)
	c.Enc.Uint(tid)
	return nil
}
