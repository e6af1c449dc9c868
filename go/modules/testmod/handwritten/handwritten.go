// Package handwritten registers the private module _handwritten, for
// gobridge's tests of the authoring API written by hand rather than by the
// generator: defaults (py.Default) and constructors (py.Constructor).
package handwritten

import "github.com/gobridge/gobridge/py"

// Greeter greets.
type Greeter struct {
	// Greeting is what it says first.
	Greeting string
}

// Greet returns the greeting for name, ended by punct.
func (g *Greeter) Greet(name, punct string) string { return g.Greeting + ", " + name + punct }

func newGreeter(greeting string, fail bool) *Greeter {
	if fail {
		return nil
	}
	return &Greeter{Greeting: greeting}
}

// Point is a value struct declared by hand.
type Point struct {
	X, Y int
	// Label has a Python name of its own.
	Label string `py:"name"`
}

func init() {
	py.Register("_handwritten", py.ModuleDef{
		Doc: "Private test module of the authoring API written by hand.",
		Exec: func(m *py.Module) error {
			m.Class((*Greeter)(nil),
				py.Constructor(newGreeter, py.Params("greeting", "fail"), py.Default("greeting", "Hello"), py.Default("fail", false)),
				py.Method("Greet", py.Params("name", "punct"), py.Default("punct", "!")),
			)
			// Bound before its class: Python meets the value first.
			m.Set("ORIGIN", Point{Label: "origin"})
			m.Class(Point{}, py.ClassDoc("A point."))
			m.Func(func(p Point) Point { return Point{X: -p.X, Y: -p.Y, Label: p.Label} }, py.Name("negate"), py.Params("p"))
			m.Func(func(a, b int, more ...int) int {
				for _, n := range more {
					a += n
				}
				return a + b
			}, py.Name("total"), py.Params("a", "b", "more"), py.Default("b", 100))
			return nil
		},
	})
}
