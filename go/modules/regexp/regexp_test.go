package regexp

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/pyerr"
)

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "regexp")
	modtest.HasAttrs(t, m, "compile", "compile_posix", "must_compile", "match_string", "match", "quote_meta", "Regexp", "__doc__")
	c := modtest.Class(t, m, "Regexp")
	modtest.HasMethods(t, c, "match_string", "find_string", "find_all_string", "find_string_index",
		"find_string_submatch", "replace_all_string", "split", "num_subexp", "subexp_names", "subexp_index", "string")
	modtest.LacksMethods(t, c, "longest", "unmarshal_text", "replace_all_string_func", "match_reader", "copy")
}

// TestBadPattern checks that compile's error is Go's *syntax.Error, which
// gobridge raises as ValueError.
func TestBadPattern(t *testing.T) {
	for _, pattern := range []string{"(", "a**", `\8`, "[z-a]"} {
		_, err := regexp.Compile(pattern)
		var se *syntax.Error
		if !errors.As(err, &se) {
			t.Errorf("compile(%q): %v (%T), want *syntax.Error", pattern, err, err)
		}
		if exc := pyerr.PythonException(err); exc != "ValueError" {
			t.Errorf("compile(%q) raises %s, want ValueError", pattern, exc)
		}
	}
}
