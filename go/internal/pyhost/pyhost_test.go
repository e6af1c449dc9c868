package pyhost

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/traces.json")

// fakePython answers the dispatcher's operations as _importer.py would, over
// a small in-memory interpreter: objects are indexes into objs, a module is
// a map of attributes. Every operation is recorded for the golden file, and
// so are its effects on the import system, by name, which
// tests/conformance/test_goldens.py checks against what CPython's own
// import does in the same situation.
type fakePython struct {
	objs      []any
	modules   map[string]int64 // sys.modules: name -> object index (-1 = None)
	available map[string]bool  // modules a finder finds: name -> is a package
	ops       []string
	effects   []string
}

// fakeException is an exception a host operation raised.
type fakeException struct{ typ, msg string }

type fakeModule struct {
	name  string
	attrs map[string]any
	init  bool
}

func newFake(available map[string]bool, loaded ...string) *fakePython {
	f := &fakePython{modules: map[string]int64{}, available: available, effects: []string{}}
	for _, name := range loaded {
		f.modules[name] = f.newModule(name)
	}
	return f
}

func (f *fakePython) ref(v any) int64 {
	f.objs = append(f.objs, v)
	return int64(len(f.objs) - 1)
}

func (f *fakePython) newModule(name string) int64 {
	m := &fakeModule{name: name, attrs: map[string]any{"__name__": name}}
	if f.available[name] {
		m.attrs["__path__"] = []string{}
	}
	return f.ref(m)
}

func (f *fakePython) module(ref any) *fakeModule {
	id, _ := ref.(int64)
	m, _ := f.objs[id].(*fakeModule)
	return m
}

func (f *fakePython) facts(name string) any {
	id, ok := f.modules[name]
	switch {
	case !ok:
		return nil
	case id < 0:
		return []any{int64(0), int64(FlagNone), nil}
	}
	m := f.objs[id].(*fakeModule)
	var flags int64
	if m.init {
		flags |= FlagInitializing
	}
	var path any
	if p, ok := m.attrs["__path__"]; ok {
		flags |= FlagHasPath
		path = f.ref(p)
	}
	return []any{id, flags, path}
}

func raise(f *fakePython, typ, msg string) map[string]any {
	return map[string]any{"exc": f.ref(fakeException{typ, msg}), "type": typ}
}

func (f *fakePython) dispatch(op int, a, b any) (any, error) {
	f.ops = append(f.ops, fmt.Sprintf("%d %v %v", op, a, b))
	switch op {
	case OpGetModules:
		var out []any
		for _, n := range a.([]string) {
			out = append(out, f.facts(n))
		}
		return out, nil
	case OpFindSpec:
		name := a.(string)
		f.effects = append(f.effects, "find_spec "+name)
		if _, ok := f.available[name]; !ok {
			return nil, nil
		}
		return f.ref(name), nil
	case OpLoadUnlocked:
		name := f.objs[a.(int64)].(string)
		f.effects = append(f.effects, "load "+name)
		id := f.newModule(name)
		f.modules[name] = id
		if strings.HasSuffix(name, "fails") {
			delete(f.modules, name)
			return raise(f, "ValueError", "boom"), nil
		}
		return id, nil
	case OpGetAttr:
		m := f.module(a)
		v, ok := m.attrs[b.(string)]
		if !ok {
			return raise(f, "AttributeError", b.(string)), nil
		}
		if s, isStr := v.(string); isStr {
			return s, nil
		}
		return map[string]any{"ref": f.ref(v), "type": "list"}, nil
	case OpSetAttr:
		pair := b.([]any)
		f.effects = append(f.effects, "setattr "+f.module(a).name+" "+pair[0].(string))
		f.module(a).attrs[pair[0].(string)] = f.objs[pair[1].(int64)]
		return nil, nil
	case OpHasAttrs:
		m := f.module(a)
		var out []any
		for _, n := range b.([]string) {
			_, ok := m.attrs[n]
			out = append(out, ok)
		}
		return out, nil
	case OpModuleInfo:
		m := f.module(a)
		return []any{m.name, "/src/" + m.name + ".py", m.init}, nil
	case OpWarn:
		f.effects = append(f.effects, fmt.Sprintf("warn %v %v", a, b))
		return nil, nil
	case OpAcquire:
		f.effects = append(f.effects, "acquire "+a.(string))
		return f.ref("lock " + a.(string)), nil
	case OpRelease:
		f.effects = append(f.effects, "release "+strings.TrimPrefix(f.objs[a.(int64)].(string), "lock "))
		return nil, nil
	case OpLockUnlock:
		f.effects = append(f.effects, "lock_unlock "+a.(string))
		return nil, nil
	}
	return nil, fmt.Errorf("fake: op %d", op)
}

