package bridge

import (
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
