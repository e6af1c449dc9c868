package bridge

import (
	"reflect"

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

// makeDirect returns the direct path of a plain function, or nil.
func makeDirect(pf *py.Function) directFunc {
	if pf.Receiver || pf.TakesContext || pf.Variadic {
		return nil
	}
	switch fn := pf.Value.Interface().(type) {
	case func(string) string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(1)
			if err != nil {
				return err
			}
			return writeStr(enc, fn(s[0]))
		}
	case func(string, string) string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(2)
			if err != nil {
				return err
			}
			return writeStr(enc, fn(s[0], s[1]))
		}
	case func(string, string, string) string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(3)
			if err != nil {
				return err
			}
			return writeStr(enc, fn(s[0], s[1], s[2]))
		}
	case func(string, string) bool:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(2)
			if err != nil {
				return err
			}
			enc.Bool(fn(s[0], s[1]))
			return nil
		}
	case func(string, string) int:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(2)
			if err != nil {
				return err
			}
			enc.Int(int64(fn(s[0], s[1])))
			return nil
		}
	case func(string) []string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(1)
			if err != nil {
				return err
			}
			return writeStrs(enc, fn(s[0]))
		}
	case func(string, string) []string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(2)
			if err != nil {
				return err
			}
			return writeStrs(enc, fn(s[0], s[1]))
		}
	case func(string, int) string:
		return func(a *directArgs, enc *pymarshal.Encoder) error {
			s, err := a.strs(1)
			if err != nil {
				return err
			}
			n, err := a.integer(1)
			if err != nil {
				return err
			}
			return writeStr(enc, fn(s[0], n))
		}
	}
	return nil
}
