package pymarshal

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// A Decoder reads marshal values from a byte slice.
//
// The pull API reads one value or container header per call: Peek reports
// the kind of the next value, the Read methods read a value of one kind,
// ReadTuple, ReadList, ReadSet, ReadFrozenSet and ReadSeq read a container
// header and return its element count (the elements follow), and ReadDict
// starts a dict whose entries are read with DictNext. Skip skips a value and
// DecodeAny reads one into a tree. The Decoder tracks open containers to
// enforce MaxDepth.
//
// Errors are [*Error] values. A Read method that finds a value of another
// kind returns an error wrapping [ErrKind] and consumes nothing; an int
// that does not fit the requested type gives [ErrRange] and is consumed.
// Any other error is sticky: the data is bad and every later call returns
// the same error, until Reset.
//
// Bytes values ([Decoder.ReadBytes], and []byte in trees) alias the input.
type Decoder struct {
	data  []byte
	off   int
	stack []int // remaining items of each open container; -1 for a dict
	err   error // sticky error
	tmp   []any // scratch for DecodeAny
}

// NewDecoder returns a Decoder reading data.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

// Reset makes the Decoder read data from the start, keeping its memory.
func (d *Decoder) Reset(data []byte) {
	d.data, d.off, d.err = data, 0, nil
	d.stack = d.stack[:0]
}

// Offset returns the offset of the next byte to read.
func (d *Decoder) Offset() int { return d.off }

// Remaining returns the number of bytes not read yet.
func (d *Decoder) Remaining() int { return len(d.data) - d.off }

// Depth returns the number of containers that are open: whose header has
// been read but not all of their elements (a dict stays open until DictNext
// returns false).
func (d *Decoder) Depth() int {
	d.popDone()
	return len(d.stack)
}

// Finish returns the sticky error if any, else an error wrapping
// [ErrTrailing] if input remains, else nil. Call it after the last value
// to require that the input holds nothing else.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if n := d.Remaining(); n > 0 {
		return newError(d.off, ErrTrailing, strconv.Itoa(n)+" bytes after the value")
	}
	return nil
}

