package bridge

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
	"github.com/gobridge/gobridge/registry"
)

// Namespace is the Python package under which registered modules import.
const Namespace = "gomod"

// instance is one execution of a module: what Python's module object holds
// on to, and what releasing it frees.
type instance struct {
	name string
	// lazy holds the module's functions, made on first use.
	lazy *lazyBlock
}

// release forgets the instance's functions, made or not.
func (inst *instance) release() {
	if b := inst.lazy; b != nil {
		removeLazyBlock(b)
		functions.dropRange(b.first, len(b.funcs))
	}
}

// ModuleNew seals the registry and builds a fresh module from the entry
// registered under name (a name below the gomod namespace), writing its
// description: (doc, instance handle or 0, first fid, function names, other
// attributes, public names). The functions' fids are consecutive from the
// first, in the order of their names; Describe describes each. The other
// attributes are (name, "value" | "class" | "error", payload), where a
// class's payload is its tid, which TypeInfo describes, and an exception
// class's is None: ErrorInfo describes it. Neither functions nor classes
// nor exception classes are analysed here: Python asks when it first uses
// one. The public names, those not starting with "_", are __all__.
func ModuleNew(name string, enc *pymarshal.Encoder) Status {
	entry, ok := registry.Lookup(name)
	if !ok {
		full := Namespace + "." + name
		if err := registry.Conflicted(name); err != nil {
			return writeError(enc, pyerr.ImportError(err.Error(), full, ""))
		}
		return writeError(enc, pyerr.ModuleNotFoundError(fmt.Sprintf("No module named '%s'", full), full))
	}
	m, err := py.Exec(entry, Namespace+"."+name, nil)
	if err != nil {
		return writeError(enc, initError(name, err))
	}
	inst := &instance{name: name}
	declared := errorClassesOf(Namespace+"."+name, m)
	for _, t := range m.DeclaredTypes() {
		declareType(t, name)
	}
	conv := convert.ToPython{Enc: enc, Lender: lender{}}
	doc, _ := m.Get("__doc__")
	m.Delete("__doc__")
	names := m.Names()
	// Sized for every name, so that a module of many functions or constants
	// does not grow them step by step.
	block := &lazyBlock{module: name, funcs: make([]lazyEntry, 0, len(names))}
	others := make([]lazyEntry, 0, len(names))
	public := make([]string, 0, len(names))
	for _, attr := range names {
		switch v, _ := m.Get(attr); v.(type) {
		case *py.Function, *py.LazyFunction:
			block.funcs = append(block.funcs, lazyEntry{attr, v})
		default:
			others = append(others, lazyEntry{attr, v})
		}
		if !strings.HasPrefix(attr, "_") {
			public = append(public, attr)
		}
	}
	if len(block.funcs) > 0 {
		block.first = functions.reserve(len(block.funcs))
		inst.lazy = block
		addLazyBlock(block)
	}
	// Only functions refer to the instance: a module without any has
	// nothing for Python to release, and gets handle 0.
	var handle uint64
	if inst.lazy != nil {
		handle = objects.Lend(inst)
	}
	fail := func(err error) Status {
		if handle != 0 {
			objects.Return(handle)
			inst.release()
		}
		return writeError(enc, err)
	}
	_ = enc.Tuple(6)
	if err := conv.Value(doc); err != nil {
		return fail(err)
	}
	enc.Uint(handle)
	enc.Uint(block.first)
	_ = enc.List(len(block.funcs))
	for _, f := range block.funcs {
		if err := enc.Str(f.name); err != nil {
			return fail(err)
		}
	}
	_ = enc.List(len(others))
	for _, o := range others {
		attr := o.name
		_ = enc.Tuple(3)
		if err := enc.Str(attr); err != nil {
			return fail(err)
		}
		switch v := o.value.(type) {
		case *py.Class:
			declareType(v.Type, name)
			_ = enc.Str("class")
			enc.Uint(classFor(v.Type, v).tid)
		case *py.ErrorClass:
			_ = enc.Str("error")
			enc.None()
		default:
			_ = enc.Str("value")
			err = conv.Value(v)
		}
		if err != nil {
			return fail(fmt.Errorf("module %s, attribute %s: %w", Namespace+"."+name, attr, err))
		}
	}
	_ = enc.List(len(public))
	for _, attr := range public {
		_ = enc.Str(attr)
	}
	declareErrors(Namespace+"."+name, declared)
	if conv.Lent {
		return OKObjects
	}
	return OK
}

