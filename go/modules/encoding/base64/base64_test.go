package base64

import (
	"encoding/base64"
	"errors"
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
