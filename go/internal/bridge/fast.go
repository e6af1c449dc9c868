package bridge

import (
	"math"
	"reflect"
	"strconv"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
)

// fastFunc is the scalar fast path of a function: its arguments and result
// travel as raw 64-bit patterns (int64, uint64 or float64 bits, as the kind
// letters i, u and d say), without marshal.
type fastFunc func(a0, a1 uint64) (uint64, error)

// MaxFastArity is the largest number of parameters the fast path takes; the
// C shim generates entries for the same rule.
const MaxFastArity = 2

func kindLetter(t reflect.Type) byte {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return 'i'
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 'u'
	case reflect.Float32, reflect.Float64:
		return 'd'
	}
	return 0
}

// makeFast returns the fast path of pf and its kind, or nil when its
// signature is not all scalars.
func makeFast(pf *py.Function) (fastFunc, string) {
	if pf.Variadic || pf.TakesContext {
		return nil, ""
	}
	kind, ok := scalarKind(pf.Params, pf.Results, MaxFastArity)
	if !ok {
		return nil, ""
	}
	if f := typedFast(pf.Value.Interface()); f != nil {
		return f, kind
	}
	if f := wordFast(pf); f != nil {
		return f, kind
	}
	return reflectFast(pf), kind
}

// wordFast is the fast path of a signature of machine words, calling
// without reflection; callables cross as the numbers Python lent them
// under. It is nil for other signatures.
func wordFast(pf *py.Function) fastFunc {
	if pf.ReturnsError {
		return nil
	}
	call := wordCallOf(pf.Value.Interface(), pf.Value.Type())
	if call == nil {
		return nil
	}
	lent := lentParamsOf(pf.Params)
	if !lent.any {
		return func(a0, a1 uint64) (uint64, error) {
			args := wordArgs{word: [MaxFastArity]uint64{a0, a1}}
			return call(args), nil
		}
	}
	// One allocation holds the call's scope and its callables.
	type callState struct {
		scope     callScope
		callables [MaxFastArity]scalarCallable
	}
	return func(a0, a1 uint64) (uint64, error) {
		raw := [MaxFastArity]uint64{a0, a1}
		var args wordArgs
		state := new(callState)
		for i, kind := range lent.kinds {
			if kind < 0 {
				args.word[i] = raw[i]
				continue
			}
			c := &state.callables[i]
			*c = scalarCallable{scope: &state.scope, t: pf.Params[i].Type, target: raw[i]}
			if fn := lent.fn(i, c); fn != nil {
				args.ptr[i] = dataWord(fn)
			}
		}
		r := call(args)
		return r, state.scope.err()
	}
}

// scalarKind names the fast path of a signature, such as "ui_i" for
// (uint64, int) int64 (a bool result, or none, is an i); ok is false when a
// parameter or the result is not a scalar, or there are more than
// maxParams.
func scalarKind(params []py.Param, results []reflect.Type, maxParams int) (kind string, ok bool) {
	if len(params) > maxParams || len(results) > 1 {
		return "", false
	}
	letters := make([]byte, 0, 4)
	for _, p := range params {
		k := kindLetter(p.Type)
		if callbackKind(p.Type) >= 0 {
			k = 'u' // the number Python lent the callable under
		}
		if k == 0 {
			return "", false
		}
		letters = append(letters, k)
	}
	if len(letters) == 0 {
		letters = append(letters, 'v')
	}
	letters = append(letters, '_')
	switch {
	case len(results) == 0, results[0].Kind() == reflect.Bool:
		letters = append(letters, 'i')
	default:
		k := kindLetter(results[0])
		if k == 0 {
			return "", false
		}
		letters = append(letters, k)
	}
	return string(letters), true
}

// typedFast covers the commonest scalar signatures with one direct call:
// a few nanoseconds less than a word call (wordcall.go), which serves the
// other signatures of 64-bit words, and which the call-overhead figures
// notice. It also range-checks narrower parameters, as func(uint32) int's.
func typedFast(fn any) fastFunc {
	switch f := fn.(type) {
	case func():
		return func(_, _ uint64) (uint64, error) { f(); return 0, nil }
	case func() int:
		return func(_, _ uint64) (uint64, error) { return uint64(int64(f())), nil }
	case func() bool:
		return func(_, _ uint64) (uint64, error) {
			if f() {
				return 1, nil
			}
			return 0, nil
		}
	case func(uint64) int:
		return func(a, _ uint64) (uint64, error) { return uint64(int64(f(a))), nil }
	case func(uint64) uint64:
		return func(a, _ uint64) (uint64, error) { return f(a), nil }
	case func(uint64, int) uint64:
		return func(a, b uint64) (uint64, error) { return f(a, int(int64(b))), nil }
	case func(uint32) int:
		return func(a, _ uint64) (uint64, error) {
			if a > math.MaxUint32 {
				return 0, &indexedArgError{0, errOverflow(reflect.TypeOf(uint32(0)), a)}
			}
			return uint64(int64(f(uint32(a)))), nil
		}
	case func(int) int:
		return func(a, _ uint64) (uint64, error) { return uint64(f(int(int64(a)))), nil }
	case func(int, int) int:
		return func(a, b uint64) (uint64, error) { return uint64(f(int(int64(a)), int(int64(b)))), nil }
	case func(int64) int64:
		return func(a, _ uint64) (uint64, error) { return uint64(f(int64(a))), nil }
	case func(int64, int64) int64:
		return func(a, b uint64) (uint64, error) { return uint64(f(int64(a), int64(b))), nil }
	case func(float64) float64:
		return func(a, _ uint64) (uint64, error) {
			return math.Float64bits(f(math.Float64frombits(a))), nil
		}
	case func(float64, float64) float64:
		return func(a, b uint64) (uint64, error) {
			return math.Float64bits(f(math.Float64frombits(a), math.Float64frombits(b))), nil
		}
	}
	return nil
}

