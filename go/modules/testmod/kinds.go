package testmod

import (
	"context"

	"github.com/gobridge/gobridge/py"
)

// The functions of this file pass one value of each Go kind through every
// way an argument reaches the conversion to Go: a scalar call (the fast
// path for numbers), a call that also takes a str (the general path), a
// list, a dict, a method and a callable's result. The tests of conversions
// (tests/test_conversion_table.py) send each of them the boundary values of
// go/internal/convert/testdata/conversions.json.

// Kinds is a Go object whose methods take one value of each Go kind, to
// test method arguments.
type Kinds struct{}

// NewKinds returns a Kinds, to test method arguments.
func NewKinds() *Kinds { return &Kinds{} }

// EchoInt returns x, to test int arguments.
func EchoInt(x int) int { return x }

// EchoIntLabelled returns x, to test int arguments of a call that cannot
// take the fast path.
func EchoIntLabelled(x int, label string) int { return x }

// EchoIntList returns xs, to test int values inside a list.
func EchoIntList(xs []int) []int { return xs }

// EchoIntDict returns m, to test int values inside a dict.
func EchoIntDict(m map[string]int) map[string]int { return m }

// EchoIntResult returns what f returns, to test int results of callables.
func EchoIntResult(f func() int) int { return f() }

// EchoInt returns x, to test int method arguments.
func (*Kinds) EchoInt(x int) int { return x }

// EchoInt8 returns x, to test int8 arguments.
func EchoInt8(x int8) int8 { return x }

// EchoInt8Labelled returns x, to test int8 arguments of a call that cannot
// take the fast path.
func EchoInt8Labelled(x int8, label string) int8 { return x }

// EchoInt8List returns xs, to test int8 values inside a list.
func EchoInt8List(xs []int8) []int8 { return xs }

// EchoInt8Dict returns m, to test int8 values inside a dict.
func EchoInt8Dict(m map[string]int8) map[string]int8 { return m }

// EchoInt8Result returns what f returns, to test int8 results of callables.
func EchoInt8Result(f func() int8) int8 { return f() }

// EchoInt8 returns x, to test int8 method arguments.
func (*Kinds) EchoInt8(x int8) int8 { return x }

// EchoInt16 returns x, to test int16 arguments.
func EchoInt16(x int16) int16 { return x }

// EchoInt16Labelled returns x, to test int16 arguments of a call that cannot
// take the fast path.
func EchoInt16Labelled(x int16, label string) int16 { return x }

// EchoInt16List returns xs, to test int16 values inside a list.
func EchoInt16List(xs []int16) []int16 { return xs }

// EchoInt16Dict returns m, to test int16 values inside a dict.
func EchoInt16Dict(m map[string]int16) map[string]int16 { return m }

// EchoInt16Result returns what f returns, to test int16 results of callables.
func EchoInt16Result(f func() int16) int16 { return f() }

// EchoInt16 returns x, to test int16 method arguments.
func (*Kinds) EchoInt16(x int16) int16 { return x }

// EchoInt32 returns x, to test int32 arguments.
func EchoInt32(x int32) int32 { return x }

// EchoInt32Labelled returns x, to test int32 arguments of a call that cannot
// take the fast path.
func EchoInt32Labelled(x int32, label string) int32 { return x }

// EchoInt32List returns xs, to test int32 values inside a list.
func EchoInt32List(xs []int32) []int32 { return xs }

// EchoInt32Dict returns m, to test int32 values inside a dict.
func EchoInt32Dict(m map[string]int32) map[string]int32 { return m }

// EchoInt32Result returns what f returns, to test int32 results of callables.
func EchoInt32Result(f func() int32) int32 { return f() }

// EchoInt32 returns x, to test int32 method arguments.
func (*Kinds) EchoInt32(x int32) int32 { return x }

// EchoInt64 returns x, to test int64 arguments.
func EchoInt64(x int64) int64 { return x }

// EchoInt64Labelled returns x, to test int64 arguments of a call that cannot
// take the fast path.
func EchoInt64Labelled(x int64, label string) int64 { return x }

// EchoInt64List returns xs, to test int64 values inside a list.
func EchoInt64List(xs []int64) []int64 { return xs }

// EchoInt64Dict returns m, to test int64 values inside a dict.
func EchoInt64Dict(m map[string]int64) map[string]int64 { return m }

// EchoInt64Result returns what f returns, to test int64 results of callables.
func EchoInt64Result(f func() int64) int64 { return f() }

// EchoInt64 returns x, to test int64 method arguments.
func (*Kinds) EchoInt64(x int64) int64 { return x }

// EchoUint returns x, to test uint arguments.
func EchoUint(x uint) uint { return x }

// EchoUintLabelled returns x, to test uint arguments of a call that cannot
// take the fast path.
func EchoUintLabelled(x uint, label string) uint { return x }

// EchoUintList returns xs, to test uint values inside a list.
func EchoUintList(xs []uint) []uint { return xs }

