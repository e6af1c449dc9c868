package pymarshal

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns is an [*Error] that
// wraps one of them; test with errors.Is.
var (
	// ErrTruncated: the input ends inside a value, or a length or count
	// claims more than the remaining input holds.
	ErrTruncated = errors.New("truncated input")
	// ErrTrailing: bytes remain after the value ([Decode], [Decoder.Finish]).
	ErrTrailing = errors.New("trailing data")
	// ErrRef: a back-reference ('r' or the FLAG_REF bit, marshal versions
	// 3 and 4) or a Python 2 interned-string reference ('R').
	ErrRef = errors.New("back-references are not supported")
	// ErrCode: an unknown type code, or a code for something that is not
	// a data value (a code object, NULL outside a dict).
	ErrCode = errors.New("unsupported type code")
	// ErrMalformed: the value's bytes are invalid (a negative length, an
	// out-of-range long digit, a bad float literal, ...).
	ErrMalformed = errors.New("malformed data")
	// ErrDepth: the value is nested deeper than MaxDepth.
	ErrDepth = errors.New("nesting too deep")
	// ErrSurrogate: a str holds a lone surrogate (Python's '\ud800',
	// written with surrogatepass), which a Go string cannot represent.
	ErrSurrogate = errors.New("lone surrogate in str")
	// ErrInvalidUTF8: a str is not valid UTF-8. The Encoder returns it for
	// a Go string with invalid bytes, the Decoder for a bad 'u' payload.
	ErrInvalidUTF8 = errors.New("invalid UTF-8 in str")
	// ErrKind: a Decoder Read method found a value of another kind. The
	// value is not consumed and the Decoder stays usable.
	ErrKind = errors.New("unexpected kind")
	// ErrRange: an int does not fit the requested Go type. The value is
	// consumed and the Decoder stays usable.
	ErrRange = errors.New("int out of range")
	// ErrTooLarge: the Encoder was given a length or count marshal cannot
	// write (more than 2**31-1), or a negative count.
	ErrTooLarge = errors.New("length out of range")
	// ErrUnsupported: Encoder.Any was given a Go value it cannot write.
	ErrUnsupported = errors.New("unsupported Go value")
)

// Error describes a problem in marshal data or a value that cannot be
// written.
type Error struct {
	// Offset is the byte offset of the problem: in the input for the
	// Decoder, in the offending string for Encoder.Str, and -1 when it
	// does not apply.
	Offset int
	// Err is one of the sentinel errors above.
	Err error
	// Detail says what is wrong, e.g. "str length 100 exceeds the 3
	// remaining bytes".
	Detail string
}

// Error returns "pymarshal: <sentinel>: <detail> at offset <n>".
func (e *Error) Error() string {
	s := "pymarshal: " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func newError(off int, err error, detail string) *Error {
	return &Error{Offset: off, Err: err, Detail: detail}
}
