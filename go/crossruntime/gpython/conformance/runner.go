// Package conformance runs gobridge's import conformance vectors
// (tests/conformance/vectors) on gpython: each vector's tree is rendered to
// .py files and its steps run as Python source in a fresh gpython
// interpreter, once with gpython's own import and once with gobridge's
// engine as builtins.__import__, and the observations are compared with
// CPython's recorded expectations. Vectors are loaded and their
// expectations read by gobridge's Go conformance package.
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/go-python/gpython/py"
	gpython "github.com/gobridge/gobridge/crossruntime/gpython"
	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/conformance"
)

// Mode selects the import system a run uses.
type Mode int

const (
	// Native is gpython's own __import__.
	Native Mode = iota
	// Engine is gobridge's engine as builtins.__import__; IMPORT_FROM and
	// IMPORT_STAR are gpython's opcodes.
	Engine
	// EngineExplicit is Engine with every from-import, "import a.b as c"
	// and "import *" rendered as calls of the engine's IMPORT_FROM and
	// IMPORT_STAR, which shows what gpython's own opcodes change.
	EngineExplicit
)

// String names the mode as the table's columns do.
func (m Mode) String() string {
	return [...]string{"native", "engine", "engine+explicit"}[m]
}

// Event is something a run did that gpython's own opcodes do differently:
// an IMPORT_FROM whose getattr failed, or an IMPORT_STAR that raised.
type Event struct {
	// Op is "IMPORT_FROM", "import-as" (the IMPORT_FROM of "import a.b as
	// c") or "IMPORT_STAR".
	Op string
	// Module and Name are the module's __name__ and the name imported.
	Module, Name string
	// InTable reports that IMPORT_FROM found the name in sys.modules.
	InTable bool
	// Error is the exception type the engine raised, "" for none.
	Error string
}

// Result is one run of one vector.
type Result struct {
	// Observed is what the run observed, in the expectations' shape.
	Observed any
	// Events lists what gpython's opcodes would do differently.
	Events []Event
}

// Run runs v's steps on a fresh gpython interpreter in the given mode,
// with the engine reproducing version.
func Run(v *conformance.Vector, mode Mode, version importlib.Version) (res *Result, err error) {
	root, err := os.MkdirTemp("", "gpython-conformance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	if err := WriteTree(v, root, mode == EngineExplicit); err != nil {
		return nil, err
	}
	r := &runner{v: v, root: root, mode: mode, res: &Result{}}
	r.in = gpython.New(gpython.Config{
		Path:    []string{root},
		Version: version,
		Native:  mode == Native,
		Warn: func(category, message string) error {
			r.warnings = append(r.warnings, []any{category, r.norm(message)})
			return nil
		},
	})
	defer r.in.Close()
	r.install()
	r.res.Observed = r.run()
	return r.res, nil
}

type runner struct {
	v        *conformance.Vector
	root     string
	mode     Mode
	in       *gpython.Interp
	res      *Result
	warnings []any
}

func (r *runner) norm(s string) string { return strings.ReplaceAll(s, r.root, conformance.Root) }

// install adds the builtins explicit rendering calls.
func (r *runner) install() {
	b := r.in.Context().Store().Builtins.Globals
	importFrom := func(op string) func(py.Object, py.Tuple) (py.Object, error) {
		return func(self py.Object, args py.Tuple) (py.Object, error) {
			if len(args) != 2 {
				return nil, py.ExceptionNewf(py.TypeError, "%s() takes 2 arguments", op)
			}
			name, ok := args[1].(py.String)
			if !ok {
				return nil, py.ExceptionNewf(py.TypeError, "%s() argument 2 must be str", op)
			}
			if _, err := py.GetAttrString(args[0], string(name)); err != nil {
				ev := Event{Op: op, Module: moduleName(args[0]), Name: string(name)}
				_, ev.InTable = r.in.Modules()[ev.Module+"."+string(name)]
				defer func() { r.res.Events = append(r.res.Events, ev) }()
				v, err := r.in.ImportFrom(args[0], string(name))
				if exc := gpython.ExceptionOf(err); exc != nil {
					ev.Error = exc.Base.Name
				}
				return v, err
			}
			return r.in.ImportFrom(args[0], string(name))
		}
	}
	b[importFromBuiltin] = py.MustNewMethod(importFromBuiltin, importFrom("IMPORT_FROM"), 0, "IMPORT_FROM")
	b[importAttrBuiltin] = py.MustNewMethod(importAttrBuiltin, importFrom("import-as"), 0, "IMPORT_FROM of import-as")
	b[importStarBuiltin] = py.MustNewMethod(importStarBuiltin, func(self py.Object, args py.Tuple) (py.Object, error) {
		if len(args) != 2 {
			return nil, py.ExceptionNewf(py.TypeError, "%s() takes 2 arguments", importStarBuiltin)
		}
		ns, ok := args[1].(py.StringDict)
		if !ok {
			return nil, py.ExceptionNewf(py.TypeError, "%s() argument 2 must be a dict", importStarBuiltin)
		}
		err := r.in.ImportStar(args[0], ns)
		if exc := gpython.ExceptionOf(err); exc != nil {
			r.res.Events = append(r.res.Events, Event{Op: "IMPORT_STAR", Module: moduleName(args[0]), Error: exc.Base.Name})
		}
		if err != nil {
			return nil, err
		}
		return py.None, nil
	}, 0, "IMPORT_STAR")
}

