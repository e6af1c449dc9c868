package pymarshal

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
)

func u32le(n uint32) string {
	return string([]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)})
}

// TestDecodeErrors checks that bad input gives the right error at the right
// offset.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		err    error
		offset int
		detail string // substring of the message
	}{
		{"empty", "", ErrTruncated, 0, "input ends"},
		{"trailing", "NN", ErrTrailing, 1, "1 bytes after"},
		{"unknown code", "?", ErrCode, 0, "'?'"},
		{"unknown byte", "\x01", ErrCode, 0, "0x1"},
		{"code object", "c", ErrCode, 0, "code objects"},
		{"null at top", "0", ErrCode, 0, "NULL"},
		{"null in tuple", ")\x010", ErrCode, 2, "NULL"},
		{"ref", "r\x00\x00\x00\x00", ErrRef, 0, "back-reference 'r'"},
		{"flag ref", "\xe9\x01\x00\x00\x00", ErrRef, 0, "FLAG_REF"},
		{"flag ref nested", "[\x01\x00\x00\x00\xda\x01a", ErrRef, 5, "FLAG_REF"},
		{"py2 string ref", "R\x00\x00\x00\x00", ErrRef, 0, "interned-string"},
		{"int short", "i\x01\x00", ErrTruncated, 0, "int needs 4 bytes, 2 remain"},
		{"int64 short", "I\x01", ErrTruncated, 0, "int64"},
		{"long count short", "l\x01", ErrTruncated, 0, "long digit count"},
		{"long digits short", "l\x02\x00\x00\x00\x01\x00", ErrTruncated, 0, "long with 2 digits needs 4 bytes, 2 remain"},
		{"long huge count", "l\xff\xff\xff\x7f", ErrTruncated, 0, "long with 2147483647 digits"},
		{"long min count", "l\x00\x00\x00\x80", ErrMalformed, 0, "out of range"},
		{"long digit range", "l\x01\x00\x00\x00\x00\x80", ErrMalformed, 5, "digit out of range"},
		{"long unnormalized", "l\x02\x00\x00\x00\x01\x00\x00\x00", ErrMalformed, 7, "unnormalized"},
		{"float short", "g\x00\x00", ErrTruncated, 0, "float"},
		{"float text short", "f\x05abc", ErrTruncated, 0, "float text needs 5 bytes"},
		{"float text empty", "f\x00", ErrMalformed, 2, "bad float literal"},
		{"float text space", "f\x04 1.5", ErrMalformed, 2, `" 1.5"`},
		{"float text trailing space", "f\x041.5 ", ErrMalformed, 2, "bad float"},
		{"float text no exponent", "f\x021e", ErrMalformed, 2, "bad float"},
		{"float text underscore", "f\x041_0.", ErrMalformed, 2, "bad float"},
		{"float text hex", "f\x040x10", ErrMalformed, 2, "bad float"},
		{"float text nul", "f\x041.5\x00", ErrMalformed, 2, "bad float"},
		{"float text dot", "f\x01.", ErrMalformed, 2, "bad float"},
		{"complex text short", "x\x031.5", ErrTruncated, 0, "float text length"},
		{"complex short", "y" + strings.Repeat("\x00", 12), ErrTruncated, 0, "imaginary"},
		{"str negative", "u\xff\xff\xff\xff", ErrMalformed, 0, "negative"},
		{"str huge", "u\xff\xff\xff\x7f", ErrTruncated, 0, "str length 2147483647 exceeds the 0 remaining bytes"},
		{"short str short", "z\x05abc", ErrTruncated, 0, "str length 5 exceeds the 3 remaining bytes"},
		{"bytes huge", "s\x00\x00\x00\x01", ErrTruncated, 0, "bytes length 16777216"},
		{"surrogate", "u\x05\x00\x00\x00ab\xed\xa0\x80", ErrSurrogate, 7, "U+d800"},
		{"low surrogate", ")\x02Nt\x03\x00\x00\x00\xed\xbf\xbf", ErrSurrogate, 8, "U+dfff"},
		{"invalid utf8", "u\x02\x00\x00\x00a\xff", ErrInvalidUTF8, 6, "0xff"},
		{"overlong utf8", "u\x02\x00\x00\x00\xc0\x80", ErrInvalidUTF8, 5, "0xc0"},
		{"truncated utf8", "u\x02\x00\x00\x00a\xe6", ErrInvalidUTF8, 6, "0xe6"},
		{"tuple huge", "(\xff\xff\xff\x7fN", ErrTruncated, 0, "tuple length 2147483647 exceeds the 1 remaining bytes"},
		{"tuple negative", "(\xff\xff\xff\xff", ErrMalformed, 0, "negative"},
		{"small tuple huge", ")\xffNN", ErrTruncated, 0, "tuple length 255 exceeds the 2 remaining"},
		{"list huge", "[\x00\x00\x00\x10", ErrTruncated, 0, "list length"},
		{"set huge", "<\x00\x00\x00\x10", ErrTruncated, 0, "set length"},
		{"frozenset huge", ">\x00\x00\x00\x10", ErrTruncated, 0, "frozenset length"},
		{"list elements short", "[\x02\x00\x00\x00i\x00", ErrTruncated, 5, "int needs 4 bytes, 1 remain"},
		{"list missing element", "[\x02\x00\x00\x00{0", ErrTruncated, 7, "input ends"},
		{"dict unterminated", "{NN", ErrTruncated, 3, "inside a dict"},
		{"dict key without value", "{N0", ErrMalformed, 2, "key without a value"},
		{"dict bad value", "{N?0", ErrCode, 2, "'?'"},
		{"handle short", "H\x01\x02", ErrTruncated, 0, "handle"},
		{"callback short", "K", ErrTruncated, 0, "callback"},
		{"buffer short", "B\x01\x02\x03", ErrTruncated, 0, "buffer"},
		{"object not str", "Os\x00\x00\x00\x00", ErrMalformed, 1, "'O' must be followed by a str, got bytes"},
		{"object truncated", "O", ErrTruncated, 1, "input ends"},
		{"object ref", "O\xda\x01a", ErrRef, 1, "FLAG_REF"},
		{"object surrogate", "Ou\x03\x00\x00\x00\xed\xa0\x80", ErrSurrogate, 6, "surrogate"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.data))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tt.err) || e.Offset != tt.offset || !strings.Contains(e.Error(), tt.detail) {
			t.Errorf("%s: Decode(%q) = %v; want %v at offset %d containing %q", tt.name, tt.data, err, tt.err, tt.offset, tt.detail)
			continue
		}
		if err2 := NewDecoder([]byte(tt.data)).Skip(); tt.err != ErrTrailing && !errors.Is(err2, tt.err) {
			t.Errorf("%s: Skip = %v; want %v", tt.name, err2, tt.err)
		}
	}
}

