// Package errors exercises the exception classes the generator declares:
// sentinel errors and error types.
package errors

import (
	"encoding/hex"
	"errors"
	"strconv"
)

// ErrNotFound is a sentinel error.
var ErrNotFound = errors.New("not found")

// Sentinels declared together.
var (
	// ErrClosed has its own doc comment.
	ErrClosed  = errors.New("closed")
	ErrRenamed = errors.New("renamed")
	ErrLeftOut = errors.New("left out")
	errHidden  = errors.New("unexported")
)

// ErrLength is another package's sentinel, declared again here.
var ErrLength = hex.ErrLength

// Count is a variable that is not an error.
var Count = 3

// ParseError is an error type whose pointer implements error.
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Code is an error type by value.
type Code int

func (c Code) Error() string { return "code " + strconv.Itoa(int(c)) }

// InvalidByteError is another package's error type, declared again here.
type InvalidByteError = hex.InvalidByteError

// Generic cannot be declared without instantiating it.
type Generic[T any] struct{ v T }

func (g Generic[T]) Error() string { return "generic" }

// Find returns ErrNotFound, wrapped.
func Find(key string) (int, error) { return 0, ErrNotFound }
