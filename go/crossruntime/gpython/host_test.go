package gpython

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-python/gpython/py"
	"github.com/gobridge/gobridge/importlib"
)

// writeFiles writes path -> source under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run executes src as __main__ and returns its namespace.
func run(in *Interp, src string) (py.StringDict, error) {
	ns := py.StringDict{"__name__": py.String("__main__")}
	code, err := py.Compile(src, "<main>", py.ExecMode, 0, true)
	if err != nil {
		return nil, err
	}
	_, err = in.Context().RunCode(code, ns, ns, nil)
	return ns, err
}

// tree is the package the host tests import from.
var tree = map[string]string{
	"pkg/__init__.py":     "P = 'pkg'\n",
	"pkg/sib.py":          "X = 'sib.X'\n",
	"pkg/sub/__init__.py": "from .. import sib\nfrom ..sib import X\n",
	"pkg/sub/leaf.py":     "from . import __name__ as parent_name\nY = 'leaf'\n",
	"pkg/late.py":         "Z = 'late'\n",
	"ns/m.py":             "M = 'ns.m'\n",
	"bad.py":              "x = 1\nraise ValueError('boom')\n",
	"circ/__init__.py":    "from . import a\n",
	"circ/a.py":           "from . import b\nA = 'a'\n",
	"circ/b.py":           "import circ.a\nB = 'b'\n",
}

// TestImport runs import statements in gpython with the engine as
// __import__ and checks what they bind (r, a str) or raise.
func TestImport(t *testing.T) {
	cases := []struct {
		name, src, want, err string
	}{
		{"import a.b binds a", "import pkg.sib\nr = pkg.__name__ + ' ' + pkg.sib.X", "pkg sib.X", ""},
		{"relative imports in a package", "import pkg.sub\nr = pkg.sub.X + ' ' + pkg.sub.sib.__name__", "sib.X pkg.sib", ""},
		{"from package import submodule", "from pkg import late\nr = late.Z", "late", ""},
		{"from package import name", "from pkg import P\nr = P", "pkg", ""},
		{"dunders of a module", "import pkg.sib as s\nr = s.__name__ + ' ' + s.__package__ + ' ' + s.__spec__.name + ' ' + s.__spec__.parent + ' ' + s.__file__", "pkg.sib pkg pkg.sib pkg <root>/pkg/sib.py", ""},
		{"dunders of a package", "import pkg.sub as s\nr = s.__name__ + ' ' + s.__package__ + ' ' + s.__spec__.parent + ' ' + s.__path__[0] + ' ' + s.__file__", "pkg.sub pkg.sub pkg.sub <root>/pkg/sub <root>/pkg/sub/__init__.py", ""},
		{"__main__ relative", "from . import x", "", "ImportError: attempted relative import with no known parent package"},
		{"missing module", "import nosuch", "", "ModuleNotFoundError: No module named 'nosuch'"},
		{"missing submodule", "import pkg.nosuch", "", "ModuleNotFoundError: No module named 'pkg.nosuch'"},
		{"not a package", "import pkg.sib.x", "", "ModuleNotFoundError: No module named 'pkg.sib.x'; 'pkg.sib' is not a package"},
		{"ModuleNotFoundError is an ImportError", "try:\n    import nosuch\nexcept ImportError:\n    r = 'caught'\n", "caught", ""},
		{"failed module leaves sys.modules", "import sys\ntry:\n    import bad\nexcept ValueError:\n    r = str('bad' in sys.modules)\n", "False", ""},
		{"sys.modules is the table", "import sys\nsys.modules['fake'] = 'not a module'\nimport fake\nr = fake", "not a module", ""},
		{"None in sys.modules", "import sys\nsys.modules['blocked'] = None\nimport blocked", "", "ModuleNotFoundError: import of blocked halted; None in sys.modules"},
		{"gpython's built-in modules", "import math\nr = math.__name__ + ' ' + math.__spec__.origin + ' ' + str(math.floor(2.5))", "math built-in 2", ""},
		{"namespace package", "import ns.m\nr = ns.m.M + ' ' + str(ns.__spec__.origin) + ' ' + ns.__path__[0]", "ns.m None <root>/ns", ""},
		{"circular import", "import circ\nr = circ.a.A + ' ' + circ.b.B", "a b", ""},
		{"__import__ with a fromlist", "r = __import__('pkg.sub', globals(), None, ['leaf'], 0).leaf.parent_name", "pkg.sub", ""},
		{"__import__ keywords, no globals", "r = __import__('pkg', fromlist=['late'], level=0).late.Z", "late", ""},
		{"__import__ argument checks", "__import__('pkg', level=-1)", "", "ValueError: level must be >= 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tree)
			in := New(Config{Path: []string{root}})
			defer in.Close()
			ns, err := run(in, c.src)
			if c.err != "" {
				exc := ExceptionOf(err)
				if exc == nil {
					t.Fatalf("got %v, want %s", err, c.err)
				}
				if got := exc.Base.Name + ": " + ExceptionMessage(exc); got != c.err {
					t.Fatalf("got %s, want %s", got, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := ns["r"].(py.String)
			if s := strings.ReplaceAll(string(got), root, "<root>"); s != c.want {
				t.Fatalf("r = %q, want %q", s, c.want)
			}
		})
	}
}

// TestNative checks that Config.Native leaves gpython's own import in
// place, which binds the wrong module for "import a.b" (the engine's run
// of the same is in TestImport).
func TestNative(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, tree)
	in := New(Config{Path: []string{root}, Native: true})
	defer in.Close()
	ns, err := run(in, "import pkg.sib\nr = pkg.__name__")
	if err != nil {
		t.Fatal(err)
	}
	if got := ns["r"]; got != py.String("pkg.sib") {
		t.Fatalf("gpython's own import bound %v; if gpython now binds pkg, the native column of the conformance table changes", got)
	}
}

// TestWarn checks that the engine's warnings reach Config.Warn, and that
// an error from it is raised where the warning was issued.
func TestWarn(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, tree)
	var got []string
	in := New(Config{Path: []string{root}, Warn: func(category, message string) error {
		got = append(got, category+": "+message)
		if category == "DeprecationWarning" {
			return importlib.AttributeError("as error", "x", nil)
		}
		return nil
	}})
	defer in.Close()
	if _, err := run(in, "__package__ = 'pkg'\n__spec__ = __import__('pkg.sub').sub.__spec__\nfrom . import late\n"); err != nil {
		t.Fatal(err)
	}
	want := "ImportWarning: __package__ != __spec__.parent"
	if len(got) != 1 || got[0] != want {
		t.Fatalf("warnings %q, want [%q]", got, want)
	}
	in312 := New(Config{Path: []string{root}, Version: importlib.Version{Major: 3, Minor: 12}, Warn: in.cfg.Warn})
	defer in312.Close()
	_, err := run(in312, "__package__ = 'pkg'\n__spec__ = __import__('pkg.sub').sub.__spec__\nfrom . import late\n")
	if exc := ExceptionOf(err); exc == nil || exc.Base != py.AttributeError {
		t.Fatalf("a warning turned into an error raised %v", err)
	}
}

