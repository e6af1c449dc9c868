package bridge

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// WordBox is a Go type with methods of word signatures and others.
type WordBox struct{ n int64 }

func (b *WordBox) Scale(x int64) int64          { return x * b.n }
func (b *WordBox) Half(x float64) float64       { return x / 2 }
func (b *WordBox) Big(x uint64) bool            { return x > math.MaxInt64 }
func (b *WordBox) Set(x int64)                  { b.n = x }
func (b *WordBox) Get() int64                   { return b.n }
func (b *WordBox) Count(x int) int              { return x - int(b.n) }
func (b *WordBox) Size() int                    { return int(b.n) * 2 }
func (b *WordBox) Ratio() float64               { return float64(b.n) / 4 }
func (b *WordBox) Odd() bool                    { return b.n%2 == 1 }
func (b *WordBox) Narrow(x int32) int32         { return x + 1 } // not words: reflected
func (b *WordBox) Fails(x int64) error          { return errors.New("no") }
func (b WordBox) ByValue(x int64) int64         { return x + b.n }
func (b *WordBox) Callback(f func(int) int) int { return f(int(b.n)) }
func (b *WordBox) Label(s string) string        { return fmt.Sprintf("%s:%d", s, b.n) }
func (b *WordBox) Has(s string) bool            { return strings.Contains(s, fmt.Sprint(b.n)) }
func (b *WordBox) Repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestWordCallsAgreeWithReflection calls every word signature both ways.
func TestWordCallsAgreeWithReflection(t *testing.T) {
	funcs := []struct {
		name string
		fn   any
		args []uint64
	}{
		{"v_v", func() {}, nil},
		{"v_i", func() int64 { return -7 }, nil},
		{"v_d", func() float64 { return 2.5 }, nil},
		{"v_b", func() bool { return true }, nil},
		{"i_i", func(x int64) int64 { return -x }, []uint64{5}},
		{"u_u", func(x uint64) uint64 { return x >> 1 }, []uint64{math.MaxUint64}},
		{"int_int", func(x int) int { return x * 2 }, []uint64{1 << 40}},
		{"d_d", func(x float64) float64 { return x * 3 }, []uint64{math.Float64bits(1.5)}},
		{"i_b", func(x int64) bool { return x < 0 }, []uint64{uint64(1<<64 - 1)}},
		{"id_d", func(x int64, y float64) float64 { return float64(x) + y }, []uint64{2, math.Float64bits(0.25)}},
		{"di_i", func(x float64, y int64) int64 { return int64(x) * y }, []uint64{math.Float64bits(3.9), 7}},
		{"uu_v", func(x, y uint64) {}, []uint64{1, 2}},
		{"dd_b", func(x, y float64) bool { return x > y }, []uint64{math.Float64bits(2), math.Float64bits(1)}},
	}
	for _, tc := range funcs {
		t.Run(tc.name, func(t *testing.T) {
			fv := reflect.ValueOf(tc.fn)
			call := wordCallOf(tc.fn, fv.Type())
			if call == nil {
				t.Fatal("no word call")
			}
			var args wordArgs
			in := make([]reflect.Value, len(tc.args))
			for i, raw := range tc.args {
				args.word[i] = raw
				v, err := fromRaw(fv.Type().In(i), raw)
				if err != nil {
					t.Fatal(err)
				}
				in[i] = v
			}
			got := call(args)
			var want uint64
			if out := fv.Call(in); len(out) == 1 {
				want = toRaw(out[0])
			}
			if got != want {
				t.Errorf("word call = %#x, reflected call = %#x", got, want)
			}
		})
	}
}

func TestWordCallRefusesOtherSignatures(t *testing.T) {
	for _, fn := range []any{
		func(int32) int64 { return 0 },
		func(string) {},
		func(int64) (int64, error) { return 0, nil },
		func(a, b, c int64) {},
		func(xs ...int64) {},
		func(bool) {},
		func() *int { return nil },
		func() string { return "" },
	} {
		if wordCallOf(fn, reflect.TypeOf(fn)) != nil {
			t.Errorf("%T: got a word call", fn)
		}
	}
}

// methodFunction prepares method name of *WordBox (or WordBox) as the
// bridge does for a class.
func methodFunction(t *testing.T, recv any, name string, params ...string) *function {
	t.Helper()
	m, ok := reflect.TypeOf(recv).MethodByName(name)
	if !ok {
		t.Fatalf("no method %s", name)
	}
	pf, err := py.NewMethod(m.Func.Interface(), py.Name(py.SnakeCase(name)), py.Params(params...))
	if err != nil {
		t.Fatal(err)
	}
	return newFunction(pf, "Box."+pf.Name, reflect.TypeOf(recv))
}

