// Package strict has declarations that -strict refuses.
package strict

// Fine is bound.
func Fine(s string) string { return s }

// Chan takes a channel.
func Chan(c chan int) {}

// Box has a method that cannot cross.
type Box struct{}

// Send cannot cross.
func (b *Box) Send(f func()) {}
