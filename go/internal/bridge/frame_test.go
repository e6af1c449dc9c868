package bridge

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

type Celsius float64

// frameCases are functions of every frame layout, with arguments and the
// results the frame path must give: the same as the general path's.
var frameCases = []struct {
	name string
	fn   any
	sig  string
	args []any
	want []any
}{
	{"nop", func() {}, "=:", nil, nil},
	{"bool", func(b bool) bool { return !b }, "?:?", []any{true}, []any{false}},
	{"int8", func(x int8) int8 { return x - 1 }, "=b:b", []any{int8(-127)}, []any{int8(-128)}},
	{"int16", func(x int16) int16 { return -x }, "=h:h", []any{int16(300)}, []any{int16(-300)}},
	{"int32", func(x int32) int64 { return int64(x) * 2 }, "=i:q", []any{int32(math.MaxInt32)}, []any{int64(math.MaxInt32) * 2}},
	{"int", func(x, y int) int { return x - y }, "=qq:q", []any{3, 5}, []any{-2}},
	{"uint8", func(x uint8) uint16 { return uint16(x) << 1 }, "=B:H", []any{uint8(255)}, []any{uint16(510)}},
	{"uint32", func(x uint32) uint32 { return x + 1 }, "=I:I", []any{uint32(7)}, []any{uint32(8)}},
	{"uint64", func(x uint64) uint64 { return x }, "=Q:Q", []any{uint64(math.MaxUint64)}, []any{uint64(math.MaxUint64)}},
	{"float32", func(x float32) float32 { return x / 2 }, "=f:f", []any{float32(3)}, []any{float32(1.5)}},
	{"named float", func(c Celsius) float64 { return float64(c) + 1 }, "=d:d", []any{Celsius(1.5)}, []any{2.5}},
	{"string", func(s string) string { return s + "é" }, "s:s", []any{"h"}, []any{"hé"}},
	{"strings", func(s, sep string) []string { return strings.Split(s, sep) }, "ss:ls", []any{"a,b", ","}, []any{[]string{"a", "b"}}},
	{"bytes", func(b []byte) []byte { return append(b, '!') }, "y:y", []any{[]byte("hi")}, []any{[]byte("hi!")}},
	{"borrowed", func(b py.Bytes) int { return len(b) }, "Y:q", []any{[]byte("four")}, []any{4}},
	{"array", func(b py.Bytes) [4]byte { return [4]byte{b[0], 1, 2, 3} }, "Y:y", []any{[]byte("x")}, []any{[4]byte{'x', 1, 2, 3}}},
	{"ints", func(xs []int64) int64 { return xs[0] + xs[1] }, "lq:q", []any{[]int64{40, 2}}, []any{int64(42)}},
	{"int list", func(n int) []int32 { return []int32{int32(n), -1} }, "q:li", []any{5}, []any{[]int32{5, -1}}},
	{"floats", func(xs []float64) []float64 { return append(xs, 0.5) }, "ld:ld", []any{[]float64{1}}, []any{[]float64{1, 0.5}}},
	{"bools", func(xs []bool) int { return len(xs) }, "l?:q", []any{[]bool{true, false}}, []any{2}},
	{"dict", func(m map[string]int64) int64 { return m["a"] + m["b"] }, "mq:q", []any{map[string]int64{"a": 1, "b": 2}}, []any{int64(3)}},
	{"dict out", func(s string) map[string]int { return map[string]int{s: len(s), "z": 0} }, "s:mq", []any{"abc"}, []any{map[string]int{"abc": 3, "z": 0}}},
	{"str dict", func(m map[string]string) map[string]string { return m }, "ms:ms", []any{map[string]string{"k": "v", "é": ""}}, []any{map[string]string{"k": "v", "é": ""}}},
	{"multiple", func(s string) (string, int, bool) { return s, len(s), s == "" }, "s:sq?", []any{"ab"}, []any{"ab", 2, false}},
	{"error", func(s string) (string, error) { return s, nil }, "s:s", []any{"ok"}, []any{"ok"}},
	{"empty", func(xs []string) []string { return xs }, "ls:ls", []any{[]string{}}, []any{[]string{}}},
	{"nil callable", func(f func(int) int, x int) int {
		if f == nil {
			return -x
		}
		return f(x)
	}, "=Kq:q", []any{uint64(0), 3}, []any{-3}},
}

