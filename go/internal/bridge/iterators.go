package bridge

import (
	"reflect"
	"sync"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// Iterator is what Python iterates when Go returns a receive channel or an
// iter.Seq or iter.Seq2 function. Python sees it as gobridge's GoIterator
// class, whose __next__ is Next.
type Iterator struct {
	mu     sync.Mutex
	next   func() (any, bool, error)
	stop   func()
	closed bool
}

// Next returns the next value, or StopIteration at the end. An iter.Seq2
// yields (key, value) tuples.
func (it *Iterator) Next() (any, error) {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.closed {
		return nil, stopIteration
	}
	v, ok, err := it.next()
	if err != nil || !ok {
		it.closeLocked()
		if err != nil {
			return nil, err
		}
		return nil, stopIteration
	}
	return v, nil
}

// Close stops the iterator early: an iter.Seq's goroutine finishes, and a
// channel is drained in the background so that its sender is not left
// blocked.
func (it *Iterator) Close() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.closeLocked()
}

func (it *Iterator) closeLocked() {
	if !it.closed {
		it.closed = true
		it.stop()
	}
}

// release is called when Python drops its last reference.
func (it *Iterator) release() { it.Close() }

var stopIteration = &pyerr.Exception{Type: "StopIteration"}

// iteratorClass names and shapes the class Python builds for *Iterator.
var iteratorClass = &py.Class{
	Name: "GoIterator",
	Doc:  "An iterator over a Go channel or iter.Seq; close() stops it early.",
	Type: reflect.TypeOf((*Iterator)(nil)),
	Methods: map[string][]py.FuncOption{
		"Next":  {py.Name("__next__")},
		"Close": {py.Name("close")},
	},
	Hidden: map[string]bool{},
}

// newIterator wraps a receive channel or an iter.Seq-shaped function.
func newIterator(v reflect.Value) *Iterator {
	if v.Kind() == reflect.Chan {
		return &Iterator{
			next: func() (any, bool, error) {
				x, ok := v.Recv()
				if !ok {
					return nil, false, nil
				}
				return x.Interface(), true, nil
			},
			stop: func() {
				go func() {
					for {
						if _, ok := v.Recv(); !ok {
							return
						}
					}
				}()
			},
		}
	}
	pairs := v.Type().In(0).NumIn() == 2
	seq := func(yield func(any) bool) {
		yieldType := v.Type().In(0)
		fn := reflect.MakeFunc(yieldType, func(args []reflect.Value) []reflect.Value {
			var item any
			if pairs {
				item = convert.Tuple{args[0].Interface(), args[1].Interface()}
			} else {
				item = args[0].Interface()
			}
			return []reflect.Value{reflect.ValueOf(yield(item))}
		})
		v.Call([]reflect.Value{fn})
	}
	next, stop := pull(seq)
	return &Iterator{next: next, stop: stop}
}

// pull turns a push iterator into next and stop functions, as iter.Pull
// does, but runs it on a goroutine of its own. iter.Pull's coroutine must
// be resumed with the thread locking it was created with, and Python may
// advance an iterator from any thread, each call locked to its own. A
// panic in seq ends the iteration with a GoPanic carrying seq's stack.
func pull(seq func(yield func(any) bool)) (next func() (any, bool, error), stop func()) {
	type item struct {
		value any
		err   error
	}
	more := make(chan bool) // the consumer's answer to each yield: go on or stop
	items := make(chan item)
	started, done := false, false
	run := func() {
		defer close(items)
		defer func() {
			if r := recover(); r != nil {
				items <- item{err: recovered(r, "calling GoIterator.__next__")}
			}
		}()
		if !<-more {
			return
		}
		stopped := false
		seq(func(v any) bool {
			if stopped {
				return false // seq ignored the first false
			}
			items <- item{value: v}
			stopped = !<-more
			return !stopped
		})
	}
	next = func() (any, bool, error) {
		if done {
			return nil, false, nil
		}
		if !started {
			started = true
			go run()
		}
		more <- true
		it, ok := <-items
		if !ok || it.err != nil {
			done = true
			return nil, false, it.err
		}
		return it.value, true, nil
	}
	stop = func() {
		if started && !done {
			more <- false
			for range items {
			}
		}
		done = true
	}
	return next, stop
}
