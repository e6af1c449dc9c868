package bridge

import (
	"math"
	"reflect"
	"strings"
	"unsafe"
)

// makeMethodFast returns the scalar fast path of method f: the receiver's
// handle travels as the first raw argument (kind letter u), the method's
// own scalar parameters after it.
func makeMethodFast(f *function) (fastFunc, string) {
	pf := f.desc
	if pf.Variadic || pf.TakesContext {
		return nil, ""
	}
	for _, p := range f.params {
		if p.Type.Kind() == reflect.Func {
			return nil, "" // lent callables need the general path's scope
		}
	}
	kind, ok := scalarKind(f.params, pf.Results, MaxFastArity-1)
	if !ok {
		return nil, ""
	}
	kind = strings.TrimPrefix(kind, "v") // no parameters but the receiver's handle
	if fast := typedMethodFast(f); fast != nil {
		return fast, "u" + kind
	}
	call := wordMethod(f)
	if call == nil {
		reflected := reflectScalarCall(pf, f.name, f.params)
		call = func(recv any, a uint64) (uint64, error) {
			return reflected(recv, [MaxFastArity]uint64{a})
		}
	}
	return func(self, a uint64) (uint64, error) {
		recv, err := receiverObject(f, self)
		if err != nil {
			return 0, err
		}
		return call(recv, a)
	}, "u" + kind
}

// wordMethod returns the reflection-free call of method f on a receiver
// and one raw argument, or nil when the receiver is not a pointer or the
// signature is not all words.
func wordMethod(f *function) func(recv any, a uint64) (uint64, error) {
	if f.recvType.Kind() != reflect.Pointer || f.desc.ReturnsError {
		return nil
	}
	call := wordCallOf(f.desc.Value.Interface(), f.desc.Value.Type())
	if call == nil {
		return nil
	}
	return func(recv any, a uint64) (uint64, error) {
		args := wordArgs{ptr: [MaxFastArity]unsafe.Pointer{dataWord(recv)}, word: [MaxFastArity]uint64{0, a}}
		return call(args), nil
	}
}

// typedMethodFast covers the commonest scalar method signatures of pointer
// receivers with one direct call, as typedFast does for functions: the
// word call's generic adapters cost a method call a tenth of its time. It
// is nil for other signatures.
func typedMethodFast(f *function) fastFunc {
	if f.recvType.Kind() != reflect.Pointer || f.desc.ReturnsError {
		return nil
	}
	fn := f.desc.Value.Interface()
	var call func(recv unsafe.Pointer, a uint64) uint64
	switch withoutReceiver(f.desc.Value.Type()) {
	case reflect.TypeFor[func(int64) int64]():
		m := asWords[func(unsafe.Pointer, int64) int64](fn)
		call = func(r unsafe.Pointer, a uint64) uint64 { return uint64(m(r, int64(a))) }
	case reflect.TypeFor[func(int) int]():
		m := asWords[func(unsafe.Pointer, int) int](fn)
		call = func(r unsafe.Pointer, a uint64) uint64 { return uint64(m(r, int(int64(a)))) }
	case reflect.TypeFor[func() int64]():
		m := asWords[func(unsafe.Pointer) int64](fn)
		call = func(r unsafe.Pointer, _ uint64) uint64 { return uint64(m(r)) }
	case reflect.TypeFor[func() int]():
		m := asWords[func(unsafe.Pointer) int](fn)
		call = func(r unsafe.Pointer, _ uint64) uint64 { return uint64(m(r)) }
	case reflect.TypeFor[func(float64) float64]():
		m := asWords[func(unsafe.Pointer, float64) float64](fn)
		call = func(r unsafe.Pointer, a uint64) uint64 {
			return math.Float64bits(m(r, math.Float64frombits(a)))
		}
	default:
		return nil
	}
	return func(self, a uint64) (uint64, error) {
		recv, err := receiverObject(f, self)
		if err != nil {
			return 0, err
		}
		return call(dataWord(recv), a), nil
	}
}