func moduleName(o py.Object) string {
	if n, err := py.GetAttrString(o, "__name__"); err == nil {
		if s, ok := n.(py.String); ok {
			return string(s)
		}
	}
	return "<unknown module name>"
}

// gcd is the step namespace's _gcd: importlib._bootstrap._gcd_import for
// the engine; gpython, which has no importlib, gets its own import
// function with the package as __package__.
func (r *runner) gcd(self py.Object, args py.Tuple) (py.Object, error) {
	if len(args) != 3 {
		return nil, py.ExceptionNewf(py.TypeError, "_gcd() takes 3 arguments")
	}
	level, ok := args[2].(py.Int)
	if !ok {
		return nil, py.ExceptionNewf(py.TypeError, "_gcd() argument 3 must be int")
	}
	if r.mode == Native {
		name, ok := args[0].(py.String)
		if !ok {
			return nil, py.ExceptionNewf(py.TypeError, "module name must be str")
		}
		return py.ImportModuleLevelObject(r.in.Context(), string(name), py.StringDict{"__package__": args[1]}, nil, nil, int(level))
	}
	v, err := r.in.Importer().GcdImport(r.in.Thread(), engineValue(args[0]), engineValue(args[1]), int(level))
	if err != nil {
		return nil, gpython.ToPython(err)
	}
	return pyValue(v), nil
}

func engineValue(o py.Object) any {
	switch x := o.(type) {
	case py.NoneType:
		return nil
	case py.String:
		return string(x)
	case py.Int:
		return int(x)
	}
	return gpython.Value{O: o}
}

func pyValue(v any) py.Object {
	switch x := v.(type) {
	case nil:
		return py.None
	case py.Object:
		return x
	case gpython.Value:
		return x.O
	}
	panic(fmt.Sprintf("conformance: unexpected engine value %T", v))
}

// run executes the steps in a __main__-like namespace and observes them
// as vectorlib.run_steps does.
func (r *runner) run() any {
	ns := py.StringDict{
		"__name__": py.String("__main__"),
		"_Spec":    NamespaceType,
		"_gcd":     py.MustNewMethod("_gcd", r.gcd, 0, "_gcd_import"),
	}
	for k, val := range r.v.Globals {
		if m, ok := val.(map[string]any); ok && k == "__spec__" {
			ns[k] = newNamespace(m)
			continue
		}
		ns[k] = literal(val)
	}
	steps := []any{}
	for _, s := range r.v.Steps {
		for _, t := range conformance.StaticTargets(s) {
			delete(ns, t)
		}
		before := ns.Copy()
		r.warnings = nil
		obs := map[string]any{}
		if err := r.exec(s, ns); err != nil {
			obs["error"] = r.observeError(err)
		}
		bound := map[string]any{}
		for k, val := range ns {
			if k == "__builtins__" || k == "__warningregistry__" {
				continue
			}
			if old, ok := before[k]; !ok || !same(old, val) {
				bound[k] = observe(val)
			}
		}
		if len(bound) > 0 {
			obs["bind"] = bound
		}
		if len(r.warnings) > 0 {
			obs["warnings"] = r.warnings
		}
		steps = append(steps, obs)
	}
	modules, attrs := map[string]any{}, map[string]any{}
	for name, val := range r.table() {
		modules[name] = observe(val)
		if m, ok := val.(*py.Module); ok {
			a := map[string]any{}
			for k, x := range m.Globals {
				if !(strings.HasPrefix(k, "__") && strings.HasSuffix(k, "__")) {
					a[k] = observe(x)
				}
			}
			attrs[name] = a
		}
	}
	return map[string]any{"steps": steps, "modules": modules, "attrs": attrs}
}

// table is sys.modules restricted to the vector's top-level names. gpython
// keeps its own modules in a store that cannot be listed, so the native
// run asks it for every name the vector could have imported.
func (r *runner) table() map[string]py.Object {
	tops := map[string]bool{}
	for name := range r.v.Tree {
		tops[strings.Split(name, ".")[0]] = true
	}
	for _, name := range r.v.Roots {
		tops[strings.Split(name, ".")[0]] = true
	}
	out := map[string]py.Object{}
	if r.mode != Native {
		for name, val := range r.in.Modules() {
			if tops[strings.Split(name, ".")[0]] {
				out[name] = val
			}
		}
		return out
	}
	for name := range candidates(r.v) {
		if !tops[strings.Split(name, ".")[0]] {
			continue
		}
		if m, err := r.in.Context().GetModule(name); err == nil {
			out[name] = m
		}
	}
	return out
}

