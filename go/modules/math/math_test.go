package math

import (
	"math"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/registry"
)

func TestModule(t *testing.T) {
	if e, _ := registry.Lookup("math"); !e.Package {
		t.Error("math is not a package")
	}
	m := modtest.Exec(t, "math")
	modtest.HasAttrs(t, m, "sqrt", "sin", "pow", "isnan", "isinf", "nan", "inf", "frexp", "fma",
		"PI", "E", "MAX_INT64", "MIN_INT64", "MAX_UINT64", "MAX_FLOAT64", "SMALLEST_NONZERO_FLOAT64", "__doc__")
	// Constants too large for an int keep their exact value.
	for name, want := range map[string]any{
		"MAX_UINT64": uint64(math.MaxUint64),
		"MIN_INT64":  int64(math.MinInt64),
		"MAX_INT8":   math.MaxInt8,
		"PI":         math.Pi,
	} {
		if got, _ := m.Get(name); got != want {
			t.Errorf("%s = %v (%T), want %v (%T)", name, got, got, want, want)
		}
	}
	if p := modtest.ParamNames(modtest.Function(t, m, "atan2")); len(p) != 2 || p[0] != "y" || p[1] != "x" {
		t.Errorf("atan2 params = %v, want [y x]", p)
	}
}
