package convert

import (
	"bytes"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// fuzzTypes are the parameter types FuzzFromPython converts to, chosen by
// the fuzzer's type index: every kind the converter handles, nested.
var fuzzTypes = []reflect.Type{
	reflect.TypeOf(false),
	reflect.TypeOf(int8(0)),
	reflect.TypeOf(int64(0)),
	reflect.TypeOf(uint8(0)),
	reflect.TypeOf(uint64(0)),
	reflect.TypeOf(float32(0)),
	reflect.TypeOf(float64(0)),
	reflect.TypeOf(complex128(0)),
	reflect.TypeOf(""),
	reflect.TypeOf([]byte(nil)),
	reflect.TypeOf(BorrowedBytes(nil)),
	reflect.TypeOf((*big.Int)(nil)),
	reflect.TypeOf((*any)(nil)).Elem(),
	reflect.TypeOf([]int64(nil)),
	reflect.TypeOf([][]string(nil)),
	reflect.TypeOf([3]int{}),
	reflect.TypeOf(map[string]int64(nil)),
	reflect.TypeOf(map[int]string(nil)),
	reflect.TypeOf(map[string][]any(nil)),
	reflect.TypeOf((*int)(nil)),
	reflect.TypeOf((func(int) int)(nil)),
	reflect.TypeOf((*error)(nil)).Elem(),
	reflect.TypeOf(struct{ X int }{}),
}

// roundTrips reports whether values of t are written back to Python as the
// same marshal value they were read from (up to container and int codes).
func roundTrips(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Func, reflect.Struct, reflect.Pointer, reflect.Interface:
		return t == reflect.TypeOf((*big.Int)(nil)) || t == reflect.TypeOf((*any)(nil)).Elem()
	}
	return t != reflect.TypeOf(BorrowedBytes(nil))
}

// fuzzCallables hands out a Go function for every callback id, which fails
// when called: the fuzz target only converts, it never calls.
type fuzzCallables struct{}

func (fuzzCallables) Func(t reflect.Type, id uint64) reflect.Value {
	return reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value { panic("not called") })
}

// fuzzObjects resolves handle 1 only.
type fuzzObjects struct{}

func (fuzzObjects) Resolve(h uint64) (any, bool) {
	if h == 1 {
		return &struct{ X int }{1}, true
	}
	return nil, false
}

// FuzzFromPython converts arbitrary marshal data to each parameter type.
// It must never panic and every error must say something; a value
// that converts must be written back to Python and, read again, give the
// same marshal bytes.
func FuzzFromPython(f *testing.F) {
	for i := range fuzzTypes {
		f.Add([]byte(")\x00"), uint8(i))
		f.Add([]byte("N"), uint8(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, typeIndex uint8) {
		typ := fuzzTypes[int(typeIndex)%len(fuzzTypes)]
		spans := [][]byte{[]byte("span zero"), nil}
		conv := FromPython{Dec: pymarshal.NewDecoder(data), Spans: spans, Objects: fuzzObjects{}, Callables: fuzzCallables{}}
		v, err := conv.Value(typ)
		if err == nil {
			err = conv.Dec.Finish()
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%v: empty error message", typ)
			}
			return
		}
		if !v.IsValid() || v.Type() != typ {
			t.Fatalf("converting to %v gave a %v", typ, v)
		}
		if !roundTrips(typ) || containsFunc(v) {
			return
		}
		first, err := writeBack(v)
		if err != nil {
			// Python's marshal reads deeper values than Go writes back
			// (MaxDepth): that one refusal is expected, with a clear error.
			if strings.Contains(err.Error(), "levels deep") {
				return
			}
			t.Fatalf("%v: writing back %.200v: %v", typ, v.Interface(), err)
		}
		again, err := (&FromPython{Dec: pymarshal.NewDecoder(first), Spans: spans, Objects: fuzzObjects{}}).Value(typ)
		if err != nil {
			t.Fatalf("%v: reading back %x: %v", typ, first, err)
		}
		second, err := writeBack(again)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("%v: written %x, then %x (%v)", typ, first, second, err)
		}
	})
}

// writeBack writes v as Go writes results for Python.
func writeBack(v reflect.Value) ([]byte, error) {
	var enc pymarshal.Encoder
	out := ToPython{Enc: &enc}
	if err := out.Value(v.Interface()); err != nil {
		return nil, err
	}
	return bytes.Clone(enc.Bytes()), nil
}

// containsFunc reports whether v holds a Go function or a Go object (which
// need a lender to be written back).
func containsFunc(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Func, reflect.Pointer, reflect.Struct:
		return v.Type() != reflect.TypeOf((*big.Int)(nil))
	case reflect.Interface:
		return !v.IsNil() && containsFunc(v.Elem())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if containsFunc(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if containsFunc(it.Key()) || containsFunc(it.Value()) {
				return true
			}
		}
	}
	return false
}
