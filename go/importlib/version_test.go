package importlib_test

import (
	"math/big"
	"testing"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/gohost"
	"github.com/gobridge/gobridge/pyerr"
)

// TestImportArgsFollowTheVersion checks __import__'s argument errors per
// CPython version, including the levels beyond a C long that no vector can
// hold (JSON numbers are float64 past 2**53).
func TestImportArgsFollowTheVersion(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 70)
	cases := []struct {
		version  importlib.Version
		name     any
		level    any
		typ, msg string
	}{
		{importlib.Version{3, 9}, "x", huge, "OverflowError", "Python int too large to convert to C long"},
		{importlib.Version{3, 10}, "x", uint64(1) << 63, "OverflowError", "Python int too large to convert to C long"},
		{importlib.Version{3, 11}, "x", huge, "OverflowError", "Python int too large to convert to C int"},
		{importlib.Version{3, 13}, "x", int64(-1) << 40, "OverflowError", "Python int too large to convert to C int"},
		{importlib.Version{3, 9}, "x", int64(1) << 40, "OverflowError", "signed integer is greater than maximum"},
		{importlib.Version{3, 10}, "x", int64(-1) << 40, "OverflowError", "signed integer is less than minimum"},
		{importlib.Version{3, 9}, "x", "1", "TypeError", "an integer is required (got type str)"},
		{importlib.Version{3, 9}, "x", 1.5, "TypeError", "integer argument expected, got float"},
		{importlib.Version{3, 10}, "x", 1.5, "TypeError", "'float' object cannot be interpreted as an integer"},
		{importlib.Version{3, 9}, nil, 1.5, "TypeError", "__import__() argument 1 must be str, not None"},
		{importlib.Version{3, 10}, 3, 1.5, "TypeError", "__import__() argument 1 must be str, not int"},
		{importlib.Version{3, 11}, 3, 1.5, "TypeError", "'float' object cannot be interpreted as an integer"},
		{importlib.Version{3, 12}, 3, 0, "TypeError", "module name must be a string"},
	}
	for _, c := range cases {
		im := gohost.New(gohost.Config{Version: c.version}).Importer()
		_, err := im.ImportArgs(importlib.NewThread(), c.name, importlib.NoGlobals, nil, c.level)
		if got := pyerr.PythonException(err); got != c.typ || err.Error() != c.msg {
			t.Errorf("%s: __import__(%#v, level=%v): %s(%v), want %s(%s)", c.version, c.name, c.level, got, err, c.typ, c.msg)
		}
	}
}

func TestVersions(t *testing.T) {
	if got := importlib.New(nil, importlib.Config{}).Version(); got != importlib.DefaultVersion {
		t.Errorf("zero Config: version %s, want %s", got, importlib.DefaultVersion)
	}
	for _, s := range []string{"3.9", "3.13"} {
		if v, err := importlib.ParseVersion(s); err != nil || v.String() != s {
			t.Errorf("ParseVersion(%q) = %v, %v", s, v, err)
		}
	}
	for _, s := range []string{"3.8", "3.14", "3", "three.eleven", ""} {
		if v, err := importlib.ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", s, v)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New with Python 2.7 did not panic")
		}
	}()
	importlib.New(nil, importlib.Config{Version: importlib.Version{2, 7}})
}