func TestDecodeValues(t *testing.T) {
	big2e100, _ := new(big.Int).SetString("1267650600228229401496703205376", 10)
	tests := []struct {
		name string
		data string
		want any
	}{
		{"long zero", "l\x00\x00\x00\x00", int64(0)},
		{"long one digit", "l\xff\xff\xff\xff\x05\x00", int64(-5)},
		{"long min64", "l\xfb\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00", int64(math.MinInt64)},
		{"long max64+1", "l\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00", new(big.Int).Lsh(big.NewInt(1), 63)},
		{"long 2**100", "l\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04", big2e100},
		{"int64", "I\xff\xff\xff\xff\xff\xff\xff\xff", int64(-1)},
		{"float text", "f\x04-1e3", -1000.0},
		{"float text inf", "f\x03INF", math.Inf(1)},
		{"float text -infinity", "f\x09-infinity", math.Inf(-1)},
		{"float text overflow", "f\x051e400", math.Inf(1)},
		{"float text -0", "f\x02-0", math.Copysign(0, -1)},
		{"complex text", "x\x011\x04-2.5", complex(1, -2.5)},
		{"short ascii latin1", "z\x02\xe9\xff", "\u00e9\u00ff"},
		{"ascii latin1", "a\x01\x00\x00\x00\x80", "\u0080"},
		{"interned", "t\x02\x00\x00\x00\xc3\xa9", "\u00e9"},
		{"ascii interned", "A\x01\x00\x00\x00x", "x"},
		{"short ascii interned", "Z\x00", ""},
		{"U+FFFD is not an error", "u\x03\x00\x00\x00\xef\xbf\xbd", "\uFFFD"},
		{"dict", "{z\x01aN)\x00[\x00\x00\x00\x000", &Dict{Keys: []any{"a", Tuple{}}, Values: []any{nil, List{}}}},
		{"dict empty", "{0", &Dict{Keys: []any{}, Values: []any{}}},
		{"extensions", ")\x04H\x00\x00\x00\x00\x00\x00\x00\x80K\x02\x00\x00\x00\x00\x00\x00\x00B\x03\x00\x00\x00Oz\x05numpy",
			Tuple{Handle(1 << 63), Callback(2), Buffer(3), Object{"numpy"}}},
		{"object latin1", "Oz\x01\xe9", Object{"\u00e9"}},
		{"stopiteration", "S", StopIteration{}},
		{"set", "<\x02\x00\x00\x00TF", Set{true, false}},
		{"frozenset", ">\x01\x00\x00\x00.", FrozenSet{Ellipsis{}}},
	}
	for _, tt := range tests {
		got, err := Decode([]byte(tt.data))
		if err != nil || !treeEqual(got, tt.want) {
			t.Errorf("%s: Decode(%q) = %#v, %v; want %#v", tt.name, tt.data, got, err, tt.want)
		}
	}
}

