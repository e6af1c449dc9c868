package pymarshal

import (
	"errors"
	"math"
	"math/big"
	"math/rand"
	"strings"
	"testing"
)

func TestEncoderCodes(t *testing.T) {
	tests := []struct {
		name  string
		write func(e *Encoder) error
		want  string
	}{
		{"none", func(e *Encoder) error { e.None(); return nil }, "N"},
		{"true", func(e *Encoder) error { e.Bool(true); return nil }, "T"},
		{"false", func(e *Encoder) error { e.Bool(false); return nil }, "F"},
		{"ellipsis", func(e *Encoder) error { e.Ellipsis(); return nil }, "."},
		{"stopiteration", func(e *Encoder) error { e.StopIteration(); return nil }, "S"},
		{"int", func(e *Encoder) error { e.Int(-2); return nil }, "i\xfe\xff\xff\xff"},
		{"int max32+1", func(e *Encoder) error { e.Int(1 << 31); return nil }, "l\x03\x00\x00\x00\x00\x00\x00\x00\x02\x00"},
		{"int min32-1", func(e *Encoder) error { e.Int(-1<<31 - 1); return nil }, "l\xfd\xff\xff\xff\x01\x00\x00\x00\x02\x00"},
		{"int min64", func(e *Encoder) error { e.Int(math.MinInt64); return nil }, "l\xfb\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00"},
		{"uint max64", func(e *Encoder) error { e.Uint(math.MaxUint64); return nil }, "l\x05\x00\x00\x00\xff\x7f\xff\x7f\xff\x7f\xff\x7f\x0f\x00"},
		{"float", func(e *Encoder) error { e.Float(1.5); return nil }, "g\x00\x00\x00\x00\x00\x00\xf8\x3f"},
		{"complex", func(e *Encoder) error { e.Complex(1i); return nil }, "y\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0\x3f"},
		{"str short ascii", func(e *Encoder) error { return e.Str("ab") }, "z\x02ab"},
		{"str 255", func(e *Encoder) error { return e.Str(strings.Repeat("a", 255)) }, "z\xff" + strings.Repeat("a", 255)},
		{"str 256", func(e *Encoder) error { return e.Str(strings.Repeat("a", 256)) }, "u\x00\x01\x00\x00" + strings.Repeat("a", 256)},
		{"str non-ascii", func(e *Encoder) error { return e.Str("\u00e9") }, "u\x02\x00\x00\x00\xc3\xa9"},
		{"strbytes", func(e *Encoder) error { return e.StrBytes([]byte("\u00e9")) }, "u\x02\x00\x00\x00\xc3\xa9"},
		{"bytes", func(e *Encoder) error { return e.PyBytes([]byte("ab")) }, "s\x02\x00\x00\x00ab"},
		{"tuple 0", func(e *Encoder) error { return e.Tuple(0) }, ")\x00"},
		{"tuple 255", func(e *Encoder) error { return e.Tuple(255) }, ")\xff"},
		{"tuple 256", func(e *Encoder) error { return e.Tuple(256) }, "(\x00\x01\x00\x00"},
		{"list", func(e *Encoder) error { return e.List(3) }, "[\x03\x00\x00\x00"},
		{"set", func(e *Encoder) error { return e.Set(3) }, "<\x03\x00\x00\x00"},
		{"frozenset", func(e *Encoder) error { return e.FrozenSet(3) }, ">\x03\x00\x00\x00"},
		{"dict", func(e *Encoder) error { e.DictBegin(); e.DictEnd(); return nil }, "{0"},
		{"handle", func(e *Encoder) error { e.Handle(1); return nil }, "H\x01\x00\x00\x00\x00\x00\x00\x00"},
		{"callback", func(e *Encoder) error { e.Callback(2); return nil }, "K\x02\x00\x00\x00\x00\x00\x00\x00"},
		{"buffer", func(e *Encoder) error { e.Buffer(3); return nil }, "B\x03\x00\x00\x00"},
		{"object", func(e *Encoder) error { return e.Object("set") }, "Oz\x03set"},
	}
	e := NewEncoder(make([]byte, 0, 16))
	for _, tt := range tests {
		e.Reset()
		if err := tt.write(e); err != nil || string(e.Bytes()) != tt.want || e.Len() != len(tt.want) {
			t.Errorf("%s: wrote %q, %v; want %q", tt.name, e.Bytes(), err, tt.want)
		}
	}
}

