package importlib

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/gobridge/gobridge/pyerr"
)

// Importer runs CPython's import algorithm over one Host. It holds the
// module locks of one interpreter; make one per host.
type Importer struct {
	host    Host
	version Version
	locks   locks
}

// New returns an Importer working on host, reproducing the import of the
// CPython version cfg names.
func New(host Host, cfg Config) *Importer {
	v := cfg.Version
	if v == (Version{}) {
		v = DefaultVersion
	}
	if _, err := CheckVersion(v); err != nil {
		panic(err)
	}
	im := &Importer{host: host, version: v}
	im.locks.init()
	return im
}

// Host returns the host the importer works on.
func (im *Importer) Host() Host { return im.host }

// Version returns the CPython version whose import the importer reproduces.
func (im *Importer) Version() Version { return im.version }

func (im *Importer) get(name string) (Cached, error) {
	var out [1]Cached
	err := im.host.GetModules([]string{name}, out[:])
	return out[0], err
}

func (im *Importer) get2(a, b string) (Cached, Cached, error) {
	var out [2]Cached
	err := im.host.GetModules([]string{a, b}, out[:])
	return out[0], out[1], err
}

// ImportArgs is builtins.__import__(name, globals, locals, fromlist, level)
// with its arguments as the host received them: it checks their types the
// way CPython's builtin does before running Import. From 3.11 on, argument
// clinic converts level first and import.c checks the name afterwards; up
// to 3.10, PyArg_ParseTupleAndKeywords ("U|OOOi") checks the name first,
// with its own messages. level is an int of any Go integer kind, or a
// *big.Int; nil means 0.
func (im *Importer) ImportArgs(t *Thread, name any, globals any, fromlist any, level any) (any, error) {
	s, isStr := name.(string)
	if !isStr && !im.version.AtLeast(3, 11) {
		shown := TypeName(name)
		if name == nil {
			shown = "None"
		}
		return nil, pyerr.TypeError("__import__() argument 1 must be str, not %s", shown)
	}
	lv, err := im.cInt(level)
	if err != nil {
		return nil, err
	}
	if !isStr {
		return nil, pyerr.TypeError(msgNameNotStrC)
	}
	// None is not a dict; only a globals argument that was never given
	// (NULL in C, a nil Globals in Import) reads as missing __name__.
	var g Globals = NotADict{Type: "NoneType"}
	switch x := globals.(type) {
	case noGlobals:
		g = nil
	case Globals:
		g = x
	case map[string]any:
		g = Dict(x)
	default:
		g = NotADict{Type: TypeName(globals)}
	}
	return im.Import(t, s, g, fromlist, lv)
}

// NoGlobals is the globals argument of a call that gave none (NULL in C,
// not None): ImportArgs runs Import with a nil Globals for it, so that a
// relative import fails with KeyError('__name__' not in globals).
var NoGlobals Globals = noGlobals{}

type noGlobals struct{}

func (noGlobals) Global(string) (any, bool) { return nil, false }

// cInt converts level as the builtin's argument parsing does: from 3.11
// on, argument clinic's _PyLong_AsInt; up to 3.10, the "i" format of
// getargs.c, which reads the value through PyLong_AsLong (3.9 rejects a
// float by name and words the TypeError differently) and then checks the
// C int range with messages of its own.
func (im *Importer) cInt(v any) (int, error) {
	old := !im.version.AtLeast(3, 11)
	var n int64
	switch x := v.(type) {
	case nil:
		return 0, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	case uint64, *big.Int:
		if old {
			return 0, errCLongOverflow
		}
		return 0, errCIntOverflow
	default:
		typ := TypeName(v)
		switch {
		case im.version.AtLeast(3, 10):
			return 0, pyerr.TypeError("'%s' object cannot be interpreted as an integer", typ)
		case typ == "float":
			return 0, pyerr.TypeError("integer argument expected, got float")
		}
		return 0, pyerr.TypeError("an integer is required (got type %s)", typ)
	}
	switch {
	case n >= math.MinInt32 && n <= math.MaxInt32:
		return int(n), nil
	case !old:
		return 0, errCIntOverflow
	case n > 0:
		return 0, pyerr.OverflowError("signed integer is greater than maximum")
	}
	return 0, pyerr.OverflowError("signed integer is less than minimum")
}

var (
	errCIntOverflow  = pyerr.OverflowError("Python int too large to convert to C int")
	errCLongOverflow = pyerr.OverflowError("Python int too large to convert to C long")
)

