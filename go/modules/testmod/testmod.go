// Package testmod is the private module _testing of gobridge's default
// library, for gobridge's own tests: its functions exercise every kind of
// value that crosses between Go and Python and every way a call can fail.
// It is not part of gobridge's public API and may change at any time.
//
// The package also registers _broken_init, whose initialisation returns an
// error, and _panicking_init, whose initialisation panics, for the tests
// of failed imports.
package testmod

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module _testing

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobridge/gobridge/py"
)

// Answer is a constant, to test module constants.
const Answer = 42

// Echo returns v unchanged, to test the round trip of any value.
func Echo(v any) any { return v }

// Add returns a+b, wrapping around on overflow as Go does.
func Add(a, b int64) int64 { return a + b }

// AddU8 returns a+b modulo 256, to test the range checks of small
// integer parameters.
func AddU8(a, b uint8) uint8 { return a + b }

// Int8Identity returns v, to test that out-of-range arguments are refused.
func Int8Identity(v int8) int8 { return v }

// Float32Identity returns v, rounded to float32.
func Float32Identity(v float32) float32 { return v }

// MaxUint64 returns the largest uint64, which does not fit in an int64.
func MaxUint64() uint64 { return 1<<64 - 1 }

// Negate returns the negation of b.
func Negate(b bool) bool { return !b }

// Div returns a/b, or a ValueError-mapped error when b is zero.
func Div(a, b float64) (float64, error) {
	if b == 0 {
		return 0, py.ValueError("division by zero")
	}
	return a / b, nil
}

