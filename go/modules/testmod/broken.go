package testmod

import (
	"errors"

	"github.com/gobridge/gobridge/py"
)

// ErrBrokenInit is the error _broken_init's initialisation returns.
var ErrBrokenInit = errors.New("_broken_init: initialisation failed on purpose")

// These modules fail to initialise, for the tests of failed imports
// (_bad_registration as a hand-written registration of a signature that
// cannot cross does, with a panic of Module.Func): the
// import must raise, leave no half-built module behind, and succeed in
// neither case on a retry. They are written by hand because their Exec
// functions are the point.
func init() {
	py.Register("_broken_init", py.ModuleDef{
		Doc:  "Private test module whose initialisation returns an error.",
		Exec: func(m *py.Module) error { return ErrBrokenInit },
	})
	py.Register("_bad_registration", py.ModuleDef{
		Doc: "Private test module whose initialisation registers a function that cannot cross.",
		Exec: func(m *py.Module) error {
			m.Func(func(ch chan int) { close(ch) }, py.Name("drain"))
			return nil
		},
	})
	// _lazy_broken imports: its functions are bound with LazyFunc, as the
	// generator binds them, and one of them cannot cross, which its first
	// use reports.
	py.Register("_lazy_broken", py.ModuleDef{
		Doc: "Private test module with a lazily bound function that cannot cross.",
		Exec: func(m *py.Module) error {
			m.LazyFunc("drain", func() (*py.Function, error) {
				return py.NewFunction(func(ch chan int) { close(ch) }, py.Name("drain"))
			})
			m.LazyFunc("misnamed", func() (*py.Function, error) {
				return py.NewFunction(func(n int) int { return n }, py.Name("other"))
			})
			m.LazyFunc("twice", func() (*py.Function, error) {
				return py.NewFunction(func(n int) int { return 2 * n }, py.Name("twice"), py.Params("n"))
			})
			return nil
		},
	})
	py.Register("_panicking_init", py.ModuleDef{
		Doc: "Private test module whose initialisation panics.",
		Exec: func(m *py.Module) error {
			m.Const("PARTIAL", 1)
			panic("_panicking_init: initialisation panicked on purpose")
		},
	})
}
