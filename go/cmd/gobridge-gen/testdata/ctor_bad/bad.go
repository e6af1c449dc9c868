// Package bad has constructors the generator refuses.
package bad

// Point is a value struct, built from its fields.
type Point struct{ X, Y int }

// MakePoint is marked as Point's constructor.
//
//gobridge:constructor
func MakePoint() Point { return Point{} }

// Thing has two marked constructors.
type Thing struct{ n int }

// One makes a Thing.
//
//gobridge:constructor
func One() *Thing { return &Thing{} }

// Two makes a Thing too.
//
//gobridge:constructor
func Two() *Thing { return &Thing{} }

// Loose is marked but returns no type of the package.
//
//gobridge:constructor
func Loose() int { return 0 }
