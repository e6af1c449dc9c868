package importlib_test

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/gohost"
	"github.com/gobridge/gobridge/py"
)

var update = flag.Bool("update", false, "rewrite testdata/hostops.json")

func init() {
	py.Register("importlibtest", py.ModuleDef{Package: true, Exec: func(m *py.Module) error { return nil }})
	py.Register("importlibtest.ops", py.ModuleDef{Package: true, Exec: func(m *py.Module) error {
		m.Set("VERSION", 1)
		return nil
	}})
	py.Register("importlibtest.ops.sub", py.ModuleDef{Package: true, Exec: func(m *py.Module) error { return nil }})
	py.Register("importlibtest.ops.sub.leaf", py.ModuleDef{Exec: func(m *py.Module) error {
		m.Set("x", 1)
		return nil
	}})
	py.Register("importlibtest.ops.mod", py.ModuleDef{Exec: func(m *py.Module) error { return nil }})
}

// counting wraps a Host and counts its operations by name.
type counting struct {
	importlib.Host
	mu sync.Mutex
	n  map[string]int
}

func (c *counting) count(op string) {
	c.mu.Lock()
	c.n[op]++
	c.mu.Unlock()
}

func (c *counting) GetModules(names []string, out []importlib.Cached) error {
	c.count("GetModules")
	return c.Host.GetModules(names, out)
}

func (c *counting) FindSpec(t *importlib.Thread, name string, path any) (any, error) {
	c.count("FindSpec")
	return c.Host.FindSpec(t, name, path)
}

func (c *counting) LoadUnlocked(t *importlib.Thread, spec any) (any, error) {
	c.count("LoadUnlocked")
	return c.Host.LoadUnlocked(t, spec)
}

func (c *counting) GetAttr(obj any, name string) (any, error) {
	c.count("GetAttr")
	return c.Host.GetAttr(obj, name)
}

func (c *counting) SetAttr(obj any, name string, value any) error {
	c.count("SetAttr")
	return c.Host.SetAttr(obj, name, value)
}

func (c *counting) HasAttrs(obj any, names []string, out []bool) error {
	c.count("HasAttrs")
	return c.Host.HasAttrs(obj, names, out)
}

func (c *counting) ModuleInfo(obj any) (importlib.ModuleInfo, error) {
	c.count("ModuleInfo")
	return c.Host.ModuleInfo(obj)
}

func (c *counting) Items(seq any) ([]any, error) {
	c.count("Items")
	return c.Host.Items(seq)
}

func (c *counting) Warn(t *importlib.Thread, category, message string) error {
	c.count("Warn")
	return c.Host.Warn(t, category, message)
}

// TestHostOperations records how many host operations each common path
// costs once the modules are imported; the CPython host pays a
// cross-runtime call for each. docs/importlib.md quotes the golden file,
// and tests/conformance/test_goldens.py checks it against CPython: each
// statement (the path's name) must take CPython's fast path with one
// lookup, call _handle_fromlist once per HasAttrs and compile to one
// IMPORT_FROM per GetAttr.
func TestHostOperations(t *testing.T) {
	in := gohost.New(gohost.Config{})
	for _, n := range []string{"importlibtest.ops.sub.leaf", "importlibtest.ops.mod"} {
		if _, err := in.Import(n); err != nil {
			t.Fatal(err)
		}
	}
	pkg := importlib.Dict{"__name__": "importlibtest.ops.mod", "__package__": "importlibtest.ops"}
	type path struct {
		name string
		run  func(im *importlib.Importer, th *importlib.Thread) error
	}
	paths := []path{
		{"import importlibtest", func(im *importlib.Importer, th *importlib.Thread) error {
			_, err := im.Import(th, "importlibtest", nil, nil, 0)
			return err
		}},
		{"import importlibtest.ops.sub.leaf", func(im *importlib.Importer, th *importlib.Thread) error {
			_, err := im.Import(th, "importlibtest.ops.sub.leaf", nil, nil, 0)
			return err
		}},
		{"from importlibtest.ops import VERSION", func(im *importlib.Importer, th *importlib.Thread) error {
			m, err := im.Import(th, "importlibtest.ops", nil, []string{"VERSION"}, 0)
			if err == nil {
				_, err = im.ImportFrom(th, m, "VERSION")
			}
			return err
		}},
		{"from importlibtest.ops import sub, mod", func(im *importlib.Importer, th *importlib.Thread) error {
			m, err := im.Import(th, "importlibtest.ops", nil, []string{"sub", "mod"}, 0)
			for _, n := range []string{"sub", "mod"} {
				if err == nil {
					_, err = im.ImportFrom(th, m, n)
				}
			}
			return err
		}},
		{"from importlibtest.ops.sub.leaf import x", func(im *importlib.Importer, th *importlib.Thread) error {
			m, err := im.Import(th, "importlibtest.ops.sub.leaf", nil, []string{"x"}, 0)
			if err == nil {
				_, err = im.ImportFrom(th, m, "x")
			}
			return err
		}},
		{"from . import sub (in importlibtest.ops.mod)", func(im *importlib.Importer, th *importlib.Thread) error {
			m, err := im.Import(th, "", pkg, []string{"sub"}, 1)
			if err == nil {
				_, err = im.ImportFrom(th, m, "sub")
			}
			return err
		}},
		{"import importlibtest.ops.sub.leaf as leaf", func(im *importlib.Importer, th *importlib.Thread) error {
			m, err := im.Import(th, "importlibtest.ops.sub.leaf", nil, nil, 0)
			for _, n := range []string{"ops", "sub", "leaf"} {
				if err == nil {
					m, err = im.ImportFrom(th, m, n)
				}
			}
			return err
		}},
	}
	got := map[string]map[string]int{}
	for _, p := range paths {
		c := &counting{Host: in.Ops(), n: map[string]int{}}
		if err := p.run(importlib.New(c, importlib.Config{}), importlib.NewThread()); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		got[p.name] = c.n
	}
	const golden = "testdata/hostops.json"
	if *update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]int
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("host operations changed:\ngot  %v\nwant %v\n(run with -update if intended, and update docs/importlib.md)", got, want)
	}
}
