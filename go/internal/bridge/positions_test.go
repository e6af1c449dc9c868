package bridge

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

var updatePositions = flag.Bool("update-positions", false, "rewrite testdata/positions.golden")

// positionStrings are strings of every UTF-8 length, ASCII runs longer and
// shorter than a word, and the empty string.
var positionStrings = []string{
	"",
	"a",
	"abcdefghijklmnopq",
	"é",
	"aaéb",
	"€uro",
	"𝄞 clef",
	"ascii then é after eight bytes",
	"é€𝄞aé€𝄞",
	"日本語のテキスト and ASCII",
	"12345678é12345678€",
}

// referenceIndex is the code point index of byte offset b of valid UTF-8 s
// by Go's own decoding: the index of the character that starts at b or,
// inside a character, of that character.
func referenceIndex(s string, b int) int {
	start := 0
	for i := range s {
		if i > b {
			break
		}
		start = i
	}
	if b == len(s) {
		start = b
	}
	return utf8.RuneCountInString(s[:start])
}

// TestPositionConversionGolden writes each string's byte offsets with the
// code point index they convert to, and back for character boundaries.
func TestPositionConversionGolden(t *testing.T) {
	var out strings.Builder
	for _, s := range positionStrings {
		fmt.Fprintf(&out, "%q (%d bytes, %d code points)\n", s, len(s), utf8.RuneCountInString(s))
		c := runeCounter{s: s}
		back := byteFinder{s: s}
		for b := 0; b <= len(s); b++ {
			r, ok := c.index(int64(b))
			if !ok {
				t.Fatalf("%q: byte %d refused", s, b)
			}
			fmt.Fprintf(&out, "  byte %2d -> %2d", b, r)
			if b == len(s) || utf8.RuneStart(s[b]) {
				got, ok := back.offset(r)
				fmt.Fprintf(&out, " -> byte %d", got)
				if !ok || got != int64(b) {
					t.Errorf("%q: code point %d gives byte %d (%v), want %d", s, r, got, ok, b)
				}
			}
			out.WriteString("\n")
		}
	}
	path := filepath.Join("testdata", "positions.golden")
	if *updatePositions {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("conversions differ from %s (go test -run Golden -update-positions to accept):\n%s", path, out.String())
	}
}

// TestPositionConversionAgreesWithDecoding converts every offset of many
// random strings, in random order, so that the cursors move both ways
// across ASCII words and multi-byte characters.
func TestPositionConversionAgreesWithDecoding(t *testing.T) {
	alphabet := []rune{'a', 'b', ' ', 'é', 'ß', '€', '日', '𝄞', '😀'}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for i := rng.Intn(40); i > 0; i-- {
			if rng.Intn(3) == 0 {
				b.WriteString(strings.Repeat("x", rng.Intn(20)))
			}
			b.WriteRune(alphabet[rng.Intn(len(alphabet))])
		}
		s := b.String()
		c, back := runeCounter{s: s}, byteFinder{s: s}
		for _, off := range rng.Perm(len(s) + 1) {
			r, ok := c.index(int64(off))
			if want := referenceIndex(s, off); !ok || r != int64(want) {
				t.Fatalf("%q: byte %d gives code point %d (%v), want %d", s, off, r, ok, want)
			}
		}
		count := utf8.RuneCountInString(s)
		for _, r := range rng.Perm(count + 1) {
			got, ok := back.offset(int64(r))
			want := len(s)
			if r < count {
				want = len(string([]rune(s)[:r]))
			}
			if !ok || got != int64(want) {
				t.Fatalf("%q: code point %d gives byte %d (%v), want %d", s, r, got, ok, want)
			}
		}
		if _, ok := back.offset(int64(count + 1)); ok {
			t.Fatalf("%q: code point %d (beyond the end) accepted", s, count+1)
		}
		if _, ok := c.index(int64(len(s) + 1)); ok {
			t.Fatalf("%q: byte %d (beyond the end) accepted", s, len(s)+1)
		}
		if r, _ := c.index(-1); r != -1 {
			t.Fatalf("-1 became %d", r)
		}
		if b, _ := back.offset(-1); b != -1 {
			t.Fatalf("-1 became %d", b)
		}
	}
}

