package bridge

import (
	"fmt"
	"reflect"

	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// Python callables whose Go function type is all scalars (at most
// MaxFastArity parameters of kinds i, u or d, and no result, one of those
// kinds or bool) are called through typed entries of the shim rather
// than with marshalled arguments: one entry per kind, in the order
// callbackKind gives, which GB_SCALAR_KINDS in bridge/gb_callbacks.h
// lists too.

// Unconverted is the status of a scalar callback whose Python result did
// not fit the entry's C type; Go then asks for the result marshalled, to
// report it the way the general path does.
const Unconverted Status = 6

// explainFlag marks a request, through the general entry, for the result a
// scalar callback could not convert.
const explainFlag = 1 << 62

// pythonScalar calls scalar entry kind of the shim for callback target,
// with raw arguments; set by the C ABI.
var pythonScalar func(kind int, target, a0, a1 uint64) (Status, uint64)

// SetPythonScalar installs the function that calls the shim's scalar
// callback entries.
func SetPythonScalar(fn func(kind int, target, a0, a1 uint64) (Status, uint64)) {
	pythonScalar = fn
}

const callbackResults = "iudbv"

// callbackKind returns the number of the scalar entry for Python callables
// of function type t, or -1 when t is not all scalars.
func callbackKind(t reflect.Type) int {
	if t.Kind() != reflect.Func || t.IsVariadic() || t.NumIn() > MaxFastArity || t.NumOut() > 1 {
		return -1
	}
	// Kinds of arity n follow those of smaller arities, 5 (results) times
	// 3^k (argument kinds) for each arity k < n.
	base, args := 0, 0
	for k := 0; k < t.NumIn(); k++ {
		base += pow3(k) * len(callbackResults)
		letter := kindLetter(t.In(k))
		if letter == 0 {
			return -1
		}
		args = args*3 + indexOf("iud", letter)
	}
	result := byte('v')
	if t.NumOut() == 1 {
		if result = kindLetter(t.Out(0)); t.Out(0).Kind() == reflect.Bool {
			result = 'b'
		}
		if result == 0 {
			return -1
		}
	}
	return base + args*len(callbackResults) + indexOf(callbackResults, result)
}

func pow3(k int) int {
	n := 1
	for ; k > 0; k-- {
		n *= 3
	}
	return n
}

func indexOf(letters string, c byte) int {
	for i := 0; i < len(letters); i++ {
		if letters[i] == c {
			return i
		}
	}
	return -1
}

// scalarCallable is a Python callable lent to one Go call as target, to
// be called through scalar entry kind as a Go function of type t.
type scalarCallable struct {
	scope  *callScope
	t      reflect.Type
	kind   int
	target uint64
}

// call calls the callable with raw arguments and returns its raw result,
// or 0 after recording in the scope why it failed.
func (c *scalarCallable) call(a0, a1 uint64) uint64 {
	status, r := pythonScalar(c.kind, c.target, a0, a1)
	switch status {
	case OK:
		return r
	case Unconverted:
		c.scope.fail(explainResult(c.t, c.target))
	case Stale:
	case Error:
		// Python keeps the exception and raises it when the Go call that
		// received the callable returns.
		c.scope.fail(&pyerr.PythonError{Type: "Exception", Msg: "a Python callback raised"})
	default:
		c.scope.fail(fmt.Errorf("gobridge: scalar callback entry %d answered status %d", c.kind, status))
	}
	return 0
}

// scalarFunc makes the Go function of type t, of scalar entry kind, that
// calls the Python callable target.
func (s *callScope) scalarFunc(t reflect.Type, kind int, target uint64) any {
	return scalarFuncMaker(t)(&scalarCallable{scope: s, t: t, kind: kind, target: target})
}

// scalarFuncMaker returns what makes Go functions of scalar function type
// t from lent callables. The commonest types get a typed closure;
// reflect.MakeFunc would cost more than the call into Python.
func scalarFuncMaker(t reflect.Type) func(c *scalarCallable) any {
	switch t {
	case reflect.TypeFor[func(int) int]():
		return func(c *scalarCallable) any { return func(x int) int { return int(c.call(uint64(x), 0)) } }
	case reflect.TypeFor[func(int64) int64]():
		return func(c *scalarCallable) any { return func(x int64) int64 { return int64(c.call(uint64(x), 0)) } }
	case reflect.TypeFor[func(int, int) int]():
		return func(c *scalarCallable) any {
			return func(x, y int) int { return int(c.call(uint64(x), uint64(y))) }
		}
	case reflect.TypeFor[func(int) bool]():
		return func(c *scalarCallable) any { return func(x int) bool { return c.call(uint64(x), 0) != 0 } }
	case reflect.TypeFor[func(int)]():
		return func(c *scalarCallable) any { return func(x int) { c.call(uint64(x), 0) } }
	case reflect.TypeFor[func() int]():
		return func(c *scalarCallable) any { return func() int { return int(c.call(0, 0)) } }
	}
	return func(c *scalarCallable) any { return reflect.MakeFunc(t, c.reflected).Interface() }
}

// reflected is the callable as the implementation of reflect.MakeFunc.
func (c *scalarCallable) reflected(in []reflect.Value) []reflect.Value {
	var raw [MaxFastArity]uint64
	for i, v := range in {
		raw[i] = toRaw(v)
	}
	r := c.call(raw[0], raw[1])
	if c.t.NumOut() == 0 {
		return nil
	}
	out := c.t.Out(0)
	if out.Kind() == reflect.Bool {
		return []reflect.Value{reflect.ValueOf(r != 0).Convert(out)}
	}
	v, err := fromRaw(out, r)
	if err != nil {
		c.scope.fail(callbackResultError(err))
		v = reflect.Zero(out)
	}
	return []reflect.Value{v}
}

// lentParams says which parameters of a fast path take Python callables,
// which cross as the numbers Python lent them under: the scalar entry of
// each (-1 for the other parameters) and the maker of its Go functions.
type lentParams struct {
	kinds  []int
	makers []func(*scalarCallable) any
	any    bool
}

func lentParamsOf(params []py.Param) lentParams {
	l := lentParams{kinds: make([]int, len(params)), makers: make([]func(*scalarCallable) any, len(params))}
	for i, p := range params {
		l.kinds[i] = -1
		if p.Type.Kind() == reflect.Func {
			l.kinds[i] = callbackKind(p.Type)
			l.makers[i] = scalarFuncMaker(p.Type)
			l.any = true
		}
	}
	return l
}

// fn returns the Go function of parameter i for c, whose target is the
// number Python passed, or nil for 0 (None).
func (l lentParams) fn(i int, c *scalarCallable) any {
	if c.target == 0 || pythonScalar == nil {
		return nil
	}
	c.kind = l.kinds[i]
	return l.makers[i](c)
}

// explainResult returns the error of a scalar callback's result that did
// not fit its C type, as the general path words it.
func explainResult(t reflect.Type, target uint64) error {
	status, reply := python(target|explainFlag, nil)
	if status != OK {
		return pyerr.TypeError("callback result: cannot be converted to Go %s", t.Out(0))
	}
	if _, err := decodeReply(t, t.NumOut(), reply); err != nil {
		return err
	}
	return pyerr.TypeError("callback result: cannot be converted to Go %s", t.Out(0))
}
