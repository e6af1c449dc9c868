package bridge

import (
	"reflect"
	"testing"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
)

func TestRefuseNilFunc(t *testing.T) {
	funcType := reflect.TypeOf(func(int) int { return 0 })
	tests := []struct {
		name    string
		param   py.Param
		value   reflect.Value
		refused bool
	}{
		{"nil func", py.Param{Name: "f", Type: funcType}, reflect.Zero(funcType), true},
		{"nilable nil func", py.Param{Name: "f", Type: funcType, Nilable: true}, reflect.Zero(funcType), false},
		{"func", py.Param{Name: "f", Type: funcType}, reflect.ValueOf(func(x int) int { return x }), false},
		{"nil slice", py.Param{Name: "xs", Type: reflect.TypeOf([]int(nil))}, reflect.ValueOf([]int(nil)), false},
		{"nil map", py.Param{Name: "m", Type: reflect.TypeOf(map[string]int(nil))}, reflect.ValueOf(map[string]int(nil)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := refuseNilFunc(tt.param, tt.value)
			if !tt.refused {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			err = convert.Bind(err, "apply", tt.param.Name)
			if err == nil || err.Error() != "apply() argument 'f' must be callable, not None" {
				t.Fatalf("error %v", err)
			}
		})
	}
}