// trace is one case of the golden file. Ops is the wire protocol as the
// engine drives it (its cost, and what _importer.py must answer); Effects
// and Outcome are what the import does, in CPython's terms, and are checked
// against CPython by tests/conformance/test_goldens.py.
type trace struct {
	// Python is the same call as CPython code, run after importing Loaded.
	Python  string   `json:"python"`
	Loaded  []string `json:"loaded"`
	Ops     []string `json:"ops"`
	Result  []any    `json:"result"`
	Effects []string `json:"effects"`
	// Outcome is {"module": __name__} or {"error": [type, message]}.
	Outcome map[string]any `json:"outcome"`
}

// outcome is what a Python caller sees of result: the module returned, or
// the exception raised.
func (f *fakePython) outcome(result []any) map[string]any {
	switch result[0] {
	case ResultOK:
		if id, ok := result[1].(int64); ok {
			return map[string]any{"module": f.objs[id].(*fakeModule).name}
		}
		return map[string]any{"module": nil}
	case ResultRaise:
		exc := f.objs[result[1].(int64)].(fakeException)
		return map[string]any{"error": []any{exc.typ, exc.msg}}
	}
	return map[string]any{"error": []any{result[1], result[2]}}
}

func TestImportTraces(t *testing.T) {
	available := map[string]bool{"pkg": true, "pkg.sub": false, "pkg.fails": false, "mod": false}
	pkgGlobals := map[string]any{"__package__": "pkg", "__name__": "pkg.x"}
	cases := []struct {
		name     string
		loaded   []string
		call     func(f *fakePython) ([]any, error)
		prefetch bool
		python   string // the call in Python, for the cross-check with CPython
	}{
		{"import_loaded_prefetched", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{"pkg": f.facts("pkg")})
		}, true, `__import__('pkg')`},
		{"import_loaded", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false, `__import__('pkg')`},
		{"import_first_time_submodule", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg.sub", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false, `__import__('pkg.sub')`},
		{"from_package_import_submodule", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, []any{"sub"}, int64(0), map[string]any{})
		}, false, `__import__('pkg', None, None, ['sub'], 0)`},
		{"relative_from", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "", GlobalsDict, pkgGlobals, []any{"sub"}, int64(1), map[string]any{})
		}, false, `__import__('', {'__package__': 'pkg', '__name__': 'pkg.x'}, None, ['sub'], 1)`},
		{"not_found", nil, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "nosuch", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false, `__import__('nosuch')`},
		{"module_raises", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg.fails", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false, `__import__('pkg.fails')`},
		{"fromlist_item_not_str", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			item := map[string]any{"ref": f.ref(3), "type": "int"}
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, []any{item}, int64(0), map[string]any{})
		}, false, `__import__('pkg', None, None, [3], 0)`},
		{"level_not_an_int", nil, func(f *fakePython) ([]any, error) {
			level := map[string]any{"ref": f.ref(1.5), "type": "float"}
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, level, map[string]any{})
		}, false, `__import__('pkg', level=1.5)`},
		{"globals_not_a_dict", nil, func(f *fakePython) ([]any, error) {
			g := map[string]any{"ref": f.ref(5), "type": "int"}
			return Import(f.dispatch, "x", GlobalsOther, g, nil, int64(1), map[string]any{})
		}, false, `__import__('x', 5, None, None, 1)`},
		{"import_from_missing_name", []string{"mod"}, func(f *fakePython) ([]any, error) {
			return ImportFrom(f.dispatch, f.modules["mod"], "nosuch")
		}, false, `from mod import nosuch`},
		{"import_from_table_fallback", []string{"pkg", "pkg.sub"}, func(f *fakePython) ([]any, error) {
			return ImportFrom(f.dispatch, f.modules["pkg"], "sub")
		}, false, `from pkg import sub`},
	}
	got := map[string]trace{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(available, c.loaded...)
			result, err := c.call(f)
			if err != nil {
				t.Fatalf("unexpected Go error: %v", err)
			}
			// Only the dispatcher adds to the object table (besides the
			// case's own setup), so no operation also means no object the
			// engine made Python create.
			if c.prefetch && len(f.ops) != 0 {
				t.Errorf("a prefetched lookup still called Python: %v", f.ops)
			}
			got[c.name] = trace{Python: c.python, Loaded: c.loaded, Ops: f.ops, Result: result, Effects: f.effects, Outcome: f.outcome(result)}
		})
	}
	golden := filepath.Join("testdata", "traces.json")
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var want map[string]trace
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	// Compare through JSON, so that Go values and decoded ones agree.
	var gotJSON map[string]trace
	data, _ = json.Marshal(got)
	_ = json.Unmarshal(data, &gotJSON)
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !reflect.DeepEqual(gotJSON[n], want[n]) {
			t.Errorf("%s:\n got  %+v\n want %+v", n, gotJSON[n], want[n])
		}
	}
	if len(gotJSON) != len(want) {
		t.Errorf("%d traces, golden file has %d", len(gotJSON), len(want))
	}
}

