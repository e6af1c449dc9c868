// Package pymarshal reads and writes CPython's marshal format for data
// values: None, bool, int, float, complex, str, bytes, tuple, list, set,
// frozenset, dict, Ellipsis and StopIteration. Code objects are not
// supported.
//
// The ground truth is CPython's Python/marshal.c. The [Decoder] accepts every
// code marshal.dumps(x, version) writes for data values in versions 0 to 4,
// except back-references (the 'r' code and the FLAG_REF bit 0x80 that
// versions 3 and 4 set), which it rejects with [ErrRef]. gobridge's Python
// side always writes version 2, which has no references. The decoder also
// reads the four gobridge extension codes that CPython never emits:
//
//	'H' u64   a Go object Python holds (a handle)       [KindHandle]
//	'K' u64   a Python callable Go may call             [KindCallback]
//	'B' u32   a buffer passed by reference              [KindBuffer]
//	'O' str   an object gobridge cannot convert         [KindObject]
//
// Strings written with the interning codes ('t', 'A', 'Z') are read as
// ordinary strs, and the payloads of the ASCII codes ('a', 'A', 'z', 'Z') as
// Latin-1, as CPython reads them. A str holding a lone surrogate (written
// with surrogatepass) is rejected with [ErrSurrogate]. Where CPython is
// lenient with data it never writes, the decoder is stricter: a dict key
// followed by the end marker, a long digit of 0x8000 and a text float with
// an embedded NUL are errors.
//
// All integers are little-endian. The [Encoder] writes data that
// marshal.loads reads in any Python 3 version that knows the version 4 codes
// (3.4 and later).
//
// The decoder is safe on hostile input: it never panics, never allocates
// more than the input can justify (a length or count is checked against the
// remaining input before anything is allocated), limits nesting to
// [MaxDepth], and reports errors as [*Error] values that carry the offset
// and wrap one of the sentinel errors (ErrTruncated, ErrRef, ...).
package pymarshal
