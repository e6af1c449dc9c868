package gohost

import (
	"fmt"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// Object is implemented by values, other than modules, whose attributes
// the import system may read, such as a __spec__ placed in globals by hand.
type Object interface {
	importlib.Typed
	// Attr returns the attribute name, if the object has it.
	Attr(name string) (any, bool)
}

// hostOps implements importlib.Host and importlib.Loader over an Interp.
// It is a separate type so that these operations stay out of Interp's
// public API.
type hostOps struct{ in *Interp }

func (h hostOps) GetModules(names []string, out []importlib.Cached) error {
	h.in.mu.RLock()
	vals := make([]any, len(names))
	for i, n := range names {
		v, ok := h.in.modules[n]
		vals[i] = v
		out[i] = importlib.Cached{Found: ok, None: ok && v == nil, Module: v}
	}
	h.in.mu.RUnlock()
	for i, v := range vals {
		// The spec and __path__ come from the Module, not its namespace:
		// the namespace of a module another goroutine is executing is
		// being written without a lock (py.Module has none), and these
		// lookups are what every import of it does.
		if m, ok := v.(*Module); ok {
			out[i].Initializing = m.spec.Initializing()
			if m.spec.SubmoduleSearchLocations != nil {
				out[i].Path, out[i].HasPath = m.spec.SubmoduleSearchLocations, true
			}
		}
	}
	return nil
}

func (h hostOps) FindSpec(t *importlib.Thread, name string, path any) (any, error) {
	e, ok := h.in.cfg.Lookup(name)
	if !ok {
		return nil, nil
	}
	s := &Spec{Name: name, Entry: e, Origin: "gomod:" + e.GoPackage}
	if e.Package {
		s.SubmoduleSearchLocations = []any{}
	}
	if h.in.cfg.File != nil {
		if f := h.in.cfg.File(name, e.Package); f != "" {
			s.file, s.Origin = f, f
		}
	}
	return s, nil
}

func (h hostOps) LoadUnlocked(t *importlib.Thread, spec any) (any, error) {
	return importlib.LoadUnlocked(h, t, spec)
}

func (h hostOps) SpecName(spec any) string { return spec.(*Spec).Name }

// ModuleFromSpec is module_from_spec with _init_module_attrs' attributes
// in CPython's order.
func (h hostOps) ModuleFromSpec(t *importlib.Thread, spec any) (any, error) {
	s := spec.(*Spec)
	host := &Host{in: h.in, t: t}
	ns := py.NewModule(s.Name, host)
	ns.Set("__name__", s.Name)
	ns.Set("__doc__", nil)
	ns.Set("__package__", s.Parent())
	ns.Set("__loader__", nil)
	ns.Set("__spec__", s)
	if s.SubmoduleSearchLocations != nil {
		ns.Set("__path__", s.SubmoduleSearchLocations)
	}
	if s.file != "" {
		ns.Set("__file__", s.file)
	}
	m := &Module{ns: ns, spec: s}
	h.in.mu.Lock()
	m.index = len(h.in.byIndex)
	h.in.byIndex = append(h.in.byIndex, m)
	h.in.byNS[ns] = m
	h.in.mu.Unlock()
	return m, nil
}

func (h hostOps) SetInitializing(spec any, on bool) { spec.(*Spec).initializing.Store(on) }

func (h hostOps) SetModule(name string, value any) { h.in.Set(name, value) }

func (h hostOps) DeleteModule(name string) { h.in.Delete(name) }

func (h hostOps) PopModule(name string) (any, bool) {
	h.in.mu.Lock()
	defer h.in.mu.Unlock()
	v, ok := h.in.modules[name]
	if ok {
		delete(h.in.modules, name)
		h.in.setLocked(name, v)
	}
	return v, ok
}

func (h hostOps) ExecModule(t *importlib.Thread, spec, module any) error {
	return py.ExecModule(spec.(*Spec).Entry, module.(*Module).ns)
}

func (h hostOps) GetAttr(obj any, name string) (any, error) {
	switch o := obj.(type) {
	case *Module:
		o.mu.Lock()
		v, ok := o.ns.Get(name)
		initializing := o.spec.Initializing()
		origin := o.spec.Origin
		modName, _ := o.ns.Get("__name__")
		o.mu.Unlock()
		if ok {
			return v, nil
		}
		// module_getattro's messages (Objects/moduleobject.c); 3.13 names
		// the partially initialised module's __spec__.origin.
		if s, isStr := modName.(string); isStr {
			if initializing {
				from := ""
				if origin != "" && h.in.importer.Version().AtLeast(3, 13) {
					from = " from " + importlib.Repr(origin)
				}
				return nil, importlib.AttributeError(fmt.Sprintf("partially initialized module %s%s has no attribute %s (most likely due to a circular import)", importlib.Repr(s), from, importlib.Repr(name)), name, obj)
			}
			return nil, importlib.AttributeError(fmt.Sprintf("module %s has no attribute %s", importlib.Repr(s), importlib.Repr(name)), name, obj)
		}
		return nil, importlib.AttributeError(fmt.Sprintf("module has no attribute %s", importlib.Repr(name)), name, obj)
	case *Spec:
		switch name {
		case "name":
			return o.Name, nil
		case "parent":
			return o.Parent(), nil
		case "origin":
			return o.Origin, nil
		case "submodule_search_locations":
			if o.SubmoduleSearchLocations == nil {
				return nil, nil
			}
			return o.SubmoduleSearchLocations, nil
		case "_initializing":
			return o.Initializing(), nil
		}
	case Object:
		if v, ok := o.Attr(name); ok {
			return v, nil
		}
	}
	return nil, noAttr(obj, name)
}

func noAttr(obj any, name string) error {
	return importlib.AttributeError(fmt.Sprintf("'%s' object has no attribute %s", importlib.TypeName(obj), importlib.Repr(name)), name, obj)
}

func (h hostOps) SetAttr(obj any, name string, value any) error {
	if m, ok := obj.(*Module); ok {
		m.Set(name, value)
		return nil
	}
	return noAttr(obj, name)
}

func (h hostOps) HasAttrs(obj any, names []string, out []bool) error {
	m, ok := obj.(*Module)
	if !ok {
		for i, n := range names {
			_, err := h.GetAttr(obj, n)
			if err != nil && !importlib.IsAttributeError(err) {
				return err
			}
			out[i] = err == nil
		}
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, n := range names {
		_, out[i] = m.ns.Get(n)
	}
	return nil
}

func (h hostOps) ModuleInfo(obj any) (importlib.ModuleInfo, error) {
	var info importlib.ModuleInfo
	switch o := obj.(type) {
	case *Module:
		o.mu.Lock()
		defer o.mu.Unlock()
		if n, ok := o.ns.Get("__name__"); ok {
			info.Name, info.HasName = n.(string)
		}
		if f, ok := o.ns.Get("__file__"); ok {
			info.File, info.HasFile = f.(string)
		}
		info.Initializing = o.spec.Initializing()
	default:
		if n, err := h.GetAttr(obj, "__name__"); err == nil {
			info.Name, info.HasName = n.(string)
		}
	}
	return info, nil
}

func (h hostOps) Items(seq any) ([]any, error) {
	switch s := seq.(type) {
	case []any:
		return s, nil
	case []string:
		out := make([]any, len(s))
		for i, x := range s {
			out[i] = x
		}
		return out, nil
	case string:
		var out []any
		for _, r := range s {
			out = append(out, string(r))
		}
		return out, nil
	}
	return nil, pyerr.TypeError("'%s' object is not iterable", importlib.TypeName(seq))
}

func (h hostOps) Names(obj any) ([]string, error) {
	if m, ok := obj.(*Module); ok {
		return m.Names(), nil
	}
	return nil, importlib.AttributeError(fmt.Sprintf("'%s' object has no attribute '__dict__'", importlib.TypeName(obj)), "__dict__", obj)
}

func (h hostOps) Warn(t *importlib.Thread, category, message string) error {
	if h.in.cfg.Warn != nil {
		return h.in.cfg.Warn(t, category, message)
	}
	return nil
}
