package testmod

import (
	"errors"
	"math"
	"strings"
)

// Vec is a value struct: exported fields and no methods, so that it crosses
// by value, to test value structs.
type Vec struct {
	// X is the horizontal coordinate.
	X float64
	// Y is the vertical coordinate.
	Y float64
}

// Segment holds two Vecs and a label, to test value structs inside value
// structs.
type Segment struct {
	// A is where the segment starts.
	A Vec
	// B is where it ends.
	B Vec
	// Label names the segment.
	Label string
	// Tags are free-form labels.
	Tags []string
}

// Mid returns the midpoint of a and b, to test value structs as
// parameters and results.
func Mid(a, b Vec) Vec { return Vec{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2} }

// Length returns the length of s, to test a value struct holding others.
func Length(s Segment) float64 { return math.Hypot(s.B.X-s.A.X, s.B.Y-s.A.Y) }

// Flip returns s with its ends swapped, or nil for nil, to test pointers
// to value structs.
func Flip(s *Segment) *Segment {
	if s == nil {
		return nil
	}
	return &Segment{A: s.B, B: s.A, Label: s.Label, Tags: s.Tags}
}

// Repeat returns s repeated times times, joined by sep, to test parameter
// defaults.
//
//gobridge:default times=2 sep=", "
func Repeat(s string, times int, sep string) string {
	return strings.TrimSuffix(strings.Repeat(s+sep, times), sep)
}

// Scale returns x times factor, to test a float default given as an
// integer constant.
//
//gobridge:default factor=DefaultFactor
func Scale(x, factor float64) float64 { return x * factor }

// DefaultFactor is Scale's default factor.
const DefaultFactor = 10

// Tally is a Go object whose constructor takes a default and can fail, to
// test constructors.
type Tally struct {
	// Total is the running total.
	Total int64
}

// NewTally returns a tally starting at start; a negative start is an
// error.
//
//gobridge:default start=0
func NewTally(start int64) (*Tally, error) {
	if start < 0 {
		return nil, errors.New("negative start")
	}
	return &Tally{Total: start}, nil
}

// Add adds n (1 by default) to the tally and returns the total.
//
//gobridge:default n=1
func (t *Tally) Add(n int64) int64 {
	t.Total += n
	return t.Total
}

// Box is a Go object whose constructor is marked by a directive rather
// than named NewBox, and returns the struct by value.
type Box struct {
	// Items are the box's contents.
	Items []string
}

// MakeBox returns a box holding items.
//
//gobridge:constructor
func MakeBox(items ...string) Box { return Box{Items: items} }

// Len returns the number of items.
func (b *Box) Len() int { return len(b.Items) }

// ApplyVec returns f(v), to test value structs passed to and returned by
// Python callables.
func ApplyVec(f func(Vec) (Vec, error), v Vec) (Vec, error) { return f(v) }
