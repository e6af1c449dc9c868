// Package gohost is the Go host of gobridge's import engine: an
// interpreter state for a Go-hosted Python runtime, with no CPython in the
// process. It mirrors CPython's _PyImport_InterpreterData: a module table
// (sys.modules), the list of modules by index, and the import function,
// and loads modules from gobridge's registry through the engine's
// per-module locks.
//
// Every import runs on behalf of an importlib.Thread, the engine's stand-in
// for a thread identity. A module's code imports through m.Host(), which is
// bound to the thread executing the module; see Interp.Host.
package gohost

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/registry"
)

// Config customises an Interp. The zero value loads modules from the
// registry and ignores warnings.
type Config struct {
	// Lookup finds the registry entry for a full module name; nil means
	// registry.Lookup. Tests use it to serve several module trees under
	// the same names from one registry.
	Lookup func(name string) (registry.Entry, bool)
	// File returns the __file__ to give a module, or "" for none. Go
	// modules are file-less like CPython's built-in modules by default,
	// which makes IMPORT_FROM report "(unknown location)".
	File func(name string, isPackage bool) string
	// Warn receives the warnings the import system issues (category is
	// "ImportWarning"). Returning an error turns the warning into that
	// error, like a warnings filter set to "error".
	Warn func(t *importlib.Thread, category, message string) error
	// Version is the CPython version whose import the interpreter
	// reproduces (messages, warning categories); the zero value is
	// importlib.DefaultVersion. New panics on one importlib.Versions does
	// not list.
	Version importlib.Version
}

// ImportFunc is the signature of the interpreter's import function,
// builtins.__import__ with the calling thread made explicit.
type ImportFunc func(t *importlib.Thread, name string, globals importlib.Globals, fromlist any, level int) (any, error)

// Interp is one interpreter's import state.
type Interp struct {
	cfg      Config
	importer *importlib.Importer

	mu         sync.RWMutex
	modules    map[string]any // sys.modules; a nil value is None
	order      []string       // insertion order of modules' keys (may hold stale names)
	byIndex    []*Module      // modules_by_index
	byNS       map[*py.Module]*Module
	importFunc ImportFunc
}

// New returns an interpreter state with an empty module table.
func New(cfg Config) *Interp {
	if cfg.Lookup == nil {
		cfg.Lookup = registry.Lookup
	}
	in := &Interp{cfg: cfg, modules: map[string]any{}, byNS: map[*py.Module]*Module{}}
	in.importer = importlib.New(hostOps{in}, importlib.Config{Version: cfg.Version})
	in.importFunc = in.importer.Import
	return in
}

// Importer returns the engine working on this interpreter's table.
func (in *Interp) Importer() *importlib.Importer { return in.importer }

// ImportFunc returns the import function that import statements in
// module code call (builtins.__import__).
func (in *Interp) ImportFunc() ImportFunc {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.importFunc
}

// SetImportFunc replaces the import function, as assigning
// builtins.__import__ does; nil restores the engine's.
func (in *Interp) SetImportFunc(f ImportFunc) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if f == nil {
		f = in.importer.Import
	}
	in.importFunc = f
}

// Import is importlib.import_module(name) for Go code: it imports an
// absolute dotted name on a fresh thread and returns the module itself
// (not the top-level package).
func (in *Interp) Import(name string) (*Module, error) {
	v, err := in.importer.GcdImport(importlib.NewThread(), name, nil, 0)
	if err != nil {
		return nil, err
	}
	m, ok := v.(*Module)
	if !ok {
		return nil, fmt.Errorf("gohost: sys.modules[%q] is a %T, not a module", name, v)
	}
	return m, nil
}

// Get returns sys.modules[name]; a nil value with ok true is None.
func (in *Interp) Get(name string) (value any, ok bool) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	v, ok := in.modules[name]
	return v, ok
}

// Set is sys.modules[name] = value; nil stores None.
func (in *Interp) Set(name string, value any) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.setLocked(name, value)
}

func (in *Interp) setLocked(name string, value any) {
	if _, ok := in.modules[name]; !ok {
		in.order = append(in.order, name)
	}
	in.modules[name] = value
}

// Delete is del sys.modules[name]; it reports whether the name was there.
func (in *Interp) Delete(name string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	_, ok := in.modules[name]
	delete(in.modules, name)
	return ok
}

