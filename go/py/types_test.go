package py

import (
	"crypto/sha256"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestModuleTypes(t *testing.T) {
	tests := []struct {
		name    string
		samples [][]any // one Types call each
		want    []reflect.Type
	}{
		{"none", nil, nil},
		{"one call", [][]any{{sha256.New()}}, []reflect.Type{reflect.TypeOf(sha256.New())}},
		{"two calls, in order", [][]any{{(*regexp.Regexp)(nil)}, {0, ""}},
			[]reflect.Type{reflect.TypeOf((*regexp.Regexp)(nil)), reflect.TypeOf(0), reflect.TypeOf("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModule("gomod.x", nil)
			for _, s := range tt.samples {
				m.Types(s...)
			}
			got := m.DeclaredTypes()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DeclaredTypes() = %v, want %v", got, tt.want)
			}
			if len(m.Names()) != 0 {
				t.Errorf("Types bound names: %v", m.Names())
			}
		})
	}
}

func TestModuleTypesRefusesNil(t *testing.T) {
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "Module.Types(gomod.x): a nil sample has no type") {
			t.Errorf("panic %v", r)
		}
	}()
	NewModule("gomod.x", nil).Types(nil)
}
