package testmod

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/gobridge/gobridge/py"
)

// ErrNotFound is a sentinel error, to test exception classes: Python
// raises it as _testing.ErrNotFound.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is a second sentinel error.
var ErrDuplicate = errors.New("duplicate key")

// ErrLength is encoding/hex's sentinel, which gomod.encoding.hex declares
// too, to test a Go error that two modules declare.
var ErrLength = hex.ErrLength

// LookupError is an error type whose pointer implements error; it wraps
// its cause.
type LookupError struct {
	// Key is the key looked up.
	Key string
	// Err is the cause.
	Err error
}

func (e *LookupError) Error() string { return fmt.Sprintf("looking up %q: %v", e.Key, e.Err) }

// Unwrap returns the cause.
func (e *LookupError) Unwrap() error { return e.Err }

// ErrorCode is an error type whose value implements error.
type ErrorCode int

func (c ErrorCode) Error() string { return "error code " + strconv.Itoa(int(c)) }

// BadDigit is an error type that wraps strconv.ErrSyntax: Python raises
// it as _testing.BadDigit, a subclass of ValueError as well as of
// gobridge.GoError.
type BadDigit struct {
	// Pos is the position of the bad digit.
	Pos int
}

func (e *BadDigit) Error() string { return fmt.Sprintf("bad digit at %d", e.Pos) }

// Unwrap returns strconv.ErrSyntax.
func (e *BadDigit) Unwrap() error { return strconv.ErrSyntax }

// Lookup returns the error named by how, to test the exception classes of
// sentinel errors and error types, wrapped and not.
func Lookup(how string) (string, error) {
	switch how {
	case "missing":
		return "", ErrNotFound
	case "wrapped":
		return "", fmt.Errorf("lookup of %q: %w", how, ErrNotFound)
	case "typed":
		return "", &LookupError{Key: how, Err: ErrDuplicate}
	case "wrapped typed":
		return "", fmt.Errorf("outer: %w", &LookupError{Key: how, Err: ErrNotFound})
	case "joined":
		return "", errors.Join(errors.New("first"), ErrDuplicate, ErrNotFound)
	case "code":
		return "", fmt.Errorf("failed: %w", ErrorCode(7))
	case "digit":
		return "", &BadDigit{Pos: 3}
	case "syntax":
		return "", fmt.Errorf("%w: %w", ErrNotFound, strconv.ErrSyntax)
	case "python":
		return "", &py.Exception{Type: "KeyError", Msg: "mapped", Err: ErrNotFound}
	case "hex":
		_, err := hex.DecodeString("abc")
		return "", err
	case "plain":
		return "", errors.New("plain")
	}
	return how, nil
}
