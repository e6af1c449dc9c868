package pyhost

import (
	"fmt"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/pyerr"
)

// Ref is a Python object of the current call: its index in the Python
// side's table, and its type's name where the engine may name it in a
// message.
type Ref struct {
	ID   int64
	Type string
}

// PythonType returns the object's type name (importlib.Typed).
func (r Ref) PythonType() string {
	if r.Type == "" {
		return "object"
	}
	return r.Type
}

// value decodes a value on the wire: a str, None, a bool or a number as
// itself, a {"ref", "type"} dict as a Ref.
func value(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	id, _ := m["ref"].(int64)
	typ, _ := m["type"].(string)
	return Ref{ID: id, Type: typ}
}

// object decodes an object reference on the wire: an int, or None.
func object(v any) any {
	if id, ok := v.(int64); ok {
		return Ref{ID: id}
	}
	return nil
}

// wire encodes an engine value for the dispatcher: a Ref as its index;
// str, None and the other plain values pass as themselves.
func wire(v any) any {
	if r, ok := v.(Ref); ok {
		return r.ID
	}
	return v
}

// raisedError is an exception a host operation raised, kept by the Python
// side under ref; the Python caller raises that very object.
type raisedError struct {
	ref int64
	typ string
}

func (e *raisedError) Error() string { return "Python raised " + e.typ }

// host is the importlib.Host of one Import or ImportFrom call: every
// operation is one call of the dispatcher, except module lookups that the
// answers of earlier lookups already cover.
//
// Lookups only read sys.modules, so answering several from one reply is
// the same as the reads happening together, at the time of that reply;
// any other operation may run Python code or let other threads run (a lock
// wait), so it forgets them. The Python side's prefetched answers are the
// first such reply, made just before the call.
type host struct {
	dispatch     Dispatcher
	reads        map[string]any // lookup replies since the last other operation
	prefetched   map[string]bool
	usedPrefetch bool
}

var (
	_ importlib.Host         = (*host)(nil)
	_ importlib.ModuleLocker = (*host)(nil)
	_ importlib.Truther      = (*host)(nil)
)

func newHost(dispatch Dispatcher, prefetch map[string]any) *host {
	h := &host{dispatch: dispatch, reads: map[string]any{}}
	if len(prefetch) > 0 {
		h.prefetched = map[string]bool{}
		for name, reply := range prefetch {
			h.reads[name] = reply
			h.prefetched[name] = true
		}
	}
	return h
}

// call runs one operation other than a lookup and turns an exception
// reply into an error.
func (h *host) call(op int, a, b any) (any, error) {
	clear(h.reads)
	return h.send(op, a, b)
}

func (h *host) send(op int, a, b any) (any, error) {
	reply, err := h.dispatch(op, a, b)
	if err != nil {
		return nil, err
	}
	if m, ok := reply.(map[string]any); ok {
		if ref, isExc := m["exc"].(int64); isExc {
			typ, _ := m["type"].(string)
			exc := &pyerr.Exception{Type: typ, Err: &raisedError{ref: ref, typ: typ}}
			if name, ok := m["name"]; ok {
				exc.Attrs = map[string]any{"name": name}
			}
			return nil, exc
		}
	}
	return reply, nil
}

func protocolError(op int, reply any) error {
	return fmt.Errorf("pyhost: malformed reply to operation %d: %#v", op, reply)
}

// GetModules looks names up in sys.modules.
func (h *host) GetModules(names []string, out []importlib.Cached) error {
	replies := make([]any, len(names))
	known := true
	for i, n := range names {
		r, ok := h.reads[n]
		if !ok {
			known = false
			break
		}
		replies[i] = r
	}
	if !known {
		reply, err := h.send(OpGetModules, names, nil)
		if err != nil {
			clear(h.reads)
			return err
		}
		list, ok := reply.([]any)
		if !ok || len(list) != len(names) {
			return protocolError(OpGetModules, reply)
		}
		replies = list
		for i, n := range names {
			h.reads[n] = list[i]
		}
	} else {
		for _, n := range names {
			if h.prefetched[n] {
				h.usedPrefetch = true
			}
		}
	}
	return fillCached(replies, out)
}

func fillCached(replies []any, out []importlib.Cached) error {
	for i, r := range replies {
		if r == nil {
			out[i] = importlib.Cached{}
			continue
		}
		entry, ok := r.([]any)
		if !ok || len(entry) != 3 {
			return protocolError(OpGetModules, r)
		}
		flags, _ := entry[1].(int64)
		c := importlib.Cached{Found: true}
		if flags&FlagNone != 0 {
			c.None = true
		} else {
			c.Module = object(entry[0])
			c.Initializing = flags&FlagInitializing != 0
			c.HasPath = flags&FlagHasPath != 0
			c.Path = object(entry[2])
		}
		out[i] = c
	}
	return nil
}

