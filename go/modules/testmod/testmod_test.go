package testmod

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
	"github.com/gobridge/gobridge/registry"
)

func TestModule(t *testing.T) {
	m := modtest.Exec(t, "_testing")
	modtest.HasAttrs(t, m, "echo", "add", "add_u8", "div", "sum_ints", "split_pair", "invalid_utf8",
		"panic_now", "nil_deref", "index_out_of_range", "fail_with", "sleep_ms", "sleep_ctx", "spin",
		"borrowed_len", "bytes_copy", "map_roundtrip", "nested", "int8_identity", "float32_identity",
		"max_uint64", "negate", "array_reverse", "complex_conj", "big_square", "variadic_join",
		"no_result", "multi", "new_counter", "Counter", "ANSWER", "__doc__")
	if v, _ := m.Get("ANSWER"); v != 42 {
		t.Errorf("ANSWER = %v", v)
	}
	if f := modtest.Function(t, m, "variadic_join"); !f.Variadic || len(f.Params) != 2 {
		t.Errorf("variadic_join: variadic %v, %d params", f.Variadic, len(f.Params))
	}
	if f := modtest.Function(t, m, "sleep_ctx"); !f.TakesContext || len(f.Params) != 1 || f.Params[0].Name != "ms" {
		t.Errorf("sleep_ctx: takes context %v, params %+v", f.TakesContext, f.Params)
	}
	if f := modtest.Function(t, m, "div"); !f.ReturnsError || len(f.Results) != 1 {
		t.Errorf("div: returns error %v, results %v", f.ReturnsError, f.Results)
	}
	modtest.HasMethods(t, modtest.Class(t, m, "Counter"), "incr", "get")
}

// TestFailingInits checks the two modules whose initialisation fails: one
// with an error, one with a panic that Exec recovers.
func TestFailingInits(t *testing.T) {
	for _, tt := range []struct {
		name string
		want func(error) bool
	}{
		{"_broken_init", func(err error) bool { return errors.Is(err, ErrBrokenInit) }},
		{"_panicking_init", func(err error) bool { var p *py.Panic; return errors.As(err, &p) }},
	} {
		e, ok := registry.Lookup(tt.name)
		if !ok {
			t.Fatalf("%s is not registered", tt.name)
		}
		m, err := py.Exec(e, tt.name, nil)
		if m != nil || !tt.want(err) {
			t.Errorf("%s: Exec = %v, %v (%T)", tt.name, m, err, err)
		}
	}
}

func TestFailWith(t *testing.T) {
	for kind, want := range map[string]string{
		"not_exist":      "FileNotFoundError",
		"path_not_exist": "FileNotFoundError",
		"exist":          "FileExistsError",
		"permission":     "PermissionError",
		"range":          "OverflowError",
		"syntax":         "ValueError",
		"deadline":       "TimeoutError",
		"value":          "ValueError",
		"key":            "KeyError",
		"wrapped":        "ValueError",
		"plain":          "gobridge.GoError",
		"no such kind":   "ValueError",
	} {
		err := FailWith(kind)
		if err == nil {
			t.Errorf("fail_with(%q) returned nil", kind)
			continue
		}
		if got := pyerr.PythonException(err); got != want {
			t.Errorf("fail_with(%q) raises %s, want %s (error %v)", kind, got, want, err)
		}
	}
	if err := FailWith("none"); err != nil {
		t.Errorf("fail_with(none) = %v", err)
	}
}

func TestPanics(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fn      func()
		runtime bool // a runtime.Error rather than a value passed to panic
	}{
		{"panic_now", func() { PanicNow("boom") }, false},
		{"nil_deref", func() { NilDeref() }, true},
		{"index_out_of_range", func() { IndexOutOfRange(3) }, true},
		{"index_out_of_range(-1)", func() { IndexOutOfRange(-1) }, true},
	} {
		func() {
			defer func() {
				r := recover()
				_, isRuntime := r.(runtime.Error)
				if r == nil || isRuntime != tt.runtime {
					t.Errorf("%s: recovered %v (%T), runtime error %v", tt.name, r, r, tt.runtime)
				}
			}()
			tt.fn()
		}()
	}
	if got := IndexOutOfRange(2); got != 30 {
		t.Errorf("index_out_of_range(2) = %d", got)
	}
}

func TestValues(t *testing.T) {
	if got := AddU8(200, 100); got != 44 {
		t.Errorf("add_u8(200, 100) = %d, want 44 (wrapped)", got)
	}
	if _, err := Div(1, 0); pyerr.PythonException(err) != "ValueError" {
		t.Errorf("div(1, 0): %v", err)
	}
	if q, err := Div(1, 4); q != 0.25 || err != nil {
		t.Errorf("div(1, 4) = %v, %v", q, err)
	}
	if a, b := SplitPair("x,y,z"); a != "x" || b != "y,z" {
		t.Errorf("split_pair = %q, %q", a, b)
	}
	if got := VariadicJoin("-", "a", "b", "c"); got != "a-b-c" {
		t.Errorf("variadic_join = %q", got)
	}
	if got := ComplexConj(1 + 2i); got != 1-2i {
		t.Errorf("complex_conj = %v", got)
	}
	if got := ArrayReverse([3]int{1, 2, 3}); got != [3]int{3, 2, 1} {
		t.Errorf("array_reverse = %v", got)
	}
	if Spin(1000) != Spin(1000) || Spin(1000) == Spin(1001) {
		t.Error("spin is not a deterministic function of n")
	}
	c := NewCounter(5)
	if c.Incr(2) != 7 || c.Get() != 7 {
		t.Errorf("counter = %d", c.Get())
	}
}

func TestSleepCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	start := time.Now()
	if err := SleepCtx(ctx, 10_000); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep_ctx cancelled: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("sleep_ctx ignored its cancellation")
	}
	if err := SleepCtx(context.Background(), 1); err != nil {
		t.Errorf("sleep_ctx(1): %v", err)
	}
}
