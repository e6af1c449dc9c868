// Package math registers Go's package math as the Python package
// gomod.math, with Go's math/bits as its submodule gomod.math.bits.
//
// The registration is generated from the standard library's source, so the
// docstrings are Go's documentation. Names that snake_case would spell
// oddly (IsNaN as is_na_n) are given their Python spelling.
package math

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module math -package -from math -rename IsNaN=isnan,IsInf=isinf,NaN=nan,Inf=inf