// Names returns the keys of the module table, sorted.
func (in *Interp) Names() []string {
	in.mu.RLock()
	defer in.mu.RUnlock()
	names := make([]string, 0, len(in.modules))
	for n := range in.modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ModulesByIndex returns every module the interpreter created, in order of
// creation, whether or not it is still in the table.
func (in *Interp) ModulesByIndex() []*Module {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return append([]*Module(nil), in.byIndex...)
}

// Host returns the py.Host through which code running on thread t
// imports. A module's own Host (m.Host()) is the one for the thread that
// executed it; code that imports from another goroutine should use
// Host(importlib.NewThread()) (or a Thread it keeps for that goroutine).
func (in *Interp) Host(t *importlib.Thread) *Host { return &Host{in: in, t: t} }

// Spec is a module's __spec__: what ModuleSpec records, plus the registry
// entry it was found in.
type Spec struct {
	// Name is the module's full name.
	Name string
	// Origin is where the module came from: its __file__ if it has one,
	// else "gomod:" and the Go package that registered it.
	Origin string
	// SubmoduleSearchLocations is the package's __path__, nil for a
	// non-package.
	SubmoduleSearchLocations []any
	// Entry is the registry entry the module is executed from.
	Entry registry.Entry

	file         string
	initializing atomic.Bool
}

// Parent is ModuleSpec.parent: the package's own name for a package, else
// the name up to the last dot.
func (s *Spec) Parent() string {
	if s.SubmoduleSearchLocations != nil {
		return s.Name
	}
	for i := len(s.Name) - 1; i >= 0; i-- {
		if s.Name[i] == '.' {
			return s.Name[:i]
		}
	}
	return ""
}

// Initializing is __spec__._initializing.
func (s *Spec) Initializing() bool { return s.initializing.Load() }

// PythonType names the type in messages.
func (s *Spec) PythonType() string { return "ModuleSpec" }

// Module is a module object of the Go host: a py.Module namespace with a
// lock for the host's own reads and writes of it.
type Module struct {
	mu    sync.Mutex
	ns    *py.Module
	spec  *Spec
	index int
}

// Name returns the module's __name__ as created.
func (m *Module) Name() string { return m.ns.Name() }

// Spec returns the module's spec.
func (m *Module) Spec() *Spec { return m.spec }

// Index returns the module's position in the interpreter's
// modules-by-index list.
func (m *Module) Index() int { return m.index }

// Namespace returns the module's namespace. Module code writes to it
// without the module's lock; read it only when the module is initialised.
func (m *Module) Namespace() *py.Module { return m.ns }

// Get returns the attribute name.
func (m *Module) Get(name string) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ns.Get(name)
}

// Set binds an attribute.
func (m *Module) Set(name string, value any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ns.Set(name, value)
}

// Names returns the attribute names in order.
func (m *Module) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ns.Names()
}

// PythonType names the type in messages.
func (m *Module) PythonType() string { return "module" }

// Global makes a module's namespace the globals of its imports.
func (m *Module) Global(key string) (any, bool) { return m.Get(key) }

// String is repr(module) in the style of a built-in module.
func (m *Module) String() string { return fmt.Sprintf("<module %s (gomod)>", importlib.Repr(m.Name())) }

// Host is the py.Host of one thread of one interpreter.
type Host struct {
	in *Interp
	t  *importlib.Thread
}

// Thread returns the thread this host imports on.
func (h *Host) Thread() *importlib.Thread { return h.t }

// Interp returns the interpreter.
func (h *Host) Interp() *Interp { return h.in }

// ImportName runs IMPORT_NAME through the interpreter's import function,
// with from's namespace as globals.
func (h *Host) ImportName(from *py.Module, name string, fromlist []string, level int) (any, error) {
	var g importlib.Globals
	if from != nil {
		g = h.in.globalsOf(from)
	}
	var fl any
	if len(fromlist) > 0 {
		fl = fromlist
	}
	return h.in.ImportFunc()(h.t, name, g, fl, level)
}

// ImportFrom runs IMPORT_FROM.
func (h *Host) ImportFrom(module any, name string) (any, error) {
	return h.in.importer.ImportFrom(h.t, module, name)
}

// ImportStar runs IMPORT_STAR and returns the bindings to make.
func (h *Host) ImportStar(module any) ([]importlib.Binding, error) {
	return h.in.importer.ImportStar(module)
}

// globalsOf finds the host module whose namespace is ns, so that reads of
// its globals take the module's lock; a namespace the host did not create
// is read directly.
func (in *Interp) globalsOf(ns *py.Module) importlib.Globals {
	in.mu.RLock()
	m := in.byNS[ns]
	in.mu.RUnlock()
	if m != nil {
		return m
	}
	return nsGlobals{ns}
}

type nsGlobals struct{ ns *py.Module }

func (g nsGlobals) Global(key string) (any, bool) { return g.ns.Get(key) }

// Ops returns the host operations the interpreter's importer runs on, for
// embedders that wrap them (to count or trace them) in an Importer of
// their own over the same module table.
func (in *Interp) Ops() importlib.Host { return hostOps{in} }
