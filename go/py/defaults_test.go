package py

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	fn := func(s string, n int8, x float64, p *int, cb func(), rest ...string) {}
	all := []FuncOption{Params("s", "n", "x", "p", "cb", "rest"), Nilable("cb")}
	tests := []struct {
		name     string
		opts     []FuncOption
		defaults map[string]any
		err      string
	}{
		{name: "none", opts: all, defaults: map[string]any{}},
		{name: "trailing", opts: append(all, Default("p", nil), Default("cb", nil)), defaults: map[string]any{"p": nil, "cb": nil}},
		{name: "before params", opts: []FuncOption{Default("cb", nil), Params("s", "n", "x", "p", "cb", "rest"), Nilable("cb"), Default("p", nil)}, defaults: map[string]any{"p": nil, "cb": nil}},
		{name: "int for float", opts: append(all, Default("x", 2), Default("p", nil), Default("cb", nil)), defaults: map[string]any{"x": 2, "p": nil, "cb": nil}},
		{name: "every one", opts: append(all, Default("s", "a"), Default("n", int8(1)), Default("x", 0.5), Default("p", nil), Default("cb", nil)), defaults: map[string]any{"s": "a", "n": int8(1), "x": 0.5, "p": nil, "cb": nil}},
		{name: "not trailing", opts: append(all, Default("x", 1.0)), err: `parameter "p" has no default but follows "x", which has one`},
		{name: "wrong type", opts: append(all, Default("cb", nil), Default("p", nil), Default("x", "one")), err: `py.Default("x", "one"): the default must be float (Go float64), not str`},
		{name: "overflow", opts: append(all, Default("n", 300), Default("x", 1.0), Default("p", nil), Default("cb", nil)), err: `py.Default("n", 300): the default out of range for Go int8`},
		{name: "unknown", opts: append(all, Default("zz", 1)), err: `py.Default("zz"): no such parameter`},
		{name: "variadic", opts: append(all, Default("rest", nil)), err: `py.Default("rest"): a variadic parameter cannot have a default`},
		{name: "nil func not nilable", opts: []FuncOption{Params("s", "n", "x", "p", "cb", "rest"), Default("p", nil), Default("cb", nil)}, err: "a nil func default needs the parameter to be nil-able"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFunction(fn, tt.opts...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range f.Params {
				want, ok := tt.defaults[p.Name]
				if p.HasDefault != ok || !reflect.DeepEqual(p.Default, want) {
					t.Errorf("parameter %s: default %#v (%v), want %#v (%v)", p.Name, p.Default, p.HasDefault, want, ok)
				}
			}
		})
	}
}

// CtorThing is a class for the constructor tests.
type CtorThing struct{ n int }

// CtorValue is a value struct for the constructor tests.
type CtorValue struct{ X, Y int }

func TestConstructor(t *testing.T) {
	tests := []struct {
		name   string
		sample any
		fn     any
		err    string
	}{
		{name: "pointer", sample: (*CtorThing)(nil), fn: func(n int) *CtorThing { return &CtorThing{n} }},
		{name: "value", sample: (*CtorThing)(nil), fn: func() CtorThing { return CtorThing{} }},
		{name: "with error", sample: (*CtorThing)(nil), fn: func() (*CtorThing, error) { return nil, nil }},
		{name: "wrong type", sample: (*CtorThing)(nil), fn: func() int { return 0 }, err: "does not return py.CtorThing or *py.CtorThing"},
		{name: "two results", sample: (*CtorThing)(nil), fn: func() (*CtorThing, int) { return nil, 0 }, err: "does not return"},
		{name: "not a function", sample: (*CtorThing)(nil), fn: 3, err: "py.Constructor: gobridge: cannot wrap int: not a function"},
		{name: "value struct", sample: CtorValue{}, fn: func() CtorValue { return CtorValue{} }, err: "crosses by value and is constructed from its fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModule("m", nil)
			var c *Class
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err, _ = r.(error)
						if s, ok := r.(string); ok {
							err = &stringError{s}
						}
					}
				}()
				c = m.Class(tt.sample, ClassName("Thing"), Constructor(tt.fn))
				return nil
			}()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Constructor == nil || c.Constructor.Name != "Thing" {
				t.Fatalf("Constructor = %+v, want a function named Thing", c.Constructor)
			}
		})
	}
}

type stringError struct{ s string }

func (e *stringError) Error() string { return e.s }