func TestFrameSignatures(t *testing.T) {
	for _, c := range frameCases {
		f := newFunction(mustFunction(t, c.fn, len(c.args)), c.name, nil)
		if got := f.frameSig; got != c.sig {
			t.Errorf("%s: frame signature %q, want %q", c.name, got, c.sig)
		}
	}
	for _, fn := range []any{
		func(...int) {}, func(any) {}, func(*Big) {}, func([][]int) {}, func(map[int]int) {},
		func() *Big { return nil }, func(f func(string) string) {}, func([2]byte) {}, func(complex128) {},
		func(f func(int) int, s string) {}, // a callable with a parameter of no scalar layout
	} {
		f := newFunction(mustFunction(t, fn, reflect.TypeOf(fn).NumIn()), "none", nil)
		if got := f.frameSig; got != "" {
			t.Errorf("%T has frame signature %q, want none", fn, got)
		}
	}
}

// Big is a Go object type: it crosses by handle, not by frame.
type Big struct{ N int }

func TestFrameCallsGiveTheGoResults(t *testing.T) {
	for _, c := range frameCases {
		t.Run(c.name, func(t *testing.T) {
			fid := functions.add(newFunction(mustFunction(t, c.fn, len(c.args)), c.name, nil))
			got, err := frameCall(fid, c.sig, c.args)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, normal(c.want)) {
				t.Errorf("got %#v, want %#v", got, normal(c.want))
			}
		})
	}
}

// TestFrameResultsSpillOutOfScratch writes results larger than the scratch
// area, which then go to C memory of their own.
func TestFrameResultsSpillOutOfScratch(t *testing.T) {
	long := strings.Repeat("x", 5000)
	fid := functions.add(newFunction(mustFunction(t, func(n int) []string {
		return []string{long[:n], "y"}
	}, 1), "spill", nil))
	var allocated, freed int
	defer SetCMemory(CAlloc, cFree)
	SetCMemory(func(n int) unsafe.Pointer {
		allocated++
		return words(n)
	}, func(unsafe.Pointer) { freed++ })
	got, err := frameCall(fid, "q:ls", []any{5000})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{[]string{long, "y"}}; !reflect.DeepEqual(got, want) || allocated != 1 {
		t.Errorf("got %d items, %d blocks allocated; want %v and 1", len(got), allocated, len(want))
	}
	if freed != 0 {
		t.Errorf("freed %d blocks of a successful call, which the caller frees", freed)
	}
}

func TestFrameErrors(t *testing.T) {
	for _, c := range []struct {
		name, exc, msg string
		fn             any
	}{
		{"fails", "gobridge.GoError", "no", func(s string) (string, error) { return "", errors.New("no") }},
		{"panics", "gobridge.GoPanic", "boom", func(s string) string { panic("boom") }},
		{"bad utf8", "UnicodeDecodeError", "invalid UTF-8 in the Go string returned by bad utf8()", func(s string) string { return "\xff" }},
		{"bad utf8 in list", "UnicodeDecodeError", "invalid UTF-8", func(s string) []string { return []string{"ok", "a\xed\xa0\x80"} }},
		{"typed error", "ValueError", "bad value", func(s string) (int, error) { return 0, pyerr.ValueError("bad value") }},
	} {
		fid := functions.add(newFunction(mustFunction(t, c.fn, 1), c.name, nil))
		sig := functions.get(fid).frameSig
		_, err := frameCall(fid, sig, []any{"x"})
		if err == nil || pyerr.PythonException(err) != c.exc || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v (%s), want %s containing %q", c.name, err, pyerr.PythonException(err), c.exc, c.msg)
		}
	}
	if _, err := Invoke(1<<40, 0, nil, nil, nil, new(FrameState)); err == nil {
		t.Error("a call of an unknown function succeeded")
	}
	fid := functions.add(newFunction(mustFunction(t, func(string) {}, 1), "arity", nil))
	if _, err := Invoke(fid, 0, nil, nil, nil, new(FrameState)); err == nil || !strings.Contains(err.Error(), "arguments") {
		t.Errorf("a call with too few arguments: %v", err)
	}
	if _, err := InvokeScalar(fid, 0, 0, 0); err == nil || !strings.Contains(err.Error(), "not scalar") {
		t.Errorf("a scalar call of a function with a string parameter: %v", err)
	}
	if _, err := InvokeScalar(1<<40, 0, 0, 0); err == nil {
		t.Error("a scalar call of an unknown function succeeded")
	}
	scalar := functions.add(newFunction(mustFunction(t, func(int) {}, 1), "scalar", nil))
	if _, err := Invoke(scalar, 0, nil, nil, nil, new(FrameState)); err == nil || !strings.Contains(err.Error(), "no frame path") {
		t.Errorf("a frame call of a scalar function: %v", err)
	}
}

