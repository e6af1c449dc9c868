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

// makeFast returns the fast path of pf, its kind and result mode, or nil
// when its signature is not all scalars.
func makeFast(pf *py.Function, isMethod bool) (fastFunc, string, resultMode) {
	if isMethod || pf.Variadic || pf.TakesContext || len(pf.Params) > MaxFastArity || len(pf.Results) > 1 {
		return nil, "", resultValue
	}
	kind := make([]byte, 0, 4)
	for _, p := range pf.Params {
		k := kindLetter(p.Type)
		if k == 0 {
			return nil, "", resultValue
		}
		kind = append(kind, k)
	}
	if len(kind) == 0 {
		kind = append(kind, 'v')
	}
	kind = append(kind, '_')
	mode := resultValue
	switch {
	case len(pf.Results) == 0:
		kind = append(kind, 'i')
		mode = resultNone
	case pf.Results[0].Kind() == reflect.Bool:
		kind = append(kind, 'i')
		mode = resultBool
	default:
		k := kindLetter(pf.Results[0])
		if k == 0 {
			return nil, "", resultValue
		}
		kind = append(kind, k)
	}
	if f := typedFast(pf.Value.Interface()); f != nil {
		return bindFastErrors(pf, f), string(kind), mode
	}
	return reflectFast(pf), string(kind), mode
}

// typedFast covers the commonest scalar signatures without reflection,
// which would cost more than the whole cgo crossing.
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

// bindFastErrors names the function and parameter in the argument errors
// of a typed fast path, which cannot know them.
func bindFastErrors(pf *py.Function, f fastFunc) fastFunc {
	return func(a0, a1 uint64) (uint64, error) {
		r, err := f(a0, a1)
		if ae, ok := err.(*indexedArgError); ok {
			return 0, convert.Bind(ae.err, pf.Name, pf.Params[ae.index].Name)
		}
		return r, err
	}
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
	types := make([]reflect.Type, len(pf.Params))
	for i, p := range pf.Params {
		types[i] = p.Type
	}
	fv := pf.Value
	returnsError := pf.ReturnsError
	var result reflect.Type
	if len(pf.Results) == 1 {
		result = pf.Results[0]
	}
	return func(a0, a1 uint64) (uint64, error) {
		raw := [MaxFastArity]uint64{a0, a1}
		args := make([]reflect.Value, len(types))
		for i, t := range types {
			v, err := fromRaw(t, raw[i])
			if err != nil {
				return 0, convert.Bind(err, pf.Name, pf.Params[i].Name)
			}
			args[i] = v
		}
		out := fv.Call(args)
		if returnsError {
			if last := out[len(out)-1]; !last.IsNil() {
				return 0, last.Interface().(error)
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
