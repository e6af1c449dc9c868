package bridge

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// Status is the outcome of a bridge operation, as the C ABI reports it.
type Status int64

// The statuses shared with the C layer (bridge/gb_status.h).
const (
	// OK: the output holds the value.
	OK Status = 0
	// OKObjects: the output holds a value with Go objects in it.
	OKObjects Status = 1
	// Error: the output holds an error record.
	Error Status = 2
)

// Call runs function fid on the marshalled arguments args, with self the
// handle of the receiver for methods (0 otherwise) and spans the buffers
// passed by reference. It writes the result, or an error record, to enc.
// A panic in the Go function becomes a GoPanic record.
func Call(fid, self uint64, args []byte, spans [][]byte, enc *pymarshal.Encoder) Status {
	f := functions.get(fid)
	if f == nil {
		return writeError(enc, pyerr.RuntimeError("gobridge: function %d does not exist or its module was released", fid))
	}
	if f.direct != nil {
		return f.callDirect(self, args, enc)
	}
	results, err := f.invoke(self, args, spans)
	if err != nil {
		return writeError(enc, err)
	}
	return writeResults(enc, f, results)
}

// directStates recycles the decoders of direct calls, which keep a stack
// of open containers.
var directStates = sync.Pool{New: func() any { return new(directArgs) }}

func (f *function) callDirect(self uint64, args []byte, enc *pymarshal.Encoder) (status Status) {
	var recv any
	if f.recvType != nil {
		var err error
		if recv, err = receiverObject(f, self); err != nil {
			return writeError(enc, err)
		}
	}
	a := directStates.Get().(*directArgs)
	defer directStates.Put(a)
	defer func() { a.recv = nil }() // the pool must not keep the receiver alive
	a.f, a.dec = f, &a.decoder
	if recv != nil {
		a.recv = dataWord(recv)
	}
	a.decoder.Reset(args)
	n, err := a.dec.ReadTuple()
	if err != nil {
		return writeError(enc, fmt.Errorf("gobridge: malformed arguments for %s(): %w", f.name, err))
	}
	if n != len(f.params) {
		return writeError(enc, arityError(f, n))
	}
	defer func() {
		if r := recover(); r != nil {
			status = writeError(enc, f.recovered(r))
		}
	}()
	if err := f.direct(a, enc); err != nil {
		var bad *convert.InvalidUTF8
		if errors.As(err, &bad) {
			err = resultError(f, err)
		}
		return writeError(enc, err)
	}
	return OK
}

func (f *function) invoke(self uint64, args []byte, spans [][]byte) ([]reflect.Value, error) {
	return f.invokeContext(context.Background(), self, args, spans)
}

func (f *function) invokeContext(ctx context.Context, self uint64, args []byte, spans [][]byte) (results []reflect.Value, err error) {
	scope := new(callScope)
	// Installed first: a panic while converting arguments must not escape
	// the call either.
	defer func() {
		if r := recover(); r != nil {
			results, err = nil, f.recovered(r)
		}
		if err == nil {
			err = scope.err()
		}
	}()
	var recv reflect.Value
	if f.recvType != nil {
		if recv, err = receiver(f, self); err != nil {
			return nil, err
		}
	}
	in, err := f.decodeArgs(args, spans, scope)
	if err != nil {
		return nil, err
	}
	if f.positions != nil {
		if err := f.positions.convertArgs(in); err != nil {
			return nil, err
		}
	}
	params := in
	if f.takesContext {
		in = append([]reflect.Value{reflect.ValueOf(ctx)}, in...)
	}
	if results, err = f.call(recv, in); err != nil || f.positions == nil {
		return results, err
	}
	if err := f.positions.convertResults(params, results); err != nil {
		return nil, err
	}
	return results, nil
}

func receiver(f *function, self uint64) (reflect.Value, error) {
	v, err := receiverObject(f, self)
	if err != nil {
		return reflect.Value{}, err
	}
	return reflect.ValueOf(v), nil
}

// receiverObject returns the Go value of handle self, checked to be a
// receiver of method f.
func receiverObject(f *function, self uint64) (any, error) {
	v, ok := objects.Get(self)
	if !ok {
		return nil, pyerr.ValueError("%s(): the Go object has been released", f.name)
	}
	if t := reflect.TypeOf(v); t != f.recvType {
		return nil, pyerr.TypeError("%s(): self must be Go %s, not %s", f.name, f.recvType, t)
	}
	return v, nil
}