func mustFunction(t *testing.T, fn any, nparams int) *py.Function {
	t.Helper()
	names := make([]string, nparams)
	for i := range names {
		names[i] = string(rune('a' + i))
	}
	pf, err := py.NewFunction(fn, py.Params(names...))
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// kept holds the memory that test slots point to, so that it stays put.
var kept [][]byte

func keep(b []byte) []byte {
	kept = append(kept, b)
	return b
}

// words returns n bytes of memory aligned for slots and words.
func words(n int) unsafe.Pointer {
	w := make([]uint64, n/8+2)
	kept = append(kept, unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), len(w)*8))
	return unsafe.Pointer(&w[0])
}

func memSlot(b []byte) Slot {
	b = keep(append([]byte(nil), b...))
	if len(b) == 0 {
		return Slot{}
	}
	return Slot{Word: uint64(uintptr(unsafe.Pointer(&b[0]))), Len: uint64(len(b))}
}

// argSlot lays out an argument as the C layer does.
func argSlot(v reflect.Value) Slot {
	switch v.Kind() {
	case reflect.String:
		return memSlot([]byte(v.String()))
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return memSlot(v.Bytes())
		}
		items := make([]Slot, v.Len())
		for i := range items {
			items[i] = argSlot(v.Index(i))
		}
		return listSlot(v.Type().Elem().Kind() == reflect.String, items)
	case reflect.Map:
		keys := v.MapKeys()
		n := len(keys)
		strs := v.Type().Elem().Kind() == reflect.String
		base := words(n * 32)
		for i, k := range keys {
			unsafe.Slice((*Slot)(base), n)[i] = argSlot(k)
			value := argSlot(v.MapIndex(k))
			if strs {
				unsafe.Slice((*Slot)(unsafe.Add(base, n*16)), n)[i] = value
			} else {
				unsafe.Slice((*uint64)(unsafe.Add(base, n*16)), n)[i] = value.Word
			}
		}
		return Slot{Word: uint64(uintptr(base)), Len: uint64(n)}
	}
	return Slot{Word: toRaw(v)}
}

// listSlot lays out list items: slots for strings, words for scalars.
func listSlot(strs bool, items []Slot) Slot {
	base := words(len(items) * 16)
	if strs {
		copy(unsafe.Slice((*Slot)(base), len(items)), items)
	} else {
		for i, s := range items {
			unsafe.Slice((*uint64)(base), len(items))[i] = s.Word
		}
	}
	return Slot{Word: uint64(uintptr(base)), Len: uint64(len(items))}
}

// frameCall calls fid as the C layer does and reads the results back into
// Go values of the kinds the layouts say.
func frameCall(fid uint64, sig string, args []any) ([]any, error) {
	return frameMethodCall(fid, 0, sig, args)
}

