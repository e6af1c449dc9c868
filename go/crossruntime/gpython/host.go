// Package gpython is a host of gobridge's import engine (package
// importlib) for go-python/gpython, a Python interpreter written in Go.
//
// gpython's own import (py.ImportModuleLevelObject) has no relative
// imports, no fromlist handling and binds the wrong module for "import
// a.b". An Interp replaces it: it keeps a sys.modules dict in the
// interpreter's sys module, finds source modules and packages on sys.path
// (and, for submodules, on the parent's __path__), executes them with
// gpython's compiler and VM, sets __name__, __package__, __spec__, __path__
// and __file__ as CPython does, and installs the engine's __import__ as
// builtins.__import__, which gpython's VM calls for IMPORT_NAME.
//
// gpython's VM runs IMPORT_FROM (a getattr) and IMPORT_STAR itself and
// offers no hook for either, so those two opcodes keep gpython's
// semantics. ImportFrom and ImportStar are the engine's versions for Go
// callers (the conformance runner calls them from builtins of its own to
// tell which vectors depend on those opcodes).
package gpython

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/go-python/gpython/py"
	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/pyerr"

	// The interpreter's standard library, and py.NewContext.
	_ "github.com/go-python/gpython/stdlib"
)

// ModuleNotFoundError is the exception type the engine raises for a
// missing module. gpython (Python 3.4) has none; Interp puts this subclass
// of ImportError into builtins.
var ModuleNotFoundError = py.ImportError.NewType("ModuleNotFoundError", "Module not found.", nil, nil)

func init() {
	ReadyType(ModuleNotFoundError)
	ReadyType(SpecType)
}

// ReadyType readies a type made after gpython's own initialisation, which
// gives it its MRO: without that, gpython's except clauses and
// IsException do not see ModuleNotFoundError as an ImportError. A
// subtype copies its base's flags, "ready" among them, so that flag is
// cleared first.
func ReadyType(t *py.Type) {
	t.Flags &^= py.TPFLAGS_READY
	if err := t.Ready(); err != nil {
		panic(err)
	}
}

// Config customises an Interp.
type Config struct {
	// Path is sys.path: the directories searched for top-level modules.
	Path []string
	// Version is the CPython version whose import the engine reproduces;
	// the zero value is importlib.DefaultVersion.
	Version importlib.Version
	// Warn receives the warnings the import system issues (gpython has no
	// warnings module). Returning an error raises it instead.
	Warn func(category, message string) error
	// Native leaves the interpreter as gpython makes it: its own
	// __import__, no sys.modules and no ModuleNotFoundError. The engine is
	// still there for Go callers (Import, ImportFrom), on a table that
	// gpython's import does not use.
	Native bool
}

// Interp is one gpython interpreter whose import statement runs gobridge's
// engine.
type Interp struct {
	ctx      py.Context
	cfg      Config
	modules  py.StringDict // sys.modules
	importer *importlib.Importer
	// gpython runs one frame at a time per context, so one engine thread
	// stands for the interpreter's only thread.
	thread *importlib.Thread
}

// New returns a fresh gpython interpreter with the engine as its import
// system (unless cfg.Native).
func New(cfg Config) *Interp {
	ctx := py.NewContext(py.ContextOpts{SysPaths: cfg.Path})
	in := &Interp{ctx: ctx, cfg: cfg, modules: py.NewStringDict(), thread: importlib.NewThread()}
	in.importer = importlib.New(hostOps{in}, importlib.Config{Version: cfg.Version})
	store := ctx.Store()
	// gpython's ModuleStore cannot hold None or other values and cannot
	// forget a module, so the table is a dict of its own, seeded with the
	// modules the store already holds.
	for _, name := range []string{"builtins", "sys"} {
		in.modules[name] = store.MustGetModule(name)
	}
	if cfg.Native {
		return in
	}
	store.MustGetModule("sys").Globals["modules"] = in.modules
	builtins := store.Builtins.Globals
	builtins["ModuleNotFoundError"] = ModuleNotFoundError
	builtins["__import__"] = py.MustNewMethod("__import__", in.builtinImport, 0, importDoc)
	return in
}