// Import is IMPORT_NAME, that is PyImport_ImportModuleLevelObject (the C
// version of importlib.__import__, whose messages it uses): it imports
// name relative to globals at the given level, runs handle_fromlist for a
// package when fromlist is non-empty, and returns what the statement binds:
// the top-level package for "import a.b.c", the module itself otherwise.
//
// fromlist is nil (None), a []string, a []any, a string (iterated by
// character, as Python would) or any other value (truthy if non-zero, not
// iterable).
func (im *Importer) Import(t *Thread, name string, globals Globals, fromlist any, level int) (any, error) {
	if level < 0 {
		return nil, pyerr.ValueError(msgLevelNegative)
	}
	absName := name
	if level > 0 {
		var err error
		if absName, err = im.resolveName(t, name, globals, level); err != nil {
			return nil, err
		}
	} else if name == "" {
		return nil, pyerr.ValueError(msgEmptyName)
	}

	hasFrom, known := staticTruth(fromlist)
	dot := strings.IndexByte(name, '.')

	// The fast path of "import a.b.c": the leaf and the top-level package
	// in one host operation. It stands for the two lookups the C code does
	// (the leaf, then the recursive import of "a"), and is used only when
	// both are present and initialised, so nothing runs in between.
	if known && !hasFrom && level == 0 && dot > 0 {
		leaf, top, err := im.get2(absName, name[:dot])
		if err != nil {
			return nil, err
		}
		if ready(leaf) && ready(top) {
			return top.Module, nil
		}
	}

	c, err := im.get(absName)
	if err != nil {
		return nil, err
	}
	var mod any
	hasPath := c.HasPath
	loaded := false
	if c.Found && !c.None {
		mod = c.Module
		if c.Initializing {
			if err := im.lockUnlockModule(t, absName); err != nil {
				return nil, err
			}
		}
	} else {
		if mod, err = im.findAndLoad(t, absName); err != nil {
			return nil, err
		}
		loaded = true
	}
	if !known {
		// import.c tests the fromlist only now, after the import.
		if hasFrom, err = im.truth(fromlist); err != nil {
			return nil, err
		}
	}
	if loaded && hasFrom {
		switch _, err := im.host.GetAttr(mod, "__path__"); {
		case err == nil:
			hasPath = true
		case IsAttributeError(err):
			hasPath = false
		default:
			return nil, err
		}
	}

	if !hasFrom {
		if level == 0 || len(name) > 0 {
			if dot < 0 {
				return mod, nil
			}
			if level == 0 {
				return im.Import(t, name[:dot], nil, nil, 0)
			}
			cutOff := len(name) - dot
			toReturn := absName[:len(absName)-cutOff]
			c, err := im.get(toReturn)
			if err != nil {
				return nil, err
			}
			if !c.Found {
				return nil, pyerr.KeyError("%s not in sys.modules as expected", pyRepr(toReturn))
			}
			return c.Module, nil
		}
		return mod, nil
	}
	if hasPath {
		items, err := im.fromlistItems(fromlist)
		if err != nil {
			return nil, err
		}
		return im.handleFromlist(t, mod, items, false)
	}
	return mod, nil
}

// ready reports whether a table entry can be returned without locking.
func ready(c Cached) bool { return c.Found && !c.None && !c.Initializing }

// staticTruth is PyObject_IsTrue for the fromlist values whose truth the
// engine knows without asking the host; known is false for the others.
func staticTruth(v any) (truth, known bool) {
	switch x := v.(type) {
	case nil:
		return false, true
	case []string:
		return len(x) > 0, true
	case []any:
		return len(x) > 0, true
	case string:
		return x != "", true
	case bool:
		return x, true
	case int:
		return x != 0, true
	case int64:
		return x != 0, true
	case float64:
		return x != 0, true
	}
	return true, false
}

// truth asks a Truther host for the truth of a fromlist value of its own;
// other hosts' values are true.
func (im *Importer) truth(v any) (bool, error) {
	if tr, ok := im.host.(Truther); ok {
		return tr.Truth(v)
	}
	return true, nil
}

func (im *Importer) fromlistItems(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		return items, nil
	case string:
		var items []any
		for _, r := range x {
			items = append(items, string(r))
		}
		return items, nil
	}
	return im.host.Items(v)
}

