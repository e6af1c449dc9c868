// Package pyhost is the CPython host of the import engine (package
// importlib): gobridge.__import__ and gobridge.import_from run the engine
// over sys.modules, sys.meta_path, CPython's loaders and
// importlib._bootstrap's module locks, all reached through one Python
// callable, the *dispatcher*, that the Python side passes with every call.
//
// It registers the private module _import_engine (gomod._import_engine),
// which python/gobridge/_importer.py loads. docs/importlib.md describes the
// design; this comment is the wire protocol both sides implement.
//
// Python objects never cross: the Python side keeps the objects of one call
// in a table and Go sees their indexes, as Ref values. On the wire:
//
//   - an object reference is an int (the index) where the engine only hands
//     the value back (modules, specs, __path__, locks);
//   - a value the engine inspects (a fromlist item, __package__, __name__,
//     __spec__.parent, an attribute) is a str or None as itself, and
//     anything else as the dict {"ref": index, "type": type name};
//   - an exception a host operation raised is the dict {"exc": index,
//     "type": class, "name": name}: class is AttributeError or
//     ModuleNotFoundError for instances of those (the engine's tests are
//     isinstance tests), else the class's own name, and name is the
//     ModuleNotFoundError's name attribute.
//
// The dispatcher is called as dispatcher(op, a, b) with the op codes below.
package pyhost

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// The host operations, as the dispatcher receives them: op(a, b) -> reply.
const (
	// OpGetModules: a = names -> per name None (absent) or
	// [index, flags, __path__ index or None]; flags FlagNone|...
	OpGetModules = 1
	// OpFindSpec: a = name, b = __path__ index or None -> spec index or None.
	OpFindSpec = 2
	// OpLoadUnlocked: a = spec index -> module index.
	OpLoadUnlocked = 3
	// OpGetAttr: a = object index, b = name -> value.
	OpGetAttr = 4
	// OpSetAttr: a = object index, b = [name, value index] -> None.
	OpSetAttr = 5
	// OpHasAttrs: a = object index, b = names -> [bool, ...].
	OpHasAttrs = 6
	// OpModuleInfo: a = object index -> [__name__ or None, __file__ or
	// None, initialising].
	OpModuleInfo = 7
	// OpItems: a = object index -> [value, ...].
	OpItems = 8
	// OpWarn: a = category, b = message -> None.
	OpWarn = 9
	// OpTruth: a = object index -> bool.
	OpTruth = 10
	// OpAcquire: a = name -> lock index.
	OpAcquire = 11
	// OpRelease: a = lock index -> None.
	OpRelease = 12
	// OpLockUnlock: a = name -> None.
	OpLockUnlock = 13
)

// The flags of a module table entry in an OpGetModules reply.
const (
	FlagNone         = 1 // sys.modules[name] is None
	FlagInitializing = 2 // __spec__._initializing
	FlagHasPath      = 4 // hasattr(module, "__path__")
)

// The kinds of outcome Import and ImportFrom return, as the first element
// of their result.
const (
	// ResultOK: [ResultOK, module index or None, whether the prefetched
	// lookup was used].
	ResultOK = 0
	// ResultRaise: [ResultRaise, exception index]: raise the exception a
	// host operation raised.
	ResultRaise = 1
	// ResultError: [ResultError, type, message, {attribute: value}]: raise
	// the exception the engine made.
	ResultError = 2
)

// Dispatcher is the Python callable behind every host operation.
type Dispatcher func(op int, a, b any) (any, error)

func init() {
	py.Register("_import_engine", py.ModuleDef{
		Doc: "The import engine's CPython host: IMPORT_NAME and IMPORT_FROM in Go, for\n" +
			"gobridge.__import__ and gobridge.import_from. Private; see docs/importlib.md.",
		Exec: func(m *py.Module) error {
			m.Func(Import, py.Name("import_name"), py.Params("dispatch", "name", "globals_kind", "globals", "fromlist", "level", "prefetch"),
				py.Doc("Import runs IMPORT_NAME (builtins.__import__) through the engine."))
			m.Func(ImportFrom, py.Name("import_from"), py.Params("dispatch", "module", "name"),
				py.Doc("ImportFrom runs IMPORT_FROM after getattr(module, name) failed."))
			m.Func(SetPythonVersion, py.Name("set_python_version"), py.Params("major", "minor"),
				py.Doc("SetPythonVersion makes the engine reproduce the import of this CPython version."))
			m.Const("PROTOCOL", Protocol)
			return nil
		},
	})
}