func readSlot(l string, s Slot) any {
	switch l[0] {
	case 's':
		return cString(s)
	case 'y':
		return append([]byte{}, cBytes(s)...)
	case 'l':
		if l[1] == 's' {
			out := []string{}
			for _, item := range cSlots(s, int(s.Len)) {
				out = append(out, cString(item))
			}
			return out
		}
		out := []any{}
		for _, w := range cWords(s, int(s.Len)) {
			out = append(out, readWord(l[1], w))
		}
		return out
	case 'm':
		n := int(s.Len)
		out := map[string]any{}
		keys := cSlots(s, n)
		if l[1] == 's' {
			for i, v := range cSlots(dictValues(s), n) {
				out[cString(keys[i])] = cString(v)
			}
			return out
		}
		for i, w := range cWords(dictValues(s), n) {
			out[cString(keys[i])] = readWord(l[1], w)
		}
		return out
	}
	return readWord(l[0], s.Word)
}

func readWord(l byte, w uint64) any {
	switch l {
	case '?':
		return w != 0
	case 'b', 'h', 'i', 'q':
		return int64(w)
	case 'B', 'H', 'I', 'Q':
		return w
	}
	return math.Float64frombits(w)
}

// normal spells Go values as readSlot reads them back.
func normal(vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Bool:
			out[i] = rv.Bool()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			out[i] = rv.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			out[i] = rv.Uint()
		case reflect.Float32, reflect.Float64:
			out[i] = rv.Float()
		case reflect.String:
			out[i] = rv.String()
		case reflect.Array:
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			out[i] = b
		case reflect.Slice:
			if rv.Type().Elem().Kind() == reflect.Uint8 {
				out[i] = rv.Bytes()
				continue
			}
			if rv.Type().Elem().Kind() == reflect.String {
				out[i] = append([]string{}, v.([]string)...)
				continue
			}
			items := make([]any, rv.Len())
			for j := range items {
				items[j] = rv.Index(j).Interface()
			}
			out[i] = normal(items)
		case reflect.Map:
			m := map[string]any{}
			vals := []any{}
			keys := rv.MapKeys()
			for _, k := range keys {
				vals = append(vals, rv.MapIndex(k).Interface())
			}
			for j, nv := range normal(vals) {
				m[keys[j].String()] = nv
			}
			out[i] = m
		default:
			out[i] = v
		}
	}
	return out
}

// TestFrameMethods calls methods through frames: typed, scalar and
// reflected, on pointer and value receivers, and with a wrong receiver.
func TestFrameMethods(t *testing.T) {
	box := &WordBox{n: 3}
	h := objects.Lend(box)
	defer objects.Return(h)
	value := WordBox{n: 10}
	hv := objects.Lend(value)
	defer objects.Return(hv)
	for _, c := range []struct {
		recv   any
		self   uint64
		method string
		params []string
		sig    string
		args   []any
		want   []any
	}{
		{box, h, "Label", []string{"s"}, "s:s", []any{"n"}, []any{"n:3"}},
		{box, h, "Has", []string{"s"}, "s:?", []any{"a3"}, []any{true}},
		{box, h, "Repeat", []string{"s", "n"}, "sq:ls", []any{"ab", 2}, []any{[]string{"ab", "ab"}}},
		{box, h, "Scale", []string{"x"}, "=q:q", []any{14}, []any{42}},
		{box, h, "Narrow", []string{"x"}, "=i:i", []any{int32(41)}, []any{int32(42)}},
		{value, hv, "ByValue", []string{"x"}, "=q:q", []any{1}, []any{11}},
	} {
		t.Run(c.method, func(t *testing.T) {
			f := methodFunction(t, c.recv, c.method, c.params...)
			if f.frameSig != c.sig {
				t.Fatalf("frame signature %q, want %q", f.frameSig, c.sig)
			}
			fid := functions.add(f)
			got, err := frameMethodCall(fid, c.self, c.sig, c.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, normal(c.want)) {
				t.Errorf("got %#v, want %#v", got, normal(c.want))
			}
			if _, err := frameMethodCall(fid, 1<<40, c.sig, c.args); err == nil {
				t.Error("a call on a released object succeeded")
			}
			other := objects.Lend(&Big{})
			defer objects.Return(other)
			if _, err := frameMethodCall(fid, other, c.sig, c.args); err == nil || pyerr.PythonException(err) != "TypeError" {
				t.Errorf("a call on another type's object: %v", err)
			}
		})
	}
}

