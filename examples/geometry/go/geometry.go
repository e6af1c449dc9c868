// Package geometry is an example gobridge module: points and polygons in
// the plane, imported from Python as gomod.geometry.
//
// Points are Go values that Python holds as objects of the class Point,
// made by calling Point (its constructor is NewPoint). A Vector, a struct
// with exported fields and no methods, crosses by value: Python builds one
// with Vector(dx=1, dy=2), or passes a dict of its fields. The other
// functions take and return plain numbers and lists.
package geometry

//go:generate python3 -m gobridge gen -module geometry

import (
	"fmt"
	"math"

	"github.com/gobridge/gobridge/py"
)

// Tau is the ratio of a circle's circumference to its radius.
const Tau = 2 * math.Pi

// Point is a point in the plane.
type Point struct {
	// X is the horizontal coordinate.
	X float64
	// Y is the vertical coordinate.
	Y float64
}

// NewPoint returns the point (x, y), the origin by default. It is the
// constructor of the class Point: Python calls Point(x, y).
//
//gobridge:default x=0 y=0
func NewPoint(x, y float64) *Point { return &Point{X: x, Y: y} }

// Vector is a displacement in the plane. It has exported fields and no
// methods, so it crosses by value.
type Vector struct {
	// DX is the horizontal displacement.
	DX float64
	// DY is the vertical displacement.
	DY float64
}

// Displacement returns the vector from p to q.
func Displacement(p, q *Point) Vector { return Vector{DX: q.X - p.X, DY: q.Y - p.Y} }

// Move returns a new point: p moved by v.
func (p *Point) Move(v Vector) *Point { return &Point{X: p.X + v.DX, Y: p.Y + v.DY} }

// Distance returns the Euclidean distance from p to q.
func (p *Point) Distance(q *Point) float64 { return math.Hypot(q.X-p.X, q.Y-p.Y) }

// Translate returns a new point: p moved by dx horizontally and dy
// vertically.
func (p *Point) Translate(dx, dy float64) *Point { return &Point{X: p.X + dx, Y: p.Y + dy} }

// String formats the point as (x, y).
func (p *Point) String() string { return fmt.Sprintf("(%g, %g)", p.X, p.Y) }

// PolygonArea returns the area of the simple polygon whose vertices, in
// order, are (xs[i], ys[i]), by the shoelace formula. It is a ValueError
// for the coordinate lists to differ in length or to hold fewer than three
// vertices.
func PolygonArea(xs, ys []float64) (float64, error) {
	if len(xs) != len(ys) {
		return 0, py.ValueError("polygon_area: %d x coordinates but %d y coordinates", len(xs), len(ys))
	}
	if len(xs) < 3 {
		return 0, py.ValueError("polygon_area: a polygon needs at least 3 vertices, got %d", len(xs))
	}
	var twice float64
	for i := range xs {
		j := (i + 1) % len(xs)
		twice += xs[i]*ys[j] - xs[j]*ys[i]
	}
	return math.Abs(twice) / 2, nil
}

// CircleArea returns the area of a circle of radius r. A negative radius
// is a ValueError.
func CircleArea(r float64) (float64, error) {
	if r < 0 {
		return 0, py.ValueError("circle_area: negative radius %g", r)
	}
	return Tau / 2 * r * r, nil
}
