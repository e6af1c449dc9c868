package convert

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// Objects resolves the handles Python passes back to the Go values they
// stand for.
type Objects interface {
	// Resolve returns the Go value lent under handle h.
	Resolve(h uint64) (any, bool)
}

// Callables makes Go functions that call Python callables.
type Callables interface {
	// Func returns a Go function of type t that calls the Python callable
	// Python passed as callback id.
	Func(t reflect.Type, id uint64) reflect.Value
}

// FromPython converts marshalled Python values to Go values of given types.
type FromPython struct {
	// Dec reads the marshal data.
	Dec *pymarshal.Decoder
	// Spans are the buffers passed by reference (code B), indexed by number.
	Spans [][]byte
	// Objects resolves Go object handles (code H).
	Objects Objects
	// Callables turns Python callables (code K) into Go functions.
	Callables Callables
}

// AnyFuncType is the Go type a Python callable gets where any value may go.
var AnyFuncType = reflect.TypeOf((func(...any) (any, error))(nil))

var (
	anyType   = reflect.TypeOf((*any)(nil)).Elem()
	bytesType = reflect.TypeOf([]byte(nil))
)

// Value reads the next value and converts it to type t.
func (c *FromPython) Value(t reflect.Type) (reflect.Value, error) {
	kind, err := c.Dec.Peek()
	if err != nil {
		return reflect.Value{}, err
	}
	switch t {
	case bigIntType:
		return c.bigInt(t, kind)
	case borrowedType:
		return c.borrowed(t, kind)
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return reflect.Value{}, typeError(t, kind.String())
		}
		v, err := c.Any()
		if err != nil {
			return reflect.Value{}, err
		}
		out := reflect.New(t).Elem()
		if v != nil {
			out.Set(reflect.ValueOf(v))
		}
		return out, nil
	case reflect.Bool:
		if kind != pymarshal.KindBool {
			return reflect.Value{}, c.mismatch(t, kind)
		}
		b, err := c.Dec.ReadBool()
		return reflect.ValueOf(b).Convert(t), err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := c.integer(t, kind)
		if err != nil {
			return reflect.Value{}, err
		}
		if n.Fit != pymarshal.FitsInt64 || reflect.Zero(t).OverflowInt(n.Int64) {
			return reflect.Value{}, overflowError(t, intText(n))
		}
		return reflect.ValueOf(n.Int64).Convert(t), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := c.integer(t, kind)
		if err != nil {
			return reflect.Value{}, err
		}
		if n.Fit == pymarshal.FitsBig || n.Fit == pymarshal.FitsInt64 && n.Int64 < 0 || reflect.Zero(t).OverflowUint(n.Uint64) {
			return reflect.Value{}, overflowError(t, intText(n))
		}
		return reflect.ValueOf(n.Uint64).Convert(t), nil
	case reflect.Float32, reflect.Float64:
		f, err := c.float(t, kind)
		if err != nil {
			return reflect.Value{}, err
		}
		if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && math.IsInf(float64(float32(f)), 0) {
			return reflect.Value{}, overflowError(t, strconv.FormatFloat(f, 'g', -1, 64))
		}
		return reflect.ValueOf(f).Convert(t), nil
	case reflect.Complex64, reflect.Complex128:
		var z complex128
		switch kind {
		case pymarshal.KindComplex:
			z, err = c.Dec.ReadComplex()
		case pymarshal.KindInt, pymarshal.KindFloat, pymarshal.KindBool:
			var f float64
			f, err = c.float(t, kind)
			z = complex(f, 0)
		default:
			return reflect.Value{}, c.mismatch(t, kind)
		}
		return reflect.ValueOf(z).Convert(t), err
	case reflect.String:
		if kind != pymarshal.KindStr {
			return reflect.Value{}, c.mismatch(t, kind)
		}
		s, err := c.Dec.ReadStr()
		if err != nil {
			return reflect.Value{}, strError(err)
		}
		return reflect.ValueOf(s).Convert(t), nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && (kind == pymarshal.KindBytes || kind == pymarshal.KindBuffer) {
			b, err := c.bytes(kind)
			if err != nil {
				return reflect.Value{}, err
			}
			return reflect.ValueOf(CopyBytes(b)).Convert(t), nil
		}
		return c.slice(t, kind)
	case reflect.Array:
		return c.array(t, kind)
	case reflect.Map:
		return c.dict(t, kind)
	case reflect.Pointer:
		if kind == pymarshal.KindNone {
			err := c.Dec.ReadNone()
			return reflect.Zero(t), err
		}
		if IsObject(t) {
			return c.object(t, kind)
		}
		elem, err := c.Value(t.Elem())
		if err != nil {
			return reflect.Value{}, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(elem)
		return p, nil
	case reflect.Struct:
		if IsValueStruct(t) {
			return c.valueStruct(t, kind)
		}
		return c.object(t, kind)
	case reflect.Func:
		if kind == pymarshal.KindNone {
			return reflect.Zero(t), c.Dec.ReadNone()
		}
		if c.Callables == nil {
			return reflect.Value{}, c.mismatch(t, kind)
		}
		id, err := c.callbackID(t, kind)
		if err != nil {
			return reflect.Value{}, err
		}
		return c.Callables.Func(t, id), nil
	}
	return reflect.Value{}, typeError(t, kind.String())
}

