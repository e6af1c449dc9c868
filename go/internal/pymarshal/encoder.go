package pymarshal

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// maxLen is the largest length or count marshal can write (SIZE32_MAX).
const maxLen = math.MaxInt32

// An Encoder appends marshal data to a buffer. The zero value is ready to
// use. Methods write one value or one container header each; a container's
// elements follow its header, a dict's key/value pairs follow DictBegin and
// end with DictEnd. After Reset the buffer's memory is reused, so encoding
// allocates nothing in steady state.
//
// The output uses the codes of marshal version 4 without references: 'z'
// for ASCII strings shorter than 256 bytes, 'u' for other strings, ')' for
// tuples of fewer than 256 items, 'i' for ints that fit in 32 bits and 'l'
// for larger ones, 'g' and 'y' for floats and complex numbers.
//
// A method that returns an error appends nothing when it fails.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an Encoder that appends to buf[:0].
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf[:0]} }

// Bytes returns the data written so far. It aliases the Encoder's buffer,
// so it is valid until the next write or Reset.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the number of bytes written so far.
func (e *Encoder) Len() int { return len(e.buf) }

// Raw appends data that is already marshal-encoded, such as a value
// encoded once and cached.
func (e *Encoder) Raw(data []byte) { e.buf = append(e.buf, data...) }

// Reset empties the buffer, keeping its memory.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

// Truncate discards all but the first n bytes written. It panics if n is
// negative or greater than Len.
func (e *Encoder) Truncate(n int) { e.buf = e.buf[:n] }

// None writes None.
func (e *Encoder) None() { e.buf = append(e.buf, codeNone) }

// Bool writes True or False.
func (e *Encoder) Bool(v bool) {
	if v {
		e.buf = append(e.buf, codeTrue)
	} else {
		e.buf = append(e.buf, codeFalse)
	}
}

// Ellipsis writes Ellipsis.
func (e *Encoder) Ellipsis() { e.buf = append(e.buf, codeEllipsis) }

// StopIteration writes the StopIteration class.
func (e *Encoder) StopIteration() { e.buf = append(e.buf, codeStopIter) }

// Int writes an int.
func (e *Encoder) Int(v int64) {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		e.buf = append(e.buf, codeInt)
		e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(int32(v)))
		return
	}
	if v < 0 {
		e.long(uint64(-v), true) // -MinInt64 wraps to 1<<63, as wanted
	} else {
		e.long(uint64(v), false)
	}
}

// Uint writes an int.
func (e *Encoder) Uint(v uint64) {
	if v <= math.MaxInt32 {
		e.buf = append(e.buf, codeInt)
		e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(v))
		return
	}
	e.long(v, false)
}

// long writes the magnitude m (> MaxInt32) as 'l' with 15-bit digits.
func (e *Encoder) long(m uint64, neg bool) {
	n := (bits.Len64(m) + 14) / 15
	if neg {
		n = -n
	}
	e.buf = append(e.buf, codeLong)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(int32(n)))
	for ; m != 0; m >>= 15 {
		e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(m&0x7fff))
	}
}

// BigInt writes an int. A nil v is written as 0.
func (e *Encoder) BigInt(v *big.Int) {
	if v == nil {
		e.Int(0)
		return
	}
	if v.IsInt64() {
		e.Int(v.Int64())
		return
	}
	words := v.Bits()
	nbits := v.BitLen()
	n := (nbits + 14) / 15 // at most 2**31-1 for any big.Int that fits in memory
	if v.Sign() < 0 {
		n = -n
	}
	e.buf = append(e.buf, codeLong)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(int32(n)))
	const wbits = strconv.IntSize
	for bit := 0; bit < nbits; bit += 15 {
		w, off := bit/wbits, uint(bit%wbits)
		d := uint64(words[w]) >> off
		if int(off)+15 > wbits && w+1 < len(words) {
			d |= uint64(words[w+1]) << (wbits - off)
		}
		e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(d&0x7fff))
	}
}

// Float writes a float ('g').
func (e *Encoder) Float(v float64) {
	e.buf = append(e.buf, codeBinaryFloat)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
}

// Complex writes a complex ('y').
func (e *Encoder) Complex(v complex128) {
	e.buf = append(e.buf, codeBinaryComplex)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(real(v)))
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(imag(v)))
}