// candidates are the module names a vector mentions: its tree, their
// parents, its roots.
func candidates(v *conformance.Vector) map[string]bool {
	out := map[string]bool{}
	add := func(name string) {
		parts := strings.Split(name, ".")
		for i := range parts {
			out[strings.Join(parts[:i+1], ".")] = true
		}
	}
	for name := range v.Tree {
		add(name)
	}
	for _, name := range v.Roots {
		add(name)
	}
	return out
}

// exec runs one step's source, turning a Go panic inside gpython into an
// observation rather than a crash.
func (r *runner) exec(s conformance.Stmt, ns py.StringDict) (err error) {
	src, err := Render(s, r.mode == EngineExplicit)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = &goPanic{fmt.Sprint(p)}
		}
	}()
	code, err := py.Compile(src+"\n", "<step>", py.ExecMode, 0, true)
	if err != nil {
		return err
	}
	_, err = r.in.Context().RunCode(code, ns, ns, nil)
	return err
}

type goPanic struct{ msg string }

func (p *goPanic) Error() string { return p.msg }

func (r *runner) observeError(err error) map[string]any {
	exc := gpython.ExceptionOf(err)
	if exc == nil {
		typ := "GoError"
		if _, ok := err.(*goPanic); ok {
			typ = "GoPanic"
		}
		return map[string]any{"type": typ, "msg": r.norm(err.Error())}
	}
	out := map[string]any{"type": exc.Base.Name, "msg": r.norm(gpython.ExceptionMessage(exc))}
	if py.IsException(py.ImportError, exc.Base) {
		for _, k := range []string{"name", "path"} {
			var v any
			if x, ok := exc.Dict[k]; ok {
				v = plain(x)
				if s, ok := v.(string); ok {
					v = r.norm(s)
				}
			}
			out[k] = v
		}
	}
	return out
}

// same is "is" for the objects a step may bind.
func same(a, b py.Object) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Type() != vb.Type() {
		return false
	}
	switch va.Kind() {
	case reflect.Map, reflect.Pointer, reflect.Slice, reflect.Func:
		return va.Pointer() == vb.Pointer() && (va.Kind() != reflect.Slice || va.Len() == vb.Len())
	}
	return a == b
}

// plain is a scalar's Go value, nil for anything else.
func plain(o py.Object) any {
	switch x := o.(type) {
	case py.NoneType:
		return nil
	case py.Bool:
		return bool(x)
	case py.Int:
		return int(x)
	case py.Float:
		return float64(x)
	case py.String:
		return string(x)
	}
	return nil
}

// observe is vectorlib.observe.
func observe(o py.Object) any {
	switch x := o.(type) {
	case nil:
		return map[string]any{"type": "NULL"}
	case *py.Module:
		return map[string]any{"module": plain(x.Globals["__name__"])}
	case py.NoneType, py.Bool, py.Int, py.Float, py.String:
		return map[string]any{"value": plain(x)}
	case *py.List:
		items := []any{}
		for _, e := range x.Items {
			switch e.(type) {
			case py.NoneType, py.Bool, py.Int, py.Float, py.String:
				items = append(items, plain(e))
			default:
				return map[string]any{"type": "list"}
			}
		}
		return map[string]any{"value": items}
	}
	name := o.Type().Name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return map[string]any{"type": name}
}

// literal is a JSON value of a vector's globals as a gpython object.
func literal(v any) py.Object {
	switch x := v.(type) {
	case nil:
		return py.None
	case bool:
		return py.NewBool(x)
	case int:
		return py.Int(x)
	case float64:
		return py.Float(x)
	case string:
		return py.String(x)
	case []any:
		l := py.NewListSized(len(x))
		for i, e := range x {
			l.Items[i] = literal(e)
		}
		return l
	case map[string]any:
		d := py.NewStringDict()
		for k, e := range x {
			d[k] = literal(e)
		}
		return d
	}
	panic(fmt.Sprintf("conformance: no literal for %T", v))
}

// NamespaceType is types.SimpleNamespace, which gpython lacks: the
// vectors build a __spec__ for globals with it.
var NamespaceType = py.NewTypeX("types.SimpleNamespace", "A simple attribute-based namespace.", namespaceNew, nil)

func init() { gpython.ReadyType(NamespaceType) }

type namespace struct{ dict py.StringDict }

func namespaceNew(metatype *py.Type, args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	if len(args) > 0 {
		return nil, py.ExceptionNewf(py.TypeError, "no positional arguments expected")
	}
	return &namespace{dict: kwargs.Copy()}, nil
}

func newNamespace(attrs map[string]any) *namespace {
	d := py.NewStringDict()
	for k, v := range attrs {
		d[k] = literal(v)
	}
	return &namespace{dict: d}
}

func (n *namespace) Type() *py.Type { return NamespaceType }

// GetDict makes the attributes readable and writable.
func (n *namespace) GetDict() py.StringDict { return n.dict }

// Canonical round-trips a value through JSON so that observations and
// expectations compare as the same JSON.
func Canonical(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	err = dec.Decode(&out)
	return out, err
}

// Equal reports whether an observation matches an expectation.
func Equal(got, want any) bool {
	g, err1 := Canonical(got)
	w, err2 := Canonical(want)
	return err1 == nil && err2 == nil && reflect.DeepEqual(g, w)
}
