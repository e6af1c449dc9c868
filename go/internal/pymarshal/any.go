package pymarshal

import (
	"fmt"
	"math/big"
	"strconv"
)

// Any writes a tree: a value of the kinds [Decoder.DecodeAny] returns, and
// also the other Go integer and float types, complex64, []any (as a list),
// Dict (as *Dict) and big.Int (as *big.Int). Handle, Callback, Buffer and
// Object are written with the extension codes, which marshal.loads rejects.
//
// It returns an [*Error] wrapping [ErrUnsupported] for any other Go type,
// [ErrDepth] if the tree is nested deeper than [MaxDepth] (as a cyclic tree
// is), or an error from Str or a header method. On error the buffer is
// restored to its length before the call.
func (e *Encoder) Any(v any) error {
	n := len(e.buf)
	if err := e.any(v, 1); err != nil {
		e.buf = e.buf[:n]
		return err
	}
	return nil
}

func (e *Encoder) any(v any, depth int) error {
	if depth > MaxDepth {
		return newError(-1, ErrDepth, "more than "+strconv.Itoa(MaxDepth)+" levels (is the tree cyclic?)")
	}
	switch v := v.(type) {
	case nil:
		e.None()
	case bool:
		e.Bool(v)
	case int:
		e.Int(int64(v))
	case int8:
		e.Int(int64(v))
	case int16:
		e.Int(int64(v))
	case int32:
		e.Int(int64(v))
	case int64:
		e.Int(v)
	case uint:
		e.Uint(uint64(v))
	case uint8:
		e.Uint(uint64(v))
	case uint16:
		e.Uint(uint64(v))
	case uint32:
		e.Uint(uint64(v))
	case uint64:
		e.Uint(v)
	case uintptr:
		e.Uint(uint64(v))
	case *big.Int:
		e.BigInt(v)
	case big.Int:
		e.BigInt(&v)
	case float32:
		e.Float(float64(v))
	case float64:
		e.Float(v)
	case complex64:
		e.Complex(complex128(v))
	case complex128:
		e.Complex(v)
	case string:
		return e.Str(v)
	case []byte:
		return e.PyBytes(v)
	case Ellipsis:
		e.Ellipsis()
	case StopIteration:
		e.StopIteration()
	case Handle:
		e.Handle(uint64(v))
	case Callback:
		e.Callback(uint64(v))
	case Buffer:
		e.Buffer(uint32(v))
	case Object:
		return e.Object(v.TypeName)
	case Tuple:
		return e.items(e.Tuple(len(v)), v, depth)
	case List:
		return e.items(e.List(len(v)), v, depth)
	case []any:
		return e.items(e.List(len(v)), v, depth)
	case Set:
		return e.items(e.Set(len(v)), v, depth)
	case FrozenSet:
		return e.items(e.FrozenSet(len(v)), v, depth)
	case *Dict:
		if v == nil {
			return newError(-1, ErrUnsupported, "nil *Dict")
		}
		return e.dict(v, depth)
	case Dict:
		return e.dict(&v, depth)
	default:
		return newError(-1, ErrUnsupported, fmt.Sprintf("Go type %T", v))
	}
	return nil
}

func (e *Encoder) items(err error, items []any, depth int) error {
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := e.any(it, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (e *Encoder) dict(d *Dict, depth int) error {
	if len(d.Keys) != len(d.Values) {
		return newError(-1, ErrUnsupported, "Dict with "+strconv.Itoa(len(d.Keys))+" keys and "+strconv.Itoa(len(d.Values))+" values")
	}
	e.DictBegin()
	for i, k := range d.Keys {
		if err := e.any(k, depth+1); err != nil {
			return err
		}
		if err := e.any(d.Values[i], depth+1); err != nil {
			return err
		}
	}
	e.DictEnd()
	return nil
}
