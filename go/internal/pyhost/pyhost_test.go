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
// a map of attributes. Every operation is recorded for the golden file.
type fakePython struct {
	objs      []any
	modules   map[string]int64 // sys.modules: name -> object index (-1 = None)
	available map[string]bool  // modules a finder finds: name -> is a package
	ops       []string
}

type fakeModule struct {
	name  string
	attrs map[string]any
	init  bool
}

func newFake(available map[string]bool, loaded ...string) *fakePython {
	f := &fakePython{modules: map[string]int64{}, available: available}
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

func attributeError(f *fakePython, msg string) map[string]any {
	return map[string]any{"exc": f.ref(msg), "type": "AttributeError"}
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
		if _, ok := f.available[name]; !ok {
			return nil, nil
		}
		return f.ref(name), nil
	case OpLoadUnlocked:
		name := f.objs[a.(int64)].(string)
		id := f.newModule(name)
		f.modules[name] = id
		if strings.HasSuffix(name, "fails") {
			delete(f.modules, name)
			return map[string]any{"exc": f.ref("boom"), "type": "ValueError"}, nil
		}
		return id, nil
	case OpGetAttr:
		m := f.module(a)
		v, ok := m.attrs[b.(string)]
		if !ok {
			return attributeError(f, b.(string)), nil
		}
		if s, isStr := v.(string); isStr {
			return s, nil
		}
		return map[string]any{"ref": f.ref(v), "type": "list"}, nil
	case OpSetAttr:
		pair := b.([]any)
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
		return nil, nil
	case OpAcquire:
		return f.ref("lock " + a.(string)), nil
	case OpRelease, OpLockUnlock:
		return nil, nil
	}
	return nil, fmt.Errorf("fake: op %d", op)
}

type trace struct {
	Ops    []string `json:"ops"`
	Result []any    `json:"result"`
}

func TestImportTraces(t *testing.T) {
	available := map[string]bool{"pkg": true, "pkg.sub": false, "pkg.fails": false, "mod": false}
	pkgGlobals := map[string]any{"__package__": "pkg", "__name__": "pkg.x"}
	cases := []struct {
		name     string
		loaded   []string
		call     func(f *fakePython) ([]any, error)
		prefetch bool
	}{
		{"import_loaded_prefetched", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{"pkg": f.facts("pkg")})
		}, true},
		{"import_loaded", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false},
		{"import_first_time_submodule", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg.sub", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false},
		{"from_package_import_submodule", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, []any{"sub"}, int64(0), map[string]any{})
		}, false},
		{"relative_from", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "", GlobalsDict, pkgGlobals, []any{"sub"}, int64(1), map[string]any{})
		}, false},
		{"not_found", nil, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "nosuch", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false},
		{"module_raises", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			return Import(f.dispatch, "pkg.fails", GlobalsMissing, nil, nil, int64(0), map[string]any{})
		}, false},
		{"fromlist_item_not_str", []string{"pkg"}, func(f *fakePython) ([]any, error) {
			item := map[string]any{"ref": f.ref(3), "type": "int"}
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, []any{item}, int64(0), map[string]any{})
		}, false},
		{"level_not_an_int", nil, func(f *fakePython) ([]any, error) {
			level := map[string]any{"ref": f.ref(1.5), "type": "float"}
			return Import(f.dispatch, "pkg", GlobalsMissing, nil, nil, level, map[string]any{})
		}, false},
		{"globals_not_a_dict", nil, func(f *fakePython) ([]any, error) {
			g := map[string]any{"ref": f.ref(5), "type": "int"}
			return Import(f.dispatch, "x", GlobalsOther, g, nil, int64(1), map[string]any{})
		}, false},
		{"import_from_missing_name", []string{"mod"}, func(f *fakePython) ([]any, error) {
			return ImportFrom(f.dispatch, f.modules["mod"], "nosuch")
		}, false},
		{"import_from_table_fallback", []string{"pkg", "pkg.sub"}, func(f *fakePython) ([]any, error) {
			return ImportFrom(f.dispatch, f.modules["pkg"], "sub")
		}, false},
	}
	got := map[string]trace{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(available, c.loaded...)
			before := len(f.objs)
			result, err := c.call(f)
			if err != nil {
				t.Fatalf("unexpected Go error: %v", err)
			}
			if c.prefetch && len(f.ops) != 0 {
				t.Errorf("a prefetched lookup still called Python: %v", f.ops)
			}
			_ = before
			got[c.name] = trace{Ops: f.ops, Result: result}
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