// EchoUintDict returns m, to test uint values inside a dict.
func EchoUintDict(m map[string]uint) map[string]uint { return m }

// EchoUintResult returns what f returns, to test uint results of callables.
func EchoUintResult(f func() uint) uint { return f() }

// EchoUint returns x, to test uint method arguments.
func (*Kinds) EchoUint(x uint) uint { return x }

// EchoUint8 returns x, to test uint8 arguments.
func EchoUint8(x uint8) uint8 { return x }

// EchoUint8Labelled returns x, to test uint8 arguments of a call that cannot
// take the fast path.
func EchoUint8Labelled(x uint8, label string) uint8 { return x }

// EchoUint8List returns xs, to test uint8 values inside a list.
func EchoUint8List(xs []uint8) []uint8 { return xs }

// EchoUint8Dict returns m, to test uint8 values inside a dict.
func EchoUint8Dict(m map[string]uint8) map[string]uint8 { return m }

// EchoUint8Result returns what f returns, to test uint8 results of callables.
func EchoUint8Result(f func() uint8) uint8 { return f() }

// EchoUint8 returns x, to test uint8 method arguments.
func (*Kinds) EchoUint8(x uint8) uint8 { return x }

// EchoUint16 returns x, to test uint16 arguments.
func EchoUint16(x uint16) uint16 { return x }

// EchoUint16Labelled returns x, to test uint16 arguments of a call that cannot
// take the fast path.
func EchoUint16Labelled(x uint16, label string) uint16 { return x }

// EchoUint16List returns xs, to test uint16 values inside a list.
func EchoUint16List(xs []uint16) []uint16 { return xs }

// EchoUint16Dict returns m, to test uint16 values inside a dict.
func EchoUint16Dict(m map[string]uint16) map[string]uint16 { return m }

// EchoUint16Result returns what f returns, to test uint16 results of callables.
func EchoUint16Result(f func() uint16) uint16 { return f() }

// EchoUint16 returns x, to test uint16 method arguments.
func (*Kinds) EchoUint16(x uint16) uint16 { return x }

// EchoUint32 returns x, to test uint32 arguments.
func EchoUint32(x uint32) uint32 { return x }

// EchoUint32Labelled returns x, to test uint32 arguments of a call that cannot
// take the fast path.
func EchoUint32Labelled(x uint32, label string) uint32 { return x }

// EchoUint32List returns xs, to test uint32 values inside a list.
func EchoUint32List(xs []uint32) []uint32 { return xs }

// EchoUint32Dict returns m, to test uint32 values inside a dict.
func EchoUint32Dict(m map[string]uint32) map[string]uint32 { return m }

// EchoUint32Result returns what f returns, to test uint32 results of callables.
func EchoUint32Result(f func() uint32) uint32 { return f() }

// EchoUint32 returns x, to test uint32 method arguments.
func (*Kinds) EchoUint32(x uint32) uint32 { return x }

// EchoUint64 returns x, to test uint64 arguments.
func EchoUint64(x uint64) uint64 { return x }

// EchoUint64Labelled returns x, to test uint64 arguments of a call that cannot
// take the fast path.
func EchoUint64Labelled(x uint64, label string) uint64 { return x }

// EchoUint64List returns xs, to test uint64 values inside a list.
func EchoUint64List(xs []uint64) []uint64 { return xs }

// EchoUint64Dict returns m, to test uint64 values inside a dict.
func EchoUint64Dict(m map[string]uint64) map[string]uint64 { return m }

// EchoUint64Result returns what f returns, to test uint64 results of callables.
func EchoUint64Result(f func() uint64) uint64 { return f() }

// EchoUint64 returns x, to test uint64 method arguments.
func (*Kinds) EchoUint64(x uint64) uint64 { return x }

// EchoUintptr returns x, to test uintptr arguments.
func EchoUintptr(x uintptr) uintptr { return x }

// EchoUintptrLabelled returns x, to test uintptr arguments of a call that cannot
// take the fast path.
func EchoUintptrLabelled(x uintptr, label string) uintptr { return x }

// EchoUintptrList returns xs, to test uintptr values inside a list.
func EchoUintptrList(xs []uintptr) []uintptr { return xs }

// EchoUintptrDict returns m, to test uintptr values inside a dict.
func EchoUintptrDict(m map[string]uintptr) map[string]uintptr { return m }

// EchoUintptrResult returns what f returns, to test uintptr results of callables.
func EchoUintptrResult(f func() uintptr) uintptr { return f() }

// EchoUintptr returns x, to test uintptr method arguments.
func (*Kinds) EchoUintptr(x uintptr) uintptr { return x }

// EchoFloat32 returns x, to test float32 arguments.
func EchoFloat32(x float32) float32 { return x }

// EchoFloat32Labelled returns x, to test float32 arguments of a call that cannot
// take the fast path.
func EchoFloat32Labelled(x float32, label string) float32 { return x }