// Str writes a str. It returns an [*Error] wrapping [ErrInvalidUTF8], with
// the offset of the first bad byte, if s is not valid UTF-8 (this includes
// UTF-8-encoded surrogates), or wrapping [ErrTooLarge] if s is longer than
// 2**31-1 bytes.
func (e *Encoder) Str(s string) error { return appendStr(e, s, utf8.ValidString) }

// StrBytes is Str for a str held in a byte slice.
func (e *Encoder) StrBytes(s []byte) error { return appendStr(e, s, utf8.Valid) }

func appendStr[T string | []byte](e *Encoder, s T, valid func(T) bool) error {
	if len(s) < 256 && isASCII(s) {
		e.buf = append(e.buf, codeShortASCII, byte(len(s)))
		e.buf = append(e.buf, s...)
		return nil
	}
	if len(s) > maxLen {
		return newError(-1, ErrTooLarge, "str of "+strconv.Itoa(len(s))+" bytes")
	}
	if !valid(s) {
		off := invalidUTF8(s)
		return newError(off, ErrInvalidUTF8, "Go string is not valid UTF-8 (byte 0x"+strconv.FormatUint(uint64(s[off]), 16)+")")
	}
	e.buf = append(e.buf, codeUnicode)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(len(s)))
	e.buf = append(e.buf, s...)
	return nil
}

// invalidUTF8 returns the offset of the first byte of s that does not start
// a valid UTF-8 sequence, or -1.
func invalidUTF8[T string | []byte](s T) int {
	str := string(s) // error path only
	for i, r := range str {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(str[i:]); size <= 1 {
				return i
			}
		}
	}
	return -1
}

// PyBytes writes a bytes object ('s'). It returns an [*Error] wrapping
// [ErrTooLarge] if b is longer than 2**31-1 bytes.
func (e *Encoder) PyBytes(b []byte) error {
	if len(b) > maxLen {
		return newError(-1, ErrTooLarge, "bytes of "+strconv.Itoa(len(b))+" bytes")
	}
	e.buf = append(e.buf, codeString)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(len(b)))
	e.buf = append(e.buf, b...)
	return nil
}

func (e *Encoder) header(code byte, n int) error {
	if n < 0 || n > maxLen {
		return newError(-1, ErrTooLarge, "count "+strconv.Itoa(n))
	}
	e.buf = append(e.buf, code)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(n))
	return nil
}

// Tuple writes the header of a tuple of n items; the n items follow. It
// returns an error wrapping [ErrTooLarge] if n is negative or above
// 2**31-1.
func (e *Encoder) Tuple(n int) error {
	if n >= 0 && n < 256 {
		e.buf = append(e.buf, codeSmallTuple, byte(n))
		return nil
	}
	return e.header(codeTuple, n)
}

// List writes the header of a list of n items; the n items follow. Errors
// as for Tuple.
func (e *Encoder) List(n int) error { return e.header(codeList, n) }

// Set writes the header of a set of n items; the n items follow. Errors as
// for Tuple.
func (e *Encoder) Set(n int) error { return e.header(codeSet, n) }

// FrozenSet writes the header of a frozenset of n items; the n items
// follow. Errors as for Tuple.
func (e *Encoder) FrozenSet(n int) error { return e.header(codeFrozenSet, n) }

// DictBegin starts a dict; write key, value, key, value, ... and then
// DictEnd.
func (e *Encoder) DictBegin() { e.buf = append(e.buf, codeDict) }

// DictEnd ends a dict.
func (e *Encoder) DictEnd() { e.buf = append(e.buf, codeNull) }

// Handle writes the gobridge extension value 'H' h. marshal.loads rejects
// it: it is for data that travels from Python to Go, and for tests.
func (e *Encoder) Handle(h uint64) {
	e.buf = append(e.buf, codeHandle)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, h)
}

// Callback writes the gobridge extension value 'K' id. marshal.loads
// rejects it (see Handle).
func (e *Encoder) Callback(id uint64) {
	e.buf = append(e.buf, codeCallback)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, id)
}

// Buffer writes the gobridge extension value 'B' index. marshal.loads
// rejects it (see Handle).
func (e *Encoder) Buffer(index uint32) {
	e.buf = append(e.buf, codeBuffer)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, index)
}

// Object writes the gobridge extension value 'O' followed by the str
// typeName. marshal.loads rejects it (see Handle). Errors as for Str.
func (e *Encoder) Object(typeName string) error {
	n := len(e.buf)
	e.buf = append(e.buf, codeObject)
	if err := e.Str(typeName); err != nil {
		e.buf = e.buf[:n]
		return err
	}
	return nil
}

func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
