package pymarshal

import "strconv"

// MaxDepth is the maximum nesting depth of a value, as in CPython
// (MAX_MARSHAL_STACK_DEPTH). The top-level value is at depth 1; a value
// nested deeper than MaxDepth is an error ([ErrDepth]) for both the
// [Decoder] and [Encoder.Any].
const MaxDepth = 2000

// Type codes of the marshal format (Python/marshal.c) and the gobridge
// extension codes.
const (
	codeNull               = '0'
	codeNone               = 'N'
	codeFalse              = 'F'
	codeTrue               = 'T'
	codeStopIter           = 'S'
	codeEllipsis           = '.'
	codeInt                = 'i'
	codeInt64              = 'I' // read only; CPython 2 wrote it
	codeFloat              = 'f' // text float, versions 0 and 1
	codeBinaryFloat        = 'g'
	codeComplex            = 'x' // text complex, versions 0 and 1
	codeBinaryComplex      = 'y'
	codeLong               = 'l'
	codeString             = 's' // bytes
	codeInterned           = 't'
	codeRef                = 'r'
	codeTuple              = '('
	codeList               = '['
	codeDict               = '{'
	codeCode               = 'c'
	codeUnicode            = 'u'
	codeUnknown            = '?'
	codeSet                = '<'
	codeFrozenSet          = '>'
	codeASCII              = 'a'
	codeASCIIInterned      = 'A'
	codeSmallTuple         = ')'
	codeShortASCII         = 'z'
	codeShortASCIIInterned = 'Z'
	codeStringRef          = 'R' // Python 2 interned-string reference

	codeHandle   = 'H'
	codeCallback = 'K'
	codeBuffer   = 'B'
	codeObject   = 'O'

	flagRef = 0x80
)

// Kind is the kind of a marshal value, as reported by [Decoder.Peek].
type Kind uint8

// The kinds of marshal values. KindInvalid is never returned with a nil
// error.
const (
	KindInvalid       Kind = iota
	KindNone               // None ('N')
	KindBool               // True or False ('T', 'F')
	KindInt                // int ('i', 'I', 'l')
	KindFloat              // float ('g', 'f')
	KindComplex            // complex ('y', 'x')
	KindStr                // str ('u', 't', 'a', 'A', 'z', 'Z')
	KindBytes              // bytes ('s')
	KindTuple              // tuple ('(', ')')
	KindList               // list ('[')
	KindSet                // set ('<')
	KindFrozenSet          // frozenset ('>')
	KindDict               // dict ('{' ... '0')
	KindEllipsis           // Ellipsis ('.')
	KindStopIteration      // the StopIteration class ('S')
	KindHandle             // gobridge extension 'H': a Go object handle
	KindCallback           // gobridge extension 'K': a callback id
	KindBuffer             // gobridge extension 'B': a buffer index
	KindObject             // gobridge extension 'O': an unconvertible object
)

var kindNames = [...]string{
	KindInvalid:       "invalid",
	KindNone:          "NoneType",
	KindBool:          "bool",
	KindInt:           "int",
	KindFloat:         "float",
	KindComplex:       "complex",
	KindStr:           "str",
	KindBytes:         "bytes",
	KindTuple:         "tuple",
	KindList:          "list",
	KindSet:           "set",
	KindFrozenSet:     "frozenset",
	KindDict:          "dict",
	KindEllipsis:      "ellipsis",
	KindStopIteration: "type",
	KindHandle:        "gobridge handle",
	KindCallback:      "callable",
	KindBuffer:        "buffer",
	KindObject:        "object",
}

// String returns the Python type name of the kind ("int", "str",
// "NoneType", ...); the extension kinds have descriptive names.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// kindOf maps a type code (without FLAG_REF) to its kind, or KindInvalid.
var kindOf = [256]Kind{
	codeNone:               KindNone,
	codeFalse:              KindBool,
	codeTrue:               KindBool,
	codeStopIter:           KindStopIteration,
	codeEllipsis:           KindEllipsis,
	codeInt:                KindInt,
	codeInt64:              KindInt,
	codeLong:               KindInt,
	codeFloat:              KindFloat,
	codeBinaryFloat:        KindFloat,
	codeComplex:            KindComplex,
	codeBinaryComplex:      KindComplex,
	codeString:             KindBytes,
	codeUnicode:            KindStr,
	codeInterned:           KindStr,
	codeASCII:              KindStr,
	codeASCIIInterned:      KindStr,
	codeShortASCII:         KindStr,
	codeShortASCIIInterned: KindStr,
	codeTuple:              KindTuple,
	codeSmallTuple:         KindTuple,
	codeList:               KindList,
	codeSet:                KindSet,
	codeFrozenSet:          KindFrozenSet,
	codeDict:               KindDict,
	codeHandle:             KindHandle,
	codeCallback:           KindCallback,
	codeBuffer:             KindBuffer,
	codeObject:             KindObject,
}

// Tree values built by [Decoder.DecodeAny] and written by [Encoder.Any].
// Besides these named types, a tree holds nil (None), bool, int64 and
// *big.Int (int: int64 when the value fits, else *big.Int), float64,
// complex128, string (str) and []byte (bytes).
type (
	// List is a Python list.
	List []any
	// Tuple is a Python tuple.
	Tuple []any
	// Set is a Python set, its elements in wire order.
	Set []any
	// FrozenSet is a Python frozenset, its elements in wire order.
	FrozenSet []any
	// Ellipsis is Python's Ellipsis singleton.
	Ellipsis struct{}
	// StopIteration is Python's StopIteration class, which marshal can
	// write as a singleton.
	StopIteration struct{}
	// Handle is a gobridge handle ('H'): a Go object Python holds.
	Handle uint64
	// Callback is a gobridge callback id ('K'): a Python callable Go may
	// call during the current call.
	Callback uint64
	// Buffer is a gobridge buffer index ('B') into the call's span array.
	Buffer uint32
	// Object is an object gobridge cannot convert ('O'); TypeName is its
	// Python type name.
	Object struct{ TypeName string }
)

// Dict is a Python dict: Keys[i] maps to Values[i], in wire order. Keys are
// not checked for hashability or uniqueness; a later duplicate key wins in
// Python.
type Dict struct {
	Keys   []any
	Values []any
}

// Len returns the number of entries.
func (d *Dict) Len() int { return len(d.Keys) }

// Set appends the entry k: v.
func (d *Dict) Set(k, v any) {
	d.Keys = append(d.Keys, k)
	d.Values = append(d.Values, v)
}