// Text is a Go type with a method whose results are positions.
type Text struct{ prefix string }

// Index is the byte offset of sub in the text's prefix followed by s,
// counted from the start of s.
func (t *Text) Index(s, sub string) int {
	i := strings.Index(t.prefix+s, sub)
	if i >= 0 {
		i -= len(t.prefix)
	}
	return i
}

var submatches = regexp.MustCompile(`(é)(x)?(b)`)

// positionFuncs are functions declaring positions, of layouts for every
// frame path and of none. Each runs on both the frame path (when it has
// one) and the general path.
var positionFuncs = []struct {
	name     string
	fn       any
	params   []string
	options  []py.FuncOption
	sig      string
	args     []any
	want     any // as the general path decodes it
	frameOut []any
}{
	{"index", strings.Index, []string{"s", "substr"}, []py.FuncOption{py.Positions("s", "return")},
		"ss:q", []any{"aaéb", "b"}, int64(3), []any{int64(3)}},
	{"index ascii", strings.Index, []string{"s", "substr"}, []py.FuncOption{py.Positions("s", "return")},
		"ss:q", []any{"abcdefghijk", "k"}, int64(10), []any{int64(10)}},
	{"not found", strings.Index, []string{"s", "substr"}, []py.FuncOption{py.Positions("s", "return")},
		"ss:q", []any{"é€𝄞", "z"}, int64(-1), []any{int64(-1)}},
	{"last index byte", strings.LastIndexByte, []string{"s", "c"}, []py.FuncOption{py.Positions("s", "return")},
		"sB:q", []any{"𝄞a𝄞a", byte('a')}, int64(3), []any{int64(3)}},
	{"index rune", strings.IndexRune, []string{"s", "r"}, []py.FuncOption{py.Positions("s", "return")},
		"si:q", []any{"a€𝄞", int32('𝄞')}, int64(2), []any{int64(2)}},
	{"empty", strings.Index, []string{"s", "substr"}, []py.FuncOption{py.Positions("s", "return")},
		"ss:q", []any{"", ""}, int64(0), []any{int64(0)}},
	{"submatch", submatches.FindStringSubmatchIndex, []string{"s"}, []py.FuncOption{py.Positions("s", "return")},
		"s:lq", []any{"日本éb"}, pymarshal.List{int64(2), int64(4), int64(2), int64(3), int64(-1), int64(-1), int64(3), int64(4)},
		[]any{[]any{int64(2), int64(4), int64(2), int64(3), int64(-1), int64(-1), int64(3), int64(4)}}},
	{"no match", submatches.FindStringIndex, []string{"s"}, []py.FuncOption{py.Positions("s", "return")},
		"s:lq", []any{"日本"}, pymarshal.List{}, []any{[]any{}}},
	{"all", submatches.FindAllStringIndex, []string{"s", "n"}, []py.FuncOption{py.Positions("s", "return")},
		"", []any{"éb€éxb", int64(-1)}, pymarshal.List{pymarshal.List{int64(0), int64(2)}, pymarshal.List{int64(3), int64(6)}}, nil},
	{"param", func(s string, start int) string { return s[start:] }, []string{"s", "start"}, []py.FuncOption{py.Positions("s", "start")},
		"sq:s", []any{"é€𝄞x", int64(2)}, "𝄞x", []any{"𝄞x"}},
	{"param at end", func(s string, start int) string { return s[start:] }, []string{"s", "start"}, []py.FuncOption{py.Positions("s", "start")},
		"sq:s", []any{"é€", int64(2)}, "", []any{""}},
	{"list param", func(s string, at []int) string { return s[at[0]:at[1]] }, []string{"s", "at"}, []py.FuncOption{py.Positions("s", "at")},
		"slq:s", []any{"a€b€c", []int64{1, 4}}, "€b€", []any{"€b€"}},
	{"both ways", func(s string, start int) (int, int) { return start, strings.IndexByte(s[start:], 'x') }, []string{"s", "start"},
		[]py.FuncOption{py.Positions("s", "start", "return[0]")},
		"sq:qq", []any{"éé€x", int64(2)}, pymarshal.Tuple{int64(2), int64(3)}, []any{int64(2), int64(3)}},
	{"two strings", func(a, b string) (int, int) { return len(a), len(b) }, []string{"a", "b"},
		[]py.FuncOption{py.Positions("a", "return[0]"), py.Positions("b", "return[1]")},
		"ss:qq", []any{"éé", "€€€"}, pymarshal.Tuple{int64(2), int64(3)}, []any{int64(2), int64(3)}},
	{"without the option", strings.Index, []string{"s", "substr"}, nil,
		"ss:q", []any{"aaéb", "b"}, int64(4), []any{int64(4)}},
}