// frameMethodCall calls fid as the C layer does: through InvokeScalar when
// its frame signature says so, else through Invoke.
func frameMethodCall(fid, self uint64, sig string, args []any) ([]any, error) {
	scalar := strings.HasPrefix(sig, scalarMark)
	_, layouts := splitSignature(strings.TrimPrefix(sig, scalarMark))
	in := make([]Slot, len(args))
	for i, a := range args {
		in[i] = argSlot(reflect.ValueOf(a))
	}
	if scalar {
		var w [MaxFastArity]uint64
		for i, s := range in {
			w[i] = s.Word
		}
		r, err := InvokeScalar(fid, self, w[0], w[1])
		if err != nil || len(layouts) == 0 {
			return nil, err
		}
		return []any{readSlot(layouts[0], Slot{Word: r})}, nil
	}
	out := make([]Slot, len(layouts))
	if _, err := Invoke(fid, self, in, out, unsafe.Slice((*byte)(words(512)), 512), new(FrameState)); err != nil {
		return nil, err
	}
	got := make([]any, len(layouts))
	for i, l := range layouts {
		got[i] = readSlot(l, out[i])
	}
	return got, nil
}

// TestFrameStateInClearsItsRoom: the room the C layer lays a FrameState in
// holds whatever its stack held before. FrameStateIn clears it as words, so
// that no pointer write of the call overwrites, and so shades, that garbage
// as if it were a Go pointer; and it refuses a room too small.
func TestFrameStateInClearsItsRoom(t *testing.T) {
	room := make([]uint64, FrameStateSize/8)
	for i := range room {
		room[i] = 0xdead_beef_0000_0000 | uint64(i)
	}
	state := FrameStateIn(room)
	for i, w := range room {
		if w != 0 {
			t.Errorf("word %d of the room is %#x after FrameStateIn, want 0", i, w)
		}
	}
	if state.slots != nil || state.mem != nil || state.spill != nil || state.builder != nil {
		t.Errorf("FrameStateIn's state is not the zero state: %+v", state)
	}
	defer func() {
		if recover() == nil {
			t.Error("FrameStateIn took a room smaller than a FrameState")
		}
	}()
	FrameStateIn(room[:len(room)-1])
}

// allocState is the state of TestFrameCallsAllocateNothing's calls: the C
// layer lays it in the frame, so that a call allocates nothing.
var allocState FrameState

// TestFrameCallsAllocateNothing: a frame call of scalars makes no heap
// allocation in Go (a call of strings allocates only its Go strings).
func TestFrameCallsAllocateNothing(t *testing.T) {
	fid := functions.add(newFunction(mustFunction(t, func(a, b int64) int64 { return a + b }, 2), "add", nil))
	var r uint64
	if n := testing.AllocsPerRun(1000, func() { r, _ = InvokeScalar(fid, 0, 40, 2) }); n != 0 {
		t.Errorf("a scalar call makes %v allocations, want 0", n)
	}
	if r != 42 {
		t.Errorf("add(40, 2) = %d", r)
	}
}

// fakeBuilder stands for the C layer's builder of large results: its
// objects are Go buffers, their address both object and data.
type fakeBuilder struct {
	built, dropped int
	fail           bool
}

func (b *fakeBuilder) install(t *testing.T) *FrameState {
	t.Helper()
	build, drop := buildObject, dropObject
	alloc, free := CAlloc, cFree
	t.Cleanup(func() {
		SetObjectBuilder(build, drop)
		SetCMemory(alloc, free)
	})
	SetCMemory(words, func(unsafe.Pointer) {})
	SetObjectBuilder(func(_ unsafe.Pointer, kind byte, n int) (obj, data unsafe.Pointer) {
		if b.fail {
			return nil, nil
		}
		if kind != BuildBytes && kind != BuildASCII {
			t.Errorf("built a result of kind %q", kind)
		}
		b.built++
		p := words(n)
		return p, p
	}, func(_, _ unsafe.Pointer) { b.dropped++ })
	state := new(FrameState)
	state.SetBuilder(unsafe.Pointer(b))
	return state
}

