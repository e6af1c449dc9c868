package convert

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/big"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// tableValue is a Python value of testdata/conversions.json: exactly one
// field is set.
type tableValue struct {
	Int        *string  `json:"int,omitempty"`
	Float      *string  `json:"float,omitempty"`
	Complex    []string `json:"complex,omitempty"`
	Str        *string  `json:"str,omitempty"`
	Codepoints []rune   `json:"codepoints,omitempty"`
	Bytes      *string  `json:"bytes,omitempty"`
	Bool       *bool    `json:"bool,omitempty"`
	None       *bool    `json:"none,omitempty"`
	Marshal    *string  `json:"marshal,omitempty"`
}

// tableCase is one row of testdata/conversions.json.
type tableCase struct {
	Type  string      `json:"type"`
	Value tableValue  `json:"value"`
	Want  string      `json:"want"`
	Out   *tableValue `json:"out"`
	Note  string      `json:"note"`
}

// tableTypes are the Go types the table's type names stand for.
var tableTypes = map[string]reflect.Type{
	"int": reflect.TypeOf(int(0)), "int8": reflect.TypeOf(int8(0)), "int16": reflect.TypeOf(int16(0)),
	"int32": reflect.TypeOf(int32(0)), "int64": reflect.TypeOf(int64(0)),
	"uint": reflect.TypeOf(uint(0)), "uint8": reflect.TypeOf(uint8(0)), "uint16": reflect.TypeOf(uint16(0)),
	"uint32": reflect.TypeOf(uint32(0)), "uint64": reflect.TypeOf(uint64(0)), "uintptr": reflect.TypeOf(uintptr(0)),
	"float32": reflect.TypeOf(float32(0)), "float64": reflect.TypeOf(float64(0)),
	"complex64": reflect.TypeOf(complex64(0)), "complex128": reflect.TypeOf(complex128(0)),
	"bool": reflect.TypeOf(false), "string": reflect.TypeOf(""),
}

