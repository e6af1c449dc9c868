// Package sel exercises selection, exclusion and renaming.
package sel

// C is left out by -consts=.
const C = 1

// A has parameters named like Python keywords.
func A(from string, lambda int) string { return from }

// B is selected.
func B() {}

// Unselected is not in -funcs.
func Unselected() {}

// Thing is renamed.
type Thing struct{ N int }

// Do is renamed.
func (t *Thing) Do(n int) {}

// Skip is hidden on request.
func (t *Thing) Skip() {}

// Other is left out.
type Other struct{}