// TestLargeResultsAreBuiltInPlace: str results of ASCII and bytes results
// of LargeResult bytes or more go into the objects the builder makes, the
// others to C memory as before. A large str that is not ASCII is found so
// while it is copied, and its object dropped.
func TestLargeResultsAreBuiltInPlace(t *testing.T) {
	ascii := strings.Repeat("ab", LargeResult/2)
	wide := strings.Repeat("é", LargeResult/2)
	for _, c := range []struct {
		name  string
		fn    any
		sig   string
		args  []any
		want  []any
		built []bool
		drops int
	}{
		{"str", func(n int) string { return ascii[:n] }, "q:s", []any{LargeResult}, []any{ascii}, []bool{true}, 0},
		{"typed str", func(s string) string { return ascii[:len(s)] + s }, "s:s", []any{"x"}, []any{ascii[:1] + "x"}, []bool{false}, 0},
		{"typed large str", func(s string) string { return s + ascii }, "s:s", []any{"x"}, []any{"x" + ascii}, []bool{true}, 0},
		{"short str", func(n int) string { return ascii[:n] }, "q:s", []any{LargeResult - 1}, []any{ascii[:LargeResult-1]}, []bool{false}, 0},
		{"wide str", func() string { return wide }, ":s", nil, []any{wide}, []bool{false}, 1},
		{"late wide str", func() string { return ascii + "é" }, ":s", nil, []any{ascii + "é"}, []bool{false}, 1},
		{"bytes", func(b py.Bytes) []byte { return []byte(ascii + string(b)) }, "Y:y", []any{[]byte("\xff")}, []any{[]byte(ascii + "\xff")}, []bool{true}, 0},
		{"two", func() (int, string, []byte) { return 7, ascii, []byte(wide) }, ":qsy", nil, []any{7, ascii, []byte(wide)}, []bool{false, true, true}, 0},
		{"array", func() [4]byte { return [4]byte{1} }, ":y", nil, []any{[4]byte{1}}, []bool{false}, 0},
		{"encoder", func(b py.Bytes) string { return ascii + string(b) }, "Y:s", []any{[]byte("z")}, []any{ascii + "z"}, []bool{true}, 0},
		{"bad encoder", func(b py.Bytes) string { return ascii + string(b) }, "Y:s", []any{[]byte("\xff")}, nil, nil, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b fakeBuilder
			state := b.install(t)
			fid := functions.add(newFunction(mustFunction(t, c.fn, len(c.args)), c.name, nil))
			_, layouts := splitSignature(c.sig)
			in := make([]Slot, len(c.args))
			for i, a := range c.args {
				in[i] = argSlot(reflect.ValueOf(a))
			}
			out := make([]Slot, len(layouts))
			_, err := Invoke(fid, 0, in, out, unsafe.Slice((*byte)(words(512)), 512), state)
			if c.want == nil {
				var bad *convert.InvalidUTF8
				if !errors.As(err, &bad) || b.dropped != c.drops {
					t.Errorf("got error %v and %d objects dropped, want invalid UTF-8 and %d", err, b.dropped, c.drops)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := normal(c.want)
			nbuilt := 0
			for i, l := range layouts {
				s := out[i]
				if built := s.Len&SlotObject != 0; built != c.built[i] {
					t.Errorf("result %d built in place: %v, want %v", i, built, c.built[i])
				}
				if s.Len&SlotObject != 0 {
					nbuilt++
					s.Len &^= SlotObject
				}
				if got := readSlot(l, s); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("result %d: got %d bytes, want %d", i, len(fmt.Sprint(got)), len(fmt.Sprint(want[i])))
				}
			}
			if b.built != nbuilt+c.drops || b.dropped != c.drops {
				t.Errorf("%d objects built and %d dropped, want %d and %d", b.built, b.dropped, nbuilt+c.drops, c.drops)
			}
		})
	}
}