// SumInts returns the sum of xs.
func SumInts(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// SplitPair splits s at its first comma, to test two results (a tuple).
func SplitPair(s string) (string, string) {
	before, after, _ := strings.Cut(s, ",")
	return before, after
}

// InvalidUTF8 returns a string that is not valid UTF-8.
func InvalidUTF8() string { return "\xff" }

// PanicNow panics with msg.
func PanicNow(msg string) { panic(msg) }

// nilPointer is nil; a package variable keeps the compiler from seeing it.
var nilPointer *int

// NilDeref dereferences a nil pointer: a runtime panic.
func NilDeref() int { return *nilPointer }

// IndexOutOfRange indexes a three-element slice with i: a runtime panic
// unless 0 <= i < 3.
func IndexOutOfRange(i int) int {
	s := []int{10, 20, 30}
	return s[i]
}

// FailWith returns an error of the given kind, to test how Go errors map to
// Python exceptions: not_exist (os.ErrNotExist), path_not_exist (an
// *fs.PathError), exist, permission, range and syntax (strconv errors),
// deadline (context.DeadlineExceeded), value (py.ValueError), key
// (py.KeyError), wrapped (a py.ValueError wrapped with %w), plain
// (errors.New) or none (no error). Any other kind is a ValueError.
func FailWith(kind string) error {
	switch kind {
	case "none":
		return nil
	case "not_exist":
		return os.ErrNotExist
	case "path_not_exist":
		return &fs.PathError{Op: "open", Path: "/nonexistent/file", Err: fs.ErrNotExist}
	case "exist":
		return fs.ErrExist
	case "permission":
		return fs.ErrPermission
	case "range":
		_, err := strconv.ParseInt("99999999999999999999", 10, 64)
		return err
	case "syntax":
		_, err := strconv.Atoi("not a number")
		return err
	case "deadline":
		return context.DeadlineExceeded
	case "value":
		return py.ValueError("bad value %q", kind)
	case "key":
		return py.KeyError("missing key")
	case "wrapped":
		return fmt.Errorf("while testing: %w", py.ValueError("inner value error"))
	case "plain":
		return errors.New("plain Go error")
	}
	return py.ValueError("unknown kind %q", kind)
}

// SleepMs sleeps for ms milliseconds, to test that calls release the GIL.
func SleepMs(ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }

// SleepCtx sleeps for ms milliseconds or until the call is cancelled, and
// returns the context's error if it was.
func SleepCtx(ctx context.Context, ms int) error {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Spin runs a CPU-bound loop of n steps and returns a value that depends on
// every step, so that parallelism tests measure real work.
func Spin(n int) uint64 {
	x := uint64(88172645463325252)
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// BorrowedLen returns the length of a buffer passed without a copy.
func BorrowedLen(b py.Bytes) int { return len(b) }

// BytesCopy returns a copy of b, to test bytes in and out.
func BytesCopy(b []byte) []byte { return append([]byte(nil), b...) }

// MapRoundtrip returns a copy of m.
func MapRoundtrip(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Nested returns v, to test nested lists.
func Nested(v [][]string) [][]string { return v }

// ArrayReverse returns a reversed, to test fixed-size arrays.
func ArrayReverse(a [3]int) [3]int { return [3]int{a[2], a[1], a[0]} }

// ComplexConj returns the complex conjugate of c.
func ComplexConj(c complex128) complex128 { return complex(real(c), -imag(c)) }

// BigSquare returns x*x, to test integers of any size.
func BigSquare(x *big.Int) *big.Int { return new(big.Int).Mul(x, x) }

// VariadicJoin joins parts with sep, to test *args.
func VariadicJoin(sep string, parts ...string) string { return strings.Join(parts, sep) }

// NoResult returns nothing: Python gets None.
func NoResult() {}

// Multi returns three results: Python gets a tuple.
func Multi() (int, string, bool) { return 1, "two", true }

// NewCounter returns a counter starting at start, to test Go objects held
// by Python.
func NewCounter(start int64) *Counter { return &Counter{Value: start} }

// Counter is a Go object with a field and methods. It is safe for
// concurrent use.
type Counter struct {
	// Value is the current count.
	Value int64

	mu sync.Mutex
}

// Incr adds delta to the counter and returns the new count.
func (c *Counter) Incr(delta int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Value += delta
	return c.Value
}

// Get returns the current count.
func (c *Counter) Get() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Value
}

// Apply returns f(x), to test Python callables passed as Go functions.
func Apply(f func(int) int, x int) int { return f(x) }

// MapStrings returns f applied to each of xs, stopping at the first error,
// to test callbacks whose failures Go handles as errors.
func MapStrings(f func(string) (string, error), xs []string) ([]string, error) {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		y, err := f(x)
		if err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, nil
}

// Reduce folds xs with f from the left, starting at start, to test a
// callback of two float parameters.
func Reduce(f func(acc, x float64) float64, xs []float64, start float64) float64 {
	for _, x := range xs {
		start = f(start, x)
	}
	return start
}

// Filter returns the xs for which keep is true, to test a callback with a
// bool result.
func Filter(keep func(x int64) bool, xs []int64) []int64 {
	out := []int64{}
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// ParallelMap calls f with 0 to n-1, each call on a goroutine of its own,
// and returns the results in order, to test callbacks made concurrently.
func ParallelMap(f func(uint64) uint64, n int) []uint64 {
	out := make([]uint64, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(uint64(i))
		}()
	}
	wg.Wait()
	return out
}

// Each calls f with 0 to n-1, to test a callback that raises through a Go
// function type without an error result.
func Each(f func(int), n int) {
	for i := 0; i < n; i++ {
		f(i)
	}
}

var stored struct {
	sync.Mutex
	f func() int
}

// Store keeps f beyond the call it was passed to, to test a callback
// called after its Go call has returned. None forgets the kept function.
//
//gobridge:nilable f
func Store(f func() int) {
	stored.Lock()
	defer stored.Unlock()
	stored.f = f
}

// CallStored calls the function kept by Store from a new goroutine and
// returns its result, or -1 if none is kept.
func CallStored() int {
	stored.Lock()
	f := stored.f
	stored.Unlock()
	if f == nil {
		return -1
	}
	done := make(chan int)
	go func() { done <- f() }()
	return <-done
}

// Count yields 0 to n-1, to test iter.Seq results.
func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

// Enumerate yields (index, word) for each word of s, to test iter.Seq2
// results.
func Enumerate(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, w := range strings.Fields(s) {
			if !yield(i, w) {
				return
			}
		}
	}
}

// CountChan sends 0 to n-1 from a goroutine and closes the channel, to
// test channel results.
func CountChan(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// countedInitRuns counts the initialisations of the module _counted_init.
var countedInitRuns atomic.Int64

// _counted_init counts its initialisations, for the test that concurrent
// first imports of one module execute it exactly once. Its initialisation
// is slow on purpose: it widens the window in which two importers could
// both run it.
func init() {
	py.Register("_counted_init", py.ModuleDef{
		Doc: "Private test module that counts its initialisations.",
		Exec: func(m *py.Module) error {
			run := countedInitRuns.Add(1)
			time.Sleep(50 * time.Millisecond)
			m.Const("RUN", run)
			return nil
		},
	})
}

// CountedInitRuns returns how many times the module _counted_init has been
// initialised in this process.
func CountedInitRuns() int64 { return countedInitRuns.Load() }

// SleepIgnoringCtx sleeps for ms milliseconds whatever happens to ctx, to
// test a call that does not honour its cancellation: the caller must not
// hang, and the call ends in the background.
func SleepIgnoringCtx(ctx context.Context, ms int) {
	time.Sleep(time.Duration(ms) * time.Millisecond)
}

// FatalConcurrentMapWrites writes one map from several goroutines without
// a lock until the Go runtime notices. That is a fatal error, not a panic:
// it ends the process. It exists for the test that documents this, which
// calls it in a child process only; never call it anywhere else.
func FatalConcurrentMapWrites() {
	m := map[int]int{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				m[i%1024] = i
			}
		}()
	}
	wg.Wait()
}

// Allocate returns a fresh byte slice of n bytes, each set to fill, to test
// that memory Go hands to Python is given back.
func Allocate(n int, fill byte) ([]byte, error) {
	if n < 0 || n > 1<<30 {
		return nil, py.ValueError("allocate: size %d out of range [0, 2**30]", n)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = fill
	}
	return b, nil
}

// flakyInit is the state of the module _flaky_init: how often it has been
// initialised, and whether its next initialisation panics.
var flakyInit struct {
	runs  atomic.Int64
	armed atomic.Bool
}

// _flaky_init panics in the first initialisation after ArmFlakyInit and
// succeeds otherwise, for the test that a retried import runs the
// initialisation again rather than remembering the failure.
func init() {
	py.Register("_flaky_init", py.ModuleDef{
		Doc: "Private test module whose initialisation panics once when armed.",
		Exec: func(m *py.Module) error {
			run := flakyInit.runs.Add(1)
			if flakyInit.armed.Swap(false) {
				panic(fmt.Sprintf("_flaky_init: initialisation %d panicked on purpose", run))
			}
			m.Const("RUN", run)
			return nil
		},
	})
}

// ArmFlakyInit makes the next initialisation of the module _flaky_init
// panic, and returns how many initialisations it has had so far.
func ArmFlakyInit() int64 {
	flakyInit.armed.Store(true)
	return flakyInit.runs.Load()
}

// PanicAfter yields 0 to n-1 and then panics, to test a panic inside an
// iter.Seq that Python is iterating.
func PanicAfter(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
		panic(fmt.Sprintf("panic_after: panicked after %d values", n))
	}
}

// FatalPanicInGoroutine panics on a goroutine of its own, which no caller
// can recover: it ends the process. It exists for the test that documents
// this, which calls it in a child process only; never call it anywhere
// else.
func FatalPanicInGoroutine() {
	go func() { panic("fatal_panic_in_goroutine: unrecoverable on purpose") }()
	// The panic ends the process while this call waits.
	select {}
}

// WriteStdout writes s to the process's standard output through Go's
// os.Stdout, to test what a write to a broken pipe does from Go code.
func WriteStdout(s string) error {
	_, err := os.Stdout.WriteString(s)
	return err
}
