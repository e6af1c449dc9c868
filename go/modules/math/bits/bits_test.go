package bits

import (
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
)

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "math.bits")
	var names []string
	for _, n := range []string{"ones_count", "leading_zeros", "trailing_zeros", "rotate_left", "reverse", "len", "reverse_bytes"} {
		names = append(names, n+"64", n+"32")
	}
	modtest.HasAttrs(t, m, append(names, "add64", "mul64", "div64", "UINT_SIZE", "__doc__")...)
	if p := modtest.ParamNames(modtest.Function(t, m, "rotate_left64")); len(p) != 2 || p[0] != "x" || p[1] != "k" {
		t.Errorf("rotate_left64 params = %v, want [x k]", p)
	}
}
