package bridge

import (
	"iter"
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
	next   func() (any, bool)
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
	v, ok := it.next()
	if !ok {
		it.closeLocked()
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
			next: func() (any, bool) {
				x, ok := v.Recv()
				if !ok {
					return nil, false
				}
				return x.Interface(), true
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
	next, stop := iter.Pull(iter.Seq[any](seq))
	return &Iterator{next: next, stop: stop}
}