// TestGoAPI covers Import, ImportFrom (with its sys.modules fallback) and
// ImportStar, the engine's IMPORT_FROM and IMPORT_STAR for Go callers.
func TestGoAPI(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"pk/__init__.py": "__all__ = ['A', 'sub']\nA = 1\n_hidden = 2\n",
		"pk/sub.py":      "S = 3\n",
		"flat.py":        "B = 4\n_c = 5\n",
	})
	in := New(Config{Path: []string{root}})
	defer in.Close()
	sub, err := in.Import("pk.sub")
	if err != nil {
		t.Fatal(err)
	}
	pk := in.Modules()["pk"]
	delete(pk.(*py.Module).Globals, "sub")
	got, err := in.ImportFrom(pk, "sub")
	if err != nil || got != sub {
		t.Fatalf("ImportFrom(pk, 'sub') = %v, %v; want the module from sys.modules", got, err)
	}
	pk.(*py.Module).Globals["sub"] = sub
	_, err = in.ImportFrom(pk, "nosuch")
	exc := ExceptionOf(err)
	if exc == nil || ExceptionMessage(exc) != "cannot import name 'nosuch' from 'pk' ("+filepath.Join(root, "pk", "__init__.py")+")" || exc.Dict["name"] != py.String("pk") {
		t.Fatalf("ImportFrom(pk, 'nosuch') raised %v", err)
	}
	flat, err := in.Import("flat")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mod  py.Object
		want string
	}{{pk, "A sub"}, {flat, "B"}} {
		ns := py.StringDict{}
		if err := in.ImportStar(c.mod, ns); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sortedKeys(ns), " "); got != c.want {
			t.Errorf("import * bound %q, want %q", got, c.want)
		}
	}
}