// resolveName is resolve_name in Python/import.c: the package from
// globals (__package__, then __spec__.parent, then __name__ and
// __path__), then the base name level-1 dots up.
func (im *Importer) resolveName(t *Thread, name string, globals Globals, level int) (string, error) {
	if globals == nil {
		return "", pyerr.KeyError(msgNameNotInGlobals)
	}
	if _, bad := globals.(NotADict); bad {
		return "", pyerr.TypeError(msgGlobalsNotDict)
	}
	var pkg string
	pkgVal, hasPkg := globals.Global("__package__")
	if pkgVal == nil {
		hasPkg = false
	}
	spec, hasSpec := globals.Global("__spec__")
	if spec == nil {
		hasSpec = false
	}
	switch {
	case hasPkg:
		s, ok := pkgVal.(string)
		if !ok {
			return "", pyerr.TypeError(msgPackageNotStrC)
		}
		if hasSpec {
			parent, err := im.host.GetAttr(spec, "parent")
			if err != nil {
				return "", err
			}
			if ps, ok := parent.(string); !ok || ps != s {
				if err := im.host.Warn(t, im.version.packageMismatchCategory(), msgPackageMismatchC); err != nil {
					return "", err
				}
			}
		}
		pkg = s
	case hasSpec:
		parent, err := im.host.GetAttr(spec, "parent")
		if err != nil {
			return "", err
		}
		s, ok := parent.(string)
		if !ok {
			return "", pyerr.TypeError(msgSpecParentNotStr)
		}
		pkg = s
	default:
		if err := im.host.Warn(t, categoryImportWarning, msgCannotResolvePkg); err != nil {
			return "", err
		}
		n, ok := globals.Global("__name__")
		if !ok {
			return "", pyerr.KeyError(msgNameNotInGlobals)
		}
		s, ok := n.(string)
		if !ok {
			return "", pyerr.TypeError(msgDunderNameNotStr)
		}
		pkg = s
		if _, isPkg := globals.Global("__path__"); !isPkg {
			dot := strings.LastIndexByte(pkg, '.')
			if dot < 0 {
				return "", plainImportError(msgNoParent)
			}
			pkg = pkg[:dot]
		}
	}
	if pkg == "" {
		return "", plainImportError(msgNoParent)
	}
	base, err := baseOf(pkg, level)
	if err != nil {
		return "", err
	}
	if name == "" {
		return base, nil
	}
	return base + "." + name, nil
}

// baseOf strips level-1 trailing components from package.
func baseOf(pkg string, level int) (string, error) {
	lastDot := len(pkg)
	for up := 1; up < level; up++ {
		lastDot = strings.LastIndexByte(pkg[:lastDot], '.')
		if lastDot < 0 {
			return "", plainImportError(msgBeyondTop)
		}
	}
	return pkg[:lastDot], nil
}

// ResolveName is _resolve_name(name, package, level) of _bootstrap.py:
// the absolute name of a relative import.
func ResolveName(name, pkg string, level int) (string, error) {
	bits := strings.Count(pkg, ".") + 1
	if bits < level {
		return "", plainImportError(msgBeyondTop)
	}
	base := pkg
	for i := 1; i < level; i++ {
		base = base[:strings.LastIndexByte(base, '.')]
	}
	if name != "" {
		return base + "." + name, nil
	}
	return base, nil
}

// CalcPackage is _calc___package__(globals) of _bootstrap.py: the package
// a relative import in a module with these globals is relative to. It
// returns nil for an unknown package, or whatever non-str value
// __package__ or __spec__.parent holds (sanityCheck rejects it).
func (im *Importer) CalcPackage(t *Thread, globals Globals) (any, error) {
	if globals == nil {
		globals = Dict{}
	}
	pkg, _ := globals.Global("__package__")
	spec, _ := globals.Global("__spec__")
	if pkg != nil {
		if spec != nil {
			parent, err := im.host.GetAttr(spec, "parent")
			if err != nil {
				return nil, err
			}
			if !sameValue(pkg, parent) {
				msg := fmt.Sprintf("__package__ != __spec__.parent (%s != %s)", reprValue(pkg), reprValue(parent))
				if err := im.host.Warn(t, im.version.packageMismatchCategory(), msg); err != nil {
					return nil, err
				}
			}
		}
		return pkg, nil
	}
	if spec != nil {
		return im.host.GetAttr(spec, "parent")
	}
	if err := im.host.Warn(t, categoryImportWarning, msgCannotResolvePkg); err != nil {
		return nil, err
	}
	n, ok := globals.Global("__name__")
	if !ok {
		return nil, pyerr.KeyError("__name__")
	}
	if _, isPkg := globals.Global("__path__"); !isPkg {
		s, ok := n.(string)
		if !ok {
			return nil, AttributeError(fmt.Sprintf("'%s' object has no attribute 'rpartition'", TypeName(n)), "rpartition", n)
		}
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			return s[:i], nil
		}
		return "", nil
	}
	return n, nil
}