// mismatch reports a value of the wrong kind, consuming nothing.
func (c *FromPython) mismatch(t reflect.Type, kind pymarshal.Kind) error {
	return typeError(t, c.typeName(kind))
}

// typeName is the Python type name of the next value, for messages.
func (c *FromPython) typeName(kind pymarshal.Kind) string {
	if kind == pymarshal.KindObject {
		if name, err := c.peekObjectName(); err == nil {
			return name
		}
	}
	return kind.String()
}

func (c *FromPython) peekObjectName() (string, error) {
	saved := *c.Dec
	defer func() { *c.Dec = saved }()
	return c.Dec.ReadObject()
}

func (c *FromPython) integer(t reflect.Type, kind pymarshal.Kind) (pymarshal.Int, error) {
	switch kind {
	case pymarshal.KindInt:
		return c.Dec.ReadInt()
	case pymarshal.KindBool:
		b, err := c.Dec.ReadBool()
		var n int64
		if b {
			n = 1
		}
		return pymarshal.Int{Fit: pymarshal.FitsInt64, Int64: n, Uint64: uint64(n)}, err
	}
	return pymarshal.Int{}, c.mismatch(t, kind)
}

func intText(n pymarshal.Int) string {
	switch n.Fit {
	case pymarshal.FitsInt64:
		return strconv.FormatInt(n.Int64, 10)
	case pymarshal.FitsUint64:
		return strconv.FormatUint(n.Uint64, 10)
	}
	return n.Big.String()
}

func (c *FromPython) float(t reflect.Type, kind pymarshal.Kind) (float64, error) {
	switch kind {
	case pymarshal.KindFloat:
		return c.Dec.ReadFloat()
	case pymarshal.KindInt, pymarshal.KindBool:
		n, err := c.integer(t, kind)
		if err != nil {
			return 0, err
		}
		switch n.Fit {
		case pymarshal.FitsInt64:
			return float64(n.Int64), nil
		case pymarshal.FitsUint64:
			return float64(n.Uint64), nil
		}
		f, _ := new(big.Float).SetInt(n.Big).Float64()
		if math.IsInf(f, 0) {
			return 0, &ArgError{Type: "OverflowError", Want: "Go " + t.String(), Detail: "int too large to convert to float"}
		}
		return f, nil
	}
	return 0, c.mismatch(t, kind)
}

func (c *FromPython) bigInt(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	if kind == pymarshal.KindNone {
		err := c.Dec.ReadNone()
		return reflect.Zero(t), err
	}
	n, err := c.integer(t, kind)
	if err != nil {
		return reflect.Value{}, err
	}
	return reflect.ValueOf(n.BigInt()), nil
}

// strError turns a lone surrogate into the ValueError Python users expect
// from encoding such a str, and passes other decoding errors through.
func strError(err error) error {
	if pe, ok := err.(*pymarshal.Error); ok && pe.Err == pymarshal.ErrSurrogate {
		return valueError("str contains a lone surrogate, which Go strings cannot hold (" + pe.Detail + ")")
	}
	return err
}

func (c *FromPython) bytes(kind pymarshal.Kind) ([]byte, error) {
	if kind == pymarshal.KindBuffer {
		i, err := c.Dec.ReadBuffer()
		if err != nil {
			return nil, err
		}
		if int(i) >= len(c.Spans) {
			return nil, valueError(fmt.Sprintf("buffer index %d out of range (%d buffers)", i, len(c.Spans)))
		}
		return c.Spans[i], nil
	}
	return c.Dec.ReadBytes()
}

func (c *FromPython) borrowed(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	var b []byte
	var err error
	switch kind {
	case pymarshal.KindBytes, pymarshal.KindBuffer:
		b, err = c.bytes(kind)
	case pymarshal.KindTuple:
		// (Ellipsis, index): a buffer passed by reference from a wrapper
		// that otherwise uses marshal.dumps.
		var i uint64
		if i, err = c.callbackID(t, kind); err == nil {
			if i >= uint64(len(c.Spans)) {
				return reflect.Value{}, valueError(fmt.Sprintf("buffer index %d out of range (%d buffers)", i, len(c.Spans)))
			}
			b = c.Spans[i]
		}
	default:
		return reflect.Value{}, c.mismatch(t, kind)
	}
	if err != nil {
		return reflect.Value{}, err
	}
	// Cap the view so an append can never write past the Python buffer.
	return reflect.ValueOf(BorrowedBytes(b[:len(b):len(b)])), nil
}