// Decode decodes data, which must hold exactly one value, into a tree (see
// [Decoder.DecodeAny]).
func Decode(data []byte) (any, error) {
	d := Decoder{data: data}
	v, err := d.DecodeAny()
	if err != nil {
		return nil, err
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return v, nil
}

func (d *Decoder) fail(off int, err error, detail string) error {
	d.err = newError(off, err, detail)
	return d.err
}

func (d *Decoder) popDone() {
	for n := len(d.stack); n > 0 && d.stack[n-1] == 0; n-- {
		d.stack = d.stack[:n-1]
	}
}

// code returns the type code at d.off after checking that it is a data
// value this package reads.
func (d *Decoder) code() (byte, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.off >= len(d.data) {
		return 0, d.fail(d.off, ErrTruncated, "input ends where a value should start")
	}
	c := d.data[d.off]
	if kindOf[c] != KindInvalid {
		return c, nil
	}
	return 0, d.badCode(c)
}

func (d *Decoder) badCode(c byte) error {
	switch {
	case c&flagRef != 0 && kindOf[c&^flagRef] != KindInvalid:
		return d.fail(d.off, ErrRef, "type code "+quoteCode(c&^flagRef)+" has the FLAG_REF bit (0x80) set (marshal version 3 or 4); write version 2")
	case c == codeRef:
		return d.fail(d.off, ErrRef, "back-reference 'r' (marshal version 3 or 4); write version 2")
	case c == codeStringRef:
		return d.fail(d.off, ErrRef, "interned-string reference 'R' (Python 2 marshal)")
	case c == codeNull:
		return d.fail(d.off, ErrCode, "NULL ('0') outside a dict")
	case c == codeCode || c == codeCode|flagRef:
		return d.fail(d.off, ErrCode, "code objects are not supported")
	}
	return d.fail(d.off, ErrCode, "unknown type code "+quoteCode(c))
}

func quoteCode(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return "0x" + strconv.FormatUint(uint64(c), 16)
}

// Peek returns the kind of the next value without consuming it. At the end
// of the input it returns an error wrapping [ErrTruncated].
func (d *Decoder) Peek() (Kind, error) {
	c, err := d.code()
	if err != nil {
		return KindInvalid, err
	}
	return kindOf[c], nil
}

// begin checks that the next value has kind want and enters it: checks its
// depth and counts it against the enclosing container. It returns the type
// code; the payload starts at d.off+1.
func (d *Decoder) begin(want Kind) (byte, error) {
	c, err := d.code()
	if err != nil {
		return 0, err
	}
	if want != KindInvalid && kindOf[c] != want {
		return 0, newError(d.off, ErrKind, "expected "+want.String()+", got "+kindOf[c].String())
	}
	d.popDone()
	if len(d.stack)+1 > MaxDepth {
		return 0, d.fail(d.off, ErrDepth, "more than "+strconv.Itoa(MaxDepth)+" levels")
	}
	if n := len(d.stack); n > 0 && d.stack[n-1] > 0 {
		d.stack[n-1]--
	}
	return c, nil
}

// need checks that n bytes remain at d.off.
func (d *Decoder) need(start, n int, what string) error {
	if n > len(d.data)-d.off {
		return d.fail(start, ErrTruncated, what+" needs "+strconv.Itoa(n)+" bytes, "+strconv.Itoa(len(d.data)-d.off)+" remain")
	}
	return nil
}

func (d *Decoder) u8(start int, what string) (int, error) {
	if err := d.need(start, 1, what); err != nil {
		return 0, err
	}
	d.off++
	return int(d.data[d.off-1]), nil
}

func (d *Decoder) u32(start int, what string) (uint32, error) {
	if err := d.need(start, 4, what); err != nil {
		return 0, err
	}
	d.off += 4
	return binary.LittleEndian.Uint32(d.data[d.off-4:]), nil
}

func (d *Decoder) u64(start int, what string) (uint64, error) {
	if err := d.need(start, 8, what); err != nil {
		return 0, err
	}
	d.off += 8
	return binary.LittleEndian.Uint64(d.data[d.off-8:]), nil
}

// length reads a signed 32-bit length that must be >= 0 and, with each
// item taking at least one byte, fit in the remaining input.
func (d *Decoder) length(start int, what string) (int, error) {
	if len(d.data)-d.off < 4 {
		// Build the message only on failure: this is the hot path.
		return 0, d.need(start, 4, what+" length")
	}
	d.off += 4
	n := int(int32(binary.LittleEndian.Uint32(d.data[d.off-4:])))
	if n < 0 {
		return 0, d.fail(start, ErrMalformed, what+" length "+strconv.Itoa(n)+" is negative")
	}
	return n, d.fits(start, n, what)
}

func (d *Decoder) fits(start, n int, what string) error {
	if r := len(d.data) - d.off; n > r {
		return d.fail(start, ErrTruncated, what+" length "+strconv.Itoa(n)+" exceeds the "+strconv.Itoa(r)+" remaining bytes")
	}
	return nil
}

// --- scalars ---

// ReadNone reads None.
func (d *Decoder) ReadNone() error {
	_, err := d.begin(KindNone)
	if err == nil {
		d.off++
	}
	return err
}

// ReadBool reads True or False.
func (d *Decoder) ReadBool() (bool, error) {
	c, err := d.begin(KindBool)
	if err != nil {
		return false, err
	}
	d.off++
	return c == codeTrue, nil
}

// ReadEllipsis reads Ellipsis.
func (d *Decoder) ReadEllipsis() error {
	_, err := d.begin(KindEllipsis)
	if err == nil {
		d.off++
	}
	return err
}

// ReadStopIteration reads the StopIteration class.
func (d *Decoder) ReadStopIteration() error {
	_, err := d.begin(KindStopIteration)
	if err == nil {
		d.off++
	}
	return err
}

// IntFit says which Go integer type holds an [Int].
type IntFit uint8

// The IntFit values, from smallest to largest.
const (
	FitsInt64  IntFit = iota // Int64 holds the value (and Uint64 too if it is >= 0)
	FitsUint64               // the value is above MaxInt64; Uint64 holds it
	FitsBig                  // only Big holds the value
)

// Int is an int read by [Decoder.ReadInt].
type Int struct {
	Fit    IntFit
	Int64  int64    // the value if Fit == FitsInt64
	Uint64 uint64   // the value if Fit == FitsUint64, or FitsInt64 and Int64 >= 0
	Big    *big.Int // the value if Fit == FitsBig, else nil
}

// BigInt returns the value as a new *big.Int.
func (i Int) BigInt() *big.Int {
	switch i.Fit {
	case FitsInt64:
		return big.NewInt(i.Int64)
	case FitsUint64:
		return new(big.Int).SetUint64(i.Uint64)
	}
	return new(big.Int).Set(i.Big)
}

// ReadInt reads an int of any size. It allocates only for an int that does
// not fit in 64 bits.
func (d *Decoder) ReadInt() (Int, error) {
	c, err := d.begin(KindInt)
	if err != nil {
		return Int{}, err
	}
	return d.intPayload(c, true)
}

// ReadInt64 reads an int that must fit in int64; otherwise it consumes the
// value and returns an error wrapping [ErrRange].
func (d *Decoder) ReadInt64() (int64, error) {
	start := d.off
	c, err := d.begin(KindInt)
	if err != nil {
		return 0, err
	}
	v, err := d.intPayload(c, false)
	if err != nil {
		return 0, err
	}
	if v.Fit != FitsInt64 {
		return 0, newError(start, ErrRange, "int does not fit in int64")
	}
	return v.Int64, nil
}

// ReadUint64 reads an int that must fit in uint64; otherwise it consumes
// the value and returns an error wrapping [ErrRange].
func (d *Decoder) ReadUint64() (uint64, error) {
	start := d.off
	c, err := d.begin(KindInt)
	if err != nil {
		return 0, err
	}
	v, err := d.intPayload(c, false)
	if err != nil {
		return 0, err
	}
	switch {
	case v.Fit == FitsUint64 || v.Fit == FitsInt64 && v.Int64 >= 0:
		return v.Uint64, nil
	case v.Int64 < 0: // see intPayload for FitsBig
		return 0, newError(start, ErrRange, "negative int does not fit in uint64")
	}
	return 0, newError(start, ErrRange, "int does not fit in uint64")
}

// ReadBigInt reads an int of any size into a new *big.Int.
func (d *Decoder) ReadBigInt() (*big.Int, error) {
	v, err := d.ReadInt()
	if err != nil {
		return nil, err
	}
	if v.Fit == FitsBig {
		return v.Big, nil
	}
	return v.BigInt(), nil
}

// Neg reports whether the value is negative.
func (i Int) Neg() bool {
	switch i.Fit {
	case FitsInt64:
		return i.Int64 < 0
	case FitsUint64:
		return false
	}
	return i.Big.Sign() < 0
}

func smallInt(v int64) Int {
	i := Int{Fit: FitsInt64, Int64: v}
	if v >= 0 {
		i.Uint64 = uint64(v)
	}
	return i
}

// intPayload reads the int whose code c is at d.off. If wantBig is false,
// an int that does not fit in 64 bits is validated and skipped, and
// reported as FitsBig with a nil Big and Int64 set to its sign (-1 or 1).
func (d *Decoder) intPayload(c byte, wantBig bool) (Int, error) {
	start := d.off
	d.off++
	switch c {
	case codeInt:
		u, err := d.u32(start, "int")
		return smallInt(int64(int32(u))), err
	case codeInt64:
		u, err := d.u64(start, "int64")
		return smallInt(int64(u)), err
	}
	// codeLong: a signed count of 15-bit digits, least significant first.
	u, err := d.u32(start, "long digit count")
	if err != nil {
		return Int{}, err
	}
	n := int(int32(u))
	if n == math.MinInt32 {
		return Int{}, d.fail(start, ErrMalformed, "long digit count out of range")
	}
	neg := n < 0
	if neg {
		n = -n
	}
	if err := d.need(start, 2*n, "long with "+strconv.Itoa(n)+" digits"); err != nil {
		return Int{}, err
	}
	digits := d.data[d.off : d.off+2*n]
	for i := 0; i < n; i++ {
		if binary.LittleEndian.Uint16(digits[2*i:]) > 0x7fff {
			return Int{}, d.fail(d.off+2*i, ErrMalformed, "long digit out of range")
		}
	}
	if n > 0 && binary.LittleEndian.Uint16(digits[2*n-2:]) == 0 {
		return Int{}, d.fail(d.off+2*n-2, ErrMalformed, "unnormalized long (top digit is 0)")
	}
	d.off += 2 * n
	if n == 0 {
		return smallInt(0), nil
	}
	nbits := (n-1)*15 + bits.Len16(binary.LittleEndian.Uint16(digits[2*n-2:]))
	if nbits <= 64 {
		var m uint64
		for i := n - 1; i >= 0; i-- {
			m = m<<15 | uint64(binary.LittleEndian.Uint16(digits[2*i:]))
		}
		switch {
		case !neg && m <= math.MaxInt64:
			return smallInt(int64(m)), nil
		case !neg:
			return Int{Fit: FitsUint64, Uint64: m}, nil
		case m <= 1<<63:
			return smallInt(int64(-m)), nil // -(1<<63) wraps to MinInt64
		}
	}
	if !wantBig {
		if neg {
			return Int{Fit: FitsBig, Int64: -1}, nil
		}
		return Int{Fit: FitsBig, Int64: 1}, nil
	}
	const wbits = bits.UintSize
	words := make([]big.Word, (nbits+wbits-1)/wbits)
	for i := 0; i < n; i++ {
		dg := big.Word(binary.LittleEndian.Uint16(digits[2*i:]))
		bit := i * 15
		w, off := bit/wbits, uint(bit%wbits)
		words[w] |= dg << off
		if int(off)+15 > wbits && w+1 < len(words) {
			words[w+1] |= dg >> (wbits - off)
		}
	}
	b := new(big.Int).SetBits(words)
	if neg {
		b.Neg(b)
	}
	return Int{Fit: FitsBig, Big: b}, nil
}

// ReadFloat reads a float.
func (d *Decoder) ReadFloat() (float64, error) {
	c, err := d.begin(KindFloat)
	if err != nil {
		return 0, err
	}
	start := d.off
	d.off++
	if c == codeBinaryFloat {
		u, err := d.u64(start, "float")
		return math.Float64frombits(u), err
	}
	return d.floatText(start)
}

// floatText reads a float written as text: a one-byte length and a
// Python float literal (marshal versions 0 and 1).
func (d *Decoder) floatText(start int) (float64, error) {
	n, err := d.u8(start, "float text length")
	if err != nil {
		return 0, err
	}
	if err := d.need(start, n, "float text"); err != nil {
		return 0, err
	}
	s := d.data[d.off : d.off+n]
	f, ok := parsePyFloat(s)
	if !ok {
		return 0, d.fail(d.off, ErrMalformed, "bad float literal "+strconv.Quote(string(s)))
	}
	d.off += n
	return f, nil
}

// parsePyFloat parses what PyOS_string_to_double accepts: an optional sign
// and a decimal literal, "inf", "infinity" or "nan" (any case).
func parsePyFloat(s []byte) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	switch r := s[i:]; {
	case equalFold(r, "inf") || equalFold(r, "infinity"):
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case equalFold(r, "nan"):
		if neg {
			return math.Copysign(math.NaN(), -1), true
		}
		return math.NaN(), true
	}
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true // on overflow ParseFloat gives ±Inf, as CPython does
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func equalFold(s []byte, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != t[i] {
			return false
		}
	}
	return true
}

