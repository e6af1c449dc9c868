package py

import "github.com/gobridge/gobridge/pyerr"

// Exception is a Go error that becomes a given Python exception.
type Exception = pyerr.Exception

// Panic is a recovered Go panic; Python raises it as gobridge.GoPanic.
type Panic = pyerr.Panic

// The constructors of errors that Python raises as the named exception.
var (
	ValueError          = pyerr.ValueError
	TypeError           = pyerr.TypeError
	OverflowError       = pyerr.OverflowError
	KeyError            = pyerr.KeyError
	IndexError          = pyerr.IndexError
	RuntimeError        = pyerr.RuntimeError
	ImportError         = pyerr.ImportError
	ModuleNotFoundError = pyerr.ModuleNotFoundError
)

// NewPanic records a value recovered from a panic with the current
// goroutine's stack.
func NewPanic(value any, where string) *Panic { return pyerr.NewPanic(value, where) }
