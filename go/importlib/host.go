package importlib

// Cached is what the module table (sys.modules) holds under one name, with
// the facts the import algorithm needs about it. A host fills it in one
// operation so that the common paths ("already imported") cost one host
// call, which matters when the table lives in another runtime.
type Cached struct {
	// Module is the value in the table: a module, or any other object a
	// program stored there. It is nil when Found is false or None is true.
	Module any
	// Found reports whether the name is a key of the table.
	Found bool
	// None reports whether the table maps the name to None, which blocks
	// the import ("import of x halted; None in sys.modules").
	None bool
	// Initializing is module.__spec__._initializing: the module is still
	// executing, in this thread or another. Hosts report false when the
	// value has no __spec__ or the lookup fails, as
	// _PyModuleSpec_IsInitializing does.
	Initializing bool
	// HasPath reports whether the value has a __path__ attribute, that is,
	// whether it is a package; Path is that attribute. The engine reads it
	// only for the module an import with a non-empty fromlist returns and
	// for the parent of a module it is about to load, never for an import
	// without a fromlist: hosts that cache the engine's decisions (the
	// CPython host) rely on that.
	HasPath bool
	// Path is the value's __path__, handed back to FindSpec unchanged.
	Path any
}

// ModuleInfo is what IMPORT_FROM's error path reads from a module.
type ModuleInfo struct {
	// Name is module.__name__; HasName is false when it is missing or not a
	// str.
	Name    string
	HasName bool
	// File is the module's __file__ as PyModule_GetFilenameObject reads it;
	// HasFile is false when the module has no str __file__ (built-in and
	// Go modules), which selects the "(unknown location)" message.
	File    string
	HasFile bool
	// Initializing is module.__spec__._initializing, which selects the
	// "partially initialized module" message.
	Initializing bool
}

// Host is the runtime whose module table the engine works on: the Go host
// (package gohost) or CPython through the bridge. The engine never holds a
// host lock while it calls a host method, and calls the methods of one host
// from many goroutines at once, each with its own Thread.
//
// Values the engine passes around (modules, specs, paths, fromlist items)
// are opaque to it: it only hands them back to the host. Python's None is
// the nil interface.
type Host interface {
	// GetModules looks names up in the module table, filling out[i] for
	// names[i]; len(out) == len(names), and len(names) is 1 or 2. It is
	// sys.modules.get plus the facts in Cached, for each name.
	GetModules(names []string, out []Cached) error
	// FindSpec is _find_spec(name, path): it asks the finders for the
	// module and returns its spec, or nil when no finder knows the name.
	// path is nil for a top-level module, else the parent's Cached.Path.
	FindSpec(t *Thread, name string, path any) (spec any, err error)
	// LoadUnlocked is _load_unlocked(spec): create the module, mark it
	// initialising, store it in the table, execute it, and return what the
	// table holds under its name afterwards. When execution fails it must
	// remove the name from the table. Hosts built on the engine's
	// primitives can use LoadUnlocked (the function) to do exactly that.
	// Module code it runs imports through the engine with the same t.
	LoadUnlocked(t *Thread, spec any) (module any, err error)
	// GetAttr is getattr(obj, name). A missing attribute is reported as an
	// error for which IsAttributeError is true, carrying the host's own
	// AttributeError message.
	GetAttr(obj any, name string) (any, error)
	// SetAttr is setattr(obj, name, value); the engine uses it to bind a
	// submodule on its parent. A failure for which IsAttributeError is
	// true becomes an ImportWarning, as in _find_and_load_unlocked.
	SetAttr(obj any, name string, value any) error
	// HasAttrs is hasattr(obj, n) for each of names, into out (same
	// length): one operation for a whole fromlist.
	HasAttrs(obj any, names []string, out []bool) error
	// ModuleInfo reads the facts IMPORT_FROM's error messages need.
	ModuleInfo(obj any) (ModuleInfo, error)
	// Items returns the elements of a sequence such as __all__ (or any
	// iterable), for handle_fromlist and import *; a non-iterable is a
	// TypeError with Python's message ("'int' object is not iterable").
	Items(seq any) ([]any, error)
	// Warn issues a warning of the given category ("ImportWarning") as
	// _warnings.warn does; an error means the warning was turned into an
	// exception, which the engine propagates.
	Warn(t *Thread, category, message string) error
}

// Namer is the optional interface of a Host that can list a module's
// namespace in order, which "from m import *" needs when m has no __all__.
type Namer interface {
	// Names returns the keys of obj.__dict__ in insertion order.
	Names(obj any) ([]string, error)
}

// ModuleLocker is the optional interface of a Host that owns the module
// locks itself. The CPython host implements it with importlib._bootstrap's
// _ModuleLock, so that the engine and every other importer of the process
// (importlib.import_module, _bootstrap._gcd_import, runpy) exclude each
// other on the same locks; without it the engine uses its own (package
// gohost).
type ModuleLocker interface {
	// AcquireModuleLock is _get_module_lock(name).acquire(): it blocks
	// until t holds the lock of name and returns that lock. A wait that
	// would deadlock is an error for which IsDeadlock is true.
	AcquireModuleLock(t *Thread, name string) (lock any, err error)
	// ReleaseModuleLock releases a lock AcquireModuleLock returned.
	ReleaseModuleLock(t *Thread, lock any) error
	// LockUnlockModule is _lock_unlock_module(name): it waits until no
	// other thread is initialising name. A deadlock (a circular import
	// across threads) is not an error: the caller goes on with the
	// partially initialised module.
	LockUnlockModule(t *Thread, name string) error
}

// Truther is the optional interface of a Host whose fromlist values may be
// objects of its own: Truth is PyObject_IsTrue for them. The engine asks
// after the module is imported, as import.c does. Without it such a
// fromlist is true.
type Truther interface {
	Truth(v any) (bool, error)
}

// Globals is the namespace a relative import is resolved against: the
// importing module's globals. Global is globals.get(key).
type Globals interface {
	Global(key string) (value any, ok bool)
}

// Dict is a Globals backed by a Go map.
type Dict map[string]any

// Global returns d[key].
func (d Dict) Global(key string) (any, bool) {
	v, ok := d[key]
	return v, ok
}

// NotADict is a Globals standing for a globals argument that is not a
// dict; relative imports against it fail with "globals must be a dict".
type NotADict struct {
	// Type is the Python type name of the argument, kept for hosts.
	Type string
}

// Global reports every key missing.
func (NotADict) Global(string) (any, bool) { return nil, false }

// Typed is implemented by host values that know their Python type name,
// so that the engine's messages ("not int") name the right type for objects
// it cannot otherwise classify.
type Typed interface {
	PythonType() string
}