func TestMethodFastPaths(t *testing.T) {
	box := &WordBox{n: 3}
	h := objects.Lend(box)
	defer objects.Return(h)
	value := WordBox{n: 10}
	hv := objects.Lend(value)
	defer objects.Return(hv)
	tests := []struct {
		recv       any
		self       uint64
		method     string
		params     []string
		kind       string
		arg        uint64
		want       uint64
		wordCalled bool
		typed      bool
	}{
		{box, h, "Scale", []string{"x"}, "ui_i", 14, 42, true, true},
		{box, h, "Count", []string{"x"}, "ui_i", 1, math.MaxUint64 - 1, true, true},
		{box, h, "Half", []string{"x"}, "ud_d", math.Float64bits(5), math.Float64bits(2.5), true, true},
		{box, h, "Big", []string{"x"}, "uu_i", math.MaxUint64, 1, true, false},
		{box, h, "Get", nil, "u_i", 0, 3, true, true},
		{box, h, "Size", nil, "u_i", 0, 6, true, true},
		{box, h, "Ratio", nil, "u_d", 0, math.Float64bits(0.75), true, false},
		{box, h, "Odd", nil, "u_i", 0, 1, true, false},
		{box, h, "Narrow", []string{"x"}, "ui_i", 41, 42, false, false},
		{value, hv, "ByValue", []string{"x"}, "ui_i", 1, 11, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			f := methodFunction(t, tc.recv, tc.method, tc.params...)
			if f.fast == nil || f.fastKind != tc.kind {
				t.Fatalf("fast kind = %q (fast path %v), want %q", f.fastKind, f.fast != nil, tc.kind)
			}
			if got := wordMethod(f) != nil; got != tc.wordCalled {
				t.Errorf("word call: %v, want %v", got, tc.wordCalled)
			}
			if got := typedMethodFast(f) != nil; got != tc.typed {
				t.Errorf("typed call: %v, want %v", got, tc.typed)
			}
			got, err := f.fast(tc.self, tc.arg)
			if err != nil || got != tc.want {
				t.Errorf("fast(%d, %#x) = %#x, %v; want %#x", tc.self, tc.arg, got, err, tc.want)
			}
		})
	}
	set := methodFunction(t, box, "Set", "x")
	if _, err := set.fast(h, 9); err != nil || box.n != 9 {
		t.Errorf("Set: n = %d, %v", box.n, err)
	}
	fails := methodFunction(t, box, "Fails", "x")
	if _, err := fails.fast(h, 1); err == nil || err.Error() != "no" {
		t.Errorf("Fails: error %v", err)
	}
	if f := methodFunction(t, box, "Callback", "f"); f.fast != nil {
		t.Errorf("Callback: got fast path %q", f.fastKind)
	}
}

func TestMethodFastPathChecksSelf(t *testing.T) {
	scale := methodFunction(t, &WordBox{}, "Scale", "x")
	other := objects.Lend(&strings.Builder{})
	defer objects.Return(other)
	released := objects.Lend(&WordBox{})
	objects.Return(released)
	for _, tc := range []struct {
		self uint64
		want string
	}{
		{other, "Box.scale(): self must be Go *bridge.WordBox, not *strings.Builder"},
		{released, "Box.scale(): the Go object has been released"},
		{0, "Box.scale(): the Go object has been released"},
	} {
		if _, err := scale.fast(tc.self, 1); err == nil || err.Error() != tc.want {
			t.Errorf("self %d: error %v, want %q", tc.self, err, tc.want)
		}
	}
}

// shimCallbackKinds reads the host's table of scalar callback entries,
// GB_SCALAR_KINDS in bridge/gb_callbacks.h: each entry's argument kinds
// ("v" for none) and result kind.
func shimCallbackKinds(t *testing.T) [][2]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "bridge", "gb_callbacks.h"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, found := strings.Cut(string(src), "#define GB_SCALAR_KINDS(X)")
	if !found {
		t.Fatal("bridge/gb_callbacks.h has no GB_SCALAR_KINDS(X)")
	}
	var lines []string
	for _, line := range strings.Split(table, "\n") {
		lines = append(lines, line)
		if !strings.HasSuffix(strings.TrimSpace(line), "\\") {
			break
		}
	}
	var kinds [][2]string
	for _, m := range regexp.MustCompile(`X\((\w+), (\w)\)`).FindAllStringSubmatch(strings.Join(lines, "\n"), -1) {
		kinds = append(kinds, [2]string{m[1], m[2]})
	}
	return kinds
}

