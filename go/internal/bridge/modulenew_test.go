package bridge

import (
	"fmt"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
	_ "github.com/gobridge/gobridge/modules/crypto/sha256"
	_ "github.com/gobridge/gobridge/modules/encoding/hex"
	_ "github.com/gobridge/gobridge/modules/math"
	_ "github.com/gobridge/gobridge/modules/regexp"
)

// BenchmarkModuleNew measures what Go does for each import of a shipped
// module: running its registration and writing its description. A warm
// import's share of gobridge is this and the Python loader's decoding.
func BenchmarkModuleNew(b *testing.B) {
	for _, name := range []string{"math", "regexp", "encoding.hex", "crypto.sha256"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var enc pymarshal.Encoder
			for i := 0; i < b.N; i++ {
				enc.Reset()
				if st := ModuleNew(name, &enc); st != OK && st != OKObjects {
					b.Fatalf("ModuleNew(%s) = %d: %q", name, st, enc.Bytes())
				}
				// The handle, second in the description, releases the
				// instance, as Python's collecting the module does.
				d := pymarshal.NewDecoder(enc.Bytes())
				_, _ = d.ReadTuple()
				_ = d.Skip()
				h, err := d.ReadUint64()
				if err != nil {
					b.Fatal(err)
				}
				Release(h)
			}
		})
	}
}

// TestModuleNewLeavesErrorClassesToErrorInfo checks that building a module
// sends only the names of its exception classes, and that ErrorInfo
// describes each of the latest build on request.
func TestModuleNewLeavesErrorClassesToErrorInfo(t *testing.T) {
	var enc pymarshal.Encoder
	if st := ModuleNew("encoding.hex", &enc); st != OK {
		t.Fatalf("ModuleNew(encoding.hex) = %d", st)
	}
	v, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer Release(uint64(seq(v)[1].(int64)))
	payloads := map[string]any{}
	for _, a := range seq(seq(v)[4]) {
		if attr := seq(a); attr[1] == "error" {
			payloads[attr[0].(string)] = attr[2]
		}
	}
	if len(payloads) != 2 || payloads["ErrLength"] != nil || payloads["InvalidByteError"] != nil {
		t.Fatalf("exception classes of encoding.hex: %v, want ErrLength and InvalidByteError with None", payloads)
	}
	tests := []struct {
		key    string
		status Status
		want   string
	}{
		{"gomod.encoding.hex:ErrLength", OK, `[ErrLength reports an attempt to decode an odd-length input. ValueError Go error "encoding/hex: odd length hex string" (*errors.errorString) []]`},
		{"gomod.encoding.hex:InvalidByteError", OK, "[InvalidByteError describes an invalid byte in a hex string: a character\nthat is not a hexadecimal digit. ValueError Go error type hex.InvalidByteError []]"},
		{"gomod.encoding.hex:Missing", Error, ""},
		{"gomod.nowhere:ErrLength", Error, ""},
		{"no colon", Error, ""},
	}
	for _, tt := range tests {
		var info pymarshal.Encoder
		st := ErrorInfo(tt.key, &info)
		desc, err := pymarshal.Decode(info.Bytes())
		if err != nil || st != tt.status {
			t.Errorf("ErrorInfo(%q) = %d, %v, %v; want status %d", tt.key, st, desc, err, tt.status)
			continue
		}
		if got := fmt.Sprint(desc); tt.status == OK && got != tt.want {
			t.Errorf("ErrorInfo(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
