// Package kinds is the private module _kinds of gobridge's default library:
// one function for each layout a value can take through the C layer's
// frame calls, both ways, for gobridge's own tests. It is not part of
// gobridge's public API and may change at any time.
package kinds

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module _kinds

import (
	"errors"
	"strings"

	"github.com/gobridge/gobridge/py"
)

// Bool returns b.
func Bool(b bool) bool { return b }

// Int8 returns v.
func Int8(v int8) int8 { return v }

// Int16 returns v.
func Int16(v int16) int16 { return v }

// Int32 returns v.
func Int32(v int32) int32 { return v }

// Int64 returns v.
func Int64(v int64) int64 { return v }

// Int returns v.
func Int(v int) int { return v }

// Uint8 returns v.
func Uint8(v uint8) uint8 { return v }

// Uint16 returns v.
func Uint16(v uint16) uint16 { return v }

// Uint32 returns v.
func Uint32(v uint32) uint32 { return v }

// Uint64 returns v.
func Uint64(v uint64) uint64 { return v }

// Uint returns v.
func Uint(v uint) uint { return v }

// Float32 returns v, which Go holds as a float32.
func Float32(v float32) float32 { return v }

// Float64 returns v.
func Float64(v float64) float64 { return v }

// Str returns s.
func Str(s string) string { return s }

// Concat returns a+b, to test several string arguments.
func Concat(a, b string) string { return a + b }

// Bytes returns a copy of b with one byte appended, to show that Go got a
// copy of its own.
func Bytes(b []byte) []byte { return append(b, '!') }

// Borrowed returns the length of the bytes-like object b, which Go reads
// in place.
func Borrowed(b py.Bytes) int { return len(b) }

// Digest returns the first four bytes of b and their sum, as a byte array.
func Digest(b py.Bytes) [5]byte {
	var out [5]byte
	for i := 0; i < 4 && i < len(b); i++ {
		out[i] = b[i]
		out[4] += b[i]
	}
	return out
}

// Strs returns xs.
func Strs(xs []string) []string { return xs }

// Int64s returns xs.
func Int64s(xs []int64) []int64 { return xs }

// Int8s returns xs.
func Int8s(xs []int8) []int8 { return xs }

// Uint16s returns xs.
func Uint16s(xs []uint16) []uint16 { return xs }

// Float32s returns xs.
func Float32s(xs []float32) []float32 { return xs }

// Float64s returns xs.
func Float64s(xs []float64) []float64 { return xs }

// Bools returns xs.
func Bools(xs []bool) []bool { return xs }

// StrMap returns m.
func StrMap(m map[string]string) map[string]string { return m }

// IntMap returns m.
func IntMap(m map[string]int64) map[string]int64 { return m }

// Uint8Map returns m.
func Uint8Map(m map[string]uint8) map[string]uint8 { return m }

// FloatMap returns m.
func FloatMap(m map[string]float64) map[string]float64 { return m }

// Sum returns the sum of m's values, to test a dict in and an int out.
func Sum(m map[string]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}

// Split returns the fields of s, their count and whether there were any:
// several results of several kinds.
func Split(s string) ([]string, int, bool) {
	f := strings.Fields(s)
	return f, len(f), len(f) > 0
}

// Nothing returns nothing.
func Nothing() {}

// Fails returns s, or an error when s is "fail".
func Fails(s string) (string, error) {
	if s == "fail" {
		return "", errors.New("asked to fail")
	}
	return s, nil
}

// Refuses returns a ValueError for a negative n.
func Refuses(n int) (int, error) {
	if n < 0 {
		return 0, py.ValueError("n must not be negative")
	}
	return n, nil
}

// Panics panics with msg.
func Panics(msg string) string { panic(msg) }

// InvalidUTF8 returns a string that is not UTF-8 when bad is true.
func InvalidUTF8(bad bool) string {
	if bad {
		return "ok\xff"
	}
	return "ok"
}

// Long returns s repeated n times: a result larger than the call's scratch
// memory.
func Long(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat(s, i+1)
	}
	return out
}

// Spin counts to n and returns n: a Go loop that releases the GIL.
func Spin(n int) int {
	i := 0
	for i < n {
		i++
	}
	return i
}

// SpinShort counts to n and returns n, keeping the GIL: a short function.
//
//gobridge:short
func SpinShort(n int) int {
	i := 0
	for i < n {
		i++
	}
	return i
}