func (c *FromPython) sequence(t reflect.Type, kind pymarshal.Kind) (int, error) {
	switch kind {
	case pymarshal.KindList, pymarshal.KindTuple:
		_, n, err := c.Dec.ReadSeq()
		return n, err
	}
	return 0, c.mismatch(t, kind)
}

func (c *FromPython) slice(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	n, err := c.sequence(t, kind)
	if err != nil {
		return reflect.Value{}, err
	}
	out := reflect.MakeSlice(t, n, n)
	if k := t.Elem().Kind(); k == reflect.Int64 || k == reflect.Int {
		return c.intSlice(t, out, n)
	}
	for i := 0; i < n; i++ {
		v, err := c.Value(t.Elem())
		if err != nil {
			return reflect.Value{}, atIndex(err, i)
		}
		out.Index(i).Set(v)
	}
	return out, nil
}

// intSlice fills a slice of 64-bit ints straight from the decoder, the
// commonest list argument, falling back to Value for anything unusual.
func (c *FromPython) intSlice(t reflect.Type, out reflect.Value, n int) (reflect.Value, error) {
	for i := 0; i < n; i++ {
		if k, err := c.Dec.Peek(); err == nil && k == pymarshal.KindInt {
			saved := *c.Dec
			if x, err := c.Dec.ReadInt(); err == nil && x.Fit == pymarshal.FitsInt64 {
				out.Index(i).SetInt(x.Int64)
				continue
			}
			*c.Dec = saved
		}
		v, err := c.Value(t.Elem())
		if err != nil {
			return reflect.Value{}, atIndex(err, i)
		}
		out.Index(i).Set(v)
	}
	return out, nil
}

func (c *FromPython) array(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	out := reflect.New(t).Elem()
	if t.Elem().Kind() == reflect.Uint8 && (kind == pymarshal.KindBytes || kind == pymarshal.KindBuffer) {
		b, err := c.bytes(kind)
		if err != nil {
			return reflect.Value{}, err
		}
		if len(b) != t.Len() {
			return reflect.Value{}, valueError(fmt.Sprintf("expected %d bytes for Go %s, got %d", t.Len(), t, len(b)))
		}
		reflect.Copy(out, reflect.ValueOf(b))
		return out, nil
	}
	n, err := c.sequence(t, kind)
	if err != nil {
		return reflect.Value{}, err
	}
	if n != t.Len() {
		return reflect.Value{}, valueError(fmt.Sprintf("expected %d items for Go %s, got %d", t.Len(), t, n))
	}
	for i := 0; i < n; i++ {
		v, err := c.Value(t.Elem())
		if err != nil {
			return reflect.Value{}, atIndex(err, i)
		}
		out.Index(i).Set(v)
	}
	return out, nil
}

func (c *FromPython) dict(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	if kind != pymarshal.KindDict {
		return reflect.Value{}, c.mismatch(t, kind)
	}
	if err := c.Dec.ReadDict(); err != nil {
		return reflect.Value{}, err
	}
	out := reflect.MakeMap(t)
	for {
		more, err := c.Dec.DictNext()
		if err != nil {
			return reflect.Value{}, err
		}
		if !more {
			return out, nil
		}
		k, err := c.Value(t.Key())
		if err != nil {
			if ae, ok := err.(*ArgError); ok {
				return reflect.Value{}, ae.at(" key")
			}
			return reflect.Value{}, err
		}
		v, err := c.Value(t.Elem())
		if err != nil {
			return reflect.Value{}, atKey(err, k)
		}
		out.SetMapIndex(k, v)
	}
}

func (c *FromPython) object(t reflect.Type, kind pymarshal.Kind) (reflect.Value, error) {
	if kind != pymarshal.KindHandle || c.Objects == nil {
		return reflect.Value{}, c.mismatch(t, kind)
	}
	h, err := c.Dec.ReadHandle()
	if err != nil {
		return reflect.Value{}, err
	}
	v, ok := c.Objects.Resolve(h)
	if !ok {
		return reflect.Value{}, valueError("the Go object has been released")
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Type() == t:
		return rv, nil
	case rv.Kind() == reflect.Pointer && rv.Type().Elem() == t:
		return rv.Elem(), nil
	}
	return reflect.Value{}, typeError(t, PythonType(rv.Type()))
}

