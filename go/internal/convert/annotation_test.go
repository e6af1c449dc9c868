package convert

import (
	"reflect"
	"testing"
)

func TestAnnotation(t *testing.T) {
	tests := []struct {
		value      any
		annotation string
		message    string // PythonType, for messages
	}{
		{int64(0), "int", "int"},
		{[]float64(nil), "list[float]", "list[float]"},
		{map[string][]string(nil), "dict[str, list[str]]", "dict[str, list[str]]"},
		{func() {}, "Callable[[], None]", "Callable"},
		{func(string) bool { return false }, "Callable[[str], bool]", "Callable"},
		{func(string) (string, error) { return "", nil }, "Callable[[str], str]", "Callable"},
		{func() error { return nil }, "Callable[[], None]", "Callable"},
		{func(int, []string) (int, string) { return 0, "" }, "Callable[[int, list[str]], tuple[int, str]]", "Callable"},
		{func(...int) int { return 0 }, "Callable[..., int]", "Callable"},
		{func(func(int) int) {}, "Callable[[Callable[[int], int]], None]", "Callable"},
		{[]func(float64) float64(nil), "list[Callable[[float], float]]", "list[Callable]"},
	}
	for _, tt := range tests {
		typ := reflect.TypeOf(tt.value)
		t.Run(typ.String(), func(t *testing.T) {
			if got := Annotation(typ); got != tt.annotation {
				t.Errorf("Annotation = %q, want %q", got, tt.annotation)
			}
			if got := PythonType(typ); got != tt.message {
				t.Errorf("PythonType = %q, want %q", got, tt.message)
			}
		})
	}
}