func TestEncoderErrors(t *testing.T) {
	tests := []struct {
		name   string
		write  func(e *Encoder) error
		err    error
		offset int
	}{
		{"invalid utf8", func(e *Encoder) error { return e.Str("ab\xffc") }, ErrInvalidUTF8, 2},
		{"invalid utf8 long", func(e *Encoder) error { return e.Str(strings.Repeat("x", 300) + "\xc3") }, ErrInvalidUTF8, 300},
		{"encoded surrogate", func(e *Encoder) error { return e.Str("\u00e9\xed\xa0\x80") }, ErrInvalidUTF8, 2},
		{"strbytes invalid", func(e *Encoder) error { return e.StrBytes([]byte("\u00e9\x80")) }, ErrInvalidUTF8, 2},
		{"object invalid", func(e *Encoder) error { return e.Object("\xff") }, ErrInvalidUTF8, 0},
		{"negative tuple", func(e *Encoder) error { return e.Tuple(-1) }, ErrTooLarge, -1},
		{"negative list", func(e *Encoder) error { return e.List(-1) }, ErrTooLarge, -1},
		{"huge set", func(e *Encoder) error { return e.Set(math.MaxInt32 + 1) }, ErrTooLarge, -1},
		{"any unsupported", func(e *Encoder) error { return e.Any(List{1, struct{}{}}) }, ErrUnsupported, -1},
		{"any nil dict", func(e *Encoder) error { return e.Any((*Dict)(nil)) }, ErrUnsupported, -1},
		{"any bad dict", func(e *Encoder) error { return e.Any(&Dict{Keys: []any{1}}) }, ErrUnsupported, -1},
		{"any bad str", func(e *Encoder) error { return e.Any(Tuple{"ok", "\xff"}) }, ErrInvalidUTF8, 0},
		{"any cyclic", func(e *Encoder) error {
			l := List{nil}
			l[0] = l
			return e.Any(l)
		}, ErrDepth, -1},
	}
	var e Encoder
	for _, tt := range tests {
		e.Reset()
		e.None()
		err := tt.write(&e)
		var me *Error
		if !errors.As(err, &me) || !errors.Is(err, tt.err) || me.Offset != tt.offset {
			t.Errorf("%s: err = %v; want %v at offset %d", tt.name, err, tt.err, tt.offset)
		}
		if string(e.Bytes()) != "N" {
			t.Errorf("%s: failed write left %q", tt.name, e.Bytes())
		}
	}
}

// TestEncoderInts checks Int, Uint and BigInt against each other and the
// decoder on boundary and random values.
func TestEncoderInts(t *testing.T) {
	vals := []int64{0, 1, -1, math.MaxInt32, math.MinInt32, math.MaxInt32 + 1, math.MinInt32 - 1,
		1<<45 - 1, 1 << 45, -1 << 45, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		vals = append(vals, r.Int63()>>r.Intn(63)*int64(1-2*r.Intn(2)))
	}
	var a, b Encoder
	for _, v := range vals {
		a.Reset()
		b.Reset()
		a.Int(v)
		b.BigInt(big.NewInt(v))
		if string(a.Bytes()) != string(b.Bytes()) {
			t.Fatalf("Int(%d) = %x, BigInt = %x", v, a.Bytes(), b.Bytes())
		}
		if got, err := NewDecoder(a.Bytes()).ReadInt64(); err != nil || got != v {
			t.Fatalf("ReadInt64(Int(%d)) = %d, %v", v, got, err)
		}
		if v >= 0 {
			b.Reset()
			b.Uint(uint64(v))
			if string(a.Bytes()) != string(b.Bytes()) {
				t.Fatalf("Int(%d) = %x, Uint = %x", v, a.Bytes(), b.Bytes())
			}
		}
	}
	for i := 0; i < 1000; i++ {
		v := new(big.Int).Rand(r, new(big.Int).Lsh(big.NewInt(1), uint(r.Intn(400))))
		if r.Intn(2) == 0 {
			v.Neg(v)
		}
		a.Reset()
		a.BigInt(v)
		got, err := NewDecoder(a.Bytes()).ReadBigInt()
		if err != nil || got.Cmp(v) != 0 {
			t.Fatalf("ReadBigInt(BigInt(%v)) = %v, %v (%x)", v, got, err, a.Bytes())
		}
	}
	a.Reset()
	a.BigInt(nil)
	if string(a.Bytes()) != "i\x00\x00\x00\x00" {
		t.Errorf("BigInt(nil) = %q", a.Bytes())
	}
}

// TestEncoderAllocs checks that encoding allocates nothing once the buffer
// has grown.
func TestEncoderAllocs(t *testing.T) {
	var e Encoder
	big1 := new(big.Int).Lsh(big.NewInt(3), 200)
	s := strings.Repeat("\u00e9", 200)
	bs := []byte("bytes")
	write := func() {
		e.Reset()
		_ = e.Tuple(12)
		e.None()
		e.Bool(true)
		e.Int(-1 << 40)
		e.Uint(math.MaxUint64)
		e.BigInt(big1)
		e.Float(2.5)
		e.Complex(1i)
		_ = e.Str("short")
		_ = e.Str(s)
		_ = e.StrBytes(bs)
		_ = e.PyBytes(bs)
		e.DictBegin()
		_ = e.Str("k")
		_ = e.List(0)
		e.DictEnd()
	}
	write()
	if n := testing.AllocsPerRun(100, write); n != 0 {
		t.Errorf("encoding allocated %v times per run", n)
	}
}