// FindSpec is importlib._bootstrap._find_spec(name, path).
func (h *host) FindSpec(_ *importlib.Thread, name string, path any) (any, error) {
	reply, err := h.call(OpFindSpec, name, wire(path))
	if err != nil {
		return nil, err
	}
	return object(reply), nil
}

// LoadUnlocked is importlib._bootstrap._load_unlocked(spec).
func (h *host) LoadUnlocked(_ *importlib.Thread, spec any) (any, error) {
	reply, err := h.call(OpLoadUnlocked, wire(spec), nil)
	if err != nil {
		return nil, err
	}
	if _, ok := reply.(int64); !ok {
		return nil, protocolError(OpLoadUnlocked, reply)
	}
	return object(reply), nil
}

// GetAttr is getattr(obj, name).
func (h *host) GetAttr(obj any, name string) (any, error) {
	reply, err := h.call(OpGetAttr, wire(obj), name)
	if err != nil {
		return nil, err
	}
	return value(reply), nil
}

// SetAttr is setattr(obj, name, value).
func (h *host) SetAttr(obj any, name string, v any) error {
	_, err := h.call(OpSetAttr, wire(obj), []any{name, wire(v)})
	return err
}

// HasAttrs is hasattr(obj, n) for each of names.
func (h *host) HasAttrs(obj any, names []string, out []bool) error {
	reply, err := h.call(OpHasAttrs, wire(obj), names)
	if err != nil {
		return err
	}
	has, ok := reply.([]any)
	if !ok || len(has) != len(out) {
		return protocolError(OpHasAttrs, reply)
	}
	for i, x := range has {
		out[i], _ = x.(bool)
	}
	return nil
}

// ModuleInfo reads __name__, __file__ and __spec__._initializing as
// IMPORT_FROM's error path does.
func (h *host) ModuleInfo(obj any) (importlib.ModuleInfo, error) {
	reply, err := h.call(OpModuleInfo, wire(obj), nil)
	if err != nil {
		return importlib.ModuleInfo{}, err
	}
	r, ok := reply.([]any)
	if !ok || len(r) != 3 {
		return importlib.ModuleInfo{}, protocolError(OpModuleInfo, reply)
	}
	var info importlib.ModuleInfo
	info.Name, info.HasName = r[0].(string)
	info.File, info.HasFile = r[1].(string)
	info.Initializing, _ = r[2].(bool)
	return info, nil
}

// Items is list(seq).
func (h *host) Items(seq any) ([]any, error) {
	reply, err := h.call(OpItems, wire(seq), nil)
	if err != nil {
		return nil, err
	}
	items, ok := reply.([]any)
	if !ok {
		return nil, protocolError(OpItems, reply)
	}
	for i, x := range items {
		items[i] = value(x)
	}
	return items, nil
}

// Warn is warnings.warn(message, category) from the importing frame.
func (h *host) Warn(_ *importlib.Thread, category, message string) error {
	_, err := h.call(OpWarn, category, message)
	return err
}

// Truth is bool(v) for a fromlist object.
func (h *host) Truth(v any) (bool, error) {
	reply, err := h.call(OpTruth, wire(v), nil)
	if err != nil {
		return false, err
	}
	b, ok := reply.(bool)
	if !ok {
		return false, protocolError(OpTruth, reply)
	}
	return b, nil
}

// AcquireModuleLock is importlib._bootstrap._get_module_lock(name).acquire().
func (h *host) AcquireModuleLock(_ *importlib.Thread, name string) (any, error) {
	reply, err := h.call(OpAcquire, name, nil)
	if err != nil {
		return nil, err
	}
	if _, ok := reply.(int64); !ok {
		return nil, protocolError(OpAcquire, reply)
	}
	return object(reply), nil
}

// ReleaseModuleLock releases a lock AcquireModuleLock returned.
func (h *host) ReleaseModuleLock(_ *importlib.Thread, lock any) error {
	_, err := h.call(OpRelease, wire(lock), nil)
	return err
}

// LockUnlockModule is importlib._bootstrap._lock_unlock_module(name).
func (h *host) LockUnlockModule(_ *importlib.Thread, name string) error {
	_, err := h.call(OpLockUnlock, name, nil)
	return err
}
