package pymarshal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/encoder_golden.json")

type goldenEntry struct {
	Name    string          `json:"name"`
	Version int             `json:"version"`
	Data    string          `json:"data"`
	Want    json.RawMessage `json:"want,omitempty"`
	Err     string          `json:"err,omitempty"`
}

func loadCPythonGolden(t testing.TB) []goldenEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "cpython_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Entries []goldenEntry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Entries
}

var goldenErrs = map[string]error{"ref": ErrRef, "surrogate": ErrSurrogate}

// TestCPythonGolden decodes what CPython's marshal.dumps wrote for versions
// 0 to 4 (testdata/gen_golden.py).
func TestCPythonGolden(t *testing.T) {
	entries := loadCPythonGolden(t)
	if len(entries) < 100 {
		t.Fatalf("only %d golden entries", len(entries))
	}
	for _, e := range entries {
		data, err := hex.DecodeString(e.Data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(data)
		name := e.Name + "/v" + string(rune('0'+e.Version))
		if e.Err != "" {
			if !errors.Is(err, goldenErrs[e.Err]) {
				t.Errorf("%s: Decode(%x) = %v, %v; want error %v", name, data, got, err, goldenErrs[e.Err])
			}
			// Skip reports the same error without building anything.
			if err2 := NewDecoder(data).Skip(); !errors.Is(err2, goldenErrs[e.Err]) {
				t.Errorf("%s: Skip = %v; want error %v", name, err2, goldenErrs[e.Err])
			}
			continue
		}
		want, err2 := fromTagged(e.Want)
		if err2 != nil {
			t.Fatalf("%s: bad want: %v", name, err2)
		}
		if err != nil {
			t.Errorf("%s: Decode(%x): %v", name, data, err)
			continue
		}
		if !treeEqual(got, want) {
			t.Errorf("%s: Decode(%x) = %#v; want %#v", name, data, got, want)
		}
		d := NewDecoder(data)
		if err := d.Skip(); err != nil || d.Finish() != nil {
			t.Errorf("%s: Skip: %v, Finish: %v", name, err, d.Finish())
		}
		// Every proper prefix is truncated.
		for n := 0; n < len(data); n++ {
			if _, err := Decode(data[:n]); !errors.Is(err, ErrTruncated) {
				t.Errorf("%s: Decode(%x) (prefix %d) = %v; want ErrTruncated", name, data[:n], n, err)
				break
			}
		}
		// Trailing bytes are reported.
		if _, err := Decode(append(data[:len(data):len(data)], 'N')); !errors.Is(err, ErrTrailing) {
			t.Errorf("%s: Decode with a trailing byte = %v; want ErrTrailing", name, err)
		}
	}
}

// encoderCases are Go values whose encodings are committed in
// testdata/encoder_golden.json; tests/test_marshal_vectors.py checks that
// marshal.loads reads each into the Python value of its tagged form.
var encoderCases = []struct {
	name string
	v    any
}{
	{"none", nil},
	{"true", true},
	{"false", false},
	{"ellipsis", Ellipsis{}},
	{"stopiteration", StopIteration{}},
	{"int/0", 0},
	{"int/-1", int8(-1)},
	{"int/max32", int32(math.MaxInt32)},
	{"int/min32", int64(math.MinInt32)},
	{"int/max32+1", int64(math.MaxInt32 + 1)},
	{"int/min32-1", int64(math.MinInt32 - 1)},
	{"int/2**45", int64(1 << 45)},
	{"int/max64", int64(math.MaxInt64)},
	{"int/min64", int64(math.MinInt64)},
	{"uint/max32", uint32(math.MaxUint32)},
	{"uint/max64", uint64(math.MaxUint64)},
	{"uint/2**63", uint64(1 << 63)},
	{"bigint/small", big.NewInt(-7)},
	{"bigint/2**64", new(big.Int).Lsh(big.NewInt(1), 64)},
	{"bigint/-2**64-1", new(big.Int).Neg(new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1)))},
	{"bigint/3**200", new(big.Int).Exp(big.NewInt(3), big.NewInt(200), nil)},
	{"bigint/-2**127", new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))},
	{"float/0", 0.0},
	{"float/-0", math.Copysign(0, -1)},
	{"float/0.1", 0.1},
	{"float/float32", float32(1.25)},
	{"float/inf", math.Inf(1)},
	{"float/-inf", math.Inf(-1)},
	{"float/nan", math.NaN()},
	{"float/denormal", math.SmallestNonzeroFloat64},
	{"complex/1j", complex(0, 1)},
	{"complex/complex64", complex64(complex(-1.5, 0.25))},
	{"str/empty", ""},
	{"str/abc", "abc"},
	{"str/nul", "a\x00b"},
	{"str/latin1", "h\u00e9llo"},
	{"str/cjk", "\u65e5\u672c\u8a9e"},
	{"str/emoji", "\U0001F600!"},
	{"str/replacement-char", "\uFFFD"},
	{"str/ascii255", strings.Repeat("a", 255)},
	{"str/ascii256", strings.Repeat("b", 256)},
	{"bytes/empty", []byte{}},
	{"bytes/bin", []byte{0, 0xff, 0x80, '"'}},
	{"tuple/empty", Tuple{}},
	{"tuple/pair", Tuple{int64(1), "a"}},
	{"tuple/255", Tuple(repeat(nil, 255))},
	{"tuple/256", Tuple(repeat(true, 256))},
	{"list/empty", List{}},
	{"list/mixed", List{int64(1), "a", nil, 2.5, []byte("b"), true, Ellipsis{}}},
	{"list/[]any", []any{"x", List{}}},
	{"set/empty", Set{}},
	{"set/ints", Set{int64(1), int64(2), int64(3)}},
	{"frozenset/strs", FrozenSet{"a", "bc"}},
	{"dict/empty", &Dict{}},
	{"dict/simple", &Dict{Keys: []any{"a", "b"}, Values: []any{int64(1), List{int64(2), int64(3)}}}},
	{"dict/nested", &Dict{Keys: []any{int64(1), Tuple{int64(1), int64(2)}}, Values: []any{&Dict{Keys: []any{int64(2)}, Values: []any{Tuple{}}}, FrozenSet{int64(4)}}}},
	{"handle-tuple", Tuple{Ellipsis{}, "struct", uint64(42), int64(7)}},
	{"error-record", Tuple{"ValueError", "bad value", "*errors.errorString", "", &Dict{Keys: []any{"name"}, Values: []any{"x"}}}},
}