const importDoc = `__import__(name, globals=None, locals=None, fromlist=(), level=0) -> module

Import a module through gobridge's import engine.`

// Context returns the gpython context.
func (in *Interp) Context() py.Context { return in.ctx }

// Importer returns the engine working on the interpreter's sys.modules.
func (in *Interp) Importer() *importlib.Importer { return in.importer }

// Thread returns the engine thread the interpreter's code imports on.
func (in *Interp) Thread() *importlib.Thread { return in.thread }

// Modules returns sys.modules.
func (in *Interp) Modules() py.StringDict { return in.modules }

// Close releases the gpython context.
func (in *Interp) Close() error { return in.ctx.Close() }

// Import is importlib.import_module(name): it returns the module itself.
func (in *Interp) Import(name string) (py.Object, error) {
	v, err := in.importer.GcdImport(in.thread, name, nil, 0)
	if err != nil {
		return nil, ToPython(err)
	}
	return toPy(v), nil
}

// ImportFrom is IMPORT_FROM as CPython runs it (getattr, then
// sys.modules["pkg.name"], then ImportError with name and path).
func (in *Interp) ImportFrom(module py.Object, name string) (py.Object, error) {
	v, err := in.importer.ImportFrom(in.thread, toEngine(module), name)
	if err != nil {
		return nil, ToPython(err)
	}
	return toPy(v), nil
}

// ImportStar is IMPORT_STAR as CPython runs it: it binds the module's
// public names (or __all__) in ns.
func (in *Interp) ImportStar(module py.Object, ns py.StringDict) error {
	bs, err := in.importer.ImportStar(toEngine(module))
	for _, b := range bs {
		ns[b.Name] = toPy(b.Value)
	}
	if err != nil {
		return ToPython(err)
	}
	return nil
}

// builtinImport is builtins.__import__(name, globals=<none>, locals=None,
// fromlist=(), level=0). A globals argument that was not given is C's
// NULL, which a relative import reports as a missing __name__.
func (in *Interp) builtinImport(self py.Object, args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	params := []string{"name", "globals", "locals", "fromlist", "level"}
	vals := make([]py.Object, len(params))
	if len(args) > len(params) {
		return nil, py.ExceptionNewf(py.TypeError, "__import__() takes at most 5 arguments (%d given)", len(args))
	}
	copy(vals, args)
	for k, v := range kwargs {
		i := 0
		for i < len(params) && params[i] != k {
			i++
		}
		if i == len(params) {
			return nil, py.ExceptionNewf(py.TypeError, "__import__() got an unexpected keyword argument '%s'", k)
		}
		if vals[i] != nil {
			return nil, py.ExceptionNewf(py.TypeError, "argument for __import__() given by name ('%s') and position (%d)", k, i+1)
		}
		vals[i] = v
	}
	if vals[0] == nil {
		return nil, py.ExceptionNewf(py.TypeError, "__import__() missing required argument 'name' (pos 1)")
	}
	var globals any = importlib.NoGlobals
	switch g := vals[1].(type) {
	case nil:
	case py.StringDict:
		globals = dictGlobals(g)
	default:
		globals = toEngine(g)
	}
	var fromlist any
	if vals[3] != nil {
		fromlist = fromlistValue(vals[3])
	}
	var level any
	if vals[4] != nil {
		level = toEngine(vals[4])
	}
	v, err := in.importer.ImportArgs(in.thread, toEngine(vals[0]), globals, fromlist, level)
	if err != nil {
		return nil, ToPython(err)
	}
	return toPy(v), nil
}