// TestBuiltResultsOfFailedCalls: the objects of a call that fails after
// they were built are dropped, and an object Python cannot make is a
// MemoryError.
func TestBuiltResultsOfFailedCalls(t *testing.T) {
	ascii := strings.Repeat("a", LargeResult)
	fid := functions.add(newFunction(mustFunction(t, func() (string, []byte, string) {
		return ascii, []byte(ascii), "\xff"
	}, 0), "invalid_after", nil))
	var b fakeBuilder
	state := b.install(t)
	out := make([]Slot, 3)
	_, err := Invoke(fid, 0, nil, out, unsafe.Slice((*byte)(words(512)), 512), state)
	if err == nil || pyerr.PythonException(err) != "UnicodeDecodeError" {
		t.Errorf("got error %v, want UnicodeDecodeError", err)
	}
	if b.built != 2 || b.dropped != 2 {
		t.Errorf("%d objects built and %d dropped, want 2 and 2", b.built, b.dropped)
	}

	b = fakeBuilder{fail: true}
	fid = functions.add(newFunction(mustFunction(t, func() string { return ascii }, 0), "no_memory", nil))
	_, err = Invoke(fid, 0, nil, out[:1], unsafe.Slice((*byte)(words(512)), 512), state)
	var exc *pyerr.Exception
	if !errors.As(err, &exc) || exc.Type != "MemoryError" {
		t.Errorf("got error %v, want MemoryError", err)
	}
}

func TestIsASCII(t *testing.T) {
	for n := 0; n <= 70; n++ {
		b := []byte(strings.Repeat("\x7f", n))
		if !isASCII(b) {
			t.Errorf("%d bytes of 0x7f are not ASCII", n)
		}
		for i := 0; i < n; i++ {
			b[i] = 0x80
			if isASCII(b) {
				t.Errorf("%d bytes with 0x80 at %d are ASCII", n, i)
			}
			b[i] = 0x7f
		}
	}
}

// TestStringCopiesShareOneAllocation: the strings of a list or a dict's
// keys are copied into one Go allocation, and read back unchanged.
func TestStringCopiesShareOneAllocation(t *testing.T) {
	for _, strs := range [][]string{
		{},
		{""},
		{"a", "", "héllo", "z"},
		{strings.Repeat("x", 300), "y"},
	} {
		slots := make([]Slot, len(strs))
		for i, s := range strs {
			slots[i] = argSlot(reflect.ValueOf(s))
		}
		c := newStringCopies(slots)
		got := []string{}
		for _, s := range slots {
			got = append(got, c.copy(s))
		}
		if !slices.Equal(got, strs) {
			t.Errorf("copies %q, want %q", got, strs)
		}
		allocs := testing.AllocsPerRun(10, func() {
			c := newStringCopies(slots)
			for _, s := range slots {
				copySink = c.copy(s)
			}
		})
		if allocs > 1 {
			t.Errorf("%q: %v allocations, want at most 1", strs, allocs)
		}
	}
}

// TestFillSplitsLargeCopies: fill's shares together copy every byte, and
// a byte that is not ASCII in any share is found.
func TestFillSplitsLargeCopies(t *testing.T) {
	src := []byte(strings.Repeat("abcdefg", (2*parallelFill+3)/7))
	for _, at := range []int{-1, 0, parallelFill / 2, parallelFill, len(src) - 1} {
		s := src
		if at >= 0 {
			s = append([]byte(nil), src...)
			s[at] = 0xe9
		}
		for _, ascii := range []bool{false, true} {
			dst := make([]byte, len(s))
			ok := fill(dst, string(s), ascii)
			if want := !ascii || at < 0; ok != want {
				t.Errorf("fill with 0xe9 at %d, ascii %v: %v, want %v", at, ascii, ok, want)
			}
			if !ascii && string(dst) != string(s) {
				t.Errorf("fill with 0xe9 at %d: copy differs at %d", at, firstDifference(dst, s))
			}
			if ascii && at < 0 && string(dst) != string(s) {
				t.Errorf("fill of ASCII: copy differs at %d", firstDifference(dst, s))
			}
		}
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

var copySink string
