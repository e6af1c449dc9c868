// Package handles lends Go values to another runtime by number.
//
// Python cannot hold a Go pointer (the cgo rules forbid C memory from keeping
// Go pointers), so it holds a handle instead: a number the table maps back to
// the value. A pointer lent twice gets the same handle, so Python sees one
// object for one Go pointer; each loan is counted, and the value is dropped
// when every loan has been returned.
package handles

import (
	"reflect"
	"sync"
)

// Handle identifies a lent value. The zero Handle is never issued.
type Handle = uint64

type entry struct {
	value any
	key   any // identity key for pointer-like values, or nil
	loans int64
}

// Table maps handles to values. The zero Table is ready to use. Get takes
// no lock, since every method call on a Go object looks its receiver up;
// mu orders lending and returning, which also keep byKey and the loans.
type Table struct {
	mu    sync.Mutex
	next  Handle
	byID  sync.Map // Handle -> *entry
	byKey map[any]Handle
	live  int
}

// identityKey returns the key under which a value keeps its handle: the
// pointer itself for pointers, maps, channels and funcs, nil (no identity)
// for everything else.
func identityKey(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.UnsafePointer:
		if rv.IsNil() {
			return nil
		}
		return identity{rv.Type(), rv.Pointer()}
	}
	return nil
}

type identity struct {
	t reflect.Type
	p uintptr
}

// Lend returns a handle for v and counts one more loan of it. Lending the
// same pointer again returns the same handle.
func (t *Table) Lend(v any) Handle {
	key := identityKey(v)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byKey == nil {
		t.byKey = map[any]Handle{}
	}
	if key != nil {
		if h, ok := t.byKey[key]; ok {
			e, _ := t.byID.Load(h)
			e.(*entry).loans++
			return h
		}
	}
	t.next++
	h := t.next
	t.byID.Store(h, &entry{value: v, key: key, loans: 1})
	t.live++
	if key != nil {
		t.byKey[key] = h
	}
	return h
}

// Get returns the value lent under h.
func (t *Table) Get(h Handle) (any, bool) {
	e, ok := t.byID.Load(h)
	if !ok {
		return nil, false
	}
	return e.(*entry).value, true
}

// Return gives back one loan of h and reports whether h was lent. The value
// is dropped when its last loan comes back.
func (t *Table) Return(h Handle) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.byID.Load(h)
	if !ok {
		return false
	}
	e := v.(*entry)
	e.loans--
	if e.loans <= 0 {
		t.byID.Delete(h)
		t.live--
		if e.key != nil {
			delete(t.byKey, e.key)
		}
	}
	return true
}

// Len returns the number of values currently lent.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.live
}
