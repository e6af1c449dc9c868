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
	"sync/atomic"
)

// Handle identifies a lent value. The zero Handle is never issued. Its low
// 32 bits name a slot of the table and its high 32 bits the slot's
// generation, so a handle returned for good never finds the value that
// reuses its slot.
type Handle = uint64

type entry struct {
	handle Handle
	value  any
	key    any // identity key for pointer-like values, or nil
	loans  int64
}

const (
	chunkBits = 12
	maxChunks = 1 << 12 // 16M values lent at once
)

type chunk [1 << chunkBits]atomic.Pointer[entry]

// Table maps handles to values. The zero Table is ready to use. Get takes
// no lock (two atomic loads), since every method call on a Go object looks
// its receiver up; mu orders lending and returning, which also keep byKey,
// the loans and the free slots.
type Table struct {
	mu     sync.Mutex
	chunks [maxChunks]atomic.Pointer[chunk]
	gens   []uint32 // the generation of each slot's next value
	free   []uint32 // slots to reuse
	byKey  map[any]Handle
	live   int
}

func (t *Table) slot(i uint32) *atomic.Pointer[entry] {
	c := t.chunks[i>>chunkBits].Load()
	if c == nil {
		return nil
	}
	return &c[i&(1<<chunkBits-1)]
}

// newSlot returns a free slot, under mu.
func (t *Table) newSlot() uint32 {
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		return i
	}
	if len(t.gens) == 0 {
		t.gens = append(t.gens, 0) // slot 0 is never used: Handle 0 means none
	}
	i := uint32(len(t.gens))
	if i>>chunkBits >= maxChunks {
		panic("gobridge: more than 16M Go values lent to Python at once")
	}
	if t.chunks[i>>chunkBits].Load() == nil {
		t.chunks[i>>chunkBits].Store(new(chunk))
	}
	t.gens = append(t.gens, 0)
	return i
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
			t.slot(uint32(h)).Load().loans++
			return h
		}
	}
	i := t.newSlot()
	h := Handle(t.gens[i])<<32 | Handle(i)
	t.slot(i).Store(&entry{handle: h, value: v, key: key, loans: 1})
	t.live++
	if key != nil {
		t.byKey[key] = h
	}
	return h
}

// lookup returns the entry lent under h, or nil.
func (t *Table) lookup(h Handle) *entry {
	i := uint32(h)
	if i>>chunkBits >= maxChunks {
		return nil
	}
	s := t.slot(i)
	if s == nil {
		return nil
	}
	if e := s.Load(); e != nil && e.handle == h {
		return e
	}
	return nil
}

// Get returns the value lent under h.
func (t *Table) Get(h Handle) (any, bool) {
	if e := t.lookup(h); e != nil {
		return e.value, true
	}
	return nil, false
}

// Return gives back one loan of h and reports whether h was lent. The value
// is dropped when its last loan comes back.
func (t *Table) Return(h Handle) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.lookup(h)
	if e == nil {
		return false
	}
	e.loans--
	if e.loans <= 0 {
		i := uint32(h)
		t.slot(i).Store(nil)
		t.gens[i]++
		t.free = append(t.free, i)
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
