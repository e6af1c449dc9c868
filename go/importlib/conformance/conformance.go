// Package conformance runs gobridge's import conformance vectors
// (tests/conformance/vectors/*.json, with the per-version expectations of
// tests/conformance/version_overrides.json) through the Go host. It
// registers each vector's package tree as Go modules whose Exec functions
// interpret the vector's statement language, runs the vector's steps with
// the Go host reproducing a given CPython version, and returns the same
// observations the Python side records from that CPython.
//
// It is a test variant: nothing in the default library imports it. Tests and
// test builds of the library call Register before the registry is sealed.
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/gohost"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
	"github.com/gobridge/gobridge/registry"
)

// Root stands for the directory the Python side writes a tree to; module
// files and messages use it in place of the real path.
const Root = "<root>"

// Vector is one conformance case.
type Vector struct {
	// Family is the file the vector came from, without ".json".
	Family string `json:"-"`
	// Index is the vector's position among all loaded vectors; it names
	// the vector's modules in the registry.
	Index   int                   `json:"-"`
	ID      string                `json:"id"`
	Doc     string                `json:"doc"`
	Tree    map[string]TreeModule `json:"tree"`
	Steps   []Stmt                `json:"steps"`
	Globals map[string]any        `json:"globals"`
	Roots   []string              `json:"roots"`
	// Expect is what CPython records for the vector: the base version's
	// observations, from the vector file.
	Expect any `json:"expect"`
	// Expects holds the observations of every recorded version, the base
	// version's included (see Load).
	Expects map[importlib.Version]any `json:"-"`
}

// Overrides is the content of version_overrides.json: the expectations that
// differ from the vector files' (recorded with Base), per version, keyed by
// "family/id".
type Overrides struct {
	Base     string                    `json:"base"`
	Versions map[string]map[string]any `json:"versions"`
}

// Versions returns the CPython versions the vectors carry expectations
// for, oldest first.
func Versions(vectors []*Vector) []importlib.Version {
	seen := map[importlib.Version]bool{}
	for _, v := range vectors {
		for version := range v.Expects {
			seen[version] = true
		}
	}
	var out []importlib.Version
	for version := range seen {
		out = append(out, version)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Major < b.Major || (a.Major == b.Major && a.Minor < b.Minor)
	})
	return out
}

// TreeModule is a module of a vector's tree.
type TreeModule struct {
	Pkg  bool   `json:"pkg"`
	Body []Stmt `json:"body"`
}

// Stmt is one statement of the vectors' statement language (see
// tests/conformance/vectorlib.py).
type Stmt map[string]any

// Load reads every vector file in dir, in file-name order, and the
// per-version overrides at overridesPath, filling each vector's Expects
// for every recorded version.
func Load(dir, overridesPath string) ([]*Vector, error) {
	data, err := os.ReadFile(overridesPath)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var ov Overrides
	if err := dec.Decode(&ov); err != nil {
		return nil, fmt.Errorf("%s: %w", overridesPath, err)
	}
	base, err := importlib.ParseVersion(ov.Base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", overridesPath, err)
	}
	versions := map[importlib.Version]map[string]any{}
	for name, o := range ov.Versions {
		version, err := importlib.ParseVersion(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", overridesPath, err)
		}
		versions[version] = o
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var all []*Vector
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		family := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, r := range raw {
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.UseNumber()
			var v Vector
			if err := dec.Decode(&v); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			v.Family, v.Index = family, len(all)
			v.Globals = fixNumbers(v.Globals).(map[string]any)
			v.Expect = fixNumbers(v.Expect)
			v.Expects = map[importlib.Version]any{base: v.Expect}
			for version, o := range versions {
				v.Expects[version] = v.Expect
				if e, ok := o[family+"/"+v.ID]; ok {
					v.Expects[version] = fixNumbers(e)
				}
			}
			for i, s := range v.Steps {
				v.Steps[i] = Stmt(fixNumbers(map[string]any(s)).(map[string]any))
			}
			for name, m := range v.Tree {
				for i, s := range m.Body {
					m.Body[i] = Stmt(fixNumbers(map[string]any(s)).(map[string]any))
				}
				v.Tree[name] = m
			}
			all = append(all, &v)
		}
	}
	return all, nil
}

// fixNumbers turns json.Numbers into int or float64, as Python would have
// them, so that type names in messages ("not int") come out right.
func fixNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.Atoi(string(x)); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		if x == nil {
			return map[string]any{}
		}
		for k, e := range x {
			x[k] = fixNumbers(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = fixNumbers(e)
		}
		return x
	}
	return v
}

// registryName is where a vector's module lives in the registry: every
// vector has its own namespace, so trees that reuse names do not clash.
func registryName(prefix string, v *Vector, name string) string {
	return fmt.Sprintf("%sv%d.%s", prefix, v.Index, name)
}