// bindFastError names the function and parameter in an argument error of
// a typed fast path, which cannot know them.
func (f *function) bindFastError(err error) error {
	if ae, ok := err.(*indexedArgError); ok && f.desc != nil {
		return convert.Bind(ae.err, f.desc.Name, f.desc.Params[ae.index].Name)
	}
	return err
}

// indexedArgError is an argument error of parameter index.
type indexedArgError struct {
	index int
	err   error
}

func (e *indexedArgError) Error() string { return e.err.Error() }

func errOverflow(t reflect.Type, raw uint64) error {
	return &convert.ArgError{Type: "OverflowError", Want: "Go " + t.String(), Detail: strconv.FormatUint(raw, 10)}
}

// reflectFast is the fast path of any other scalar signature.
func reflectFast(pf *py.Function) fastFunc {
	call := reflectScalarCall(pf, pf.Name, pf.Params)
	return func(a0, a1 uint64) (uint64, error) {
		return call(nil, [MaxFastArity]uint64{a0, a1})
	}
}

// reflectScalarCall calls pf through reflection on raw scalar arguments,
// after the receiver when recv is not nil; params are the parameters the
// raw arguments stand for, name and their names appear in errors.
func reflectScalarCall(pf *py.Function, name string, params []py.Param) func(recv any, raw [MaxFastArity]uint64) (uint64, error) {
	types := make([]reflect.Type, len(params))
	for i, p := range params {
		types[i] = p.Type
	}
	fv := pf.Value
	returnsError := pf.ReturnsError
	var result reflect.Type
	if len(pf.Results) == 1 {
		result = pf.Results[0]
	}
	lent := lentParamsOf(params)
	return func(recv any, raw [MaxFastArity]uint64) (uint64, error) {
		var scope *callScope
		if lent.any {
			scope = new(callScope)
		}
		args := make([]reflect.Value, 0, len(types)+1)
		if recv != nil {
			args = append(args, reflect.ValueOf(recv))
		}
		for i, t := range types {
			if lent.kinds[i] >= 0 {
				v := reflect.Zero(t)
				if fn := lent.fn(i, &scalarCallable{scope: scope, t: t, target: raw[i]}); fn != nil {
					v = reflect.ValueOf(fn)
				}
				args = append(args, v)
				continue
			}
			v, err := fromRaw(t, raw[i])
			if err != nil {
				return 0, convert.Bind(err, name, params[i].Name)
			}
			args = append(args, v)
		}
		out := fv.Call(args)
		if returnsError {
			if last := out[len(out)-1]; !last.IsNil() {
				return 0, last.Interface().(error)
			}
		}
		if scope != nil {
			if err := scope.err(); err != nil {
				return 0, err
			}
		}
		if result == nil {
			return 0, nil
		}
		return toRaw(out[0]), nil
	}
}

// fromRaw converts a raw argument to a Go scalar of type t, checking range
// for types narrower than 64 bits.
func fromRaw(t reflect.Type, raw uint64) (reflect.Value, error) {
	v := reflect.New(t).Elem()
	switch kindLetter(t) {
	case 'i':
		n := int64(raw)
		if v.OverflowInt(n) {
			return v, &convert.ArgError{Type: "OverflowError", Want: "Go " + t.String(), Detail: strconv.FormatInt(n, 10)}
		}
		v.SetInt(n)
	case 'u':
		if v.OverflowUint(raw) {
			return v, errOverflow(t, raw)
		}
		v.SetUint(raw)
	case 'd':
		f := math.Float64frombits(raw)
		if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && math.IsInf(float64(float32(f)), 0) {
			return v, &convert.ArgError{Type: "OverflowError", Want: "Go float32", Detail: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		v.SetFloat(f)
	}
	return v, nil
}

func toRaw(v reflect.Value) uint64 {
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return 1
		}
		return 0
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(v.Float())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	}
	return uint64(v.Int())
}
