package py

import (
	"strings"
	"testing"
)

func TestLazyFunction(t *testing.T) {
	calls := 0
	tests := []struct {
		name    string
		wrap    func() (*Function, error)
		wantErr string
	}{
		{"double", func() (*Function, error) {
			calls++
			return NewFunction(func(n int) int { return 2 * n }, Name("double"))
		}, ""},
		{"drain", func() (*Function, error) { return NewFunction(func(ch chan int) {}, Name("drain")) }, "cannot wrap"},
		{"misnamed", func() (*Function, error) { return NewFunction(func() {}, Name("other")) }, `is named "other"`},
		{"nothing", func() (*Function, error) { return nil, nil }, "wrapped nothing"},
		{"panics", func() (*Function, error) { panic("boom") }, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModule("gomod.lazy", nil)
			m.LazyFunc(tt.name, tt.wrap)
			v, _ := m.Get(tt.name)
			lazy, ok := v.(*LazyFunction)
			if !ok || lazy.Name != tt.name {
				t.Fatalf("LazyFunc bound %T %v", v, v)
			}
			for i := 0; i < 2; i++ { // the second use returns what the first made
				f, err := lazy.Function()
				if tt.wantErr == "" {
					if err != nil || f == nil || f.Name != tt.name {
						t.Fatalf("Function() = %v, %v", f, err)
					}
				} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Function() error = %v, want one containing %q", err, tt.wantErr)
				}
			}
		})
	}
	if calls != 1 {
		t.Errorf("wrap ran %d times, want once", calls)
	}
}
