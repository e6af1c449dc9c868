package py

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/gobridge/gobridge/registry"
)

// ModuleDef defines a module for Register.
type ModuleDef struct {
	// Doc is the module's docstring.
	Doc string
	// Package makes the module a package, which may have submodules.
	Package bool
	// Exec fills a fresh module. It runs on every import and every reload;
	// an error or a panic fails that import only.
	Exec func(m *Module) error
}

// Register adds a module to gobridge's registry under a dotted name below
// the gomod namespace ("strings" is imported as gomod.strings). Call it from
// an init function. It panics, naming the module, on an invalid or duplicate
// name, a nil Exec, or a call after the first import.
func Register(name string, def ModuleDef) {
	if def.Exec == nil {
		panic(fmt.Sprintf("gobridge: cannot register module %q: nil module definition (ModuleDef.Exec is nil)", name))
	}
	d := def
	registry.Register(registry.Entry{Name: name, Package: def.Package, Doc: def.Doc, Factory: &d})
}

// Host is the runtime that imports a module: CPython through the bridge, or
// a Go-hosted interpreter using gobridge's import engine. Module code uses
// it to run import statements of its own.
type Host interface {
	// ImportName performs IMPORT_NAME, that is
	// __import__(name, globals, None, fromlist, level), with the given
	// module's namespace as globals.
	ImportName(from *Module, name string, fromlist []string, level int) (any, error)
	// ImportFrom performs IMPORT_FROM: it reads name from module, falling
	// back to the module table, as "from module import name" does.
	ImportFrom(module any, name string) (any, error)
}

// Module is a module being built by its Exec function. Its attributes keep
// the order in which they were first set, which is the order dir() and the
// documentation show.
type Module struct {
	name  string
	host  Host
	attrs map[string]any
	order []string
	types []reflect.Type // declared with Types
}

// NewModule returns an empty module with the given full dotted name, run by
// host (which may be nil for a module that imports nothing).
func NewModule(name string, host Host) *Module {
	return &Module{name: name, host: host, attrs: map[string]any{}}
}

// Name returns the module's full dotted name.
func (m *Module) Name() string { return m.name }

// Host returns the runtime importing the module, or nil.
func (m *Module) Host() Host { return m.host }

// Set binds name to value in the module's namespace. The value is any Go
// value gobridge can convert; functions should be added with Func.
func (m *Module) Set(name string, value any) {
	if _, ok := m.attrs[name]; !ok {
		m.order = append(m.order, name)
	}
	m.attrs[name] = value
}

// Const binds a constant or package-level value; it is Set under a name
// that says what it is for.
func (m *Module) Const(name string, value any) { m.Set(name, value) }

// Get returns the value bound to name.
func (m *Module) Get(name string) (any, bool) {
	v, ok := m.attrs[name]
	return v, ok
}

// Delete removes name from the module's namespace and reports whether it
// was there.
func (m *Module) Delete(name string) bool {
	if _, ok := m.attrs[name]; !ok {
		return false
	}
	delete(m.attrs, name)
	for i, n := range m.order {
		if n == name {
			m.order = append(m.order[:i], m.order[i+1:]...)
			break
		}
	}
	return true
}

// Names returns the module's attribute names in the order they were set.
func (m *Module) Names() []string {
	return append([]string(nil), m.order...)
}

// Func wraps a Go function and binds it under its Python name: the
// snake_case of the Go name, or the name given with Name. It panics with a
// message naming the function if the signature cannot cross to Python;
// Exec's caller turns the panic into a failed import.
func (m *Module) Func(fn any, opts ...FuncOption) *Function {
	f, err := NewFunction(fn, opts...)
	if err != nil {
		panic(err)
	}
	m.Set(f.Name, f)
	return f
}

// Exec builds a fresh module from a registry entry made by Register.
func Exec(e registry.Entry, fullName string, host Host) (*Module, error) {
	def, ok := e.Factory.(*ModuleDef)
	if !ok {
		return nil, fmt.Errorf("gobridge: module %q was not registered with py.Register", e.Name)
	}
	m := NewModule(fullName, host)
	if def.Doc != "" {
		m.Set("__doc__", def.Doc)
	}
	if err := runExec(def.Exec, m); err != nil {
		return nil, err
	}
	return m, nil
}

func runExec(exec func(*Module) error, m *Module) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = NewPanic(r, fmt.Sprintf("initialising module %s", m.name))
		}
	}()
	return exec(m)
}

// A LazyFunction is a function bound with LazyFunc: it is wrapped when
// Python first uses it, not when the module is imported.
type LazyFunction struct {
	// Name is the Python name the function is bound under.
	Name string

	wrap func() (*Function, error)
	once sync.Once
	fn   *Function
	err  error
}

// LazyFunc binds name to a function that wrap wraps (with NewFunction) the
// first time Python uses it, so that importing a module analyses none of
// its functions. wrap runs at most once; the function it returns must
// carry name. Unlike Func, a signature that cannot cross fails that first
// use rather than the import: the generator, which checked every signature
// when it wrote the module, binds functions this way.
func (m *Module) LazyFunc(name string, wrap func() (*Function, error)) {
	m.Set(name, &LazyFunction{Name: name, wrap: wrap})
}

// Function wraps the function, once, and returns it or the error that
// says why it cannot cross.
func (l *LazyFunction) Function() (*Function, error) {
	l.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				l.err = NewPanic(r, "wrapping "+l.Name)
			}
		}()
		f, err := l.wrap()
		switch {
		case err != nil:
			l.err = err
		case f == nil:
			l.err = fmt.Errorf("gobridge: the function bound as %q wrapped nothing", l.Name)
		case f.Name != l.Name:
			l.err = fmt.Errorf("gobridge: the function bound as %q is named %q", l.Name, f.Name)
		default:
			l.fn = f
		}
	})
	return l.fn, l.err
}