// Register adds every module of every vector's tree to the registry under
// prefix (which must end in "." or be empty). Call it before the registry is
// sealed.
func Register(prefix string, vectors []*Vector) {
	for _, v := range vectors {
		for name, m := range v.Tree {
			body := m.Body
			py.Register(registryName(prefix, v, name), py.ModuleDef{
				Package: m.Pkg,
				Exec: func(mod *py.Module) error {
					h, ok := mod.Host().(*gohost.Host)
					if !ok {
						return fmt.Errorf("conformance: module %s needs the Go host, got %T", mod.Name(), mod.Host())
					}
					r := &runner{h: h, interp: h.Interp()}
					for _, s := range body {
						if err := r.exec(mod, s, nil); err != nil {
							return err
						}
					}
					return nil
				},
			})
		}
	}
}

// File is the __file__ the Python side's tree gives a module.
func File(name string, isPkg bool) string {
	parts := strings.Split(name, ".")
	if isPkg {
		return Root + "/" + strings.Join(parts, "/") + "/__init__.py"
	}
	return Root + "/" + strings.Join(parts, "/") + ".py"
}

// Run executes v's steps in a fresh Go interpreter reproducing CPython
// version and returns the observations, shaped as the Python side records
// them.
func Run(prefix string, v *Vector, version importlib.Version) map[string]any {
	var mu sync.Mutex
	var warnings []any
	interp := gohost.New(gohost.Config{
		Version: version,
		Lookup: func(name string) (registry.Entry, bool) {
			if _, ok := v.Tree[name]; !ok {
				return registry.Entry{}, false
			}
			return registry.Lookup(registryName(prefix, v, name))
		},
		File: File,
		Warn: func(t *importlib.Thread, category, message string) error {
			mu.Lock()
			warnings = append(warnings, []any{category, message})
			mu.Unlock()
			return nil
		},
	})
	t := importlib.NewThread()
	h := interp.Host(t)
	r := &runner{h: h, interp: interp}
	ns := py.NewModule("__main__", h)
	ns.Set("__name__", "__main__")
	for k, val := range v.Globals {
		if k == "__spec__" {
			if m, ok := val.(map[string]any); ok {
				val = &Namespace{Attrs: m}
			}
		}
		ns.Set(k, val)
	}
	var steps []any
	for _, s := range v.Steps {
		for _, n := range StaticTargets(s) {
			ns.Delete(n)
		}
		mu.Lock()
		warnings = nil
		mu.Unlock()
		bound := map[string]any{}
		obs := map[string]any{}
		if err := r.exec(ns, s, bound); err != nil {
			obs["error"] = observeError(err)
		}
		if len(bound) > 0 {
			b := map[string]any{}
			for k, val := range bound {
				b[k] = observe(val)
			}
			obs["bind"] = b
		}
		mu.Lock()
		if len(warnings) > 0 {
			obs["warnings"] = warnings
		}
		mu.Unlock()
		steps = append(steps, obs)
	}
	tops := map[string]bool{}
	for name := range v.Tree {
		tops[strings.Split(name, ".")[0]] = true
	}
	for _, name := range v.Roots {
		tops[strings.Split(name, ".")[0]] = true
	}
	modules, attrs := map[string]any{}, map[string]any{}
	for _, name := range interp.Names() {
		if !tops[strings.Split(name, ".")[0]] {
			continue
		}
		val, _ := interp.Get(name)
		modules[name] = observe(val)
		if m, ok := val.(*gohost.Module); ok {
			a := map[string]any{}
			for _, n := range m.Names() {
				if strings.HasPrefix(n, "__") && strings.HasSuffix(n, "__") {
					continue
				}
				x, _ := m.Get(n)
				a[n] = observe(x)
			}
			attrs[name] = a
		}
	}
	if steps == nil {
		steps = []any{}
	}
	return map[string]any{"steps": steps, "modules": modules, "attrs": attrs}
}

// Namespace is a types.SimpleNamespace, for a __spec__ placed in globals.
type Namespace struct{ Attrs map[string]any }

// PythonType names the type in messages.
func (n *Namespace) PythonType() string { return "types.SimpleNamespace" }

// Attr returns an attribute.
func (n *Namespace) Attr(name string) (any, bool) {
	v, ok := n.Attrs[name]
	return v, ok
}

// StaticTargets are the names a statement binds, which a step deletes
// from its namespace first (vectorlib.static_targets), so that every name
// it binds is observed as bound.
func StaticTargets(s Stmt) []string {
	switch s["op"] {
	case "import":
		if as, _ := s["as"].(string); as != "" {
			return []string{as}
		}
		return []string{strings.Split(s["module"].(string), ".")[0]}
	case "from":
		var out []string
		for _, p := range s["names"].([]any) {
			pair := p.([]any)
			n := pair[0].(string)
			if n == "*" {
				continue
			}
			if as, _ := pair[1].(string); as != "" {
				n = as
			}
			out = append(out, n)
		}
		return out
	case "call", "gcd":
		return []string{s["bind"].(string)}
	}
	return nil
}

