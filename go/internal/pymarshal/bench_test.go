package pymarshal

import (
	"math/big"
	"strings"
	"testing"
)

func BenchmarkEncodeStr(b *testing.B) {
	for _, c := range []struct{ name, s string }{
		{"short", "short"},
		{"ascii500", strings.Repeat("ascii", 100)},
		{"utf8", strings.Repeat("\u00e9t\u00e9 ", 100)},
	} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			var e Encoder
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				e.Reset()
				_ = e.Str(s)
			}
		})
	}
}

func BenchmarkEncodeInt(b *testing.B) {
	var e Encoder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset()
		e.Int(int64(i))
		e.Int(int64(i) << 40)
	}
}

func BenchmarkEncodeBigInt(b *testing.B) {
	var e Encoder
	v := new(big.Int).Lsh(big.NewInt(12345), 1000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset()
		e.BigInt(v)
	}
}

func benchTuple() []byte {
	var e Encoder
	_ = e.Tuple(100)
	for i := 0; i < 100; i++ {
		switch i % 4 {
		case 0:
			e.Int(int64(i))
		case 1:
			_ = e.Str("name")
		case 2:
			e.Float(float64(i))
		case 3:
			_ = e.PyBytes([]byte("payload"))
		}
	}
	return e.Bytes()
}

func BenchmarkEncodeTuple(b *testing.B) {
	var e Encoder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset()
		_ = e.Tuple(100)
		for j := 0; j < 100; j += 4 {
			e.Int(int64(j))
			_ = e.Str("name")
			e.Float(float64(j))
			_ = e.PyBytes([]byte("payload"))
		}
	}
}

// BenchmarkDecodeTuple reads a mixed tuple with the pull API.
func BenchmarkDecodeTuple(b *testing.B) {
	data := benchTuple()
	var d Decoder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Reset(data)
		n, err := d.ReadTuple()
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < n; j++ {
			k, _ := d.Peek()
			switch k {
			case KindInt:
				_, err = d.ReadInt64()
			case KindStr:
				_, err = d.ReadStrBytes()
			case KindFloat:
				_, err = d.ReadFloat()
			default:
				_, err = d.ReadBytes()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeAny(b *testing.B) {
	data := benchTuple()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSkip(b *testing.B) {
	data := benchTuple()
	var d Decoder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Reset(data)
		if err := d.Skip(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeStr(b *testing.B) {
	var e Encoder
	_ = e.Str(strings.Repeat("\u00e9t\u00e9 ", 100))
	data := e.Bytes()
	var d Decoder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Reset(data)
		if _, err := d.ReadStr(); err != nil {
			b.Fatal(err)
		}
	}
}
