// Package basic exercises the generator: every kind of declaration it binds
// and every reason it has to skip one.
//
// See [Counter] for the class.
package basic

import (
	"context"
	"math/big"
	"unsafe"

	"github.com/gobridge/gobridge/py"
)

// Constants of every kind.
const (
	// Small fits an int everywhere.
	Small = 7
	// Big needs int64.
	Big = 1 << 40
	// Huge needs uint64.
	Huge = 1<<64 - 1
	// Pi is an untyped float.
	Pi = 3.14159
	// Greeting is an untyped string.
	Greeting = "hello"
	// Typed is a typed constant.
	Typed int8 = -3
	// Level is a constant of a named type.
	Level Severity = 2
	// hidden is unexported.
	hidden = 1
)

// Severity is a named integer: it crosses as an int, not a class.
type Severity int

// Add returns a+b.
//
//gobridge:short
func Add(a, b int64) int64 { return a + b }

// Unnamed has unnamed parameters.
func Unnamed(int, string) {}

// Blank has a blank parameter.
func Blank(_ int, s string) {}

// Wait takes a context, which gobridge supplies.
func Wait(ctx context.Context, ms int) error { return ctx.Err() }

// Join joins parts with sep.
func Join(sep string, parts ...string) string { return "" }

// Len takes a zero-copy buffer.
//
// The buffer is valid only during the call.
func Len(b py.Bytes) int { return len(b) }

// Square squares a big integer.
func Square(x *big.Int) *big.Int { return new(big.Int).Mul(x, x) }

// Twice is renamed on the command line.
func Twice(x float64) float64 { return 2 * x }

// Pair has two results and an error.
func Pair(k string) (string, int, error) { return k, 0, nil }

// Chan takes a channel.
func Chan(c chan int) {}

// Callback takes a function.
func Callback(f func() int) {}

// MaybeCallback takes a function that may be nil.
//
//gobridge:nilable f
func MaybeCallback(f func() int, g func()) {}

// Pointer takes an unsafe pointer.
func Pointer(p unsafe.Pointer) {}

// Private returns an unexported type.
func Private() secret { return secret{} }

// ErrFirst has an error that is not the last result.
func ErrFirst() (error, int) { return nil, 0 }

// Generic is generic.
func Generic[T any](v T) T { return v }

// In snake-cases to a Python keyword.
func In() {}

// NewCounter returns a counter starting at n.
func NewCounter(n int) *Counter { return &Counter{Value: n} }

// Counter counts.
type Counter struct {
	// Value is the current count.
	Value int
	// Updates cannot cross.
	Updates chan int
	mu      int
}

// Incr adds delta to the counter and returns the new value.
func (c *Counter) Incr(delta int) int { c.Value += delta; return c.Value }

// Each calls f, if it is not nil, with the value.
//
//gobridge:nilable f
func (c *Counter) Each(f func(int)) {
	if f != nil {
		f(c.Value)
	}
}

// HexValue returns the value in hexadecimal.
func (c *Counter) HexValue() string { return "" }

// Reset sets the value to zero.
func (c *Counter) Reset() { c.Value = 0 }

// Subscribe cannot cross.
func (c *Counter) Subscribe(ch chan<- int) {}

// Stringer is an interface: never a class.
type Stringer interface{ String() string }

type secret struct{}

// Anon returns an unnamed struct.
func Anon() struct{ X int } { return struct{ X int }{} }

// PtrPtr returns a pointer to a pointer.
func PtrPtr() **Counter { return nil }

// WithContext is a method whose context Python would have to pass.
func (c *Counter) WithContext(ctx context.Context) {}