// nestedLists returns n nested one-element lists around inner.
func nestedLists(n int, inner string) []byte {
	return append(bytes.Repeat([]byte("[\x01\x00\x00\x00"), n), inner...)
}

// TestDepth checks the MaxDepth boundary, which matches CPython's.
func TestDepth(t *testing.T) {
	ok := [][]byte{
		nestedLists(MaxDepth-1, "N"),
		nestedLists(MaxDepth-1, "[\x00\x00\x00\x00"),
		nestedLists(MaxDepth-1, "{0"),
		nestedLists(MaxDepth-2, "{N)\x00N[\x00\x00\x00\x000"),
	}
	bad := [][]byte{
		nestedLists(MaxDepth, "N"),
		nestedLists(MaxDepth-1, "{NN0"),
		nestedLists(MaxDepth-2, "{N)\x01N0"),
		nestedLists(100000, "N"),
	}
	for i, data := range ok {
		if _, err := Decode(data); err != nil {
			t.Errorf("ok[%d]: Decode: %v", i, err)
		}
		if err := pullAll(NewDecoder(data)); err != nil {
			t.Errorf("ok[%d]: pull: %v", i, err)
		}
	}
	for i, data := range bad {
		if _, err := Decode(data); !errors.Is(err, ErrDepth) {
			t.Errorf("bad[%d]: Decode = %v; want ErrDepth", i, err)
		}
		if err := NewDecoder(data).Skip(); !errors.Is(err, ErrDepth) {
			t.Errorf("bad[%d]: Skip = %v; want ErrDepth", i, err)
		}
		if err := pullAll(NewDecoder(data)); !errors.Is(err, ErrDepth) {
			t.Errorf("bad[%d]: pull = %v; want ErrDepth", i, err)
		}
	}
}

// pullAll reads one value with the pull API only, without recursion in
// the decoder, checking that it ends where it should.
func pullAll(d *Decoder) error {
	if err := pullValue(d); err != nil {
		return err
	}
	if depth := d.Depth(); depth != 0 {
		return errors.New("containers left open")
	}
	return d.Finish()
}

