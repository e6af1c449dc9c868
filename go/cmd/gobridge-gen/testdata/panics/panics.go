// Package panics has functions that reject arguments by panicking.
package panics

// Repeat repeats s count times; it panics on a negative count.
func Repeat(s string, count int) string {
	if count < 0 {
		panic("panics: negative count")
	}
	out := ""
	for i := 0; i < count; i++ {
		out += s
	}
	return out
}

// Div divides a by b.
func Div(a, b int) int { return a / b }

// Box holds a string.
type Box struct{ S string }

// At returns the byte at i.
func (b *Box) At(i int) byte { return b.S[i] }