// TestCallbackKindsFollowTheShimOrder checks callbackKind against the
// shim's table of scalar callback entries, whose order it must give, and
// that table against the order documented with it: arities 0 to
// MaxFastArity, argument kinds over "iud", results over "iudbv".
func TestCallbackKindsFollowTheShimOrder(t *testing.T) {
	var documented [][2]string
	argSets := []string{"v"}
	for arity, prev := 1, []string{""}; arity <= MaxFastArity; arity++ {
		var next []string
		for _, p := range prev {
			for _, a := range "iud" {
				next = append(next, p+string(a))
			}
		}
		argSets, prev = append(argSets, next...), next
	}
	for _, args := range argSets {
		for _, r := range callbackResults {
			documented = append(documented, [2]string{args, string(r)})
		}
	}
	kinds := shimCallbackKinds(t)
	if !reflect.DeepEqual(kinds, documented) {
		t.Fatalf("GB_SCALAR_KINDS in bridge/gb_callbacks.h:\n%v\nwant\n%v", kinds, documented)
	}

	letters := map[byte]reflect.Type{
		'i': reflect.TypeFor[int64](), 'u': reflect.TypeFor[uint64](), 'd': reflect.TypeFor[float64](),
		'b': reflect.TypeFor[bool](),
	}
	for want, kind := range kinds {
		args, r := strings.TrimPrefix(kind[0], "v"), kind[1][0]
		in := make([]reflect.Type, len(args))
		for i := range args {
			in[i] = letters[args[i]]
		}
		var out []reflect.Type
		if r != 'v' {
			out = []reflect.Type{letters[r]}
		}
		ft := reflect.FuncOf(in, out, false)
		if got := callbackKind(ft); got != want {
			t.Errorf("callbackKind(%v) = %d, want %d: the entry X(%s, %s)", ft, got, want, kind[0], kind[1])
		}
	}
	for _, ft := range []reflect.Type{
		reflect.TypeFor[func(string)](), reflect.TypeFor[func(a, b, c int)](),
		reflect.TypeFor[func() (int, error)](), reflect.TypeFor[func(...int)](),
		reflect.TypeFor[func() string](), reflect.TypeFor[int](),
	} {
		if got := callbackKind(ft); got != -1 {
			t.Errorf("callbackKind(%v) = %d, want -1", ft, got)
		}
	}
}

// fakePython answers scalar callbacks as a Python callable target would:
// it records the calls and answers with fn's result and status.
type fakePython struct {
	mu    sync.Mutex
	calls [][3]uint64
	fn    func(target, a0, a1 uint64) (Status, uint64)
}

func (p *fakePython) install(t *testing.T) {
	saved := pythonScalar
	SetPythonScalar(func(kind int, target, a0, a1 uint64) (Status, uint64) {
		p.mu.Lock()
		p.calls = append(p.calls, [3]uint64{uint64(kind), target, a0})
		p.mu.Unlock()
		return p.fn(target, a0, a1)
	})
	t.Cleanup(func() { pythonScalar = saved })
}

func TestFunctionsTakingCallablesRunOnWords(t *testing.T) {
	python := &fakePython{fn: func(_, a0, _ uint64) (Status, uint64) { return OK, a0 + 1 }}
	python.install(t)
	apply, err := py.NewFunction(func(f func(int64) int64, x int64) int64 { return f(x) * 10 },
		py.Name("apply"), py.Params("f", "x"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFunction(apply, "apply", nil)
	if f.fastKind != "ui_i" {
		t.Fatalf("fast kind %q", f.fastKind)
	}
	got, err := f.fast(7<<16, 41)
	if err != nil || got != 420 {
		t.Fatalf("apply = %d, %v", got, err)
	}
	kind := callbackKind(reflect.TypeFor[func(int64) int64]())
	if want := [3]uint64{uint64(kind), 7 << 16, 41}; len(python.calls) != 1 || python.calls[0] != want {
		t.Errorf("Python saw %v, want [%v]", python.calls, want)
	}

	// A failed callback returns zero to Go, and the call reports it.
	python.fn = func(_, _, _ uint64) (Status, uint64) { return Error, 0 }
	if _, err := f.fast(8<<16, 1); err == nil {
		t.Error("a failed callback went unreported")
	}
	// A stale one too returns zero, but is no failure of this call.
	python.fn = func(_, _, _ uint64) (Status, uint64) { return Stale, 0 }
	if got, err := f.fast(9<<16, 1); err != nil || got != 0 {
		t.Errorf("stale callback: %d, %v", got, err)
	}
	// None crosses as 0: Go gets a nil func.
	isNil, _ := py.NewFunction(func(f func(int64) int64) bool { return f == nil }, py.Name("is_nil"), py.Params("f"))
	if got, err := newFunction(isNil, "is_nil", nil).fast(0, 0); err != nil || got != 1 {
		t.Errorf("is_nil(None) = %d, %v", got, err)
	}
}

func TestScalarFuncsOfUncommonTypesUseMakeFunc(t *testing.T) {
	python := &fakePython{fn: func(_, a0, _ uint64) (Status, uint64) { return OK, a0 * 2 }}
	python.install(t)
	var scope callScope
	ft := reflect.TypeFor[func(int8) int8]()
	f := scope.scalarFunc(ft, callbackKind(ft), 1<<16).(func(int8) int8)
	if got := f(21); got != 42 {
		t.Errorf("f(21) = %d", got)
	}
	if got := f(100); got != 0 || scope.err() == nil {
		t.Errorf("f(100) = %d with error %v; want 0 and an overflow", got, scope.err())
	}
}

func TestSeqIteratorsMoveBetweenLockedThreads(t *testing.T) {
	seq := reflect.ValueOf(func(yield func(int) bool) {
		for i := 0; i < 5; i++ {
			if !yield(i) {
				return
			}
		}
	})
	it := newIterator(seq)
	var got []any
	for i := 0; ; i++ {
		done := make(chan bool)
		go func() {
			runtime.LockOSThread() // as a cgo callback is
			defer runtime.UnlockOSThread()
			v, err := it.Next()
			if err == nil {
				got = append(got, v)
			}
			done <- err != nil
		}()
		if <-done {
			break
		}
	}
	if !reflect.DeepEqual(got, []any{0, 1, 2, 3, 4}) {
		t.Errorf("items %v", got)
	}
}

func TestSeqIteratorStoppedEarlyEndsItsGoroutine(t *testing.T) {
	ignoresStop := reflect.ValueOf(func(yield func(int) bool) {
		for i := 0; i < 100; i++ {
			yield(i) // a Seq that ignores false must not hang anything
		}
	})
	it := newIterator(ignoresStop)
	if v, err := it.Next(); err != nil || v != 0 {
		t.Fatalf("first item %v, %v", v, err)
	}
	it.Close()
	if _, err := it.Next(); err != stopIteration {
		t.Errorf("after Close: %v", err)
	}
	unstarted := newIterator(ignoresStop)
	unstarted.Close()
	// A goroutine that has closed its channel may still be on its way out,
	// and more so under -race on a busy machine; a leaked one never leaves.
	for deadline := time.Now().Add(5 * time.Second); pullGoroutines() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d iterator goroutines left", pullGoroutines())
		}
		time.Sleep(time.Millisecond)
	}
}