func repeat(v any, n int) []any {
	s := make([]any, n)
	for i := range s {
		s[i] = v
	}
	return s
}

type encoderGolden struct {
	Name string          `json:"name"`
	Data string          `json:"data"`
	Want json.RawMessage `json:"want"`
}

func buildEncoderGolden(t *testing.T) []encoderGolden {
	var out []encoderGolden
	var e Encoder
	for _, c := range encoderCases {
		e.Reset()
		if err := e.Any(c.v); err != nil {
			t.Fatalf("%s: Any: %v", c.name, err)
		}
		want, err := json.Marshal(toTagged(c.v))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, encoderGolden{c.name, hex.EncodeToString(e.Bytes()), want})
	}
	return out
}

// TestEncoderGolden checks the encoder's output against
// testdata/encoder_golden.json (go test -update rewrites it), and that the
// decoder reads it back.
func TestEncoderGolden(t *testing.T) {
	entries := buildEncoderGolden(t)
	var buf bytes.Buffer
	buf.WriteString("{\"entries\": [\n")
	for i, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(line)
		if i < len(entries)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	path := filepath.Join("testdata", "encoder_golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var file struct{ Entries []encoderGolden }
	if err := json.Unmarshal(old, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Entries) != len(entries) {
		t.Errorf("%s has %d entries, the table %d (run go test -update)", path, len(file.Entries), len(entries))
	}
	for i := 0; i < len(entries) && i < len(file.Entries); i++ {
		g, e := file.Entries[i], entries[i]
		if g.Name != e.Name || g.Data != e.Data || !jsonEqual(g.Want, e.Want) {
			t.Errorf("entry %d: golden %s %s %s; encoder gives %s %s %s", i, g.Name, g.Data, g.Want, e.Name, e.Data, e.Want)
		}
	}
	for _, e := range entries {
		data, _ := hex.DecodeString(e.Data)
		got, err := Decode(data)
		if err != nil {
			t.Errorf("%s: Decode(%x): %v", e.Name, data, err)
			continue
		}
		want, err := fromTagged(e.Want)
		if err != nil {
			t.Fatal(err)
		}
		if !treeEqual(got, want) {
			t.Errorf("%s: Decode(%x) = %#v; want %#v", e.Name, data, got, want)
		}
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && jsonString(x) == jsonString(y)
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
