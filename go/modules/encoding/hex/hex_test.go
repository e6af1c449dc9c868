package hex

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

func TestRoundTrip(t *testing.T) {
	for _, tt := range []struct{ data, enc string }{
		{"", ""},
		{"\x00\xff", "00ff"},
		{"hello", "68656c6c6f"},
	} {
		if got := Encode(py.Bytes(tt.data)); got != tt.enc {
			t.Errorf("encode(%q) = %q, want %q", tt.data, got, tt.enc)
		}
		if got, err := Decode(strings.ToUpper(tt.enc)); err != nil || string(got) != tt.data {
			t.Errorf("decode(%q) = %q, %v; want %q", strings.ToUpper(tt.enc), got, err, tt.data)
		}
	}
	if got := Dump(py.Bytes("hi")); !strings.HasPrefix(got, "00000000  68 69") {
		t.Errorf("dump = %q", got)
	}
}

func TestBadInput(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want func(error) bool
	}{
		{"abc", func(err error) bool { return errors.Is(err, hex.ErrLength) }},
		{"zz", func(err error) bool { var e hex.InvalidByteError; return errors.As(err, &e) }},
	} {
		_, err := Decode(tt.in)
		if !tt.want(err) {
			t.Errorf("decode(%q): unexpected error %v (%T)", tt.in, err, err)
		}
		if exc := pyerr.PythonException(err); exc != "ValueError" {
			t.Errorf("decode(%q): raises %s, want ValueError", tt.in, exc)
		}
	}
}

func TestModule(t *testing.T) {
	modtest.HasAttrs(t, modtest.Exec(t, "encoding.hex"), "encode", "decode", "dump", "__doc__")
}
