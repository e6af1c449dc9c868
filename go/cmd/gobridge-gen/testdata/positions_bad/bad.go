// Package bad declares positions that cannot be.
package bad

// Count counts.
//
//gobridge:positions n return
func Count(s string, n int) int { return n }

// Name names.
//
//gobridge:positions s name
func Name(s string, name string) string { return s }

// Lonely has a directive without names.
//
//gobridge:positions s
func Lonely(s string) int { return 0 }