// callbackID reads a callable Python lent for this call (or, for a
// py.Bytes parameter, a buffer's index): code K, or the tuple
// (Ellipsis, id), which marshal itself can write, so that wrappers of such
// functions stay on marshal's fast path.
func (c *FromPython) callbackID(t reflect.Type, kind pymarshal.Kind) (uint64, error) {
	switch kind {
	case pymarshal.KindCallback:
		return c.Dec.ReadCallback()
	case pymarshal.KindTuple:
		saved := *c.Dec
		if n, err := c.Dec.ReadTuple(); err == nil && n == 2 {
			if k, err := c.Dec.Peek(); err == nil && k == pymarshal.KindEllipsis {
				if err := c.Dec.ReadEllipsis(); err == nil {
					if id, err := c.Dec.ReadUint64(); err == nil {
						return id, nil
					}
				}
			}
		}
		*c.Dec = saved
	}
	return 0, c.mismatch(t, kind)
}

// Any reads the next value as the Go value an interface{} parameter gets:
// nil, bool, int64 (uint64 or *big.Int when larger), float64, complex128,
// string, []byte, []any for lists, tuples and sets, map[string]any for
// dicts whose keys are all str and map[any]any for other dicts, and the Go
// value behind a handle.
func (c *FromPython) Any() (any, error) {
	kind, err := c.Dec.Peek()
	if err != nil {
		return nil, err
	}
	switch kind {
	case pymarshal.KindNone:
		return nil, c.Dec.ReadNone()
	case pymarshal.KindBool:
		return c.Dec.ReadBool()
	case pymarshal.KindInt:
		n, err := c.Dec.ReadInt()
		switch n.Fit {
		case pymarshal.FitsInt64:
			return n.Int64, err
		case pymarshal.FitsUint64:
			return n.Uint64, err
		}
		return n.Big, err
	case pymarshal.KindFloat:
		return c.Dec.ReadFloat()
	case pymarshal.KindComplex:
		return c.Dec.ReadComplex()
	case pymarshal.KindStr:
		s, err := c.Dec.ReadStr()
		return s, strError(err)
	case pymarshal.KindBytes, pymarshal.KindBuffer:
		b, err := c.bytes(kind)
		return CopyBytes(b), err
	case pymarshal.KindList, pymarshal.KindTuple, pymarshal.KindSet, pymarshal.KindFrozenSet:
		_, n, err := c.Dec.ReadSeq()
		if err != nil {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = c.Any(); err != nil {
				return nil, atIndex(err, i)
			}
		}
		return out, nil
	case pymarshal.KindDict:
		return c.anyDict()
	case pymarshal.KindCallback:
		if c.Callables == nil {
			break
		}
		id, err := c.Dec.ReadCallback()
		if err != nil {
			return nil, err
		}
		return c.Callables.Func(AnyFuncType, id).Interface(), nil
	case pymarshal.KindHandle:
		h, err := c.Dec.ReadHandle()
		if err != nil {
			return nil, err
		}
		if c.Objects != nil {
			if v, ok := c.Objects.Resolve(h); ok {
				return v, nil
			}
		}
		return nil, valueError("the Go object has been released")
	}
	return nil, typeError(anyType, c.typeName(kind))
}

func (c *FromPython) anyDict() (any, error) {
	if err := c.Dec.ReadDict(); err != nil {
		return nil, err
	}
	var keys, values []any
	allStr := true
	for {
		more, err := c.Dec.DictNext()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		k, err := c.Any()
		if err != nil {
			return nil, err
		}
		if k != nil && !reflect.TypeOf(k).Comparable() {
			return nil, &ArgError{Type: "TypeError", Want: "a hashable dict key", Got: PythonType(reflect.TypeOf(k))}
		}
		v, err := c.Any()
		if err != nil {
			return nil, atKey(err, reflect.ValueOf(k))
		}
		_, isStr := k.(string)
		allStr = allStr && isStr
		keys, values = append(keys, k), append(values, v)
	}
	if allStr {
		m := make(map[string]any, len(keys))
		for i, k := range keys {
			m[k.(string)] = values[i]
		}
		return m, nil
	}
	m := make(map[any]any, len(keys))
	for i, k := range keys {
		m[k] = values[i]
	}
	return m, nil
}

func atIndex(err error, i int) error {
	if ae, ok := err.(*ArgError); ok {
		return ae.at("[" + strconv.Itoa(i) + "]")
	}
	return err
}

func atKey(err error, k reflect.Value) error {
	if ae, ok := err.(*ArgError); ok {
		if !k.IsValid() {
			return ae.at("[None]")
		}
		if k.Kind() == reflect.String {
			return ae.at("[" + strconv.Quote(k.String()) + "]")
		}
		return ae.at(fmt.Sprintf("[%v]", k.Interface()))
	}
	return err
}

// CopyBytes copies the bytes of a Python argument into a Go slice whose
// capacity is its length (nil when empty). append would round the capacity
// up to an allocation size, and a Go function that reslices its argument
// up to a position it is given (regexp's Expand) would then read the
// padding instead of panicking on the out-of-range position.
func CopyBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	c := make([]byte, len(b))
	copy(c, b)
	return c
}
