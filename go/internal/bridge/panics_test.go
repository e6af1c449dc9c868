package bridge

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// PanicBox has methods of the direct path's signatures that panic.
type PanicBox struct{ items map[string]int }

func (b *PanicBox) Label(s string) string { panic("label: " + s) }
func (b *PanicBox) Has(s string) bool     { return b.items[s] > 0 }
func (b *PanicBox) Store(s string) string {
	b.items[s]++ // a nil map: a runtime error
	return s
}

var errDirect = errors.New("an error value as the panic")

// directPanicCases are functions of the direct path's signatures that
// panic in the ways Go code does: a string, an error value, runtime
// errors and a nil dereference.
var directPanicCases = []struct {
	name   string
	fn     any
	args   []any
	panics string
}{
	{"panic_str", func(s string) string { panic("boom: " + s) }, []any{"x"}, "boom: x"},
	{"panic_error", func(a, b string) string { panic(errDirect) }, []any{"a", "b"}, errDirect.Error()},
	{"panic_index", func(s string) bool { return s[len(s)+1] == 'x' }, []any{"ab"}, "index out of range"},
	{"panic_nil_map", func(s string, n int) string {
		var m map[string]int
		m[s] = n
		return s
	}, []any{"k", int64(1)}, "assignment to entry in nil map"},
	{"panic_nil_deref", func(a, b string) int {
		var p *struct{ n int }
		return p.n + len(a) + len(b)
	}, []any{"a", "b"}, "nil pointer dereference"},
	{"panic_in_split", func(s string) []string { panic(fmt.Sprintf("split %q", s)) }, []any{"s"}, `split "s"`},
	{"panic_custom", func(s string, n int) []string { panic(struct{ N int }{n}) }, []any{"s", int64(7)}, "{7}"},
}

// callDirectly calls function f through Call with args, and returns the
// status and the decoded result or error record.
func callDirectly(t *testing.T, f *function, self uint64, args ...any) (Status, any) {
	t.Helper()
	if f.direct == nil {
		t.Fatalf("%s: not on the direct path", f.name)
	}
	fid := functions.add(f)
	defer functions.drop([]uint64{fid})
	var in pymarshal.Encoder
	if err := (&convert.ToPython{Enc: &in}).Value(convert.Tuple(args)); err != nil {
		t.Fatal(err)
	}
	var out pymarshal.Encoder
	status := Call(fid, self, in.Bytes(), nil, &out)
	got, err := pymarshal.Decode(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return status, got
}

// checkPanicRecord checks that a call gave a GoPanic error record with
// the panic's value and a Go stack.
func checkPanicRecord(t *testing.T, name string, status Status, got any, panics string) {
	t.Helper()
	if status != Error {
		t.Fatalf("%s: status %v (%#v), want an error", name, status, got)
	}
	rec, ok := got.(pymarshal.Tuple)
	if !ok || len(rec) < 4 {
		t.Fatalf("%s: error record %#v", name, got)
	}
	if rec[0] != "gobridge.GoPanic" {
		t.Errorf("%s: exception %v, want gobridge.GoPanic", name, rec[0])
	}
	if msg, _ := rec[1].(string); !strings.Contains(msg, panics) || strings.Contains(msg, "Go panic") || strings.Contains(msg, "goroutine") {
		t.Errorf("%s: message %q, want the panic's own message, %q", name, msg, panics)
	}
	if stack, _ := rec[3].(string); !strings.HasPrefix(stack, "goroutine ") || strings.Contains(stack, "debug.Stack") ||
		strings.Contains(stack, "NewPanic") || strings.Contains(stack, "recovered") {
		t.Errorf("%s: the Go stack is not trimmed to the panic: %#v", name, rec[3])
	}
}

// ArgBox has a method that rejects an argument by panicking.
type ArgBox struct{}

// Check panics on a negative n, as a Go function without an error result
// rejects an argument.
func (ArgBox) Check(n int64) int64 {
	if n < 0 {
		panic("argbox: negative n")
	}
	if n == 0 {
		panic("argbox: a bug")
	}
	return n
}

// errorInfo returns the exception and message Python shows for err.
func errorInfo(err error) (string, string) {
	var pnc *pyerr.Panic
	if errors.As(err, &pnc) {
		return pyerr.PythonException(err), pnc.Message()
	}
	return pyerr.PythonException(err), err.Error()
}

// TestPanicAsOnEveryPath calls functions declaring PanicAs on each call
// path: a panic the rule names becomes its exception with Go's message,
// any other stays a GoPanic.
func TestPanicAsOnEveryPath(t *testing.T) {
	rule := py.PanicAs("ValueError", "argbox: negative")
	check := ArgBox{}.Check
	checkStr := func(s string, n int) string { return s[:ArgBox{}.Check(int64(n))] }
	checkGeneral := func(n int8, s string) int8 { return int8(ArgBox{}.Check(int64(n))) }
	record := func(t *testing.T, status Status, got any) (string, string) {
		t.Helper()
		rec, ok := got.(pymarshal.Tuple)
		if status != Error || !ok {
			t.Fatalf("status %v, %#v: want an error record", status, got)
		}
		return rec[0].(string), rec[1].(string)
	}
	paths := []struct {
		name string
		call func(t *testing.T, n int64) (string, string)
	}{
		{"fast", func(t *testing.T, n int64) (string, string) {
			pf, err := py.NewFunction(check, py.Params("n"), rule)
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, "check", nil)
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			if f.fast == nil {
				t.Fatal("not on the fast path")
			}
			_, err = InvokeScalar(fid, 0, uint64(n), 0)
			return errorInfo(err)
		}},
		{"frame", func(t *testing.T, n int64) (string, string) {
			pf, err := py.NewFunction(checkStr, py.Params("s", "n"), rule)
			if err != nil {
				t.Fatal(err)
			}
			fid := functions.add(newFunction(pf, "check_str", nil))
			defer functions.drop([]uint64{fid})
			if functions.get(fid).frameSig == "" {
				t.Fatal("no frame signature")
			}
			_, err = frameCall(fid, functions.get(fid).frameSig, []any{"abc", int(n)})
			return errorInfo(err)
		}},
		{"direct", func(t *testing.T, n int64) (string, string) {
			pf, err := py.NewFunction(checkStr, py.Params("s", "n"), rule)
			if err != nil {
				t.Fatal(err)
			}
			status, got := callDirectly(t, newFunction(pf, "check_str", nil), 0, "abc", n)
			return record(t, status, got)
		}},
		{"general", func(t *testing.T, n int64) (string, string) {
			pf, err := py.NewFunction(checkGeneral, py.Params("n", "s"), rule)
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, "check_general", nil)
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			var out pymarshal.Encoder
			status := Call(fid, 0, encodeArgs(t, []any{n, "s"}), nil, &out)
			got, err := pymarshal.Decode(out.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			return record(t, status, got)
		}},
		{"method", func(t *testing.T, n int64) (string, string) {
			m, _ := reflect.TypeOf(ArgBox{}).MethodByName("Check")
			pf, err := py.NewMethod(m.Func.Interface(), py.Params("n"), rule)
			if err != nil {
				t.Fatal(err)
			}
			h := objects.Lend(ArgBox{})
			defer objects.Return(h)
			fid := functions.add(newFunction(pf, "ArgBox.check", reflect.TypeOf(ArgBox{})))
			defer functions.drop([]uint64{fid})
			_, err = frameMethodCall(fid, h, functions.get(fid).frameSig, []any{n})
			return errorInfo(err)
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			if exc, msg := p.call(t, -1); exc != "ValueError" || msg != "argbox: negative n" {
				t.Errorf("a declared panic: %s %q, want ValueError %q", exc, msg, "argbox: negative n")
			}
			if exc, msg := p.call(t, 0); exc != "gobridge.GoPanic" || msg != "argbox: a bug" {
				t.Errorf("another panic: %s %q, want gobridge.GoPanic %q", exc, msg, "argbox: a bug")
			}
		})
	}
}