// fromlistValue hands the engine a tuple or list of names as a []any it
// can read without asking back; other values stay Python objects.
func fromlistValue(o py.Object) any {
	var items []py.Object
	switch x := o.(type) {
	case py.Tuple:
		items = x
	case *py.List:
		items = x.Items
	default:
		return toEngine(o)
	}
	out := make([]any, len(items))
	for i, item := range items {
		out[i] = toEngine(item)
	}
	return out
}

// dictGlobals is a module's globals as the engine reads them.
type dictGlobals py.StringDict

func (g dictGlobals) Global(key string) (any, bool) {
	v, ok := g[key]
	if !ok {
		return nil, false
	}
	return toEngine(v), true
}

// Value is a Python object the engine carries without looking inside.
type Value struct{ O py.Object }

// PythonType is the object's type name as CPython spells it.
func (v Value) PythonType() string { return typeName(v.O) }

// typeName is type(o).__name__, with gpython's spelling of the types the
// engine names in messages mapped to CPython's.
func typeName(o py.Object) string {
	if o == nil || o == py.None {
		return "NoneType"
	}
	return o.Type().Name
}

// toEngine converts a gpython value to the engine's: str, int, float,
// bool and None become Go values (messages test them), anything else,
// modules included, is a Value, which names its Python type.
func toEngine(o py.Object) any {
	switch x := o.(type) {
	case nil:
		return nil
	case py.NoneType:
		return nil
	case py.String:
		return string(x)
	case py.Bool:
		return bool(x)
	case py.Int:
		return int(x)
	case *py.BigInt:
		if b := (*big.Int)(x); b.IsInt64() {
			return b.Int64()
		}
		return (*big.Int)(x)
	case py.Float:
		return float64(x)
	}
	return Value{o}
}

// toPy converts an engine value back.
func toPy(v any) py.Object {
	switch x := v.(type) {
	case nil:
		return py.None
	case py.Object:
		return x
	case Value:
		return x.O
	case string:
		return py.String(x)
	case bool:
		return py.NewBool(x)
	case int:
		return py.Int(x)
	case int64:
		return py.Int(x)
	case *big.Int:
		return (*py.BigInt)(x)
	case float64:
		return py.Float(x)
	case []any:
		l := py.NewListSized(len(x))
		for i, e := range x {
			l.Items[i] = toPy(e)
		}
		return l
	}
	panic(fmt.Sprintf("gpython: no Python value for %T", v))
}

// Spec is a module's __spec__ (importlib.machinery.ModuleSpec).
type Spec struct {
	// Name is the module's full name.
	Name string
	// Origin is the file the module was loaded from, "built-in", or ""
	// (None) for a namespace package.
	Origin string
	// Path is submodule_search_locations, nil for a module that is not a
	// package.
	Path *py.List
	// builtin is set for gpython's built-in modules.
	builtin *py.ModuleImpl
	// file is the source file to execute, "" for none.
	file         string
	initializing atomic.Bool
}

// SpecType is the Python type of a Spec.
var SpecType = py.NewType("ModuleSpec", "The specification for a module, used for loading.")

// Type is ModuleSpec.
func (s *Spec) Type() *py.Type { return SpecType }

// Parent is ModuleSpec.parent.
func (s *Spec) Parent() string {
	if s.Path != nil {
		return s.Name
	}
	for i := len(s.Name) - 1; i >= 0; i-- {
		if s.Name[i] == '.' {
			return s.Name[:i]
		}
	}
	return ""
}

// M__getattribute__ gives the ModuleSpec attributes.
func (s *Spec) M__getattribute__(key string) (py.Object, error) {
	switch key {
	case "name":
		return py.String(s.Name), nil
	case "parent":
		return py.String(s.Parent()), nil
	case "origin":
		if s.Origin == "" {
			return py.None, nil
		}
		return py.String(s.Origin), nil
	case "submodule_search_locations":
		if s.Path == nil {
			return py.None, nil
		}
		return s.Path, nil
	case "has_location":
		return py.NewBool(s.file != ""), nil
	case "loader", "cached", "loader_state":
		return py.None, nil
	case "_initializing":
		return py.NewBool(s.initializing.Load()), nil
	}
	return nil, py.ExceptionNewf(py.AttributeError, "'ModuleSpec' object has no attribute '%s'", key)
}