func sameValue(a, b any) bool {
	defer func() { _ = recover() }() // uncomparable values are unequal
	return a == b
}

func reprValue(v any) string {
	switch x := v.(type) {
	case string:
		return pyRepr(x)
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}

// SanityCheck is _sanity_check(name, package, level) of _bootstrap.py,
// with its messages (which differ from the C import's).
func SanityCheck(name any, pkg any, level int) error {
	s, ok := name.(string)
	if !ok {
		return pyerr.TypeError("module name must be str, not %s", pythonClassRepr(TypeName(name)))
	}
	if level < 0 {
		return pyerr.ValueError(msgLevelNegative)
	}
	if level > 0 {
		p, ok := pkg.(string)
		if !ok {
			return pyerr.TypeError(msgPackageNotStrPy)
		}
		if p == "" {
			return plainImportError(msgNoParent)
		}
	}
	if s == "" && level == 0 {
		return pyerr.ValueError(msgEmptyName)
	}
	return nil
}

// pythonClassRepr is repr(type(x)) for a builtin type: "<class 'int'>".
func pythonClassRepr(name string) string { return "<class " + pyRepr(name) + ">" }

// GcdImport is _gcd_import(name, package, level): importlib.import_module
// without its leading-dot handling. It returns the module itself.
func (im *Importer) GcdImport(t *Thread, name any, pkg any, level int) (any, error) {
	if err := SanityCheck(name, pkg, level); err != nil {
		return nil, err
	}
	abs := name.(string)
	if level > 0 {
		var err error
		if abs, err = ResolveName(abs, pkg.(string), level); err != nil {
			return nil, err
		}
	}
	return im.findAndLoad(t, abs)
}

// findAndLoad is _find_and_load(name, import_): the table first, then,
// under the module's lock, _find_and_load_unlocked; a module another
// thread is still executing is waited for with _lock_unlock_module.
func (im *Importer) findAndLoad(t *Thread, name string) (any, error) {
	c, err := im.get(name)
	if err != nil {
		return nil, err
	}
	if !c.Found || c.Initializing {
		unlock, err := im.lockModule(t, name)
		if err != nil {
			return nil, err
		}
		c, err = im.get(name)
		if err == nil && !c.Found {
			mod, err := im.findAndLoadUnlocked(t, name)
			if uerr := unlock(); err == nil && uerr != nil {
				return nil, uerr
			}
			return mod, err
		}
		if uerr := unlock(); err == nil {
			err = uerr
		}
		if err != nil {
			return nil, err
		}
		if err := im.lockUnlockModule(t, name); err != nil {
			return nil, err
		}
	}
	if c.None {
		return nil, moduleNotFound(fmt.Sprintf("import of %s halted; None in sys.modules", name), name)
	}
	return c.Module, nil
}

// lockModule takes the module lock of name for t (_ModuleLockManager's
// __enter__) and returns the function that releases it: the host's lock
// when the host is a ModuleLocker, the engine's own otherwise.
func (im *Importer) lockModule(t *Thread, name string) (unlock func() error, err error) {
	if ml, ok := im.host.(ModuleLocker); ok {
		lock, err := ml.AcquireModuleLock(t, name)
		if err != nil {
			return nil, err
		}
		return func() error { return ml.ReleaseModuleLock(t, lock) }, nil
	}
	l := im.locks.get(name)
	if err := im.locks.acquire(l, t); err != nil {
		im.locks.put(l)
		return nil, err
	}
	return func() error {
		defer im.locks.put(l)
		return im.locks.release(l, t)
	}, nil
}

// lockUnlockModule is _lock_unlock_module: wait for a module another
// thread is initialising. A deadlock means a circular import across
// threads, and the caller proceeds with the partially initialised module.
func (im *Importer) lockUnlockModule(t *Thread, name string) error {
	if ml, ok := im.host.(ModuleLocker); ok {
		return ml.LockUnlockModule(t, name)
	}
	l := im.locks.get(name)
	defer im.locks.put(l)
	if err := im.locks.acquire(l, t); err != nil {
		if IsDeadlock(err) {
			return nil
		}
		return err
	}
	return im.locks.release(l, t)
}

// findAndLoadUnlocked is _find_and_load_unlocked: import the parent
// first, find the spec on the parent's __path__, load it, and bind the
// module on its parent.
func (im *Importer) findAndLoadUnlocked(t *Thread, name string) (any, error) {
	var path any
	dot := strings.LastIndexByte(name, '.')
	var parent, child string
	if dot >= 0 {
		parent, child = name[:dot], name[dot+1:]
	}
	if parent != "" {
		pc, err := im.get(parent)
		if err != nil {
			return nil, err
		}
		if !pc.Found {
			// import_ is builtins.__import__ in the C path.
			if _, err := im.Import(t, parent, nil, nil, 0); err != nil {
				return nil, err
			}
		}
		// Crazy side-effects! (importing the parent may import name)
		self, pc, err := im.get2(name, parent)
		if err != nil {
			return nil, err
		}
		if self.Found {
			return self.Module, nil
		}
		if !pc.Found {
			return nil, pyerr.KeyError("%s", parent)
		}
		if !pc.HasPath {
			return nil, moduleNotFound(fmt.Sprintf("No module named %s; %s is not a package", pyRepr(name), pyRepr(parent)), name)
		}
		path = pc.Path
	}
	spec, err := im.host.FindSpec(t, name, path)
	if err != nil {
		return nil, err
	}
	if spec == nil {
		return nil, noModuleNamed(name)
	}
	mod, err := im.host.LoadUnlocked(t, spec)
	if err != nil {
		return nil, err
	}
	if parent != "" {
		pc, err := im.get(parent)
		if err != nil {
			return nil, err
		}
		if !pc.Found {
			return nil, pyerr.KeyError("%s", parent)
		}
		if err := im.host.SetAttr(pc.Module, child, mod); err != nil {
			if !IsAttributeError(err) {
				return nil, err
			}
			msg := fmt.Sprintf("Cannot set an attribute on %s for child module %s", pyRepr(parent), pyRepr(child))
			if err := im.host.Warn(t, categoryImportWarning, msg); err != nil {
				return nil, err
			}
		}
	}
	return mod, nil
}

// handleFromlist is _handle_fromlist(module, fromlist, import_): import
// each fromlist name that is not yet an attribute as a submodule, expanding
// "*" through __all__. The attribute checks for the whole list are one
// host operation; after the first import (which may bind more names) each
// remaining name is checked again on its own, as CPython's loop would.
func (im *Importer) handleFromlist(t *Thread, mod any, items []any, recursive bool) (any, error) {
	var names []string
	for _, x := range items {
		if s, ok := x.(string); ok && s != "*" {
			names = append(names, s)
		}
	}
	has := make([]bool, len(names))
	if len(names) > 0 {
		if err := im.host.HasAttrs(mod, names, has); err != nil {
			return nil, err
		}
	}
	k := 0 // index into names/has
	imported := false
	modName := ""
	for _, x := range items {
		s, ok := x.(string)
		switch {
		case !ok:
			where := "``from list''"
			if recursive {
				n, err := im.moduleName(mod)
				if err != nil {
					return nil, err
				}
				where = n + ".__all__"
			}
			return nil, pyerr.TypeError("Item in %s must be str, not %s", where, TypeName(x))
		case s == "*":
			if recursive {
				continue
			}
			all, err := im.host.GetAttr(mod, "__all__")
			if err != nil {
				if IsAttributeError(err) {
					continue
				}
				return nil, err
			}
			allItems, err := im.host.Items(all)
			if err != nil {
				return nil, err
			}
			if _, err := im.handleFromlist(t, mod, allItems, true); err != nil {
				return nil, err
			}
			imported = true
		default:
			present := has[k]
			k++
			if imported {
				var out [1]bool
				if err := im.host.HasAttrs(mod, []string{s}, out[:]); err != nil {
					return nil, err
				}
				present = out[0]
			}
			if present {
				continue
			}
			if modName == "" {
				n, err := im.moduleName(mod)
				if err != nil {
					return nil, err
				}
				modName = n
			}
			fromName := modName + "." + s
			imported = true
			if _, err := im.Import(t, fromName, nil, nil, 0); err != nil {
				if n, ok := isModuleNotFound(err); ok && n == fromName {
					c, gerr := im.get(fromName)
					if gerr != nil {
						return nil, gerr
					}
					if !c.None {
						// Backwards-compatibility dictates we ignore failed
						// imports triggered by fromlist for modules that
						// don't exist.
						continue
					}
				}
				return nil, err
			}
		}
	}
	return mod, nil
}

// moduleName is module.__name__ as a str, for handle_fromlist.
func (im *Importer) moduleName(mod any) (string, error) {
	v, err := im.host.GetAttr(mod, "__name__")
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Sprint(v), nil
	}
	return s, nil
}

