package py

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

type ptrErr struct{}

func (*ptrErr) Error() string { return "ptr" }

type valErr int

func (valErr) Error() string { return "val" }

func TestErrorType(t *testing.T) {
	tests := []struct {
		name   string
		sample any
		want   reflect.Type
	}{
		{"pointer", (*ptrErr)(nil), reflect.TypeOf((*ptrErr)(nil))},
		{"value whose pointer is the error", ptrErr{}, reflect.TypeOf((*ptrErr)(nil))},
		{"value", valErr(0), reflect.TypeOf(valErr(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModule("gomod.x", nil)
			c := m.ErrorType("E", tt.sample, ErrorDoc("doc"))
			if c.Type != tt.want || c.Sentinel != nil || c.Doc != "doc" {
				t.Errorf("ErrorType = %+v, want type %s", c, tt.want)
			}
			if v, _ := m.Get("E"); v != c {
				t.Errorf("module attribute E = %v", v)
			}
		})
	}
}

func TestErrorDeclarationsThatPanic(t *testing.T) {
	tests := []struct {
		name    string
		declare func(m *Module)
		want    string
	}{
		{"nil sentinel", func(m *Module) { m.Error("E", nil) }, `Module.Error("E"): the sentinel error is nil`},
		{"bad name", func(m *Module) { m.Error("not-a-name", errors.New("x")) }, `"not-a-name" is not a valid Python name`},
		{"nil sample", func(m *Module) { m.ErrorType("E", nil) }, "nil sample has no type"},
		{"not an error", func(m *Module) { m.ErrorType("E", 3) }, "Go type int does not implement error"},
		{"interface", func(m *Module) { m.ErrorType("E", new(error)) }, "does not implement error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, tt.want) {
					t.Errorf("panic %v, want one containing %q", r, tt.want)
				}
			}()
			tt.declare(NewModule("gomod.x", nil))
		})
	}
}