// Describe writes the description of the module function fid, from which
// Python builds its wrapper.
func Describe(fid uint64, enc *pymarshal.Encoder) Status {
	f, err := materialize(fid)
	if err != nil {
		return writeError(enc, err)
	}
	if f == nil || f.recvType != nil {
		return writeError(enc, pyerr.RuntimeError("gobridge: function %d does not exist or its module was released", fid))
	}
	lent, err := f.writeDescription(enc, fid, f.name)
	if err != nil {
		return writeError(enc, err)
	}
	if lent {
		return OKObjects
	}
	return OK
}

// ErrorInfo writes the description of the exception class key
// ("module:name") of the latest build of its module, from which Python
// makes the class: (doc, base exception, Go description,
// [(field attribute, Python type)]).
func ErrorInfo(key string, enc *pymarshal.Encoder) Status {
	c := lookupErrorClass(key)
	if c == nil {
		return writeError(enc, pyerr.RuntimeError("gobridge: no Go exception class %q: its module was built again without it", key))
	}
	return writeDescription(enc, c.describe())
}

// initError makes a failed module initialisation an ImportError that says
// which module failed, keeping the exception type authors chose. A panic,
// such as Module.Func's on a signature that cannot cross, is an ImportError
// whose message starts with the panic's own; its Go stack becomes a note.
func initError(name string, err error) error {
	full := Namespace + "." + name
	if pnc, ok := err.(*pyerr.Panic); ok {
		return &pyerr.Exception{
			Type:  "ImportError",
			Msg:   fmt.Sprintf("%s (initialising Go module %s)", pnc.Message(), full),
			Attrs: map[string]any{"name": full, "path": nil},
			Stack: pnc.Stack,
		}
	}
	if pyerr.PythonException(err) == "gobridge.GoError" {
		return pyerr.ImportError(fmt.Sprintf("initialising Go module %s failed: %v", full, err), full, "")
	}
	return err
}

// Release gives back Python's reference to a module instance or object.
// Releasing a module instance drops its functions.
func Release(h uint64) {
	v, ok := objects.Get(h)
	if !ok || !objects.Return(h) {
		return
	}
	if _, still := objects.Get(h); still {
		return
	}
	switch v := v.(type) {
	case interface{ release() }:
		v.release()
	}
}

// Registry writes every registered module as a list of
// (name, is_package, summary, Go package, conflict), where conflict lists
// every Go package that registered the name when there is more than one
// (such a module cannot be imported), and is empty otherwise.
func Registry(enc *pymarshal.Encoder) Status {
	entries := registry.Entries()
	_ = enc.List(len(entries))
	for _, e := range entries {
		_ = enc.Tuple(5)
		_ = enc.Str(e.Name)
		enc.Bool(e.Package)
		if err := enc.Str(e.Summary()); err != nil {
			_ = enc.Str("")
		}
		_ = enc.Str(e.GoPackage)
		_ = enc.List(len(e.Conflict))
		for _, pkg := range e.Conflict {
			_ = enc.Str(pkg)
		}
	}
	return OK
}

// writeDescription writes the description of a class or an exception
// class for Python to make it from.
func writeDescription(enc *pymarshal.Encoder, desc any) Status {
	conv := convert.ToPython{Enc: enc}
	if err := conv.Value(desc); err != nil {
		return writeError(enc, err)
	}
	return OK
}

// TypeInfo writes the description of class tid.
func TypeInfo(tid uint64, enc *pymarshal.Encoder) Status {
	c := classByID(tid)
	if c == nil {
		return writeError(enc, pyerr.ValueError("gobridge: no Go class with id %d", tid))
	}
	return writeDescription(enc, c.describe())
}

// RuntimeInfo writes a dict describing the loaded library.
func RuntimeInfo(abiVersion int, enc *pymarshal.Encoder) Status {
	info := map[string]any{
		"go_version":  runtime.Version(),
		"goos":        runtime.GOOS,
		"goarch":      runtime.GOARCH,
		"abi_version": abiVersion,
		"modules":     len(registry.Entries()),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info["main_package"] = bi.Path
		deps := map[string]any{}
		for _, d := range bi.Deps {
			deps[d.Path] = d.Version
		}
		info["go_modules"] = deps
	}
	conv := convert.ToPython{Enc: enc}
	if err := conv.Value(info); err != nil {
		return writeError(enc, err)
	}
	return OK
}

// Stats writes the counters gobridge exposes for diagnostics.
func Stats(enc *pymarshal.Encoder) Status {
	conv := convert.ToPython{Enc: enc}
	_ = conv.Value(map[string]any{
		"handles":       objects.Len(),
		"goroutines":    runtime.NumGoroutine(),
		"pending_calls": PendingCalls(),
	})
	return OK
}

// WriteError writes the error record for err.
func WriteError(enc *pymarshal.Encoder, err error) Status { return writeError(enc, err) }
