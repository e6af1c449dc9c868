package bridge

import (
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/pyerr"
)

// objectsFlag marks a callback target whose arguments hold Go objects.
const objectsFlag = 1 << 63

// Stale is the status Python answers for a callback whose Go call has
// already returned.
const Stale Status = 5

// python calls a Python target; set by the C ABI once the shim hands over
// its entry points.
var python func(target uint64, args []byte) (Status, []byte)

// SetPython installs the function that calls into Python.
func SetPython(fn func(target uint64, args []byte) (Status, []byte)) { python = fn }

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// Func makes a Go function of type t that calls the Python callable Python
// passed as callback id. A Python exception comes back as a
// *pyerr.PythonError, returned if the function type ends in error; either
// way Python raises the original exception when the Go call that received
// the callable returns.
func (s *callScope) Func(t reflect.Type, id uint64) reflect.Value {
	if kind := callbackKind(t); kind >= 0 && pythonScalar != nil {
		return reflect.ValueOf(s.scalarFunc(t, kind, id))
	}
	nOut := t.NumOut()
	returnsError := nOut > 0 && t.Out(nOut-1) == errorType
	if returnsError {
		nOut--
	}
	return reflect.MakeFunc(t, func(in []reflect.Value) []reflect.Value {
		results, err := callPython(id, t, nOut, in)
		s.fail(err)
		out := make([]reflect.Value, t.NumOut())
		for i := range out {
			if i < len(results) && results[i].IsValid() {
				out[i] = results[i]
			} else {
				out[i] = reflect.Zero(t.Out(i))
			}
		}
		if err != nil && returnsError {
			out[len(out)-1] = reflect.ValueOf(&err).Elem()
		}
		// Without an error result, a failed callback returns zero values:
		// Python has kept the exception and raises it when the Go call
		// that received the callable returns. Panicking instead would kill
		// the process if Go called back from a goroutine of its own.
		return out
	})
}

// callScope holds the callables of one Go call, and the first way one of
// them failed, which the call reports if it returns normally.
type callScope struct {
	failure atomic.Pointer[error]
}

func (s *callScope) fail(err error) {
	var stale *staleCallback
	if err == nil || errors.As(err, &stale) {
		return
	}
	s.failure.CompareAndSwap(nil, &err)
}

func (s *callScope) err() error {
	if p := s.failure.Load(); p != nil {
		return *p
	}
	return nil
}

// staleCallback is the error of a callback called after its Go call
// returned.
type staleCallback struct{ msg string }

func (e *staleCallback) Error() string { return e.msg }

func callPython(id uint64, t reflect.Type, nOut int, in []reflect.Value) ([]reflect.Value, error) {
	if python == nil {
		return nil, errors.New("gobridge: Python callbacks are not available")
	}
	var enc pymarshal.Encoder
	conv := convert.ToPython{Enc: &enc, Lender: lender{}}
	args := in
	if t.IsVariadic() {
		last := in[len(in)-1]
		args = append(append([]reflect.Value(nil), in[:len(in)-1]...), spread(last)...)
	}
	if err := enc.Tuple(len(args)); err != nil {
		return nil, err
	}
	for i, a := range args {
		if err := conv.Value(a.Interface()); err != nil {
			return nil, fmt.Errorf("gobridge: callback argument %d: %w", i, err)
		}
	}
	target := id
	if conv.Lent {
		target |= objectsFlag
	}
	status, reply := python(target, enc.Bytes())
	switch status {
	case OK:
	case Stale:
		return nil, &staleCallback{msg: string(reply)}
	default:
		return nil, decodePythonError(reply)
	}
	return decodeReply(t, nOut, reply)
}

func spread(v reflect.Value) []reflect.Value {
	out := make([]reflect.Value, v.Len())
	for i := range out {
		out[i] = v.Index(i)
	}
	return out
}

// decodeReply converts what the callable returned to the function's result
// types: nothing for none, the value for one, a tuple for several.
func decodeReply(t reflect.Type, nOut int, reply []byte) ([]reflect.Value, error) {
	var dec pymarshal.Decoder
	dec.Reset(reply)
	conv := convert.FromPython{Dec: &dec, Objects: lender{}, Callables: new(callScope)}
	switch nOut {
	case 0:
		return nil, nil
	case 1:
		v, err := conv.Value(t.Out(0))
		if err != nil {
			return nil, callbackResultError(err)
		}
		return []reflect.Value{v}, nil
	}
	n, err := dec.ReadTuple()
	if err != nil || n != nOut {
		return nil, pyerr.TypeError("callback must return a tuple of %d values", nOut)
	}
	out := make([]reflect.Value, nOut)
	for i := range out {
		if out[i], err = conv.Value(t.Out(i)); err != nil {
			return nil, callbackResultError(err)
		}
	}
	return out, nil
}

func callbackResultError(err error) error {
	if ae, ok := err.(*convert.ArgError); ok {
		return &pyerr.Exception{Type: ae.Type, Msg: "callback result: " + ae.Error()}
	}
	return err
}

// decodePythonError reads the (type, message) Python sends for an
// exception raised in a callback.
func decodePythonError(reply []byte) error {
	v, err := pymarshal.Decode(reply)
	if err != nil {
		return fmt.Errorf("gobridge: malformed callback error: %w", err)
	}
	tup, ok := v.(pymarshal.Tuple)
	if !ok || len(tup) != 2 {
		return fmt.Errorf("gobridge: malformed callback error")
	}
	typ, _ := tup[0].(string)
	msg, _ := tup[1].(string)
	return &pyerr.PythonError{Type: typ, Msg: msg}
}

// recovered turns what a deferred recover returned into the error to
// report.
func recovered(r any, where string) error { return pyerr.NewPanic(r, where) }

// recovered turns a panic of a call of f into the error to report: the
// exception f's PanicAs rules name for it, or a GoPanic.
func (f *function) recovered(r any) error {
	if f.desc != nil {
		if err := f.desc.PanicError(r); err != nil {
			return err
		}
	}
	return recovered(r, "calling "+f.name)
}
