package pymarshal

// The tagged JSON form of Python values shared by the golden files, the Go
// tests and tests/test_marshal_vectors.py:
//
//	{"t": "none"} {"t": "ellipsis"} {"t": "stopiteration"}
//	{"t": "bool", "v": true}
//	{"t": "int", "v": "-123"}                       decimal
//	{"t": "float", "v": "3ff8000000000000"}         IEEE 754 bits, big-endian hex
//	{"t": "complex", "v": ["<real bits>", "<imag bits>"]}
//	{"t": "str", "v": "text"}
//	{"t": "bytes", "v": "00ff"}                     hex
//	{"t": "tuple"|"list"|"set"|"frozenset", "v": [items]}
//	{"t": "dict", "v": [[key, value], ...]}

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

type tagged struct {
	T string          `json:"t"`
	V json.RawMessage `json:"v,omitempty"`
}

func floatBits(f float64) string { return fmt.Sprintf("%016x", math.Float64bits(f)) }

func parseBits(s string) (float64, error) {
	u, err := strconv.ParseUint(s, 16, 64)
	return math.Float64frombits(u), err
}

// fromTagged converts the tagged form to a tree as DecodeAny builds it.
func fromTagged(raw json.RawMessage) (any, error) {
	var t tagged
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	switch t.T {
	case "none":
		return nil, nil
	case "ellipsis":
		return Ellipsis{}, nil
	case "stopiteration":
		return StopIteration{}, nil
	case "bool":
		var b bool
		err := json.Unmarshal(t.V, &b)
		return b, err
	case "int":
		var s string
		if err := json.Unmarshal(t.V, &s); err != nil {
			return nil, err
		}
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("bad int %q", s)
		}
		if b.IsInt64() {
			return b.Int64(), nil
		}
		return b, nil
	case "float":
		var s string
		if err := json.Unmarshal(t.V, &s); err != nil {
			return nil, err
		}
		return parseBits(s)
	case "complex":
		var s [2]string
		if err := json.Unmarshal(t.V, &s); err != nil {
			return nil, err
		}
		re, err := parseBits(s[0])
		if err != nil {
			return nil, err
		}
		im, err := parseBits(s[1])
		return complex(re, im), err
	case "str":
		var s string
		err := json.Unmarshal(t.V, &s)
		return s, err
	case "bytes":
		var s string
		if err := json.Unmarshal(t.V, &s); err != nil {
			return nil, err
		}
		return hex.DecodeString(s)
	case "tuple", "list", "set", "frozenset":
		var raws []json.RawMessage
		if err := json.Unmarshal(t.V, &raws); err != nil {
			return nil, err
		}
		items := make([]any, len(raws))
		for i, r := range raws {
			v, err := fromTagged(r)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		switch t.T {
		case "tuple":
			return Tuple(items), nil
		case "list":
			return List(items), nil
		case "set":
			return Set(items), nil
		}
		return FrozenSet(items), nil
	case "dict":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(t.V, &pairs); err != nil {
			return nil, err
		}
		d := &Dict{Keys: []any{}, Values: []any{}}
		for _, p := range pairs {
			k, err := fromTagged(p[0])
			if err != nil {
				return nil, err
			}
			v, err := fromTagged(p[1])
			if err != nil {
				return nil, err
			}
			d.Set(k, v)
		}
		return d, nil
	}
	return nil, fmt.Errorf("unknown tag %q", t.T)
}

// toTagged converts a Go value accepted by Encoder.Any to the tagged form
// of the Python value it stands for. It does not use the Encoder.
func toTagged(v any) any {
	m := func(t string, v any) map[string]any { return map[string]any{"t": t, "v": v} }
	switch v := v.(type) {
	case nil:
		return map[string]any{"t": "none"}
	case Ellipsis:
		return map[string]any{"t": "ellipsis"}
	case StopIteration:
		return map[string]any{"t": "stopiteration"}
	case bool:
		return m("bool", v)
	case int:
		return m("int", strconv.FormatInt(int64(v), 10))
	case int8:
		return m("int", strconv.FormatInt(int64(v), 10))
	case int16:
		return m("int", strconv.FormatInt(int64(v), 10))
	case int32:
		return m("int", strconv.FormatInt(int64(v), 10))
	case int64:
		return m("int", strconv.FormatInt(v, 10))
	case uint:
		return m("int", strconv.FormatUint(uint64(v), 10))
	case uint8:
		return m("int", strconv.FormatUint(uint64(v), 10))
	case uint16:
		return m("int", strconv.FormatUint(uint64(v), 10))
	case uint32:
		return m("int", strconv.FormatUint(uint64(v), 10))
	case uint64:
		return m("int", strconv.FormatUint(v, 10))
	case *big.Int:
		return m("int", v.String())
	case float32:
		return m("float", floatBits(float64(v)))
	case float64:
		return m("float", floatBits(v))
	case complex64:
		return m("complex", []string{floatBits(float64(real(v))), floatBits(float64(imag(v)))})
	case complex128:
		return m("complex", []string{floatBits(real(v)), floatBits(imag(v))})
	case string:
		return m("str", v)
	case []byte:
		return m("bytes", hex.EncodeToString(v))
	case Tuple:
		return m("tuple", tagItems(v))
	case List:
		return m("list", tagItems(v))
	case []any:
		return m("list", tagItems(v))
	case Set:
		return m("set", tagItems(v))
	case FrozenSet:
		return m("frozenset", tagItems(v))
	case *Dict:
		pairs := make([][2]any, len(v.Keys))
		for i := range v.Keys {
			pairs[i] = [2]any{toTagged(v.Keys[i]), toTagged(v.Values[i])}
		}
		return m("dict", pairs)
	}
	panic(fmt.Sprintf("toTagged: %T", v))
}

func tagItems(items []any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = toTagged(it)
	}
	return out
}

// treeEqual compares two trees: floats by bits (any NaN equals any NaN),
// ints by value whatever their Go type, sets without regard to order.
func treeEqual(a, b any) bool {
	if ai, ok := asBig(a); ok {
		bi, ok := asBig(b)
		return ok && ai.Cmp(bi) == 0
	}
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && floatEqual(a, b)
	case complex128:
		b, ok := b.(complex128)
		return ok && floatEqual(real(a), real(b)) && floatEqual(imag(a), imag(b))
	case []byte:
		b, ok := b.([]byte)
		return ok && bytes.Equal(a, b)
	case Tuple:
		b, ok := b.(Tuple)
		return ok && itemsEqual(a, b)
	case List:
		b, ok := b.(List)
		return ok && itemsEqual(a, b)
	case Set:
		b, ok := b.(Set)
		return ok && unorderedEqual(a, b)
	case FrozenSet:
		b, ok := b.(FrozenSet)
		return ok && unorderedEqual(a, b)
	case *Dict:
		b, ok := b.(*Dict)
		return ok && itemsEqual(a.Keys, b.Keys) && itemsEqual(a.Values, b.Values)
	}
	return a == b
}

func asBig(v any) (*big.Int, bool) {
	switch v := v.(type) {
	case int64:
		return big.NewInt(v), true
	case *big.Int:
		return v, true
	}
	return nil, false
}

func floatEqual(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

func itemsEqual(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !treeEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

func unorderedEqual(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && treeEqual(x, y) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}
