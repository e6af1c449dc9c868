package base64

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

var codecs = []struct {
	name   string
	encode func(py.Bytes) string
	decode func(string) ([]byte, error)
	want   string // encoding of "\xfb\xff\xbfhi"
}{
	{"standard", StandardEncode, StandardDecode, "+/+/aGk="},
	{"url", URLEncode, URLDecode, "-_-_aGk="},
	{"raw_standard", RawStandardEncode, RawStandardDecode, "+/+/aGk"},
	{"raw_url", RawURLEncode, RawURLDecode, "-_-_aGk"},
}

func TestRoundTrip(t *testing.T) {
	data := "\xfb\xff\xbfhi"
	for _, c := range codecs {
		got := c.encode(py.Bytes(data))
		if got != c.want {
			t.Errorf("%s_encode = %q, want %q", c.name, got, c.want)
		}
		back, err := c.decode(got)
		if err != nil || string(back) != data {
			t.Errorf("%s_decode(%q) = %q, %v; want %q", c.name, got, back, err, data)
		}
	}
}

// TestBadInput checks that malformed input fails with Go's own error, which
// gobridge raises as ValueError.
func TestBadInput(t *testing.T) {
	for _, c := range codecs {
		for _, in := range []string{"a", "ab!d", "====", "aG\x00k"} {
			_, err := c.decode(in)
			var corrupt base64.CorruptInputError
			if !errors.As(err, &corrupt) {
				t.Errorf("%s_decode(%q): error %v (%T), want base64.CorruptInputError", c.name, in, err, err)
				continue
			}
			if exc := pyerr.PythonException(err); exc != "ValueError" {
				t.Errorf("%s_decode(%q): raises %s, want ValueError", c.name, in, exc)
			}
		}
	}
}

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "encoding.base64")
	modtest.HasAttrs(t, m, "standard_encode", "standard_decode", "url_encode", "url_decode",
		"raw_standard_encode", "raw_standard_decode", "raw_url_encode", "raw_url_decode", "__doc__")
}

// TestEncodersMatchGo: the block encoder, alone and split among
// goroutines, writes what Go's encoder writes, for every tail of a block
// and around the sizes where it changes strategy.
func TestEncodersMatchGo(t *testing.T) {
	data := make([]byte, 3*parallelFrom+block+5)
	for i := range data {
		// Every 12-bit value shows up, not only those of random bytes.
		data[i] = byte(i*167 + i>>8)
	}
	sizes := []int{}
	for n := 0; n <= 4*block+3; n++ {
		sizes = append(sizes, n)
	}
	for _, edge := range []int{minShare, parallelFrom, 2 * parallelFrom, 3 * parallelFrom} {
		for d := -4; d <= 4; d++ {
			sizes = append(sizes, edge+d)
		}
	}
	sizes = append(sizes, len(data))
	for _, c := range []struct {
		name string
		enc  *base64.Encoding
		fn   func(py.Bytes) string
	}{
		{"standard", base64.StdEncoding, StandardEncode},
		{"url", base64.URLEncoding, URLEncode},
		{"raw_standard", base64.RawStdEncoding, RawStandardEncode},
		{"raw_url", base64.RawURLEncoding, RawURLEncode},
	} {
		for _, n := range sizes {
			// An offset start: the loads must not count on alignment.
			src := data[len(data)-n:]
			if n < len(data) {
				src = data[1 : n+1]
			}
			want := c.enc.EncodeToString(src)
			if got := c.fn(py.Bytes(src)); got != want {
				t.Fatalf("%s_encode of %d bytes differs from Go's at byte %d", c.name, n, firstDiff(got, want))
			}
		}
	}
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func BenchmarkStandardEncode(b *testing.B) {
	for _, n := range []int{1 << 10, 1 << 16, 1 << 20, 64 << 20} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i * 131)
		}
		b.Run(fmt.Sprint(n>>10, "KiB"), func(b *testing.B) {
			b.SetBytes(int64(n))
			for i := 0; i < b.N; i++ {
				StandardEncode(py.Bytes(data))
			}
		})
		b.Run(fmt.Sprint(n>>10, "KiB-go"), func(b *testing.B) {
			b.SetBytes(int64(n))
			for i := 0; i < b.N; i++ {
				base64.StdEncoding.EncodeToString(data)
			}
		})
	}
}
