package importlib

import "github.com/gobridge/gobridge/pyerr"

// Loader is the set of primitives LoadUnlocked needs. A host that executes
// its modules itself (the Go host) implements it and calls LoadUnlocked
// from its Host.LoadUnlocked; CPython's host calls
// importlib._bootstrap._load_unlocked instead.
type Loader interface {
	// SpecName is spec.name.
	SpecName(spec any) string
	// ModuleFromSpec is module_from_spec(spec) followed by
	// spec._initializing = True: a fresh module with its import-related
	// attributes set, not yet in the table.
	ModuleFromSpec(t *Thread, spec any) (any, error)
	// SetInitializing sets spec._initializing.
	SetInitializing(spec any, on bool)
	// SetModule is sys.modules[name] = value.
	SetModule(name string, value any)
	// DeleteModule is del sys.modules[name]; a missing name is ignored.
	DeleteModule(name string)
	// PopModule is sys.modules.pop(name) followed by putting the value
	// back, which moves the name to the end of the table; ok is false when
	// the module removed itself.
	PopModule(name string) (value any, ok bool)
	// ExecModule is spec.loader.exec_module(module): it runs the module's
	// code, whose imports use t.
	ExecModule(t *Thread, spec, module any) error
}

// LoadUnlocked is _load_unlocked(spec) over a Loader: the module is
// marked initialising before it enters the table (the lock-free fast path
// of import relies on that order), executed, removed from the table again
// if execution fails, and what the table holds afterwards is returned,
// since a module may replace itself in sys.modules.
func LoadUnlocked(l Loader, t *Thread, spec any) (mod any, err error) {
	name := l.SpecName(spec)
	mod, err = l.ModuleFromSpec(t, spec)
	if err != nil {
		return nil, err
	}
	l.SetInitializing(spec, true)
	defer l.SetInitializing(spec, false)
	l.SetModule(name, mod)
	if err := l.ExecModule(t, spec, mod); err != nil {
		l.DeleteModule(name)
		return nil, err
	}
	v, ok := l.PopModule(name)
	if !ok {
		return nil, pyerr.KeyError("%s", name)
	}
	return v, nil
}