func pullValue(d *Decoder) error {
	k, err := d.Peek()
	if err != nil {
		return err
	}
	switch k {
	case KindNone:
		return d.ReadNone()
	case KindBool:
		_, err = d.ReadBool()
	case KindInt:
		_, err = d.ReadInt()
	case KindFloat:
		_, err = d.ReadFloat()
	case KindComplex:
		_, err = d.ReadComplex()
	case KindStr:
		_, err = d.ReadStr()
	case KindBytes:
		_, err = d.ReadBytes()
	case KindEllipsis:
		err = d.ReadEllipsis()
	case KindStopIteration:
		err = d.ReadStopIteration()
	case KindHandle:
		_, err = d.ReadHandle()
	case KindCallback:
		_, err = d.ReadCallback()
	case KindBuffer:
		_, err = d.ReadBuffer()
	case KindObject:
		_, err = d.ReadObject()
	case KindDict:
		if err := d.ReadDict(); err != nil {
			return err
		}
		for {
			more, err := d.DictNext()
			if err != nil || !more {
				return err
			}
			if err := pullValue(d); err != nil {
				return err
			}
			if err := pullValue(d); err != nil {
				return err
			}
		}
	default:
		_, n, err := d.ReadSeq()
		for i := 0; i < n && err == nil; i++ {
			err = pullValue(d)
		}
		return err
	}
	return err
}

func TestPullAPI(t *testing.T) {
	var e Encoder
	e.Tuple(6)
	e.Int(-5)
	e.Str("h\u00e9")
	e.PyBytes([]byte("raw"))
	e.List(2)
	e.Uint(math.MaxUint64)
	e.BigInt(new(big.Int).Lsh(big.NewInt(-1), 100))
	e.DictBegin()
	e.Str("k")
	e.Set(0)
	e.Str("k2")
	e.Float(2.5)
	e.DictEnd()
	e.Complex(1i)
	data := append([]byte(nil), e.Bytes()...)

	d := NewDecoder(data)
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := d.ReadTuple()
	check(err)
	if n != 6 || d.Depth() != 1 {
		t.Fatalf("ReadTuple = %d, depth %d", n, d.Depth())
	}
	// A kind mismatch consumes nothing and is not sticky.
	if _, err := d.ReadStr(); !errors.Is(err, ErrKind) || !strings.Contains(err.Error(), "expected str, got int") {
		t.Fatalf("ReadStr on an int = %v", err)
	}
	if k, _ := d.Peek(); k != KindInt {
		t.Fatalf("Peek = %v", k)
	}
	i, err := d.ReadInt64()
	check(err)
	if i != -5 {
		t.Fatalf("ReadInt64 = %d", i)
	}
	sb, err := d.ReadStrBytes()
	check(err)
	if string(sb) != "h\u00e9" {
		t.Fatalf("ReadStrBytes = %q", sb)
	}
	b, err := d.ReadBytes()
	check(err)
	if string(b) != "raw" || &b[0] != &data[bytes.Index(data, []byte("raw"))] {
		t.Fatalf("ReadBytes = %q, not a view of the input", b)
	}
	k, n, err := d.ReadSeq()
	check(err)
	if k != KindList || n != 2 || d.Depth() != 2 {
		t.Fatalf("ReadSeq = %v %d, depth %d", k, n, d.Depth())
	}
	// An int out of range is consumed and not sticky.
	if _, err := d.ReadInt64(); !errors.Is(err, ErrRange) {
		t.Fatalf("ReadInt64(MaxUint64) = %v", err)
	}
	if _, err := d.ReadUint64(); !errors.Is(err, ErrRange) || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("ReadUint64(-2**100) = %v", err)
	}
	if d.Depth() != 1 {
		t.Fatalf("depth after the list = %d", d.Depth())
	}
	check(d.ReadDict())
	var keys []string
	for {
		more, err := d.DictNext()
		check(err)
		if !more {
			break
		}
		key, err := d.ReadStr()
		check(err)
		keys = append(keys, key)
		check(d.Skip())
	}
	if strings.Join(keys, ",") != "k,k2" || d.Depth() != 1 {
		t.Fatalf("dict keys %q, depth %d", keys, d.Depth())
	}
	if _, err := d.DictNext(); !errors.Is(err, ErrKind) {
		t.Fatalf("DictNext outside a dict = %v", err)
	}
	c, err := d.ReadComplex()
	check(err)
	if c != 1i || d.Depth() != 0 || d.Remaining() != 0 || d.Offset() != len(data) {
		t.Fatalf("ReadComplex = %v, depth %d, remaining %d", c, d.Depth(), d.Remaining())
	}
	check(d.Finish())

	// Sticky errors.
	d.Reset([]byte("?N"))
	if _, err := d.Peek(); !errors.Is(err, ErrCode) {
		t.Fatal(err)
	}
	if err := d.ReadNone(); !errors.Is(err, ErrCode) {
		t.Fatalf("error not sticky: %v", err)
	}
	if err := d.Finish(); !errors.Is(err, ErrCode) {
		t.Fatalf("Finish = %v", err)
	}
	d.Reset([]byte("N"))
	check(d.ReadNone())
	check(d.Finish())
}

