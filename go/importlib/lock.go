package importlib

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gobridge/gobridge/pyerr"
)

// Thread is the identity of one logical thread of imports: the owner of
// module locks, what _thread.get_ident() is to _ModuleLock. Goroutines have
// no identity of their own, so the embedder creates one Thread per Python
// thread (or per goroutine that imports) and passes it to every call. A
// Thread must not be used by two goroutines at the same time: the locks it
// holds are re-entrant for it, so sharing one would let two goroutines
// execute the same module at once.
type Thread struct {
	id uint64
}

var threadIDs atomic.Uint64

// NewThread returns a fresh thread identity.
func NewThread() *Thread { return &Thread{id: threadIDs.Add(1)} }

// ID returns the thread's number, unique within the process.
func (t *Thread) ID() uint64 { return t.id }

// ErrDeadlock is wrapped by the error a module lock acquisition returns when
// waiting would deadlock: _DeadlockError.
var ErrDeadlock = errors.New("_DeadlockError")

// moduleLock is _ModuleLock: a re-entrant lock owned by a Thread. All its
// fields are guarded by locks.mu, the counterpart of the global import lock
// that _get_module_lock takes, and waiters sleep on cond.
type moduleLock struct {
	name  string
	owner *Thread
	count int
	refs  int // holders of the lock from getModuleLock; 0 removes it
	cond  *sync.Cond
}

// locks is the per-interpreter table of module locks (_module_locks) and
// the wait-for graph (_blocking_on) used for deadlock detection.
type locks struct {
	mu         sync.Mutex
	byName     map[string]*moduleLock
	blockingOn map[*Thread]*moduleLock
}

func (ls *locks) init() {
	ls.byName = map[string]*moduleLock{}
	ls.blockingOn = map[*Thread]*moduleLock{}
}

// get is _get_module_lock. CPython drops a lock with its last weak
// reference; here every get is paired with a put.
func (ls *locks) get(name string) *moduleLock {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l := ls.byName[name]
	if l == nil {
		l = &moduleLock{name: name, cond: sync.NewCond(&ls.mu)}
		ls.byName[name] = l
	}
	l.refs++
	return l
}

func (ls *locks) put(l *moduleLock) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l.refs--
	if l.refs == 0 && ls.byName[l.name] == l {
		delete(ls.byName, l.name)
	}
}

// hasDeadlock is _ModuleLock.has_deadlock: follow owner -> lock it waits
// on -> owner ... and report whether the chain comes back to me.
func (ls *locks) hasDeadlock(l *moduleLock, me *Thread) bool {
	tid := l.owner
	seen := map[*Thread]bool{}
	for {
		lock := ls.blockingOn[tid]
		if lock == nil {
			return false
		}
		tid = lock.owner
		if tid == me {
			return true
		}
		if seen[tid] {
			// bpo-38091: a cycle that does not include me is not my deadlock.
			return false
		}
		seen[tid] = true
	}
}

// acquire is _ModuleLock.acquire.
func (ls *locks) acquire(l *moduleLock, t *Thread) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.blockingOn[t] = l
	defer delete(ls.blockingOn, t)
	for {
		if l.count == 0 || l.owner == t {
			l.owner = t
			l.count++
			return nil
		}
		if ls.hasDeadlock(l, t) {
			return &pyerr.Exception{
				Type: "RuntimeError",
				Msg:  fmt.Sprintf("deadlock detected by _ModuleLock(%s)", pyRepr(l.name)),
				Err:  ErrDeadlock,
			}
		}
		// A release broadcasts; a waiter whose wait-for chain changed
		// re-runs the deadlock check, as CPython's waiters do on wakeup.
		l.cond.Wait()
	}
}

// release is _ModuleLock.release.
func (ls *locks) release(l *moduleLock, t *Thread) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l.owner != t {
		return pyerr.RuntimeError("cannot release un-acquired lock")
	}
	l.count--
	if l.count == 0 {
		l.owner = nil
		l.cond.Broadcast()
	}
	return nil
}

// IsDeadlock reports whether err is a _DeadlockError.
func IsDeadlock(err error) bool { return errors.Is(err, ErrDeadlock) }