// decodeArgs converts the argument tuple to the parameters' Go types,
// naming the parameter in any error.
func (f *function) decodeArgs(args []byte, spans [][]byte, scope *callScope) ([]reflect.Value, error) {
	dec := pymarshal.NewDecoder(args)
	n, err := dec.ReadTuple()
	if err != nil {
		return nil, fmt.Errorf("gobridge: malformed arguments for %s(): %w", f.name, err)
	}
	fixed := len(f.params)
	if f.variadic {
		fixed--
	}
	if n < fixed || !f.variadic && n > fixed {
		return nil, arityError(f, n)
	}
	conv := convert.FromPython{Dec: dec, Spans: spans, Objects: lender{}, Callables: scope}
	in := make([]reflect.Value, 0, len(f.params))
	for i := 0; i < fixed; i++ {
		v, err := conv.Value(f.params[i].Type)
		if err == nil {
			err = refuseNilFunc(f.params[i], v)
		}
		if err != nil {
			return nil, convert.Bind(err, f.name, f.params[i].Name)
		}
		in = append(in, v)
	}
	if f.variadic {
		last := f.params[fixed]
		rest := reflect.MakeSlice(last.Type, n-fixed, n-fixed)
		for i := 0; i < n-fixed; i++ {
			v, err := conv.Value(last.Type.Elem())
			if err == nil {
				err = refuseNilFunc(py.Param{Type: last.Type.Elem()}, v)
			}
			if err != nil {
				return nil, convert.Bind(err, f.name, fmt.Sprintf("%s[%d]", last.Name, i))
			}
			rest.Index(i).Set(v)
		}
		in = append(in, rest)
	}
	if err := dec.Finish(); err != nil {
		return nil, fmt.Errorf("gobridge: malformed arguments for %s(): %w", f.name, err)
	}
	return in, nil
}

// refuseNilFunc refuses None for a func parameter not declared
// py.Nilable: Go would panic calling it, so Python gets a TypeError
// naming the parameter instead.
func refuseNilFunc(p py.Param, v reflect.Value) error {
	if p.Nilable || p.Type.Kind() != reflect.Func || !v.IsNil() {
		return nil
	}
	return &convert.ArgError{Type: "TypeError", Want: "callable", Got: "None"}
}

func arityError(f *function, n int) error {
	want := len(f.params)
	switch {
	case f.variadic:
		return pyerr.TypeError("%s() takes at least %d positional argument%s (%d given)", f.name, want-1, plural(want-1), n)
	case want == 0:
		return pyerr.TypeError("%s() takes no arguments (%d given)", f.name, n)
	}
	return pyerr.TypeError("%s() takes %d positional argument%s but %d %s given", f.name, want, plural(want), n, wasWere(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// writeResults writes None for no result, the value for one, and a tuple
// for several.
func writeResults(enc *pymarshal.Encoder, f *function, results []reflect.Value) Status {
	conv := convert.ToPython{Enc: enc, Lender: lender{}}
	var err error
	switch len(results) {
	case 0:
		enc.None()
	case 1:
		err = conv.Value(results[0].Interface())
	default:
		if err = enc.Tuple(len(results)); err == nil {
			for _, r := range results {
				if err = conv.Value(r.Interface()); err != nil {
					break
				}
			}
		}
	}
	if err != nil {
		enc.Reset()
		return writeError(enc, resultError(f, err))
	}
	if conv.Lent {
		return OKObjects
	}
	return OK
}

func resultError(f *function, err error) error {
	var bad *convert.InvalidUTF8
	if errors.As(err, &bad) {
		return &pyerr.Exception{
			Type: "UnicodeDecodeError",
			Msg:  fmt.Sprintf("invalid UTF-8 in the Go string returned by %s()", f.name),
			Attrs: map[string]any{
				"object": bad.Data, "start": bad.Offset, "end": bad.Offset + 1,
			},
			Err: err,
		}
	}
	return &pyerr.Exception{Type: "TypeError", Msg: fmt.Sprintf("%s(): cannot return the result to Python: %v", f.name, err), Err: err}
}

// writeError writes the error record (exc_type, message, go_type,
// go_stack, attrs, module class) for err, where the module class is
// "module:name" of the exception class err matches (see moduleError), or
// "".
func writeError(enc *pymarshal.Encoder, err error) Status {
	enc.Reset()
	typ := pyerr.PythonException(err)
	goType := fmt.Sprintf("%T", err)
	stack, msg := "", err.Error()
	var pnc *pyerr.Panic
	var exc *pyerr.Exception
	if errors.As(err, &pnc) {
		stack = pnc.Stack
		goType = fmt.Sprintf("%T", pnc.Value)
		if pnc == err {
			// Python's traceback says where; the message is the panic's own.
			msg = pnc.Message()
		}
	} else if errors.As(err, &exc) && exc.Stack != "" {
		stack = exc.Stack
	}
	conv := convert.ToPython{Enc: enc}
	_ = enc.Tuple(6)
	_ = enc.Str(typ)
	if e := enc.Str(msg); e != nil {
		_ = enc.Str(fmt.Sprintf("%q", msg))
	}
	_ = enc.Str(goType)
	if e := enc.Str(stack); e != nil {
		_ = enc.Str("")
	}
	matches := moduleError(err, typ)
	mark := enc.Len()
	if attrs := matchAttrs(pyerr.ExceptionAttrs(err), matches); attrs == nil || conv.Value(attrs) != nil {
		enc.Truncate(mark)
		enc.DictBegin()
		enc.DictEnd()
	}
	if e := enc.Str(recordClasses(matches)); e != nil {
		_ = enc.Str("")
	}
	return Error
}