// TestDirectCallPanicsBecomeGoPanic panics inside every kind of direct
// call: each must come back as a GoPanic error record, never escape the
// call (which would end the process), and leave the path working.
func TestDirectCallPanicsBecomeGoPanic(t *testing.T) {
	for _, tc := range directPanicCases {
		t.Run(tc.name, func(t *testing.T) {
			params := make([]string, len(tc.args))
			for i := range params {
				params[i] = fmt.Sprintf("p%d", i)
			}
			pf, err := py.NewFunction(tc.fn, py.Name(tc.name), py.Params(params...))
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, tc.name, nil)
			status, got := callDirectly(t, f, 0, tc.args...)
			checkPanicRecord(t, tc.name, status, got, tc.panics)
			// The same function, and the pooled argument state, still work.
			if status, got = callDirectly(t, f, 0, tc.args...); status != Error {
				t.Errorf("second call: status %v (%#v)", status, got)
			}
		})
	}
}

// TestDirectMethodPanicsBecomeGoPanic panics inside methods on the direct
// path, then calls a method that does not panic on the same receiver: the
// receiver the panicking call held must not leak into the next call.
func TestDirectMethodPanicsBecomeGoPanic(t *testing.T) {
	box := &PanicBox{}
	h := objects.Lend(box)
	defer objects.Return(h)
	for _, tc := range []struct {
		method string
		args   []any
		panics string
	}{
		{"Label", []any{"x"}, "label: x"},
		{"Store", []any{"k"}, "assignment to entry in nil map"},
	} {
		f := methodFunction(t, box, tc.method, "s")
		status, got := callDirectly(t, f, h, tc.args...)
		checkPanicRecord(t, f.name, status, got, tc.panics)
	}
	has := methodFunction(t, box, "Has", "s")
	if status, got := callDirectly(t, has, h, "k"); status != OK || got != false {
		t.Errorf("after the panics: status %v, %#v", status, got)
	}
}

