package pymarshal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"runtime"
	"testing"
	"unicode/utf8"
)

func addGoldenSeeds(f *testing.F) {
	for _, e := range loadCPythonGolden(f) {
		data, err := hex.DecodeString(e.Data)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// allocBound is the most Decode may allocate for n bytes of input: a
// constant per input byte (an element costs at most a few words) plus
// slack for the runtime.
func allocBound(n int) uint64 { return 256*uint64(n) + 1<<16 }

// FuzzDecode checks that decoding never panics, never allocates more than
// the input justifies, and that DecodeAny, Skip and the pull API agree.
func FuzzDecode(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		v, err := Decode(data)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > allocBound(len(data)) {
			t.Fatalf("Decode of %d bytes allocated %d bytes", len(data), got)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %#v", err)
			}
			if v != nil {
				t.Fatalf("Decode returned %#v with error %v", v, err)
			}
		}
		d := NewDecoder(data)
		skipErr := d.Skip()
		if skipErr == nil {
			skipErr = d.Finish()
		}
		if (err == nil) != (skipErr == nil) || err != nil && err.Error() != skipErr.Error() {
			t.Fatalf("Decode: %v; Skip: %v", err, skipErr)
		}
		pullErr := pullAll(NewDecoder(data))
		if (err == nil) != (pullErr == nil) {
			t.Fatalf("Decode: %v; pull API: %v", err, pullErr)
		}
	})
}

// FuzzRoundTrip checks that every tree the decoder builds is written by
// Encoder.Any, read back equal, and written the same way again.
func FuzzRoundTrip(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			return
		}
		var e Encoder
		if err := e.Any(v); err != nil {
			t.Fatalf("Any(%#v): %v", v, err)
		}
		enc := bytes.Clone(e.Bytes())
		v2, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Any(%#v)) = %x: %v", v, enc, err)
		}
		if !treeEqual(v, v2) {
			t.Fatalf("round trip: %#v became %#v", v, v2)
		}
		e.Reset()
		if err := e.Any(v2); err != nil || !bytes.Equal(e.Bytes(), enc) {
			t.Fatalf("second encoding %x, %v; first %x", e.Bytes(), err, enc)
		}
	})
}

// FuzzStr checks Str on arbitrary Go strings: valid UTF-8 round-trips,
// anything else is rejected at the first bad byte.
func FuzzStr(f *testing.F) {
	for _, s := range []string{"", "abc", "\u00e9", "a\xffb", "\xed\xa0\x80", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e Encoder
		err := e.Str(s)
		if !utf8.ValidString(s) {
			var me *Error
			if !errors.As(err, &me) || !errors.Is(err, ErrInvalidUTF8) {
				t.Fatalf("Str(%q) = %v; want ErrInvalidUTF8", s, err)
			}
			r, size := utf8.DecodeRuneInString(s[me.Offset:])
			if !utf8.ValidString(s[:me.Offset]) || r != utf8.RuneError || size != 1 {
				t.Fatalf("Str(%q) reports offset %d, not the first bad byte", s, me.Offset)
			}
			return
		}
		if err != nil {
			t.Fatalf("Str(%q): %v", s, err)
		}
		got, err := NewDecoder(e.Bytes()).ReadStr()
		if err != nil || got != s {
			t.Fatalf("ReadStr(Str(%q)) = %q, %v", s, got, err)
		}
	})
}