// TestDispatcherFailure checks that an error of the dispatcher itself (the
// bridge's error for a callback that raised outside its protocol) ends the
// call with that error rather than a guess.
func TestDispatcherFailure(t *testing.T) {
	broken := func(op int, a, b any) (any, error) { return nil, fmt.Errorf("callback raised") }
	if _, err := Import(broken, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{}); err == nil {
		t.Fatal("Import succeeded over a failing dispatcher")
	}
	malformed := func(op int, a, b any) (any, error) { return "not a list", nil }
	_, err := Import(malformed, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{})
	if err == nil || !strings.Contains(err.Error(), "malformed reply") {
		t.Fatalf("malformed reply: got %v", err)
	}
}

// TestSetPythonVersion checks that the engine reproduces the version
// _importer.py sets: the __package__ != __spec__.parent warning is a
// DeprecationWarning from 3.12 on, and an unknown version is refused.
func TestSetPythonVersion(t *testing.T) {
	defer func() {
		if err := SetPythonVersion(3, 11); err != nil {
			t.Fatal(err)
		}
	}()
	if err := SetPythonVersion(3, 8); err == nil || !strings.Contains(err.Error(), "3.8") {
		t.Errorf("SetPythonVersion(3, 8) = %v, want an error naming 3.8", err)
	}
	available := map[string]bool{"pkg": true, "pkg.sub": false}
	for _, c := range []struct {
		major, minor int
		category     string
	}{{3, 9, "ImportWarning"}, {3, 11, "ImportWarning"}, {3, 12, "DeprecationWarning"}, {3, 13, "DeprecationWarning"}} {
		if err := SetPythonVersion(c.major, c.minor); err != nil {
			t.Fatal(err)
		}
		f := newFake(available, "pkg", "pkg.sub")
		spec := map[string]any{"ref": f.ref(&fakeModule{name: "spec", attrs: map[string]any{"parent": "other"}}), "type": "ModuleSpec"}
		globals := map[string]any{"__package__": "pkg", "__spec__": spec}
		if _, err := Import(f.dispatch, "sub", GlobalsDict, globals, nil, int64(1), map[string]any{}); err != nil {
			t.Fatal(err)
		}
		want := "warn " + c.category + " __package__ != __spec__.parent"
		if len(f.effects) != 1 || f.effects[0] != want {
			t.Errorf("Python %d.%d: effects %v, want [%s]", c.major, c.minor, f.effects, want)
		}
	}
}