// Protocol is the version of the wire protocol; _importer.py refuses a
// library that speaks another one. Version 2 added set_python_version.
const Protocol = 2

// pythonVersion is the CPython version whose import the engine reproduces:
// the interpreter's, which _importer.py sets once when it loads the
// engine. A process runs one CPython, so one setting serves every call.
var pythonVersion atomic.Pointer[importlib.Version]

// SetPythonVersion makes every later Import and ImportFrom reproduce the
// import of CPython major.minor (sys.version_info[:2]); a version the
// engine does not know is a ValueError. Until it is called the engine
// reproduces importlib.DefaultVersion.
func SetPythonVersion(major, minor int) error {
	v, err := importlib.CheckVersion(importlib.Version{Major: major, Minor: minor})
	if err != nil {
		return pyerr.ValueError("%s", err.Error())
	}
	pythonVersion.Store(&v)
	return nil
}

// newImporter is the engine for one call, reproducing the version
// SetPythonVersion set.
func newImporter(h *host) *importlib.Importer {
	var cfg importlib.Config
	if v := pythonVersion.Load(); v != nil {
		cfg.Version = *v
	}
	return importlib.New(h, cfg)
}

// The kinds of globals argument Import receives.
const (
	GlobalsMissing = 0 // not given (NULL in C)
	GlobalsDict    = 1 // a dict: globals holds its import-related keys
	GlobalsOther   = 2 // anything else: globals is its value
)

// Import is builtins.__import__(name, globals, None, fromlist, level) over
// the CPython host. globals is, for GlobalsDict, the dict's __package__,
// __spec__, __name__ and __path__ entries that are present (as values);
// prefetch maps names to the OpGetModules reply the Python side computed
// just before the call, which answers the engine's lookups of those names
// until its first other operation.
func Import(dispatch Dispatcher, name any, globalsKind int, globals any, fromlist any, level any, prefetch map[string]any) ([]any, error) {
	h := newHost(dispatch, prefetch)
	var g any = importlib.NoGlobals
	switch globalsKind {
	case GlobalsDict:
		d := importlib.Dict{}
		if m, ok := globals.(map[string]any); ok {
			for k, v := range m {
				d[k] = value(v)
			}
		}
		g = d
	case GlobalsOther:
		g = importlib.NotADict{Type: importlib.TypeName(value(globals))}
	}
	mod, err := newImporter(h).ImportArgs(importlib.NewThread(), value(name), g, fromlistValue(fromlist), levelValue(level))
	return outcome(mod, h.usedPrefetch, err)
}

// ImportFrom is IMPORT_FROM once getattr(module, name) has raised
// AttributeError on the Python side.
func ImportFrom(dispatch Dispatcher, module int64, name string) ([]any, error) {
	h := newHost(dispatch, nil)
	v, err := newImporter(h).ImportFromMissing(importlib.NewThread(), Ref{ID: module}, name)
	return outcome(v, false, err)
}

// outcome encodes what the engine returned for the Python side.
func outcome(v any, usedPrefetch bool, err error) ([]any, error) {
	if err == nil {
		switch ref := v.(type) {
		case Ref:
			return []any{ResultOK, ref.ID, usedPrefetch}, nil
		case nil: // IMPORT_FROM of a name sys.modules maps to None
			return []any{ResultOK, nil, usedPrefetch}, nil
		}
		return nil, fmt.Errorf("pyhost: the engine returned %T, not a Python object", v)
	}
	var raised *raisedError
	if errors.As(err, &raised) {
		return []any{ResultRaise, raised.ref}, nil
	}
	var exc *pyerr.Exception
	if errors.As(err, &exc) {
		attrs := map[string]any{}
		for k, a := range exc.Attrs {
			if k == "obj" {
				continue // AttributeError.obj: engine-made ones are only for Go hosts
			}
			attrs[k] = wire(a)
		}
		return []any{ResultError, exc.Type, exc.Msg, attrs}, nil
	}
	return nil, err
}

// fromlistValue decodes Import's fromlist: None, a str, a list of values,
// or a reference to any other object (whose truth and items the host
// computes).
func fromlistValue(v any) any {
	switch x := v.(type) {
	case []any:
		items := make([]any, len(x))
		for i, item := range x {
			items[i] = value(item)
		}
		return items
	case map[string]any:
		return value(x)
	}
	return v
}

// levelValue decodes Import's level: an int, or a reference to an object
// that is not one (for the TypeError naming its type).
func levelValue(v any) any {
	if m, ok := v.(map[string]any); ok {
		return value(m)
	}
	return v
}