// M__repr__ is repr(spec).
func (s *Spec) M__repr__() (py.Object, error) {
	return py.String(fmt.Sprintf("ModuleSpec(name=%s, origin=%s)", importlib.Repr(s.Name), importlib.Repr(s.Origin))), nil
}

// findSpec is the finders' part of _find_spec: gpython's built-in modules
// for a top-level name, then the source files on the search path.
func (in *Interp) findSpec(name string, path any) (*Spec, error) {
	last := name
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			last = name[i+1:]
			break
		}
	}
	// FileFinder looks the last component up among a directory's entries,
	// so an empty one ("pk." or "pk..a") names nothing.
	if last == "" || strings.ContainsAny(last, `/\`) {
		return nil, nil
	}
	var dirs []py.Object
	if path == nil {
		if impl := py.GetModuleImpl(name); impl != nil {
			return &Spec{Name: name, Origin: "built-in", builtin: impl}, nil
		}
		sysPath, ok := in.ctx.Store().MustGetModule("sys").Globals["path"].(*py.List)
		if ok {
			dirs = sysPath.Items
		}
	} else {
		items, err := hostOps{in}.Items(path)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			dirs = append(dirs, toPy(it))
		}
	}
	// PathFinder over FileFinders: in each directory a package first, then
	// a module; a directory without __init__.py is remembered as a portion
	// of a namespace package, which wins only when nothing else does.
	var portions []py.Object
	for _, d := range dirs {
		dir, ok := d.(py.String)
		if !ok {
			continue
		}
		base := filepath.Join(string(dir), last)
		if st, err := os.Stat(base); err == nil && st.IsDir() {
			init := filepath.Join(base, "__init__.py")
			if _, err := os.Stat(init); err == nil {
				return &Spec{Name: name, Origin: init, file: init, Path: py.NewListFromItems([]py.Object{py.String(base)})}, nil
			}
			if f := base + ".py"; isFile(f) {
				return &Spec{Name: name, Origin: f, file: f}, nil
			}
			portions = append(portions, py.String(base))
			continue
		}
		if f := base + ".py"; isFile(f) {
			return &Spec{Name: name, Origin: f, file: f}, nil
		}
	}
	if len(portions) > 0 {
		return &Spec{Name: name, Path: py.NewListFromItems(portions)}, nil
	}
	return nil, nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// newModule is module_from_spec: a fresh module with _init_module_attrs'
// attributes.
func (in *Interp) newModule(s *Spec) (*py.Module, error) {
	impl := s.builtin
	if impl == nil {
		impl = &py.ModuleImpl{Info: py.ModuleInfo{Name: s.Name, FileDesc: s.file}}
	}
	m, err := in.ctx.Store().NewModule(in.ctx, impl)
	if err != nil {
		return nil, err
	}
	g := m.Globals
	g["__name__"] = py.String(s.Name)
	if s.builtin == nil {
		g["__doc__"] = py.None
	}
	g["__package__"] = py.String(s.Parent())
	g["__loader__"] = py.None
	g["__spec__"] = s
	if s.Path != nil {
		g["__path__"] = s.Path
	}
	if s.file != "" {
		g["__file__"] = py.String(s.file)
	} else {
		delete(g, "__file__")
	}
	return m, nil
}

// execModule is loader.exec_module(module).
func (in *Interp) execModule(s *Spec, m *py.Module) error {
	var code *py.Code
	switch {
	case s.builtin != nil:
		code = s.builtin.Code
		if code == nil && s.builtin.CodeSrc != "" {
			var err error
			if code, err = py.Compile(s.builtin.CodeSrc, s.builtin.Info.FileDesc, py.ExecMode, 0, true); err != nil {
				return err
			}
		}
	case s.file != "":
		src, err := os.ReadFile(s.file)
		if err != nil {
			return py.ExceptionNewf(py.OSError, "%v", err)
		}
		if code, err = py.Compile(string(src), s.file, py.ExecMode, 0, true); err != nil {
			return err
		}
	}
	if code == nil {
		return nil
	}
	_, err := in.ctx.RunCode(code, m.Globals, m.Globals, nil)
	return err
}

// ToPython converts an engine error to the gpython exception it raises:
// the engine's own *pyerr.Exception becomes an instance of the builtin
// type it names (with name and path for ImportError), and a gpython
// exception that passed through the engine is raised unchanged.
func ToPython(err error) error {
	var w *wrapped
	if errors.As(err, &w) {
		return w.orig
	}
	var exc *pyerr.Exception
	if !errors.As(err, &exc) {
		return err
	}
	typ := exceptionType(exc.Type)
	e := py.ExceptionNewf(typ, "%s", exc.Msg)
	if py.IsException(py.ImportError, typ) {
		e.Dict["name"] = toPy(exc.Attrs["name"])
		e.Dict["path"] = toPy(exc.Attrs["path"])
	}
	return e
}

func exceptionType(name string) *py.Type {
	if name == "ModuleNotFoundError" {
		return ModuleNotFoundError
	}
	if t, ok := builtinTypes[name]; ok {
		return t
	}
	return py.SystemError
}

var builtinTypes = map[string]*py.Type{
	"ImportError":        py.ImportError,
	"ValueError":         py.ValueError,
	"TypeError":          py.TypeError,
	"KeyError":           py.KeyError,
	"AttributeError":     py.AttributeError,
	"OverflowError":      py.OverflowError,
	"RuntimeError":       py.RuntimeError,
	"IndexError":         py.IndexError,
	"ImportWarning":      py.ImportWarning,
	"DeprecationWarning": py.DeprecationWarning,
}

// wrapped is a gpython exception on its way through the engine: the
// engine sees its type (a module that raises ModuleNotFoundError or
// AttributeError is treated as CPython treats it), and ToPython raises the
// original object again.
type wrapped struct {
	*pyerr.Exception
	orig error
}

func (w *wrapped) Unwrap() error { return w.Exception }

// fromPython wraps an error gpython code raised for the engine.
func fromPython(err error) error {
	if err == nil {
		return nil
	}
	exc := ExceptionOf(err)
	if exc == nil {
		return err
	}
	pe := &pyerr.Exception{Type: exc.Base.Name, Msg: ExceptionMessage(exc), Attrs: map[string]any{}}
	for _, k := range []string{"name", "path"} {
		if v, ok := exc.Dict[k]; ok {
			pe.Attrs[k] = toEngine(v)
		}
	}
	return &wrapped{Exception: pe, orig: err}
}

// ExceptionOf returns the exception object of a gpython error, or nil.
func ExceptionOf(err error) *py.Exception {
	switch e := err.(type) {
	case *py.Exception:
		return e
	case py.ExceptionInfo:
		x, _ := e.Value.(*py.Exception)
		return x
	case *py.ExceptionInfo:
		x, _ := e.Value.(*py.Exception)
		return x
	}
	return nil
}

// ExceptionMessage is e.args[0] for an exception with one str argument,
// else str(e).
func ExceptionMessage(e *py.Exception) string {
	if args, ok := e.Args.(py.Tuple); ok {
		if len(args) == 1 {
			if s, ok := args[0].(py.String); ok {
				return string(s)
			}
		}
		if len(args) == 0 {
			return ""
		}
	}
	s, err := py.StrAsString(e)
	if err != nil {
		return e.Error()
	}
	return s
}

// sortedKeys returns a dict's keys in order; gpython's dicts (Go maps)
// keep no insertion order.
func sortedKeys(d py.StringDict) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