func loadTable(t *testing.T) []tableCase {
	t.Helper()
	data, err := os.ReadFile("testdata/conversions.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Doc   []string    `json:"doc"`
		Cases []tableCase `json:"cases"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&table); err != nil {
		t.Fatalf("testdata/conversions.json: %v", err)
	}
	return table.Cases
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad float %q in the table: %v", s, err)
	}
	return f
}

// rawStr writes a str as CPython's marshal does (UTF-8 with surrogatepass),
// which pymarshal.Encoder refuses to do for surrogates.
func rawStr(b []byte) []byte {
	out := []byte{'u', 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(out[1:], uint32(len(b)))
	return append(out, b...)
}

// encodeValue writes v as Python's marshal.dumps would.
func encodeValue(t *testing.T, v tableValue) []byte {
	t.Helper()
	var enc pymarshal.Encoder
	switch {
	case v.Int != nil:
		n, ok := new(big.Int).SetString(*v.Int, 10)
		if !ok {
			t.Fatalf("bad int %q in the table", *v.Int)
		}
		enc.BigInt(n)
	case v.Float != nil:
		enc.Float(parseFloat(t, *v.Float))
	case v.Complex != nil:
		enc.Complex(complex(parseFloat(t, v.Complex[0]), parseFloat(t, v.Complex[1])))
	case v.Str != nil:
		return rawStr([]byte(*v.Str))
	case v.Codepoints != nil:
		var b []byte
		for _, r := range v.Codepoints {
			if 0xD800 <= r && r <= 0xDFFF {
				// What Python's surrogatepass error handler writes.
				b = append(b, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
		return rawStr(b)
	case v.Bytes != nil:
		b, err := hex.DecodeString(*v.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.PyBytes(b); err != nil {
			t.Fatal(err)
		}
	case v.Bool != nil:
		enc.Bool(*v.Bool)
	case v.None != nil:
		enc.None()
	case v.Marshal != nil:
		b, err := hex.DecodeString(*v.Marshal)
		if err != nil {
			t.Fatal(err)
		}
		return b
	default:
		t.Fatalf("table value with no field set")
	}
	return bytes.Clone(enc.Bytes())
}

// render spells a Go value for the golden file, floats exactly.
func render(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Float32:
		return "float32(" + strconv.FormatFloat(v.Float(), 'g', -1, 32) + ")"
	case reflect.Float64:
		return "float64(" + strconv.FormatFloat(v.Float(), 'g', -1, 64) + ")"
	case reflect.Complex64:
		return "complex64" + strconv.FormatComplex(v.Complex(), 'g', -1, 64)
	case reflect.Complex128:
		return "complex128" + strconv.FormatComplex(v.Complex(), 'g', -1, 128)
	}
	return fmt.Sprintf("%T(%#v)", v.Interface(), v.Interface())
}

// sameMarshal reports whether two marshal values are the same Python
// value (whatever codes spell it), NaNs included.
func sameMarshal(a, b []byte) bool {
	x, errX := (&FromPython{Dec: pymarshal.NewDecoder(a)}).Any()
	y, errY := (&FromPython{Dec: pymarshal.NewDecoder(b)}).Any()
	if errX != nil || errY != nil {
		return false
	}
	same := func(p, q float64) bool { return p == q || math.IsNaN(p) && math.IsNaN(q) }
	switch x := x.(type) {
	case float64:
		y, ok := y.(float64)
		return ok && same(x, y)
	case complex128:
		y, ok := y.(complex128)
		return ok && same(real(x), real(y)) && same(imag(x), imag(y))
	case *big.Int:
		y, ok := y.(*big.Int)
		return ok && x.Cmp(y) == 0
	}
	return x == y
}

// TestConversionTable converts every row of testdata/conversions.json to
// its Go type: the value must convert, and write back to Python as the
// table says, or fail with the table's exception. The exact values and
// messages are recorded in testdata/conversions.golden (go test -update
// rewrites it).
func TestConversionTable(t *testing.T) {
	var golden strings.Builder
	for i, c := range loadTable(t) {
		typ, ok := tableTypes[c.Type]
		if !ok {
			t.Fatalf("row %d: unknown type %q", i, c.Type)
		}
		data := encodeValue(t, c.Value)
		name := fmt.Sprintf("row %d: %s %s %s", i, c.Type, bytes.TrimSpace(mustJSON(t, c.Value)), c.Note)
		conv := FromPython{Dec: pymarshal.NewDecoder(data)}
		v, err := conv.Value(typ)
		if err == nil {
			err = conv.Dec.Finish()
		}
		got, line := "ok", ""
		switch e := err.(type) {
		case nil:
			if v.Type() != typ {
				t.Errorf("%s: converted to a %v", name, v.Type())
			}
			line = "ok " + render(v)
			back, err := writeBack(v)
			if err != nil {
				t.Errorf("%s: writing back: %v", name, err)
				break
			}
			want := data
			if c.Out != nil {
				want = encodeValue(t, *c.Out)
			}
			if c.Want == "ok" && !sameMarshal(back, want) {
				t.Errorf("%s: converted to %s, written back as %x, want %x", name, render(v), back, want)
			}
		case *ArgError:
			got, line = e.Type, e.Type+": "+e.Error()
		case *pymarshal.Error:
			// The bridge raises ValueError for data it cannot decode.
			got, line = "ValueError", "pymarshal.Error: "+e.Error()
		default:
			got, line = fmt.Sprintf("%T", err), fmt.Sprintf("%T: %v", err, err)
		}
		if got != c.Want {
			t.Errorf("%s: got %s, want %s", name, line, c.Want)
		}
		fmt.Fprintf(&golden, "%s\n\t%s\n", name, line)
	}
	checkGolden(t, "testdata/conversions.golden", golden.String())
}

// TestConversionTableInContainers converts every row again as an item of
// a list and a value of a dict: the items get the same checks, and an
// error names where the item was.
func TestConversionTableInContainers(t *testing.T) {
	for i, c := range loadTable(t) {
		typ := tableTypes[c.Type]
		item := encodeValue(t, c.Value)
		var list, dict pymarshal.Encoder
		if err := list.List(1); err != nil {
			t.Fatal(err)
		}
		list.Raw(item)
		dict.DictBegin()
		dict.Raw(rawStr([]byte("k")))
		dict.Raw(item)
		dict.DictEnd()
		for _, container := range []struct {
			typ  reflect.Type
			data []byte
			path string
		}{
			{reflect.SliceOf(typ), list.Bytes(), "[0]"},
			{reflect.MapOf(reflect.TypeOf(""), typ), dict.Bytes(), `["k"]`},
		} {
			conv := FromPython{Dec: pymarshal.NewDecoder(container.data)}
			_, err := conv.Value(container.typ)
			got := "ok"
			switch e := err.(type) {
			case nil:
			case *ArgError:
				got = e.Type
				if !strings.HasPrefix(e.Error(), "value"+container.path) {
					t.Errorf("row %d in %v: error %q does not say where the item was (%s)", i, container.typ, e, container.path)
				}
			case *pymarshal.Error:
				got = "ValueError"
			default:
				got = fmt.Sprintf("%T", err)
			}
			if got != c.Want {
				t.Errorf("row %d in %v: got %s (%v), want %s", i, container.typ, got, err, c.Want)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkGolden compares got with the golden file, or rewrites it under
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gotLines) && i < len(wantLines); i++ {
			if gotLines[i] != wantLines[i] {
				t.Fatalf("%s differs at line %d:\ngot:  %s\nwant: %s\n(go test -update rewrites it)", path, i+1, gotLines[i], wantLines[i])
			}
		}
		t.Fatalf("%s: got %d lines, want %d (go test -update rewrites it)", path, len(gotLines), len(wantLines))
	}
}

// TestToPythonStrings writes Go strings, alone and inside containers, for
// Python: a string that is not valid UTF-8 (surrogate halves included,
// which Go's UTF-8 rejects) must fail with *InvalidUTF8 at its first bad
// byte, never reach Python as a mangled str. testdata/to_python.golden
// records the outcomes.
func TestToPythonStrings(t *testing.T) {
	cases := []struct {
		value   any
		invalid bool
	}{
		{"", false},
		{"héllo 世界 😀", false},
		{"\U0010ffff", false},
		{"\xff", true},
		{"ok\xc0\xaf", true},       // overlong '/'
		{"a\xed\xa0\x80b", true},   // U+D800 as surrogatepass writes it
		{"\xf4\x90\x80\x80", true}, // above U+10FFFF
		{"trunc\xe4\xb8", true},    // a truncated sequence
		{[]string{"fine", "\xfe"}, true},
		{map[string]int{"\xff": 1}, true},
		{map[string]string{"k": "v\x80"}, true},
		{[]any{"x", []any{"\xed\xbf\xbf"}}, true},
	}
	var golden strings.Builder
	for _, c := range cases {
		var enc pymarshal.Encoder
		err := (&ToPython{Enc: &enc}).Value(c.value)
		var bad *InvalidUTF8
		switch {
		case c.invalid && err == nil:
			t.Errorf("%#v: written as %x, want *InvalidUTF8", c.value, enc.Bytes())
		case c.invalid && !asInvalidUTF8(err, &bad):
			t.Errorf("%#v: error %T %v, want *InvalidUTF8", c.value, err, err)
		case !c.invalid && err != nil:
			t.Errorf("%#v: %v", c.value, err)
		}
		if !c.invalid && err == nil {
			back, err := (&FromPython{Dec: pymarshal.NewDecoder(enc.Bytes())}).Value(reflect.TypeOf(c.value))
			if err != nil || back.Interface() != c.value {
				t.Errorf("%#v: read back as %v (%v)", c.value, back, err)
			}
		}
		fmt.Fprintf(&golden, "%#v\n\t%v\n", c.value, err)
	}
	checkGolden(t, "testdata/to_python.golden", golden.String())
}

func asInvalidUTF8(err error, target **InvalidUTF8) bool {
	e, ok := err.(*InvalidUTF8)
	*target = e
	return ok
}