// pullGoroutines counts the goroutines running a pull iterator's Seq.
func pullGoroutines() int {
	buf := make([]byte, 1<<20)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, ".pull.func") {
			n++
		}
	}
	return n
}

func TestSeqIteratorPanicCarriesTheSeqStack(t *testing.T) {
	it := newIterator(reflect.ValueOf(func(yield func(int) bool) { panicInSeq() }))
	_, err := it.Next()
	if err == nil || !strings.Contains(err.Error(), "calling GoIterator.__next__: boom") {
		t.Fatalf("error %v", err)
	}
	var pnc *pyerr.Panic
	if !errors.As(err, &pnc) || !strings.Contains(pnc.Stack, "panicInSeq") {
		t.Errorf("not a panic with the Seq's stack: %#v", err)
	}
	if _, err := it.Next(); err != stopIteration {
		t.Errorf("after the panic: %v", err)
	}
}

func panicInSeq() { panic("boom") }

func TestMethodDirectPaths(t *testing.T) {
	box := &WordBox{n: 3}
	h := objects.Lend(box)
	defer objects.Return(h)
	released := objects.Lend(&WordBox{})
	objects.Return(released)
	tests := []struct {
		method string
		params []string
		self   uint64
		args   []any
		want   any
	}{
		{"Label", []string{"s"}, h, []any{"box"}, "box:3"},
		{"Has", []string{"s"}, h, []any{"a3b"}, true},
		{"Repeat", []string{"s", "n"}, h, []any{"ab", int64(2)}, pymarshal.List{"ab", "ab"}},
		{"Label", []string{"s"}, h, []any{int64(5)}, "TypeError: Box.label() argument 's' must be str (Go string), not int"},
		{"Label", []string{"s"}, released, []any{"x"}, "ValueError: Box.label(): the Go object has been released"},
	}
	for _, tc := range tests {
		f := methodFunction(t, box, tc.method, tc.params...)
		if f.direct == nil {
			t.Fatalf("%s: no direct path", tc.method)
		}
		fid := functions.add(f)
		var args pymarshal.Encoder
		conv := convert.ToPython{Enc: &args}
		if err := conv.Value(convert.Tuple(tc.args)); err != nil {
			t.Fatal(err)
		}
		var out pymarshal.Encoder
		status := Call(fid, tc.self, args.Bytes(), nil, &out)
		got, err := pymarshal.Decode(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if status == Error {
			rec := got.(pymarshal.Tuple)
			got = fmt.Sprintf("%s: %s", rec[0], rec[1])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s%v: got %#v, want %#v", tc.method, tc.args, got, tc.want)
		}
		functions.drop([]uint64{fid})
	}
}