// ImportFrom is IMPORT_FROM (import_from in Python/ceval.c): getattr,
// then the module table under "pkg.name" (which a circular import may have
// filled before binding the attribute), then ImportError with name and
// path set.
func (im *Importer) ImportFrom(t *Thread, mod any, name string) (any, error) {
	v, err := im.host.GetAttr(mod, name)
	if err == nil {
		return v, nil
	}
	if !IsAttributeError(err) {
		return nil, err
	}
	return im.ImportFromMissing(t, mod, name)
}

// ImportFromMissing is the rest of IMPORT_FROM once getattr(mod, name) has
// raised AttributeError, for hosts that try the getattr themselves (the
// CPython host does, without entering Go): the module table under
// "pkg.name", then ImportError with CPython's message variants.
func (im *Importer) ImportFromMissing(t *Thread, mod any, name string) (any, error) {
	info, err := im.host.ModuleInfo(mod)
	if err != nil {
		return nil, err
	}
	if info.HasName {
		full := info.Name + "." + name
		c, err := im.get(full)
		if err != nil {
			return nil, err
		}
		if c.Found {
			if !c.None && c.Initializing {
				if err := im.lockUnlockModule(t, full); err != nil {
					return nil, err
				}
			}
			return c.Module, nil
		}
	}
	var pkgName any
	shown := msgUnknownModuleName
	if info.HasName {
		pkgName, shown = info.Name, info.Name
	}
	if !info.HasFile {
		return nil, importError(fmt.Sprintf("cannot import name %s from %s (unknown location)", pyRepr(name), pyRepr(shown)), pkgName, nil)
	}
	if info.Initializing {
		return nil, importError(fmt.Sprintf("cannot import name %s from partially initialized module %s (most likely due to a circular import) (%s)", pyRepr(name), pyRepr(shown), info.File), pkgName, info.File)
	}
	return nil, importError(fmt.Sprintf("cannot import name %s from %s (%s)", pyRepr(name), pyRepr(shown), info.File), pkgName, info.File)
}

