package sha256

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/py"
)

var vectors = []struct {
	in             string
	sum256, sum224 string
}{
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"},
}

func TestSums(t *testing.T) {
	for _, v := range vectors {
		if got := Sum256(py.Bytes(v.in)); hex.EncodeToString(got[:]) != v.sum256 {
			t.Errorf("Sum256(%q) = %x, want %s", v.in, got, v.sum256)
		}
		if got := Sum224(py.Bytes(v.in)); hex.EncodeToString(got[:]) != v.sum224 {
			t.Errorf("Sum224(%q) = %x, want %s", v.in, got, v.sum224)
		}
	}
}

func TestHash(t *testing.T) {
	for _, v := range vectors {
		for _, tt := range []struct {
			new  func() *Hash
			name string
			size int
			want string
		}{
			{New, "sha256", Size, v.sum256},
			{New224, "sha224", Size224, v.sum224},
		} {
			h := tt.new()
			if h.Name != tt.name || h.DigestSize != tt.size || h.BlockSize != BlockSize {
				t.Errorf("%s: name %q, digest_size %d, block_size %d", tt.name, h.Name, h.DigestSize, h.BlockSize)
			}
			// Feed the input in two parts, copying in between: the copy
			// must carry the first part and nothing after it.
			half := len(v.in) / 2
			h.Update(py.Bytes(v.in[:half]))
			c := h.Copy()
			h.Update(py.Bytes(v.in[half:]))
			c.Update(py.Bytes(v.in[half:]))
			for which, got := range map[string]*Hash{"hash": h, "copy": c} {
				if got.HexDigest() != tt.want || hex.EncodeToString(got.Digest()) != tt.want {
					t.Errorf("%s of %q: %s, want %s", which, v.in, got.HexDigest(), tt.want)
				}
				if len(got.Digest()) != got.DigestSize {
					t.Errorf("%s: digest of %d bytes, digest_size %d", which, len(got.Digest()), got.DigestSize)
				}
			}
			c.Update(py.Bytes("more"))
			if h.HexDigest() != tt.want {
				t.Errorf("updating the copy changed the original")
			}
		}
	}
}

// TestZeroCopy checks the Go half of the zero-copy promise: given a
// borrowed view, hashing allocates nothing, however large the data.
func TestZeroCopy(t *testing.T) {
	data := py.Bytes(make([]byte, 64<<20))
	h := New()
	if n := testing.AllocsPerRun(1, func() { Sum256(data) }); n != 0 {
		t.Errorf("Sum256 of 64 MiB: %v allocations", n)
	}
	if n := testing.AllocsPerRun(1, func() { h.Update(data) }); n != 0 {
		t.Errorf("Hash.Update of 64 MiB: %v allocations", n)
	}
}

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "crypto.sha256")
	modtest.HasAttrs(t, m, "sum256", "sum224", "new", "new224", "Hash", "SIZE", "SIZE224", "BLOCK_SIZE", "__doc__")
	bytesType := reflect.TypeOf(py.Bytes(nil))
	if p := modtest.Function(t, m, "sum256").Params; len(p) != 1 || p[0].Name != "data" || p[0].Type != bytesType {
		t.Errorf("sum256 params = %+v, want one py.Bytes named data", p)
	}
	c := modtest.Class(t, m, "Hash")
	modtest.HasMethods(t, c, "update", "digest", "hexdigest", "copy")
	modtest.LacksMethods(t, c, "hex_digest")
	if update, _ := c.Type.MethodByName("Update"); update.Type.In(1) != bytesType {
		t.Errorf("Hash.Update takes %s, want py.Bytes", update.Type.In(1))
	}
}

// TestMarshalBinary checks the state pickling sends: a hash fed with a
// prefix, marshalled and read into a zero Hash, finishes with the digest
// of the whole input, and state of another algorithm is refused.
func TestMarshalBinary(t *testing.T) {
	for _, v := range vectors {
		for _, tt := range []struct {
			new  func() *Hash
			want string
		}{{New, v.sum256}, {New224, v.sum224}} {
			half := len(v.in) / 2
			h := tt.new()
			h.Update(py.Bytes(v.in[:half]))
			data, err := h.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back Hash
			if err := back.UnmarshalBinary(data); err != nil {
				t.Fatalf("%s: UnmarshalBinary: %v", h.Name, err)
			}
			back.Update(py.Bytes(v.in[half:]))
			if back.HexDigest() != tt.want || back.Name != h.Name || back.DigestSize != h.DigestSize || back.BlockSize != BlockSize {
				t.Errorf("%s of %q after a round trip: %s %+v, want %s", h.Name, v.in, back.HexDigest(), back, tt.want)
			}
		}
	}
	sha224, _ := New224().MarshalBinary()
	_, sha224State, _ := strings.Cut(string(sha224), ":")
	for _, bad := range []string{"", "md5:", "sha256", "sha256:garbage", "sha256:" + sha224State} {
		var h Hash
		if err := h.UnmarshalBinary([]byte(bad)); err == nil {
			t.Errorf("UnmarshalBinary(%q) succeeded", bad)
		}
	}
}
