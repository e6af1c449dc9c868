package conformance

import (
	"bytes"
	"flag"
	"os"
	"sync"
	"testing"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/conformance"
)

// The suite shared with the Python side and with go/importlib/conformance.
const (
	vectorDir     = "../../../../tests/conformance/vectors"
	overridesPath = "../../../../tests/conformance/version_overrides.json"
	goldenTable   = "testdata/table.txt"
)

var update = flag.Bool("update", false, "rewrite "+goldenTable)

// The suite at the default version, run once for every test that needs it.
var suite struct {
	once    sync.Once
	vectors []*conformance.Vector
	rows    []Row
	sum     Summary
	err     error
}

func runSuite(t *testing.T) ([]*conformance.Vector, []Row, Summary) {
	t.Helper()
	suite.once.Do(func() {
		if suite.vectors, suite.err = conformance.Load(vectorDir, overridesPath); suite.err == nil {
			suite.rows, suite.sum, suite.err = Suite(suite.vectors, importlib.DefaultVersion)
		}
	})
	if suite.err != nil {
		t.Fatal(suite.err)
	}
	return suite.vectors, suite.rows, suite.sum
}

// TestSuite runs every vector on gpython natively and with the engine
// (what make conformance-gpython prints) and checks the bounds:
// at least 150 vectors run, RUN is at least 120, and the engine passes
// every vector RUN counts. The table itself is a golden file, so that a
// change in either column, or in a reason, shows up in review.
func TestSuite(t *testing.T) {
	_, rows, sum := runSuite(t)
	if sum.Vectors < 200 {
		t.Errorf("only %d vectors loaded from %s", sum.Vectors, vectorDir)
	}
	if sum.Ran < 150 {
		t.Errorf("%d vectors ran on gpython, want at least 150", sum.Ran)
	}
	if sum.Run < 120 {
		t.Errorf("RUN is %d, want at least 120", sum.Run)
	}
	for _, r := range rows {
		if r.Counted() && !r.Engine {
			t.Errorf("%s: the engine on gpython differs from CPython %s: %s", r.Vector, importlib.DefaultVersion, r.Diff)
		}
		if r.Opcodes != "" && !r.Explicit {
			t.Errorf("%s: excluded for gpython's opcodes, but fails with the engine's IMPORT_FROM/IMPORT_STAR too", r.Vector)
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rows, sum); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenTable, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenTable)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the table differs from %s (go test -run TestSuite -update rewrites it):\n%s", goldenTable, buf.String())
	}
}

// TestVersions runs the vectors RUN counts with the engine reproducing
// each other CPython version, against that version's expectations: the
// host adds nothing version-specific, so they pass as 3.11's do.
func TestVersions(t *testing.T) {
	vectors, rows, _ := runSuite(t)
	for _, version := range importlib.Versions {
		if version == importlib.DefaultVersion {
			continue
		}
		t.Run(version.String(), func(t *testing.T) {
			for i, r := range rows {
				if !r.Counted() {
					continue
				}
				v := vectors[i]
				res, err := Run(v, Engine, version)
				if err != nil {
					t.Fatal(err)
				}
				if want := v.Expects[version]; !Equal(res.Observed, want) {
					t.Errorf("%s: %s", r.Vector, Diff(res.Observed, want))
				}
			}
		})
	}
}

// TestRender checks the Python source each statement becomes, plain and
// with the engine's explicit IMPORT_FROM/IMPORT_STAR.
func TestRender(t *testing.T) {
	names := func(pairs ...any) []any {
		var out []any
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, []any{pairs[i], pairs[i+1]})
		}
		return out
	}
	cases := []struct {
		name     string
		stmt     conformance.Stmt
		plain    string
		explicit string
	}{
		{"set", conformance.Stmt{"op": "set", "name": "x", "value": []any{1, "a", nil, true, 1.5}}, "x = [1, 'a', None, True, 1.5]", ""},
		{"import as", conformance.Stmt{"op": "import", "module": "a.b", "as": "c"}, "import a.b as c", "c = _gb_import_attr(__import__('a.b', globals(), None, None, 0), 'b')"},
		{"from", conformance.Stmt{"op": "from", "module": "m", "level": 2, "names": names("x", nil, "y", "z")}, "from ..m import x, y as z",
			"_gb_m = __import__('m', globals(), None, ('x', 'y'), 2)\ntry:\n    x = _gb_import_from(_gb_m, 'x')\n    z = _gb_import_from(_gb_m, 'y')\nfinally:\n    del _gb_m"},
		{"star", conformance.Stmt{"op": "from", "module": "m", "names": names("*", nil)}, "from m import *", "_gb_import_star(__import__('m', globals(), None, ('*',), 0), globals())"},
		{"raise", conformance.Stmt{"op": "raise", "type": "ValueError", "msg": "it's"}, `raise ValueError("it's")`, ""},
		{"sysmod_set module", conformance.Stmt{"op": "sysmod_set", "key": "k", "value": map[string]any{"module": "m"}}, "__import__('sys').modules['k'] = __import__('sys').modules['m']", ""},
		{"sysmod_del", conformance.Stmt{"op": "sysmod_del", "key": "k"}, "del __import__('sys').modules['k']", ""},
		{"call without globals", conformance.Stmt{"op": "call", "bind": "r", "name": "pk", "fromlist": []any{"a"}}, "r = __import__('pk', fromlist=['a'], level=0)", ""},
		{"call with a spec", conformance.Stmt{"op": "call", "bind": "r", "name": "", "level": 1, "fromlist": nil,
			"globals": map[string]any{"__package__": "p", "__spec__": map[string]any{"parent": "q"}}},
			"r = __import__('', {'__package__': 'p', '__spec__': _Spec(parent='q')}, None, None, 1)", ""},
		{"call here", conformance.Stmt{"op": "call", "bind": "r", "name": "x", "globals": "here", "level": 2147483648.0 * 2}, "r = __import__('x', globals(), None, None, 4294967296.0)", ""},
		{"gcd", conformance.Stmt{"op": "gcd", "bind": "r", "name": "a", "package": nil, "level": 0}, "r = _gcd('a', None, 0)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, explicit := range []bool{false, true} {
				want := c.plain
				if explicit && c.explicit != "" {
					want = c.explicit
				}
				got, err := Render(c.stmt, explicit)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("Render(explicit=%v) =\n%s\nwant\n%s", explicit, got, want)
				}
			}
		})
	}
}
