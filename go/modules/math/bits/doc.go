// Package bits registers Go's package math/bits as the Python module
// gomod.math.bits: bit counting and manipulation functions for the
// predeclared unsigned integer types, generated from the standard
// library's source.
package bits

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module math.bits -from math/bits -short * -panic "Div,Div32,Div64,Rem,Rem32,Rem64=ZeroDivisionError:runtime error: integer divide by zero" -panic "Div,Div32,Div64=OverflowError:runtime error: integer overflow"