// generalPanicCases are functions off the direct and fast paths (their
// signatures need reflection), panicking while they run.
var generalPanicCases = []struct {
	name   string
	fn     any
	args   []any
	panics string
}{
	{"panic_int8", func(x int8, s string) int8 { panic(fmt.Sprint(s, x)) }, []any{int64(3), "int8 "}, "int8 3"},
	{"panic_list", func(xs []string) error { return errors.New(xs[5]) }, []any{pymarshal.List{"a"}}, "index out of range"},
	{"panic_map", func(m map[string]int64) (int64, error) {
		var p *int64
		return *p + m["k"], nil
	}, []any{map[string]any{"k": int64(1)}}, "nil pointer dereference"},
	{"panic_variadic", func(parts ...string) string { panic(errDirect) }, []any{"a", "b"}, errDirect.Error()},
}

// generalFunction prepares a case as a module function of the general path.
func generalFunction(t *testing.T, name string, fn any, nargs int) *function {
	t.Helper()
	params := make([]string, nargs)
	for i := range params {
		params[i] = fmt.Sprintf("p%d", i)
	}
	var opts []py.FuncOption
	opts = append(opts, py.Name(name))
	if nargs > 0 && !strings.HasSuffix(name, "variadic") {
		opts = append(opts, py.Params(params...))
	}
	pf, err := py.NewFunction(fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	f := newFunction(pf, name, nil)
	if f.direct != nil || f.fast != nil {
		t.Fatalf("%s: not on the general path", name)
	}
	return f
}

func encodeArgs(t *testing.T, args []any) []byte {
	t.Helper()
	var in pymarshal.Encoder
	if err := (&convert.ToPython{Enc: &in}).Value(convert.Tuple(args)); err != nil {
		t.Fatal(err)
	}
	return in.Bytes()
}

// TestGeneralCallPanicsBecomeGoPanic panics inside calls of the general
// path, called directly and started on a goroutine of their own (as calls
// with a context and awaited calls are): each must come back as a GoPanic
// error record rather than end the process.
func TestGeneralCallPanicsBecomeGoPanic(t *testing.T) {
	for _, tc := range generalPanicCases {
		t.Run(tc.name, func(t *testing.T) {
			f := generalFunction(t, tc.name, tc.fn, len(tc.args))
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			args := encodeArgs(t, tc.args)
			for i := 0; i < 2; i++ {
				var out pymarshal.Encoder
				status := Call(fid, 0, args, nil, &out)
				got, err := pymarshal.Decode(out.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				checkPanicRecord(t, tc.name, status, got, tc.panics)
			}
			status, data := FinishCall(StartCall(fid, 0, args, nil, 0))
			got, err := pymarshal.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			checkPanicRecord(t, tc.name, status, got, tc.panics)
		})
	}
}

// TestFastCallPanicsBecomeGoPanic panics inside functions of the scalar
// fast path, typed adapters and reflected ones alike: InvokeScalar must
// return the panic as an error, and the next call must work.
func TestFastCallPanicsBecomeGoPanic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fn     any
		a0, a1 uint64
		panics string
	}{
		{"fast_int", func(x int) int { panic(fmt.Sprint("fast ", x)) }, 4, 0, "fast 4"},
		{"fast_int_int", func(a, b int) int { return a / b }, 1, 0, "integer divide by zero"},
		{"fast_float", func(x float64) float64 { panic(errDirect) }, 0, 0, errDirect.Error()},
		{"fast_int8", func(x int8) int8 { panic(fmt.Sprint("narrow ", x)) }, 5, 0, "narrow 5"},
		{"fast_nil_deref", func() int {
			var p *int
			return *p
		}, 0, 0, "nil pointer dereference"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nargs := reflect.TypeOf(tc.fn).NumIn()
			params := make([]string, nargs)
			for i := range params {
				params[i] = fmt.Sprintf("p%d", i)
			}
			pf, err := py.NewFunction(tc.fn, py.Name(tc.name), py.Params(params...))
			if err != nil {
				t.Fatal(err)
			}
			f := newFunction(pf, tc.name, nil)
			if f.fast == nil {
				t.Fatalf("%s: not on the fast path", tc.name)
			}
			fid := functions.add(f)
			defer functions.drop([]uint64{fid})
			for i := 0; i < 2; i++ {
				_, err := InvokeScalar(fid, 0, tc.a0, tc.a1)
				var pnc *pyerr.Panic
				if !errors.As(err, &pnc) {
					t.Fatalf("call %d: error %#v, want a panic", i, err)
				}
				if !strings.Contains(err.Error(), tc.panics) || !strings.Contains(pnc.Stack, "goroutine") {
					t.Errorf("call %d: %v (stack %q)", i, err, pnc.Stack)
				}
			}
		})
	}
}