func TestReadInt(t *testing.T) {
	tests := []struct {
		v   *big.Int
		fit IntFit
		i64 bool
		u64 bool
	}{
		{big.NewInt(0), FitsInt64, true, true},
		{big.NewInt(-1), FitsInt64, true, false},
		{big.NewInt(math.MaxInt64), FitsInt64, true, true},
		{big.NewInt(math.MinInt64), FitsInt64, true, false},
		{new(big.Int).SetUint64(1 << 63), FitsUint64, false, true},
		{new(big.Int).SetUint64(math.MaxUint64), FitsUint64, false, true},
		{new(big.Int).Lsh(big.NewInt(1), 64), FitsBig, false, false},
		{new(big.Int).Sub(big.NewInt(math.MinInt64), big.NewInt(1)), FitsBig, false, false},
	}
	var e Encoder
	for _, tt := range tests {
		e.Reset()
		e.BigInt(tt.v)
		data := e.Bytes()
		v, err := NewDecoder(data).ReadInt()
		if err != nil || v.Fit != tt.fit || v.BigInt().Cmp(tt.v) != 0 || v.Neg() != (tt.v.Sign() < 0) {
			t.Errorf("ReadInt(%v) = %+v, %v", tt.v, v, err)
		}
		i, err := NewDecoder(data).ReadInt64()
		if tt.i64 != (err == nil) || err == nil && i != tt.v.Int64() {
			t.Errorf("ReadInt64(%v) = %d, %v", tt.v, i, err)
		}
		u, err := NewDecoder(data).ReadUint64()
		if tt.u64 != (err == nil) || err == nil && u != tt.v.Uint64() {
			t.Errorf("ReadUint64(%v) = %d, %v", tt.v, u, err)
		}
		b, err := NewDecoder(data).ReadBigInt()
		if err != nil || b.Cmp(tt.v) != 0 {
			t.Errorf("ReadBigInt(%v) = %v, %v", tt.v, b, err)
		}
	}
}

// TestNoOverAllocation checks that claimed counts do not drive allocation:
// nested containers that each claim the rest of the input.
func TestNoOverAllocation(t *testing.T) {
	var data []byte
	for i := 0; i < 1500; i++ {
		data = append(data, '[')
		data = append(data, u32le(uint32(1<<20))...)
	}
	data = append(data, bytes.Repeat([]byte{'N'}, 1<<20)...)
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := Decode(data); !errors.Is(err, ErrTruncated) {
			t.Fatal(err)
		}
	})
	if allocs > 64 {
		t.Errorf("Decode made %v allocations", allocs)
	}
}
