package md5

import (
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/py"
)

var vectors = []struct{ in, sum string }{
	{"", "d41d8cd98f00b204e9800998ecf8427e"},
	{"abc", "900150983cd24fb0d6963f7d28e17f72"},
	{"The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"},
}

func TestSum(t *testing.T) {
	for _, v := range vectors {
		if got := Sum(py.Bytes(v.in)); hex.EncodeToString(got[:]) != v.sum {
			t.Errorf("Sum(%q) = %x, want %s", v.in, got, v.sum)
		}
	}
}

func TestHash(t *testing.T) {
	for _, v := range vectors {
		h := New()
		if h.Name != "md5" || h.DigestSize != Size || h.BlockSize != BlockSize {
			t.Errorf("name %q, digest_size %d, block_size %d", h.Name, h.DigestSize, h.BlockSize)
		}
		half := len(v.in) / 2
		h.Update(py.Bytes(v.in[:half]))
		c := h.Copy()
		h.Update(py.Bytes(v.in[half:]))
		c.Update(py.Bytes(v.in[half:]))
		for which, got := range map[string]*Hash{"hash": h, "copy": c} {
			if got.HexDigest() != v.sum || hex.EncodeToString(got.Digest()) != v.sum {
				t.Errorf("%s of %q: %s, want %s", which, v.in, got.HexDigest(), v.sum)
			}
		}
	}
}

func TestZeroCopy(t *testing.T) {
	data := py.Bytes(make([]byte, 1<<20))
	h := New()
	if n := testing.AllocsPerRun(2, func() { Sum(data); h.Update(data) }); n != 0 {
		t.Errorf("Sum and Update: %v allocations", n)
	}
}

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "crypto.md5")
	modtest.HasAttrs(t, m, "sum", "new", "Hash", "SIZE", "BLOCK_SIZE", "__doc__")
	if p := modtest.Function(t, m, "sum").Params; len(p) != 1 || p[0].Type != reflect.TypeOf(py.Bytes(nil)) {
		t.Errorf("sum params = %+v, want one py.Bytes", p)
	}
	c := modtest.Class(t, m, "Hash")
	modtest.HasMethods(t, c, "update", "digest", "hexdigest", "copy")
}

// TestMarshalBinary checks the state pickling sends: a hash fed with a
// prefix, marshalled and read into a zero Hash, finishes with the digest
// of the whole input, and state of another algorithm is refused.
func TestMarshalBinary(t *testing.T) {
	for _, v := range vectors {
		half := len(v.in) / 2
		h := New()
		h.Update(py.Bytes(v.in[:half]))
		data, err := h.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Hash
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatalf("UnmarshalBinary: %v", err)
		}
		back.Update(py.Bytes(v.in[half:]))
		if back.HexDigest() != v.sum || back.Name != "md5" || back.DigestSize != Size || back.BlockSize != BlockSize {
			t.Errorf("%q after a round trip: %s %+v, want %s", v.in, back.HexDigest(), back, v.sum)
		}
	}
	for _, bad := range []string{"", "sha256:", "md5", "md5:garbage"} {
		var h Hash
		if err := h.UnmarshalBinary([]byte(bad)); err == nil {
			t.Errorf("UnmarshalBinary(%q) succeeded", bad)
		}
	}
}
