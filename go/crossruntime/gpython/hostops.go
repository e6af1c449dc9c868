package gpython

import (
	"fmt"

	"github.com/go-python/gpython/py"
	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/pyerr"
)

// hostOps implements importlib.Host, importlib.Loader, importlib.Namer and
// importlib.Truther over an Interp; a separate type keeps them out of
// Interp's API.
type hostOps struct{ in *Interp }

var (
	_ importlib.Host    = hostOps{}
	_ importlib.Loader  = hostOps{}
	_ importlib.Namer   = hostOps{}
	_ importlib.Truther = hostOps{}
)

func (h hostOps) GetModules(names []string, out []importlib.Cached) error {
	for i, n := range names {
		v, ok := h.in.modules[n]
		c := importlib.Cached{Found: ok}
		if ok && v != py.None {
			c.Module = toEngine(v)
			c.Initializing = initializing(v)
			if p, err := py.GetAttrString(v, "__path__"); err == nil {
				c.HasPath, c.Path = true, toEngine(p)
			} else if !py.IsException(py.AttributeError, err) {
				return fromPython(err)
			}
		}
		c.None = ok && v == py.None
		out[i] = c
	}
	return nil
}

// initializing is _PyModuleSpec_IsInitializing(module.__spec__): false
// when anything on the way is missing.
func initializing(v py.Object) bool {
	spec, err := py.GetAttrString(v, "__spec__")
	if err != nil {
		return false
	}
	if s, ok := spec.(*Spec); ok {
		return s.initializing.Load()
	}
	flag, err := py.GetAttrString(spec, "_initializing")
	if err != nil {
		return false
	}
	b, err := py.MakeBool(flag)
	return err == nil && b == py.True
}

func (h hostOps) FindSpec(t *importlib.Thread, name string, path any) (any, error) {
	s, err := h.in.findSpec(name, path)
	if err != nil || s == nil {
		return nil, err
	}
	return s, nil
}

func (h hostOps) LoadUnlocked(t *importlib.Thread, spec any) (any, error) {
	return importlib.LoadUnlocked(h, t, spec)
}

func (h hostOps) SpecName(spec any) string { return spec.(*Spec).Name }

func (h hostOps) ModuleFromSpec(t *importlib.Thread, spec any) (any, error) {
	m, err := h.in.newModule(spec.(*Spec))
	if err != nil {
		return nil, fromPython(err)
	}
	return m, nil
}

func (h hostOps) SetInitializing(spec any, on bool) { spec.(*Spec).initializing.Store(on) }

func (h hostOps) SetModule(name string, value any) { h.in.modules[name] = toPy(value) }

func (h hostOps) DeleteModule(name string) { delete(h.in.modules, name) }

func (h hostOps) PopModule(name string) (any, bool) {
	v, ok := h.in.modules[name]
	if !ok {
		return nil, false
	}
	return toEngine(v), true
}

func (h hostOps) ExecModule(t *importlib.Thread, spec, module any) error {
	return fromPython(h.in.execModule(spec.(*Spec), module.(*py.Module)))
}

func (h hostOps) GetAttr(obj any, name string) (any, error) {
	o := toPy(obj)
	v, err := py.GetAttrString(o, name)
	if err == nil {
		return toEngine(v), nil
	}
	if !py.IsException(py.AttributeError, err) {
		return nil, fromPython(err)
	}
	return nil, h.noAttr(o, name)
}

// noAttr is the AttributeError CPython raises: module_getattro's messages
// for modules (3.13 names a partially initialised module's origin),
// PyObject_GenericGetAttr's for the rest.
func (h hostOps) noAttr(o py.Object, name string) error {
	m, ok := o.(*py.Module)
	if !ok {
		return importlib.AttributeError(fmt.Sprintf("'%s' object has no attribute %s", typeName(o), importlib.Repr(name)), name, Value{o})
	}
	modName, isStr := m.Globals["__name__"].(py.String)
	if !isStr {
		return importlib.AttributeError(fmt.Sprintf("module has no attribute %s", importlib.Repr(name)), name, m)
	}
	if initializing(m) {
		from := ""
		if s, ok := m.Globals["__spec__"].(*Spec); ok && s.Origin != "" && h.in.importer.Version().AtLeast(3, 13) {
			from = " from " + importlib.Repr(s.Origin)
		}
		return importlib.AttributeError(fmt.Sprintf("partially initialized module %s%s has no attribute %s (most likely due to a circular import)", importlib.Repr(string(modName)), from, importlib.Repr(name)), name, m)
	}
	return importlib.AttributeError(fmt.Sprintf("module %s has no attribute %s", importlib.Repr(string(modName)), importlib.Repr(name)), name, m)
}

func (h hostOps) SetAttr(obj any, name string, value any) error {
	if _, err := py.SetAttrString(toPy(obj), name, toPy(value)); err != nil {
		return fromPython(err)
	}
	return nil
}

func (h hostOps) HasAttrs(obj any, names []string, out []bool) error {
	o := toPy(obj)
	for i, n := range names {
		_, err := py.GetAttrString(o, n)
		if err != nil && !py.IsException(py.AttributeError, err) {
			return fromPython(err)
		}
		out[i] = err == nil
	}
	return nil
}

func (h hostOps) ModuleInfo(obj any) (importlib.ModuleInfo, error) {
	var info importlib.ModuleInfo
	o := toPy(obj)
	if n, err := py.GetAttrString(o, "__name__"); err == nil {
		s, ok := n.(py.String)
		info.Name, info.HasName = string(s), ok
	}
	if m, ok := o.(*py.Module); ok {
		s, ok := m.Globals["__file__"].(py.String)
		info.File, info.HasFile = string(s), ok
		info.Initializing = initializing(m)
	}
	return info, nil
}

func (h hostOps) Items(seq any) ([]any, error) {
	switch x := seq.(type) {
	case []any:
		return x, nil
	case string:
		var out []any
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	case Value:
		var out []any
		err := py.Iterate(x.O, func(item py.Object) bool {
			out = append(out, toEngine(item))
			return false
		})
		if err == nil {
			return out, nil
		}
		if !py.IsException(py.TypeError, err) {
			return nil, fromPython(err)
		}
	}
	return nil, pyerr.TypeError("'%s' object is not iterable", importlib.TypeName(seq))
}

func (h hostOps) Names(obj any) ([]string, error) {
	m, ok := toPy(obj).(*py.Module)
	if !ok {
		return nil, importlib.AttributeError(fmt.Sprintf("'%s' object has no attribute '__dict__'", importlib.TypeName(obj)), "__dict__", obj)
	}
	return sortedKeys(m.Globals), nil
}

func (h hostOps) Truth(v any) (bool, error) {
	b, err := py.MakeBool(toPy(v))
	if err != nil {
		return false, fromPython(err)
	}
	return b == py.True, nil
}

func (h hostOps) Warn(t *importlib.Thread, category, message string) error {
	if h.in.cfg.Warn != nil {
		return h.in.cfg.Warn(category, message)
	}
	return nil
}