// ReadComplex reads a complex.
func (d *Decoder) ReadComplex() (complex128, error) {
	c, err := d.begin(KindComplex)
	if err != nil {
		return 0, err
	}
	return d.complexPayload(c)
}

func (d *Decoder) complexPayload(c byte) (complex128, error) {
	start := d.off
	d.off++
	if c == codeBinaryComplex {
		re, err := d.u64(start, "complex real part")
		if err != nil {
			return 0, err
		}
		im, err := d.u64(start, "complex imaginary part")
		return complex(math.Float64frombits(re), math.Float64frombits(im)), err
	}
	re, err := d.floatText(start)
	if err != nil {
		return 0, err
	}
	im, err := d.floatText(start)
	return complex(re, im), err
}

// --- str and bytes ---

// strPayload reads the str whose code c is at d.off and returns its bytes
// (aliasing the input) and whether they are Latin-1 ('a', 'A', 'z', 'Z'
// codes, which CPython decodes as Latin-1) rather than UTF-8.
func (d *Decoder) strPayload(c byte) (b []byte, latin1 bool, err error) {
	start := d.off
	d.off++
	var n int
	switch c {
	case codeShortASCII, codeShortASCIIInterned:
		n, err = d.u8(start, "str length")
		if err == nil {
			err = d.fits(start, n, "str")
		}
		latin1 = true
	case codeASCII, codeASCIIInterned:
		n, err = d.length(start, "str")
		latin1 = true
	default: // codeUnicode, codeInterned
		n, err = d.length(start, "str")
	}
	if err != nil {
		return nil, false, err
	}
	b = d.data[d.off : d.off+n : d.off+n]
	if !latin1 && !utf8.Valid(b) {
		return nil, false, d.badUTF8(b, d.off)
	}
	d.off += n
	return b, latin1, nil
}