// EchoFloat32List returns xs, to test float32 values inside a list.
func EchoFloat32List(xs []float32) []float32 { return xs }

// EchoFloat32Dict returns m, to test float32 values inside a dict.
func EchoFloat32Dict(m map[string]float32) map[string]float32 { return m }

// EchoFloat32Result returns what f returns, to test float32 results of callables.
func EchoFloat32Result(f func() float32) float32 { return f() }

// EchoFloat32 returns x, to test float32 method arguments.
func (*Kinds) EchoFloat32(x float32) float32 { return x }

// EchoFloat64 returns x, to test float64 arguments.
func EchoFloat64(x float64) float64 { return x }

// EchoFloat64Labelled returns x, to test float64 arguments of a call that cannot
// take the fast path.
func EchoFloat64Labelled(x float64, label string) float64 { return x }

// EchoFloat64List returns xs, to test float64 values inside a list.
func EchoFloat64List(xs []float64) []float64 { return xs }

// EchoFloat64Dict returns m, to test float64 values inside a dict.
func EchoFloat64Dict(m map[string]float64) map[string]float64 { return m }

// EchoFloat64Result returns what f returns, to test float64 results of callables.
func EchoFloat64Result(f func() float64) float64 { return f() }

// EchoFloat64 returns x, to test float64 method arguments.
func (*Kinds) EchoFloat64(x float64) float64 { return x }

// EchoComplex64 returns x, to test complex64 arguments.
func EchoComplex64(x complex64) complex64 { return x }

// EchoComplex64Labelled returns x, to test complex64 arguments of a call that cannot
// take the fast path.
func EchoComplex64Labelled(x complex64, label string) complex64 { return x }

// EchoComplex64List returns xs, to test complex64 values inside a list.
func EchoComplex64List(xs []complex64) []complex64 { return xs }

// EchoComplex64Dict returns m, to test complex64 values inside a dict.
func EchoComplex64Dict(m map[string]complex64) map[string]complex64 { return m }

// EchoComplex64Result returns what f returns, to test complex64 results of callables.
func EchoComplex64Result(f func() complex64) complex64 { return f() }

// EchoComplex64 returns x, to test complex64 method arguments.
func (*Kinds) EchoComplex64(x complex64) complex64 { return x }

// EchoComplex128 returns x, to test complex128 arguments.
func EchoComplex128(x complex128) complex128 { return x }

// EchoComplex128Labelled returns x, to test complex128 arguments of a call that cannot
// take the fast path.
func EchoComplex128Labelled(x complex128, label string) complex128 { return x }

// EchoComplex128List returns xs, to test complex128 values inside a list.
func EchoComplex128List(xs []complex128) []complex128 { return xs }

// EchoComplex128Dict returns m, to test complex128 values inside a dict.
func EchoComplex128Dict(m map[string]complex128) map[string]complex128 { return m }

// EchoComplex128Result returns what f returns, to test complex128 results of callables.
func EchoComplex128Result(f func() complex128) complex128 { return f() }

// EchoComplex128 returns x, to test complex128 method arguments.
func (*Kinds) EchoComplex128(x complex128) complex128 { return x }

// EchoBool returns x, to test bool arguments.
func EchoBool(x bool) bool { return x }

// EchoBoolLabelled returns x, to test bool arguments of a call that cannot
// take the fast path.
func EchoBoolLabelled(x bool, label string) bool { return x }

// EchoBoolList returns xs, to test bool values inside a list.
func EchoBoolList(xs []bool) []bool { return xs }

// EchoBoolDict returns m, to test bool values inside a dict.
func EchoBoolDict(m map[string]bool) map[string]bool { return m }

// EchoBoolResult returns what f returns, to test bool results of callables.
func EchoBoolResult(f func() bool) bool { return f() }

// EchoBool returns x, to test bool method arguments.
func (*Kinds) EchoBool(x bool) bool { return x }

// EchoString returns x, to test string arguments.
func EchoString(x string) string { return x }

// EchoStringLabelled returns x, to test string arguments of a call that cannot
// take the fast path.
func EchoStringLabelled(x string, label string) string { return x }

// EchoStringList returns xs, to test string values inside a list.
func EchoStringList(xs []string) []string { return xs }

// EchoStringDict returns m, to test string values inside a dict.
func EchoStringDict(m map[string]string) map[string]string { return m }

// EchoStringResult returns what f returns, to test string results of callables.
func EchoStringResult(f func() string) string { return f() }

// EchoString returns x, to test string method arguments.
func (*Kinds) EchoString(x string) string { return x }

// BorrowedPairLen returns the lengths of two buffers passed without a
// copy, to test a call that borrows more than one buffer.
func BorrowedPairLen(a, b py.Bytes) int { return len(a) + len(b) }

// BorrowedLenCtx returns the length of a buffer passed without a copy to
// a call with a context, which runs on a goroutine of its own.
func BorrowedLenCtx(ctx context.Context, b py.Bytes) int { return len(b) }
