package convert

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// VPoint is a value struct.
type VPoint struct{ X, Y int }

// VMethods has a method, so it is an object.
type VMethods struct{ X int }

// M is VMethods' method.
func (VMethods) M() {}

// VPtrMethods has a pointer method, so it is an object.
type VPtrMethods struct{ X int }

// M is VPtrMethods' method.
func (*VPtrMethods) M() {}

// VHidden has an unexported field, so it is an object.
type VHidden struct {
	X int
	y int
}

// VFunc has a field that cannot return to Python.
type VFunc struct{ F func() }

// VNested holds value structs.
type VNested struct {
	A VPoint
	P *VPoint
}

// VEmpty has no fields.
type VEmpty struct{}

func TestIsValueStruct(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want bool
	}{
		{reflect.TypeOf(VPoint{}), true},
		{reflect.TypeOf(VNested{}), true},
		{reflect.TypeOf(VMethods{}), false},
		{reflect.TypeOf(VPtrMethods{}), false},
		{reflect.TypeOf(VHidden{}), false},
		{reflect.TypeOf(VFunc{}), false},
		{reflect.TypeOf(VEmpty{}), false},
		{reflect.TypeOf(&VPoint{}), false},
		{reflect.TypeOf(struct{ X int }{}), false},
	}
	for _, tt := range tests {
		if got := IsValueStruct(tt.typ); got != tt.want {
			t.Errorf("IsValueStruct(%s) = %v, want %v", tt.typ, got, tt.want)
		}
	}
	if IsObject(reflect.TypeOf(&VPoint{})) || !IsObject(reflect.TypeOf(&VHidden{})) {
		t.Error("IsObject must leave out value structs only")
	}
}

// valueClasses names the fields of the value structs of the tests.
type valueClasses struct{}

func (valueClasses) Lend(reflect.Value) (uint64, uint64) { return 0, 0 }
func (valueClasses) Resolve(uint64) (any, bool)          { return nil, false }
func (valueClasses) ValueClass(t reflect.Type) (uint64, []string) {
	if t == reflect.TypeOf(VNested{}) {
		return 2, []string{"a", "p"}
	}
	return 1, []string{"x", "y"}
}

func TestValueStructFromPython(t *testing.T) {
	dict := func(items ...func(e *pymarshal.Encoder)) []byte {
		var e pymarshal.Encoder
		e.DictBegin()
		for _, item := range items {
			item(&e)
		}
		e.DictEnd()
		return e.Bytes()
	}
	kv := func(k string, v int64) func(*pymarshal.Encoder) {
		return func(e *pymarshal.Encoder) { _ = e.Str(k); e.Int(v) }
	}
	ks := func(k, v string) func(*pymarshal.Encoder) {
		return func(e *pymarshal.Encoder) { _ = e.Str(k); _ = e.Str(v) }
	}
	tests := []struct {
		name string
		data []byte
		want any
		err  string
	}{
		{name: "both", data: dict(kv("x", 1), kv("y", 2)), want: VPoint{1, 2}},
		{name: "missing is zero", data: dict(kv("y", 2)), want: VPoint{0, 2}},
		{name: "empty", data: dict(), want: VPoint{}},
		{name: "unknown key", data: dict(kv("z", 1)), err: `must be a VPoint or a dict of its fields (x, y), not a dict with the key "z"`},
		{name: "wrong type", data: dict(ks("x", "a")), err: "value.x must be int (Go int), not str"},
		{name: "not a dict", data: func() []byte { var e pymarshal.Encoder; e.Int(1); return e.Bytes() }(), err: "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := FromPython{Dec: pymarshal.NewDecoder(tt.data), Objects: valueClasses{}}
			v, err := from.Value(reflect.TypeOf(VPoint{}))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Interface(); got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestValueStructToPython(t *testing.T) {
	var enc pymarshal.Encoder
	conv := ToPython{Enc: &enc, Lender: valueClasses{}}
	if err := conv.Value(VNested{A: VPoint{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if !conv.Lent {
		t.Error("a value struct must tell Python to adopt the result")
	}
	got, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	point := func(x, y int64) pymarshal.Tuple {
		return pymarshal.Tuple{pymarshal.Ellipsis{}, "val", int64(1), pymarshal.Tuple{x, y}}
	}
	want := pymarshal.Tuple{pymarshal.Ellipsis{}, "val", int64(2), pymarshal.Tuple{point(1, 2), nil}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
	if err := (&ToPython{Enc: &enc}).Value(VPoint{}); err == nil {
		t.Error("a value struct without a lender must fail")
	}
}