// badUTF8 reports the first problem in b, which is not valid UTF-8 and
// starts at offset base in the input. Python writes str with the UTF-8
// codec and surrogatepass, so a surrogate is a Python str Go cannot hold;
// anything else is data CPython would not read either.
func (d *Decoder) badUTF8(b []byte, base int) error {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			i += size
			continue
		}
		if i+2 < len(b) && b[i] == 0xed && b[i+1]&0xe0 == 0xa0 && b[i+2]&0xc0 == 0x80 {
			cp := 0xd000 | rune(b[i+1]&0x3f)<<6 | rune(b[i+2]&0x3f)
			return d.fail(base+i, ErrSurrogate, "U+"+strconv.FormatInt(int64(cp), 16)+
				" (a Python str with a lone surrogate cannot become a Go string)")
		}
		return d.fail(base+i, ErrInvalidUTF8, "byte 0x"+strconv.FormatUint(uint64(b[i]), 16))
	}
	return d.fail(base, ErrInvalidUTF8, "") // not reached
}

func latin1String(b []byte) string {
	n := len(b)
	for _, c := range b {
		if c >= utf8.RuneSelf {
			n++
		}
	}
	if n == len(b) {
		return string(b)
	}
	out := make([]byte, 0, n)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

func latin1Bytes(b []byte) []byte {
	if isASCII(b) {
		return b
	}
	return []byte(latin1String(b))
}

// ReadStr reads a str.
func (d *Decoder) ReadStr() (string, error) {
	c, err := d.begin(KindStr)
	if err != nil {
		return "", err
	}
	b, latin1, err := d.strPayload(c)
	if err != nil {
		return "", err
	}
	if latin1 {
		return latin1String(b), nil
	}
	return string(b), nil
}

// ReadStrBytes reads a str and returns its UTF-8 bytes. They alias the
// input, except for a non-ASCII str written with an ASCII code (which
// CPython reads as Latin-1), so the caller must not modify them.
func (d *Decoder) ReadStrBytes() ([]byte, error) {
	c, err := d.begin(KindStr)
	if err != nil {
		return nil, err
	}
	b, latin1, err := d.strPayload(c)
	if err != nil {
		return nil, err
	}
	if latin1 {
		return latin1Bytes(b), nil
	}
	return b, nil
}

// ReadBytes reads a bytes object. The result aliases the input.
func (d *Decoder) ReadBytes() ([]byte, error) {
	if _, err := d.begin(KindBytes); err != nil {
		return nil, err
	}
	return d.bytesPayload()
}

func (d *Decoder) bytesPayload() ([]byte, error) {
	start := d.off
	d.off++
	n, err := d.length(start, "bytes")
	if err != nil {
		return nil, err
	}
	b := d.data[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

// --- extension codes ---

// ReadHandle reads a gobridge handle ('H').
func (d *Decoder) ReadHandle() (uint64, error) {
	if _, err := d.begin(KindHandle); err != nil {
		return 0, err
	}
	d.off++
	return d.u64(d.off-1, "handle")
}

// ReadCallback reads a gobridge callback id ('K').
func (d *Decoder) ReadCallback() (uint64, error) {
	if _, err := d.begin(KindCallback); err != nil {
		return 0, err
	}
	d.off++
	return d.u64(d.off-1, "callback id")
}

// ReadBuffer reads a gobridge buffer index ('B').
func (d *Decoder) ReadBuffer() (uint32, error) {
	if _, err := d.begin(KindBuffer); err != nil {
		return 0, err
	}
	d.off++
	return d.u32(d.off-1, "buffer index")
}

// ReadObject reads a gobridge unconvertible object ('O') and returns its
// Python type name.
func (d *Decoder) ReadObject() (string, error) {
	if _, err := d.begin(KindObject); err != nil {
		return "", err
	}
	b, latin1, err := d.objectPayload()
	if err != nil {
		return "", err
	}
	if latin1 {
		return latin1String(b), nil
	}
	return string(b), nil
}

func (d *Decoder) objectPayload() ([]byte, bool, error) {
	d.off++
	c, err := d.code()
	if err != nil {
		return nil, false, err
	}
	if kindOf[c] != KindStr {
		return nil, false, d.fail(d.off, ErrMalformed, "'O' must be followed by a str, got "+kindOf[c].String())
	}
	return d.strPayload(c)
}

// --- containers ---

// ReadTuple reads a tuple header and returns the number of items, which
// follow.
func (d *Decoder) ReadTuple() (int, error) { return d.readSeq(KindTuple) }

// ReadList reads a list header and returns the number of items, which
// follow.
func (d *Decoder) ReadList() (int, error) { return d.readSeq(KindList) }

// ReadSet reads a set header and returns the number of items, which
// follow.
func (d *Decoder) ReadSet() (int, error) { return d.readSeq(KindSet) }

// ReadFrozenSet reads a frozenset header and returns the number of items,
// which follow.
func (d *Decoder) ReadFrozenSet() (int, error) { return d.readSeq(KindFrozenSet) }

// ReadSeq reads the header of a tuple, list, set or frozenset and returns
// its kind and the number of items, which follow. For another kind it
// returns an error wrapping [ErrKind].
func (d *Decoder) ReadSeq() (Kind, int, error) {
	k, err := d.Peek()
	if err != nil {
		return KindInvalid, 0, err
	}
	switch k {
	case KindTuple, KindList, KindSet, KindFrozenSet:
		n, err := d.readSeq(k)
		return k, n, err
	}
	return KindInvalid, 0, newError(d.off, ErrKind, "expected a tuple, list, set or frozenset, got "+k.String())
}

func (d *Decoder) readSeq(k Kind) (int, error) {
	c, err := d.begin(k)
	if err != nil {
		return 0, err
	}
	n, err := d.seqLen(c)
	if err == nil && n > 0 {
		d.stack = append(d.stack, n)
	}
	return n, err
}

func (d *Decoder) seqLen(c byte) (int, error) {
	start := d.off
	d.off++
	if c == codeSmallTuple {
		n, err := d.u8(start, "tuple length")
		if err != nil {
			return 0, err
		}
		return n, d.fits(start, n, "tuple")
	}
	return d.length(start, kindOf[c].String())
}

// ReadDict reads the start of a dict. Read its entries with DictNext.
func (d *Decoder) ReadDict() error {
	if _, err := d.begin(KindDict); err != nil {
		return err
	}
	d.off++
	d.stack = append(d.stack, -1)
	return nil
}

// DictNext reports whether the innermost open dict has another entry; if
// so, read the key and then the value. At the end marker it consumes the
// marker, closes the dict and returns false. It must be called when the
// values read so far have completed the previous entry (or right after
// ReadDict).
func (d *Decoder) DictNext() (bool, error) {
	if d.err != nil {
		return false, d.err
	}
	d.popDone()
	n := len(d.stack)
	if n == 0 || d.stack[n-1] != -1 {
		return false, newError(d.off, ErrKind, "DictNext called outside a dict")
	}
	if d.off >= len(d.data) {
		return false, d.fail(d.off, ErrTruncated, "input ends inside a dict")
	}
	if d.data[d.off] == codeNull {
		d.off++
		d.stack = d.stack[:n-1]
		return false, nil
	}
	return true, nil
}

// Skip skips the next value, validating it as DecodeAny would but without
// allocating.
func (d *Decoder) Skip() error {
	if _, err := d.begin(KindInvalid); err != nil {
		return err
	}
	_, err := d.walk(len(d.stack)+1, false)
	return err
}

// DecodeAny reads the next value into a tree: nil, bool, int64 or *big.Int,
// float64, complex128, string, []byte (aliasing the input), [List],
// [Tuple], [Set], [FrozenSet], *[Dict], [Ellipsis], [StopIteration],
// [Handle], [Callback], [Buffer] or [Object]. Container slices are
// allocated with their exact lengths.
func (d *Decoder) DecodeAny() (any, error) {
	if _, err := d.begin(KindInvalid); err != nil {
		return nil, err
	}
	return d.walk(len(d.stack)+1, true)
}

// walk reads the value at d.off, which is at the given depth and has been
// counted by begin (or by the enclosing walk). With build false it only
// validates and returns nil.
func (d *Decoder) walk(depth int, build bool) (any, error) {
	if depth > MaxDepth {
		return nil, d.fail(d.off, ErrDepth, "more than "+strconv.Itoa(MaxDepth)+" levels")
	}
	c, err := d.code()
	if err != nil {
		return nil, err
	}
	switch kindOf[c] {
	case KindNone:
		d.off++
		return nil, nil
	case KindBool:
		d.off++
		if !build {
			return nil, nil
		}
		return c == codeTrue, nil
	case KindEllipsis:
		d.off++
		return Ellipsis{}, nil
	case KindStopIteration:
		d.off++
		return StopIteration{}, nil
	case KindInt:
		v, err := d.intPayload(c, build)
		if err != nil || !build {
			return nil, err
		}
		if v.Fit == FitsInt64 {
			return v.Int64, nil
		}
		if v.Fit == FitsUint64 {
			return new(big.Int).SetUint64(v.Uint64), nil
		}
		return v.Big, nil
	case KindFloat:
		start := d.off
		d.off++
		var f float64
		if c == codeBinaryFloat {
			var u uint64
			u, err = d.u64(start, "float")
			f = math.Float64frombits(u)
		} else {
			f, err = d.floatText(start)
		}
		if err != nil || !build {
			return nil, err
		}
		return f, nil
	case KindComplex:
		z, err := d.complexPayload(c)
		if err != nil || !build {
			return nil, err
		}
		return z, nil
	case KindStr:
		b, latin1, err := d.strPayload(c)
		if err != nil || !build {
			return nil, err
		}
		if latin1 {
			return latin1String(b), nil
		}
		return string(b), nil
	case KindBytes:
		b, err := d.bytesPayload()
		if err != nil || !build {
			return nil, err
		}
		return b, nil
	case KindHandle, KindCallback:
		d.off++
		what := "callback id"
		if c == codeHandle {
			what = "handle"
		}
		u, err := d.u64(d.off-1, what)
		if err != nil || !build {
			return nil, err
		}
		if c == codeHandle {
			return Handle(u), nil
		}
		return Callback(u), nil
	case KindBuffer:
		d.off++
		u, err := d.u32(d.off-1, "buffer index")
		if err != nil || !build {
			return nil, err
		}
		return Buffer(u), nil
	case KindObject:
		b, latin1, err := d.objectPayload()
		if err != nil || !build {
			return nil, err
		}
		if latin1 {
			return Object{TypeName: latin1String(b)}, nil
		}
		return Object{TypeName: string(b)}, nil
	case KindDict:
		return d.walkDict(depth, build)
	}
	// tuple, list, set, frozenset
	n, err := d.seqLen(c)
	if err != nil {
		return nil, err
	}
	base := len(d.tmp)
	for i := 0; i < n; i++ {
		v, err := d.walk(depth+1, build)
		if err != nil {
			d.dropTmp(base)
			return nil, err
		}
		if build {
			d.tmp = append(d.tmp, v)
		}
	}
	if !build {
		return nil, nil
	}
	items := make([]any, n)
	copy(items, d.tmp[base:])
	d.dropTmp(base)
	switch kindOf[c] {
	case KindTuple:
		return Tuple(items), nil
	case KindList:
		return List(items), nil
	case KindSet:
		return Set(items), nil
	}
	return FrozenSet(items), nil
}

func (d *Decoder) dropTmp(base int) {
	clear(d.tmp[base:])
	d.tmp = d.tmp[:base]
}

func (d *Decoder) walkDict(depth int, build bool) (any, error) {
	d.off++
	base := len(d.tmp)
	for {
		if d.off >= len(d.data) {
			d.dropTmp(base)
			return nil, d.fail(d.off, ErrTruncated, "input ends inside a dict")
		}
		if d.data[d.off] == codeNull {
			d.off++
			break
		}
		k, err := d.walk(depth+1, build)
		if err != nil {
			d.dropTmp(base)
			return nil, err
		}
		if d.off < len(d.data) && d.data[d.off] == codeNull {
			d.dropTmp(base)
			return nil, d.fail(d.off, ErrMalformed, "dict ends after a key without a value")
		}
		v, err := d.walk(depth+1, build)
		if err != nil {
			d.dropTmp(base)
			return nil, err
		}
		if build {
			d.tmp = append(d.tmp, k, v)
		}
	}
	if !build {
		return nil, nil
	}
	n := (len(d.tmp) - base) / 2
	dict := &Dict{Keys: make([]any, n), Values: make([]any, n)}
	for i := 0; i < n; i++ {
		dict.Keys[i] = d.tmp[base+2*i]
		dict.Values[i] = d.tmp[base+2*i+1]
	}
	d.dropTmp(base)
	return dict, nil
}
