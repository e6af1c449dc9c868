// Package bad has defaults the generator refuses.
package bad

// WrongType gives a string parameter a number.
//
//gobridge:default s=1
func WrongType(s string) string { return s }

// Overflow gives an int8 parameter 300.
//
//gobridge:default n=300
func Overflow(n int8) int8 { return n }

// NotTrailing gives a default to a parameter followed by one without.
//
//gobridge:default a=1
func NotTrailing(a, b int) int { return a + b }

// Unknown names no parameter.
//
//gobridge:default zz=1
func Unknown(a int) int { return a }

// Variadic gives a default to its variadic parameter.
//
//gobridge:default xs=1
func Variadic(xs ...int) int { return len(xs) }

// NilFunc gives a non-nil-able func parameter nil.
//
//gobridge:default f=nil
func NilFunc(f func()) {}

// NotConst gives a variable.
//
//gobridge:default n=Var
func NotConst(n int) int { return n }

// Var is a variable.
var Var = 1

// Malformed has no value.
//
//gobridge:default n
func Malformed(n int) int { return n }

// Slice gives a slice parameter a default.
//
//gobridge:default xs=nil
func Slice(xs []int) int { return len(xs) }
