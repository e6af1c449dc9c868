package bridge

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/modules/testmod/pickled"
)

// importPickling imports _pickling, which declares its classes and the
// hash type of crypto/sha256, and returns the instance handle to release.
func importPickling(t *testing.T) uint64 {
	t.Helper()
	var enc pymarshal.Encoder
	if st := ModuleNew("_pickling", &enc); st != OK && st != OKObjects {
		t.Fatalf("ModuleNew(_pickling) = %d", st)
	}
	v, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return uint64(seq(v)[1].(int64))
}

func decoded(t *testing.T, enc *pymarshal.Encoder) any {
	t.Helper()
	v, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// lentObject returns the value an object marker written by Unpickle or
// Copy names, giving Python's loan back.
func lentObject(t *testing.T, v any) any {
	t.Helper()
	marker := seq(v)
	if len(marker) != 4 || marker[1] != "obj" {
		t.Fatalf("not an object marker: %v", v)
	}
	h := uint64(marker[2].(int64))
	obj, ok := objects.Get(h)
	if !ok {
		t.Fatalf("handle %d is not lent", h)
	}
	Release(h)
	return obj
}

func TestTypeName(t *testing.T) {
	tests := []struct {
		sample any
		want   string
	}{
		{(*regexp.Regexp)(nil), "*regexp.Regexp"},
		{pickled.Temperature{}, "github.com/gobridge/gobridge/modules/testmod/pickled.Temperature"},
		{(*pickled.Versioned)(nil), "*github.com/gobridge/gobridge/modules/testmod/pickled.Versioned"},
		{0, "int"},
		{[]string(nil), "[]string"},
	}
	for _, tt := range tests {
		if got := typeName(reflect.TypeOf(tt.sample)); got != tt.want {
			t.Errorf("typeName(%T) = %q, want %q", tt.sample, got, tt.want)
		}
	}
}

func TestPickleFormat(t *testing.T) {
	tests := []struct {
		sample any
		want   string
	}{
		{(*regexp.Regexp)(nil), formatText},
		{pickled.Temperature{}, formatText},        // value receiver MarshalText, pointer UnmarshalText
		{(*pickled.Temperature)(nil), formatText},  // the pointer has both too
		{(*pickled.Versioned)(nil), formatBinary},  // binary wins over text
		{sha256.New(), formatBinary},               // an unexported type behind hash.Hash
		{(*pickled.Opaque)(nil), formatNone},       // no marshalling at all
		{pickled.Opaque{}, formatNone},             //
		{(*strings.Builder)(nil), formatNone},      // methods, but not these
		{(*pickled.Unwritable)(nil), formatBinary}, // claims it; Pickle reports its failure
	}
	for _, tt := range tests {
		if got := pickleFormat(reflect.TypeOf(tt.sample)); got != tt.want {
			t.Errorf("pickleFormat(%T) = %q, want %q", tt.sample, got, tt.want)
		}
	}
}

func TestDeclaredTypesAreFoundByNameAndOwner(t *testing.T) {
	Release(importPickling(t))
	tests := []struct {
		sample any
		owner  string // "" for a type no module declares
	}{
		{pickled.Temperature{}, "_pickling"},
		{(*pickled.Versioned)(nil), "_pickling"},
		{sha256.New(), "_pickling"}, // by Module.Types
		{md5.New(), ""},
		{(*pickled.Temperature)(nil), ""}, // the class is the value type
	}
	for _, tt := range tests {
		typ := reflect.TypeOf(tt.sample)
		if got := typeOwner(typ); got != tt.owner {
			t.Errorf("typeOwner(%s) = %q, want %q", typ, got, tt.owner)
		}
		want := typ
		if tt.owner == "" {
			want = nil
		}
		if got := typeByName(typeName(typ)); got != want {
			t.Errorf("typeByName(%q) = %v, want %v", typeName(typ), got, want)
		}
	}
}

func TestPickleRoundTrips(t *testing.T) {
	Release(importPickling(t))
	started := sha256.New()
	started.Write([]byte("hello "))
	tests := []struct {
		name   string
		value  any
		format string
		check  func(t *testing.T, got any)
	}{
		{"value struct as text", pickled.Temperature{Celsius: -3.25}, formatText, func(t *testing.T, got any) {
			if got != (pickled.Temperature{Celsius: -3.25}) {
				t.Errorf("got %#v", got)
			}
		}},
		{"binary preferred", &pickled.Versioned{N: 7, Via: "new"}, formatBinary, func(t *testing.T, got any) {
			if v := got.(*pickled.Versioned); v.N != 7 || v.Via != "binary" {
				t.Errorf("got %#v", v)
			}
		}},
		{"concrete type behind an interface", started, formatBinary, func(t *testing.T, got any) {
			h := got.(hash.Hash)
			h.Write([]byte("world"))
			want := sha256.Sum256([]byte("hello world"))
			if hex.EncodeToString(h.Sum(nil)) != hex.EncodeToString(want[:]) {
				t.Errorf("digest %x, want %x", h.Sum(nil), want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := objects.Lend(tt.value)
			defer Release(h)
			var enc pymarshal.Encoder
			if st := Pickle(h, &enc); st != OK {
				t.Fatalf("Pickle = %d, %v", st, decoded(t, &enc))
			}
			p := seq(decoded(t, &enc))
			if p[0] != tt.format || p[2] != typeName(reflect.TypeOf(tt.value)) || p[3] != "_pickling" {
				t.Fatalf("Pickle wrote %v", p)
			}
			var out pymarshal.Encoder
			if st := Unpickle(p[2].(string), p[3].(string), p[0].(string), p[1].([]byte), &out); st != OKObjects {
				t.Fatalf("Unpickle = %d, %v", st, decoded(t, &out))
			}
			tt.check(t, lentObject(t, decoded(t, &out)))

			var cp pymarshal.Encoder
			if st := Copy(h, &cp); st != OKObjects {
				t.Fatalf("Copy = %d, %v", st, decoded(t, &cp))
			}
			got := lentObject(t, decoded(t, &cp))
			if reflect.TypeOf(got).Kind() == reflect.Pointer && reflect.ValueOf(got).Pointer() == reflect.ValueOf(tt.value).Pointer() {
				t.Errorf("Copy returned the same pointer")
			}
			tt.check(t, got)
		})
	}
}

func TestPickleErrors(t *testing.T) {
	Release(importPickling(t))
	tests := []struct {
		name   string
		run    func(enc *pymarshal.Encoder) Status
		exc    string
		wanted []string
	}{
		{"no marshalling", lendAnd(&pickled.Opaque{}, Pickle), "TypeError",
			[]string{"cannot pickle Go object Opaque", "encoding.BinaryMarshaler and encoding.BinaryUnmarshaler", "encoding.TextMarshaler and encoding.TextUnmarshaler"}},
		{"no marshalling, copied", lendAnd(&pickled.Opaque{}, Copy), "TypeError",
			[]string{"cannot copy Go object Opaque", "encoding.BinaryMarshaler"}},
		{"undeclared type", lendAnd(md5.New(), Pickle), "TypeError",
			[]string{"no gomod module declares", "Module.Types"}},
		{"failing MarshalBinary", lendAnd(&pickled.Unwritable{}, Pickle), "ValueError",
			[]string{"unwritable on purpose"}},
		{"POSIX regexp", lendAnd(regexp.MustCompilePOSIX("a|ab"), Pickle), "ValueError",
			[]string{"leftmost-longest", "compile_posix"}},
		{"POSIX regexp, copied", lendAnd(regexp.MustCompilePOSIX("a|ab"), Copy), "ValueError",
			[]string{"cannot copy Go object Regexp"}},
		{"released handle", func(enc *pymarshal.Encoder) Status { return Pickle(1<<40, enc) }, "ValueError",
			[]string{"released"}},
		{"unknown type", func(enc *pymarshal.Encoder) Status {
			return Unpickle("*example.com/gone.Type", "gone", formatBinary, nil, enc)
		}, "TypeError", []string{"*example.com/gone.Type", "gomod.gone"}},
		{"format mismatch", func(enc *pymarshal.Encoder) Status {
			return Unpickle(typeName(reflect.TypeOf(pickled.Temperature{})), "_pickling", formatBinary, []byte("1C"), enc)
		}, "ValueError", []string{`"binary"`, `"text"`}},
		{"corrupt data", func(enc *pymarshal.Encoder) Status {
			return Unpickle(typeName(reflect.TypeOf(pickled.Temperature{})), "_pickling", formatText, []byte("warm"), enc)
		}, "ValueError", []string{"cannot unpickle", "does not end in C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var enc pymarshal.Encoder
			if st := tt.run(&enc); st != Error {
				t.Fatalf("status %d, want Error", st)
			}
			rec := seq(decoded(t, &enc))
			if rec[0] != tt.exc {
				t.Errorf("exception %v, want %s: %v", rec[0], tt.exc, rec[1])
			}
			for _, w := range tt.wanted {
				if !strings.Contains(rec[1].(string), w) {
					t.Errorf("message %q does not contain %q", rec[1], w)
				}
			}
		})
	}
}

// lendAnd lends v and runs op (Pickle or Copy) on its handle.
func lendAnd(v any, op func(uint64, *pymarshal.Encoder) Status) func(*pymarshal.Encoder) Status {
	return func(enc *pymarshal.Encoder) Status {
		h := objects.Lend(v)
		defer Release(h)
		return op(h, enc)
	}
}
