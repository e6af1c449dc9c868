package py

import (
	"strings"
	"testing"
)

func TestNilable(t *testing.T) {
	fn := func(f func() int, g func(string), n int) {}
	tests := []struct {
		name    string
		opts    []FuncOption
		nilable []bool // per parameter
		err     string
	}{
		{name: "default", opts: []FuncOption{Params("f", "g", "n")}, nilable: []bool{false, false, false}},
		{name: "one", opts: []FuncOption{Params("f", "g", "n"), Nilable("g")}, nilable: []bool{false, true, false}},
		{name: "before params", opts: []FuncOption{Nilable("f", "g"), Params("f", "g", "n")}, nilable: []bool{true, true, false}},
		{name: "default names", opts: []FuncOption{Nilable("arg1")}, nilable: []bool{false, true, false}},
		{name: "not a func", opts: []FuncOption{Params("f", "g", "n"), Nilable("n")}, err: `py.Nilable("n"): parameter is int, not a func`},
		{name: "unknown", opts: []FuncOption{Params("f", "g", "n"), Nilable("h")}, err: `py.Nilable("h"): no such parameter`},
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
			for i, p := range f.Params {
				if p.Nilable != tt.nilable[i] {
					t.Errorf("parameter %s: Nilable %v, want %v", p.Name, p.Nilable, tt.nilable[i])
				}
			}
		})
	}
}
