// Package positions exercises position declarations, from the command
// line and from doc comments.
package positions

import "strings"

// Index returns the byte offset of sub in s; declared with -positions.
func Index(s, sub string) int { return strings.Index(s, sub) }

// Slice returns s from start to end.
//
//gobridge:positions s start end
func Slice(s string, start, end int) string { return s[start:end] }

// Bounds returns where word starts and ends in s, and how many times it
// occurs.
//
//gobridge:positions s return[0] return[1]
func Bounds(s, word string) (start, end, count int) { return 0, 0, 0 }

// Text is a text with a finder.
type Text struct{ Body string }

// Find returns the byte offset of sub in s; declared with -positions.
func (t *Text) Find(s, sub string) int { return strings.Index(s, sub) }

// Span returns s[at[0]:at[1]].
//
//gobridge:positions s at
func (t *Text) Span(s string, at []int) string { return s[at[0]:at[1]] }
