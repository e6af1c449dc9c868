package strings

import (
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
)

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "strings")
	modtest.HasAttrs(t, m, "to_upper", "to_lower", "split", "join", "contains", "fields", "repeat",
		"replace_all", "split_n", "trim_space", "has_prefix", "cut", "equal_fold", "new_replacer", "Replacer", "__doc__")
	for _, absent := range []string{"map", "fields_func", "lines", "title", "new_reader", "Reader", "Builder"} {
		if _, ok := m.Get(absent); ok {
			t.Errorf("strings.%s is bound; it should be left out", absent)
		}
	}
	for fn, want := range map[string][]string{
		"split":       {"s", "sep"},
		"join":        {"elems", "sep"},
		"replace_all": {"s", "old", "new"},
		"repeat":      {"s", "count"},
	} {
		got := modtest.ParamNames(modtest.Function(t, m, fn))
		if len(got) != len(want) {
			t.Errorf("%s params = %v, want %v", fn, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s params = %v, want %v", fn, got, want)
			}
		}
	}
	if f := modtest.Function(t, m, "new_replacer"); !f.Variadic {
		t.Error("new_replacer is not variadic")
	}
	modtest.HasMethods(t, modtest.Class(t, m, "Replacer"), "replace")
	modtest.LacksMethods(t, modtest.Class(t, m, "Replacer"), "write_string")
}
