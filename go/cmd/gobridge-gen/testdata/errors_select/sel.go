// Package sel selects sentinel errors with -errors.
package sel

import "errors"

// ErrA is declared.
var ErrA = errors.New("a")

// ErrB is left out by -errors.
var ErrB = errors.New("b")
