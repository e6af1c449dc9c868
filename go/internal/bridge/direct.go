package bridge

import (
	"reflect"
	"unsafe"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
)

// directFunc runs a call straight from marshal data to marshal data, for
// the commonest string signatures, where reflect.Value.Call would cost
// more than everything else in the call together.
type directFunc func(a *directArgs, enc *pymarshal.Encoder) error

// directArgs reads a direct call's arguments, naming the parameter in any
// conversion error.
type directArgs struct {
	f       *function
	dec     *pymarshal.Decoder
	decoder pymarshal.Decoder
	// recv is the receiver of a method's call.
	recv unsafe.Pointer
}

func (a *directArgs) str(i int) (string, error) {
	saved := *a.dec
	if k, err := a.dec.Peek(); err == nil && k == pymarshal.KindStr {
		if s, err := a.dec.ReadStr(); err == nil {
			return s, nil
		}
	}
	v, err := a.general(i, saved)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func (a *directArgs) integer(i int) (int, error) {
	saved := *a.dec
	if k, err := a.dec.Peek(); err == nil && k == pymarshal.KindInt {
		if n, err := a.dec.ReadInt(); err == nil && n.Fit == pymarshal.FitsInt64 {
			return int(n.Int64), nil
		}
	}
	v, err := a.general(i, saved)
	if err != nil {
		return 0, err
	}
	return int(v.Int()), nil
}

// general converts argument i, from the decoder state saved before the
// fast attempt, by the general rules, which also give the exact error.
func (a *directArgs) general(i int, saved pymarshal.Decoder) (reflect.Value, error) {
	*a.dec = saved
	conv := convert.FromPython{Dec: a.dec}
	v, err := conv.Value(a.f.params[i].Type)
	if err != nil {
		return reflect.Value{}, convert.Bind(err, a.f.name, a.f.params[i].Name)
	}
	return v, nil
}

func writeStr(enc *pymarshal.Encoder, s string) error { return convert.WriteStr(enc, s) }

func writeStrs(enc *pymarshal.Encoder, ss []string) error {
	if err := enc.List(len(ss)); err != nil {
		return err
	}
	for _, s := range ss {
		if err := convert.WriteStr(enc, s); err != nil {
			return err
		}
	}
	return nil
}

// strs reads the first n arguments, all strings.
func (a *directArgs) strs(n int) (out [3]string, err error) {
	for i := 0; i < n; i++ {
		if out[i], err = a.str(i); err != nil {
			return out, err
		}
	}
	return out, nil
}

// makeDirect returns the direct path of a plain function, or of a method
// of receiver type recvType, or nil.
func makeDirect(pf *py.Function, recvType reflect.Type) directFunc {
	if pf.TakesContext || pf.Variadic || pf.ReturnsError {
		return nil
	}
	if recvType != nil {
		return methodDirect(pf, recvType)
	}
	switch f := pf.Value.Interface().(type) {
	case func(string) string:
		return strsToStr(1, func(_ *directArgs, s [3]string) string { return f(s[0]) })
	case func(string, string) string:
		return strsToStr(2, func(_ *directArgs, s [3]string) string { return f(s[0], s[1]) })
	case func(string, string, string) string:
		return strsToStr(3, func(_ *directArgs, s [3]string) string { return f(s[0], s[1], s[2]) })
	case func(string) bool:
		return strsToBool(1, func(_ *directArgs, s [3]string) bool { return f(s[0]) })
	case func(string, string) bool:
		return strsToBool(2, func(_ *directArgs, s [3]string) bool { return f(s[0], s[1]) })
	case func(string, string) int:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(2)
			if err != nil {
				return err
			}
			enc.Int(int64(f(s[0], s[1])))
			return nil
		}
	case func(string) []string:
		return strsToStrs(1, func(_ *directArgs, s [3]string) []string { return f(s[0]) })
	case func(string, string) []string:
		return strsToStrs(2, func(_ *directArgs, s [3]string) []string { return f(s[0], s[1]) })
	case func(string, int) string:
		return strIntTo(func(_ *directArgs, s string, n int) any { return f(s, n) })
	case func(string, int) []string:
		return strIntTo(func(_ *directArgs, s string, n int) any { return f(s, n) })
	}
	return nil
}

// methodDirect returns the direct path of a method with a pointer receiver,
// or nil. It calls the method expression typed with an unsafe.Pointer
// receiver (see wordcall.go), on the receiver callDirect found for the call.
func methodDirect(pf *py.Function, recvType reflect.Type) directFunc {
	if recvType.Kind() != reflect.Pointer {
		return nil
	}
	fn := pf.Value.Interface()
	switch withoutReceiver(pf.Value.Type()) {
	case reflect.TypeFor[func(string) string]():
		m := asWords[func(unsafe.Pointer, string) string](fn)
		return strsToStr(1, func(a *directArgs, s [3]string) string { return m(a.recv, s[0]) })
	case reflect.TypeFor[func(string, string) string]():
		m := asWords[func(unsafe.Pointer, string, string) string](fn)
		return strsToStr(2, func(a *directArgs, s [3]string) string { return m(a.recv, s[0], s[1]) })
	case reflect.TypeFor[func(string) bool]():
		m := asWords[func(unsafe.Pointer, string) bool](fn)
		return strsToBool(1, func(a *directArgs, s [3]string) bool { return m(a.recv, s[0]) })
	case reflect.TypeFor[func(string, int) []string]():
		m := asWords[func(unsafe.Pointer, string, int) []string](fn)
		return strIntTo(func(a *directArgs, s string, n int) any { return m(a.recv, s, n) })
	}
	return nil
}

// withoutReceiver is the type of a method expression's function without
// its first parameter, the receiver: the method's own signature.
func withoutReceiver(t reflect.Type) reflect.Type {
	in := make([]reflect.Type, t.NumIn()-1)
	for i := range in {
		in[i] = t.In(i + 1)
	}
	out := make([]reflect.Type, t.NumOut())
	for i := range out {
		out[i] = t.Out(i)
	}
	return reflect.FuncOf(in, out, false)
}

// strsToStr, strsToBool and strsToStrs are the direct paths of n string
// parameters and a string, bool or []string result, around call.
func strsToStr(n int, call func(a *directArgs, s [3]string) string) directFunc {
	return func(a *directArgs, enc *pymarshal.Encoder) error {
		s, err := a.strs(n)
		if err != nil {
			return err
		}
		return writeStr(enc, call(a, s))
	}
}

func strsToBool(n int, call func(a *directArgs, s [3]string) bool) directFunc {
	return func(a *directArgs, enc *pymarshal.Encoder) error {
		s, err := a.strs(n)
		if err != nil {
			return err
		}
		enc.Bool(call(a, s))
		return nil
	}
}

func strsToStrs(n int, call func(a *directArgs, s [3]string) []string) directFunc {
	return func(a *directArgs, enc *pymarshal.Encoder) error {
		s, err := a.strs(n)
		if err != nil {
			return err
		}
		return writeStrs(enc, call(a, s))
	}
}

// strIntTo is the direct path of (string, int) parameters and a string or
// []string result.
func strIntTo(call func(a *directArgs, s string, n int) any) directFunc {
	return func(a *directArgs, enc *pymarshal.Encoder) error {
		s, err := a.strs(1)
		if err != nil {
			return err
		}
		n, err := a.integer(1)
		if err != nil {
			return err
		}
		switch r := call(a, s[0], n).(type) {
		case string:
			return writeStr(enc, r)
		default:
			return writeStrs(enc, r.([]string))
		}
	}
}
