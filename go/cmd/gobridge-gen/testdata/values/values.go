// Package values exercises value structs, constructors and defaults.
package values

import "errors"

// Point is a value struct: exported fields, no methods.
type Point struct {
	X, Y float64
}

// Labelled is not a value struct: it has an unexported field.
type Labelled struct {
	Name  string
	count int
}

// Mid returns the midpoint of a and b.
func Mid(a, b Point) Point { return Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2} }

// NewPoint is not Point's constructor: Point is built from its fields.
func NewPoint(x, y float64) Point { return Point{x, y} }

// Counter counts.
type Counter struct{ n int }

// NewCounter returns a counter at start.
//
//gobridge:default start=Start step=1
func NewCounter(start int64, step int) *Counter { return &Counter{int(start)} }

// Start is NewCounter's default start.
const Start = -3

// Add adds n.
//
//gobridge:default n=1
func (c *Counter) Add(n int) int { c.n += n; return c.n }

// Gate opens.
type Gate struct{ open bool }

// Open returns an open gate, or an error; marked as the constructor.
//
//gobridge:constructor
//gobridge:default name="front door" loud=false ratio=0.5 cb=nil
//gobridge:nilable cb
func Open(name string, loud bool, ratio float32, cb func()) (Gate, error) {
	if name == "" {
		return Gate{}, errors.New("no name")
	}
	return Gate{true}, nil
}

// Join joins parts with sep.
//
//gobridge:default sep="," p=nil
func Join(p *int, sep string, parts ...string) string { return sep }