// marshalCall calls fid on the general path and decodes its result, or
// returns its error record as an error of the record's exception type.
func marshalCall(t *testing.T, fid, self uint64, args []any) (any, error) {
	t.Helper()
	var in pymarshal.Encoder
	conv := convert.ToPython{Enc: &in}
	if err := conv.Value(convert.Tuple(args)); err != nil {
		t.Fatal(err)
	}
	var out pymarshal.Encoder
	status := Call(fid, self, in.Bytes(), nil, &out)
	got, err := pymarshal.Decode(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if status == Error {
		rec := got.(pymarshal.Tuple)
		return nil, fmt.Errorf("%s: %s", rec[0], rec[1])
	}
	return got, nil
}

func TestPositionsOnEveryPath(t *testing.T) {
	for _, c := range positionFuncs {
		t.Run(c.name, func(t *testing.T) {
			pf, err := py.NewFunction(c.fn, append([]py.FuncOption{py.Params(c.params...)}, c.options...)...)
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, c.name, nil)
			if f.frameSig != c.sig {
				t.Fatalf("frame signature %q, want %q", f.frameSig, c.sig)
			}
			if c.options != nil && f.direct != nil {
				t.Error("a function with positions has a direct path, which would not convert them")
			}
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			got, err := marshalCall(t, fid, 0, c.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("general path: got %#v, want %#v", got, c.want)
			}
			if c.sig == "" {
				return
			}
			framed, err := frameCall(fid, c.sig, c.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(framed, c.frameOut) {
				t.Errorf("frame path: got %#v, want %#v", framed, c.frameOut)
			}
		})
	}
}

func TestPositionsOfMethods(t *testing.T) {
	text := &Text{prefix: "日本"}
	h := objects.Lend(text)
	defer objects.Return(h)
	m, _ := reflect.TypeOf(text).MethodByName("Index")
	pf, err := py.NewMethod(m.Func.Interface(), py.Name("index"), py.Params("s", "sub"), py.Positions("s", "return"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFunction(pf, "Text.index", reflect.TypeOf(text))
	fid := functions.add(f)
	defer functions.drop([]uint64{fid})
	got, err := marshalCall(t, fid, h, []any{"é€b", "b"})
	if err != nil || got != int64(2) {
		t.Errorf("general path: %v, %v; want 2", got, err)
	}
	framed, err := frameMethodCall(fid, h, "ss:q", []any{"é€b", "b"})
	if err != nil || !reflect.DeepEqual(framed, []any{int64(2)}) {
		t.Errorf("frame path: %v, %v; want [2]", framed, err)
	}
	// A match in the prefix is before s: a negative position, kept.
	if got, _ := marshalCall(t, fid, h, []any{"é€b", "本"}); got != int64(-3) {
		t.Errorf("a negative position became %v", got)
	}
}

func TestPositionErrors(t *testing.T) {
	slice := func(s string, start int) string { return s[start:] }
	beyond := func(s string) int { return len(s) + 1 }
	narrow := func(s string, at int8) int8 { return at }
	for _, c := range []struct {
		name    string
		fn      any
		params  []string
		options []py.FuncOption
		sig     string
		args    []any
		want    string
	}{
		{"param beyond the end", slice, []string{"s", "start"}, []py.FuncOption{py.Positions("s", "start")}, "sq:s",
			[]any{"é€", int64(3)}, "ValueError: f(): start=3 is beyond the end of s, whose length is 2"},
		{"list item beyond the end", func(s string, at []int) int { return 0 }, []string{"s", "at"}, []py.FuncOption{py.Positions("s", "at")}, "slq:q",
			[]any{"é", []int64{0, 1, 2}}, "ValueError: f(): at[2]=2 is beyond the end of s, whose length is 1"},
		{"result beyond the end", beyond, []string{"s"}, []py.FuncOption{py.Positions("s", "return")}, "s:q",
			[]any{"é"}, "RuntimeError: f() returned the position 3, beyond the end of s (2 bytes in Go)"},
		{"byte offset too large", narrow, []string{"s", "at"}, []py.FuncOption{py.Positions("s", "at")}, "sb:b",
			[]any{strings.Repeat("€", 100), int8(100)}, "OverflowError: f(): at=100 is byte 300 of s, which does not fit the parameter's Go type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pf, err := py.NewFunction(c.fn, append([]py.FuncOption{py.Name("f"), py.Params(c.params...)}, c.options...)...)
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, "f", nil)
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			if _, err := marshalCall(t, fid, 0, c.args); err == nil || err.Error() != c.want {
				t.Errorf("general path: %v, want %s", err, c.want)
			}
			_, err = frameCall(fid, c.sig, c.args)
			if err == nil || pyerr.PythonException(err)+": "+err.Error() != c.want {
				t.Errorf("frame path: %v, want %s", err, c.want)
			}
		})
	}
}

// TestPositionsAllocateNothing: converting positions on the frame path
// allocates nothing beyond what the call allocates without them.
func TestPositionsAllocateNothing(t *testing.T) {
	s, sub := memSlot([]byte(strings.Repeat("é", 100)+"b")), memSlot([]byte("b"))
	allocs := func(opts ...py.FuncOption) float64 {
		pf, err := py.NewFunction(strings.Index, append([]py.FuncOption{py.Params("s", "substr")}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		fid := functions.add(newFunction(pf, "index", nil))
		defer functions.drop([]uint64{fid})
		in := []Slot{s, sub}
		out := make([]Slot, 1)
		scratch := make([]byte, 64)
		n := testing.AllocsPerRun(100, func() { _, _ = Invoke(fid, 0, in, out, scratch, &allocState) })
		if want := uint64(100); len(opts) > 0 && out[0].Word != want {
			t.Errorf("index = %d, want %d", out[0].Word, want)
		}
		return n
	}
	if with, without := allocs(py.Positions("s", "return")), allocs(); with != without {
		t.Errorf("a call with positions makes %v allocations, %v without", with, without)
	}
}

// BenchmarkPositions is strings.Index on the frame path with and without
// positions, in ASCII and in 2-byte characters: the conversion's cost is
// the difference.
func BenchmarkPositions(b *testing.B) {
	for _, text := range []struct{ name, s string }{
		{"ascii", strings.Repeat("x", 100) + "b"},
		{"utf8", strings.Repeat("é", 100) + "b"},
	} {
		for _, declared := range []bool{false, true} {
			opts := []py.FuncOption{py.Params("s", "substr")}
			if declared {
				opts = append(opts, py.Positions("s", "return"))
			}
			b.Run(fmt.Sprintf("%s/positions=%v", text.name, declared), func(b *testing.B) {
				pf, err := py.NewFunction(strings.Index, opts...)
				if err != nil {
					b.Fatal(err)
				}
				fid := functions.add(newFunction(pf, "index", nil))
				defer functions.drop([]uint64{fid})
				in := []Slot{memSlot([]byte(text.s)), memSlot([]byte("b"))}
				out := make([]Slot, 1)
				scratch := make([]byte, 64)
				for i := 0; i < b.N; i++ {
					_, _ = Invoke(fid, 0, in, out, scratch, &allocState)
				}
			})
		}
	}
}
