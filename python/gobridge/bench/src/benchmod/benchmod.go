// Package benchmod is the private module _bench of the benchmark library:
// functions whose signatures the benchmark's baselines reproduce by hand,
// and a Go type to compare method calls with module-level calls.
package benchmod

import (
	"math/bits"

	"github.com/gobridge/gobridge/py"
)

// DictSum returns the sum of m's values: a dict in, an int out.
func DictSum(m map[string]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}

// OnesCount64 is math/bits.OnesCount64 bound without py.Short, so that the
// call-overhead figure compares calls that release the GIL, as the C
// extension's do.
func OnesCount64(x uint64) int { return bits.OnesCount64(x) }

// RotateLeft64 is math/bits.RotateLeft64 bound without py.Short.
func RotateLeft64(x uint64, k int) uint64 { return bits.RotateLeft64(x, k) }

// Scale returns x*3, the module-level twin of Box.Scale.
func Scale(x int64) int64 { return x * 3 }

// Label returns "box:" + s, the module-level twin of Box.Label.
func Label(s string) string { return "box:" + s }

// Box is a Go object whose methods mirror Scale and Label.
type Box struct {
	// N is the factor of Scale.
	N int64
}

// NewBox returns a Box with factor n.
func NewBox(n int64) *Box { return &Box{N: n} }

// Scale returns x*N.
func (b *Box) Scale(x int64) int64 { return x * b.N }

// Label returns "box:" + s.
func (b *Box) Label(s string) string { return "box:" + s }

// Apply returns f(x): a call from Go back into Python.
func Apply(f func(int64) int64, x int64) int64 { return f(x) }

func init() {
	py.Register("_bench", py.ModuleDef{
		Doc: "Functions and a class for gobridge's benchmark suite.",
		Exec: func(m *py.Module) error {
			m.Func(DictSum, py.Params("m"), py.Doc("DictSum returns the sum of m's values."))
			m.Func(Scale, py.Params("x"), py.Doc("Scale returns x*3."))
			m.Func(OnesCount64, py.Params("x"), py.Doc("OnesCount64 is bits.OnesCount64, not short."))
			m.Func(RotateLeft64, py.Params("x", "k"), py.Doc("RotateLeft64 is bits.RotateLeft64, not short."))
			m.Func(Label, py.Params("s"), py.Doc(`Label returns "box:" + s.`))
			m.Func(NewBox, py.Params("n"), py.Doc("NewBox returns a Box with factor n."))
			m.Class((*Box)(nil),
				py.ClassDoc("Box is a Go object whose methods mirror Scale and Label."),
				py.Method("Scale", py.Params("x"), py.Doc("Scale returns x*N.")),
				py.Method("Label", py.Params("s"), py.Doc(`Label returns "box:" + s.`)),
			)
			return nil
		},
	})
	// A module of its own: while Go functions cannot take Python callables,
	// registering Apply fails this import only.
	py.Register("_bench_callback", py.ModuleDef{
		Doc: "A Go function that calls back into Python.",
		Exec: func(m *py.Module) error {
			m.Func(Apply, py.Params("f", "x"), py.Doc("Apply returns f(x)."))
			return nil
		},
	})
}
