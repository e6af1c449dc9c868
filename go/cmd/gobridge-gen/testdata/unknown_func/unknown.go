// Package unknown names a function that does not exist.
package unknown

// F exists.
func F() {}