// Binding is one name bound by "from m import *".
type Binding struct {
	Name  string
	Value any
}

// ImportStar is IMPORT_STAR (import_all_from in Python/ceval.c): the
// names in m.__all__, or the public names of m's namespace, with their
// values, in order. The host must implement Namer for modules without
// __all__.
func (im *Importer) ImportStar(mod any) ([]Binding, error) {
	var items []any
	skipUnderscore := false
	all, err := im.host.GetAttr(mod, "__all__")
	switch {
	case err == nil:
		if items, err = im.host.Items(all); err != nil {
			return nil, err
		}
	case IsAttributeError(err):
		namer, ok := im.host.(Namer)
		if !ok {
			return nil, plainImportError("from-import-* object has no __dict__ and no __all__")
		}
		names, err := namer.Names(mod)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			items = append(items, n)
		}
		skipUnderscore = true
	default:
		return nil, err
	}
	var out []Binding
	for _, x := range items {
		s, ok := x.(string)
		if !ok {
			info, err := im.host.ModuleInfo(mod)
			if err != nil {
				return out, err
			}
			if !info.HasName {
				return out, pyerr.TypeError("module __name__ must be a string, not %s", TypeName(nil))
			}
			kind, where := "Item", "__all__"
			if skipUnderscore {
				kind, where = "Key", "__dict__"
			}
			return out, pyerr.TypeError("%s in %s.%s must be str, not %s", kind, info.Name, where, TypeName(x))
		}
		if skipUnderscore && strings.HasPrefix(s, "_") {
			continue
		}
		v, err := im.host.GetAttr(mod, s)
		if err != nil {
			return out, err
		}
		out = append(out, Binding{Name: s, Value: v})
	}
	return out, nil
}