func observe(v any) any {
	switch x := v.(type) {
	case *gohost.Module:
		n, _ := x.Get("__name__")
		return map[string]any{"module": n}
	case nil, bool, int, float64, string:
		return map[string]any{"value": x}
	case []any:
		for _, e := range x {
			switch e.(type) {
			case nil, bool, int, float64, string:
			default:
				return map[string]any{"type": importlib.TypeName(v)}
			}
		}
		return map[string]any{"value": x}
	}
	return map[string]any{"type": importlib.TypeName(v)}
}

func observeError(err error) map[string]any {
	typ := pyerr.PythonException(err)
	out := map[string]any{"type": typ, "msg": err.Error()}
	if typ == "ImportError" || typ == "ModuleNotFoundError" {
		attrs := pyerr.ExceptionAttrs(err)
		out["name"] = attrs["name"]
		out["path"] = attrs["path"]
	}
	return out
}

// runner interprets statements for one thread of one interpreter.
type runner struct {
	h      *gohost.Host
	interp *gohost.Interp
}

func (r *runner) bind(ns *py.Module, bound map[string]any, name string, v any) {
	ns.Set(name, v)
	if bound != nil {
		bound[name] = v
	}
}

// exec runs one statement with ns as its namespace; bound, if not nil,
// collects the names it binds.
func (r *runner) exec(ns *py.Module, s Stmt, bound map[string]any) error {
	t := r.h.Thread()
	im := r.interp.Importer()
	switch s["op"] {
	case "set":
		r.bind(ns, bound, s["name"].(string), s["value"])
	case "del":
		ns.Delete(s["name"].(string))
	case "import":
		mod := s["module"].(string)
		v, err := r.h.ImportName(ns, mod, nil, 0)
		if err != nil {
			return err
		}
		as, _ := s["as"].(string)
		if as == "" {
			r.bind(ns, bound, strings.Split(mod, ".")[0], v)
			return nil
		}
		// "import a.b.c as d" is IMPORT_NAME then IMPORT_FROM b, c.
		for _, part := range strings.Split(mod, ".")[1:] {
			if v, err = r.h.ImportFrom(v, part); err != nil {
				return err
			}
		}
		r.bind(ns, bound, as, v)
	case "from":
		mod, _ := s["module"].(string)
		level, _ := s["level"].(int)
		var names, fromlist []string
		var as []string
		for _, p := range s["names"].([]any) {
			pair := p.([]any)
			names = append(names, pair[0].(string))
			a, _ := pair[1].(string)
			as = append(as, a)
			fromlist = append(fromlist, pair[0].(string))
		}
		v, err := r.h.ImportName(ns, mod, fromlist, level)
		if err != nil {
			return err
		}
		if len(names) == 1 && names[0] == "*" {
			bs, err := r.h.ImportStar(v)
			for _, b := range bs {
				r.bind(ns, bound, b.Name, b.Value)
			}
			return err
		}
		for i, n := range names {
			x, err := r.h.ImportFrom(v, n)
			if err != nil {
				return err
			}
			target := n
			if as[i] != "" {
				target = as[i]
			}
			r.bind(ns, bound, target, x)
		}
	case "raise":
		typ, msg := s["type"].(string), s["msg"].(string)
		if strings.HasSuffix(typ, "ImportError") || typ == "ModuleNotFoundError" {
			return &pyerr.Exception{Type: typ, Msg: msg, Attrs: map[string]any{"name": s["name"], "path": nil}}
		}
		return &pyerr.Exception{Type: typ, Msg: msg}
	case "sysmod_set":
		key := s["key"].(string)
		val := s["value"]
		if m, ok := val.(map[string]any); ok {
			ref := m["module"].(string)
			x, ok := r.interp.Get(ref)
			if !ok {
				return pyerr.KeyError("%s", ref)
			}
			val = x
		}
		r.interp.Set(key, val)
	case "sysmod_del":
		key := s["key"].(string)
		if !r.interp.Delete(key) {
			return pyerr.KeyError("%s", key)
		}
	case "call":
		var g any
		given, hasGlobals := s["globals"]
		switch x := given.(type) {
		case nil:
			if !hasGlobals {
				g = importlib.NoGlobals
			}
		case string:
			if x == "here" {
				g = moduleGlobals{ns}
			} else {
				g = x
			}
		case map[string]any:
			d := importlib.Dict{}
			for k, e := range x {
				if m, ok := e.(map[string]any); ok && k == "__spec__" {
					e = &Namespace{Attrs: m}
				}
				d[k] = e
			}
			g = d
		default:
			g = x
		}
		v, err := im.ImportArgs(t, s["name"], g, s["fromlist"], s["level"])
		if err != nil {
			return err
		}
		r.bind(ns, bound, s["bind"].(string), v)
	case "gcd":
		level, _ := s["level"].(int)
		v, err := im.GcdImport(t, s["name"], s["package"], level)
		if err != nil {
			return err
		}
		r.bind(ns, bound, s["bind"].(string), v)
	default:
		return fmt.Errorf("conformance: unknown statement %v", s["op"])
	}
	return nil
}

// moduleGlobals is globals() of a step namespace.
type moduleGlobals struct{ ns *py.Module }

func (g moduleGlobals) Global(key string) (any, bool) { return g.ns.Get(key) }
