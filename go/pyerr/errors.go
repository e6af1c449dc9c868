// Package pyerr defines the Go errors that become Python exceptions and the
// rules that map any Go error to one. Module authors use these through
// package py; the bridge and the Go import host use them directly.
package pyerr

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp/syntax"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

// Exception is a Go error that becomes a given Python exception.
type Exception struct {
	// Type names the Python exception: a builtin such as "ValueError", or
	// "gobridge.GoError".
	Type string
	// Msg is the exception's message.
	Msg string
	// Attrs are set as attributes on the exception, such as name and path
	// for ImportError.
	Attrs map[string]any
	// Err is the Go error the exception wraps, if any.
	Err error
	// Stack is a Go stack that Python shows as a note on the exception,
	// such as that of the panic an ImportError stands for.
	Stack string
}

// Error returns the message.
func (e *Exception) Error() string { return e.Msg }

// Unwrap returns the wrapped Go error.
func (e *Exception) Unwrap() error { return e.Err }

func newException(typ, format string, args []any) *Exception {
	return &Exception{Type: typ, Msg: fmt.Sprintf(format, args...)}
}

// ValueError returns an error that Python raises as ValueError.
func ValueError(format string, args ...any) error { return newException("ValueError", format, args) }

// TypeError returns an error that Python raises as TypeError.
func TypeError(format string, args ...any) error { return newException("TypeError", format, args) }

// OverflowError returns an error that Python raises as OverflowError.
func OverflowError(format string, args ...any) error {
	return newException("OverflowError", format, args)
}

// KeyError returns an error that Python raises as KeyError.
func KeyError(format string, args ...any) error { return newException("KeyError", format, args) }

// IndexError returns an error that Python raises as IndexError.
func IndexError(format string, args ...any) error { return newException("IndexError", format, args) }

// RuntimeError returns an error that Python raises as RuntimeError.
func RuntimeError(format string, args ...any) error {
	return newException("RuntimeError", format, args)
}

// ImportError returns an error that Python raises as ImportError with the
// name and path attributes set (an empty path leaves it None).
func ImportError(msg, name, path string) error {
	return importError("ImportError", msg, name, path)
}

// ModuleNotFoundError returns an error that Python raises as
// ModuleNotFoundError with the name attribute set.
func ModuleNotFoundError(msg, name string) error {
	return importError("ModuleNotFoundError", msg, name, "")
}

func importError(typ, msg, name, path string) error {
	attrs := map[string]any{"name": name, "path": nil}
	if path != "" {
		attrs["path"] = path
	}
	return &Exception{Type: typ, Msg: msg, Attrs: attrs}
}

// Panic is a recovered Go panic; Python raises it as gobridge.GoPanic.
type Panic struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the panicking goroutine's stack.
	Stack string
	// Where says what was running, such as "calling strings.to_upper".
	Where string
}

// NewPanic records a value recovered from a panic with the current
// goroutine's stack, from the panicking frame down (see TrimStack). Call it
// in the deferred function that recovered.
func NewPanic(value any, where string) *Panic {
	return &Panic{Value: value, Stack: TrimStack(string(debug.Stack())), Where: where}
}

// Error describes the panic.
func (p *Panic) Error() string {
	if p.Where != "" {
		return fmt.Sprintf("Go panic while %s: %s", p.Where, p.Message())
	}
	return "Go panic: " + p.Message()
}

// Message is what Python shows as the exception's message: the panic
// value's own message.
func (p *Panic) Message() string { return PanicMessage(p.Value) }

// PanicMessage returns the message of a value passed to panic: Error() of
// an error, the string itself, or else its fmt %v form.
func PanicMessage(value any) string {
	switch v := value.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return fmt.Sprint(value)
}

// Unwrap returns the panic value if it is an error, as for a runtime error.
func (p *Panic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// PythonError is an exception raised by Python code that Go called (a
// callback). Python keeps the exception object, and raises it, traceback and
// all, when the Go call that received the callable returns.
type PythonError struct {
	// Type and Msg describe the exception for Go code that inspects it.
	Type, Msg string
}

func (e *PythonError) Error() string { return e.Type + ": " + e.Msg }

// PythonException names the Python exception a Go error becomes:
//   - an *Exception (anywhere in the chain) becomes its Type;
//   - a *Panic becomes gobridge.GoPanic;
//   - fs.ErrNotExist, fs.ErrExist and fs.ErrPermission become
//     FileNotFoundError, FileExistsError and PermissionError;
//   - any other syscall.Errno becomes the OSError subclass Python gives it
//     (EPIPE is BrokenPipeError, ECONNRESET ConnectionResetError...);
//   - strconv range errors become OverflowError;
//   - syntax and parse errors (strconv, regexp, encoding/base64,
//     encoding/hex, encoding/json, time) become ValueError;
//   - context.DeadlineExceeded becomes TimeoutError;
//   - anything else becomes gobridge.GoError.
func PythonException(err error) string {
	var exc *Exception
	var pnc *Panic
	var pyErr *PythonError
	switch {
	case errors.As(err, &pyErr):
		return pyErr.Type
	case errors.As(err, &pnc):
		return "gobridge.GoPanic"
	case errors.As(err, &exc):
		return exc.Type
	case errors.Is(err, fs.ErrNotExist):
		return "FileNotFoundError"
	case errors.Is(err, fs.ErrExist):
		return "FileExistsError"
	case errors.Is(err, fs.ErrPermission):
		return "PermissionError"
	case errors.Is(err, strconv.ErrRange):
		return "OverflowError"
	case errors.As(err, new(syscall.Errno)):
		return errnoException(err)
	case errors.Is(err, context.DeadlineExceeded):
		return "TimeoutError"
	case isParseError(err):
		return "ValueError"
	}
	return "gobridge.GoError"
}

// errnoException names the OSError subclass Python raises for an errno.
func errnoException(err error) string {
	var errno syscall.Errno
	errors.As(err, &errno)
	switch errno {
	case syscall.EPIPE, syscall.ESHUTDOWN:
		return "BrokenPipeError"
	case syscall.ECONNREFUSED:
		return "ConnectionRefusedError"
	case syscall.ECONNRESET:
		return "ConnectionResetError"
	case syscall.ECONNABORTED:
		return "ConnectionAbortedError"
	case syscall.ETIMEDOUT:
		return "TimeoutError"
	case syscall.EINTR:
		return "InterruptedError"
	case syscall.EISDIR:
		return "IsADirectoryError"
	case syscall.ENOTDIR:
		return "NotADirectoryError"
	case syscall.EAGAIN:
		return "BlockingIOError"
	case syscall.ECHILD:
		return "ChildProcessError"
	}
	return "OSError"
}

func isParseError(err error) bool {
	var (
		syntaxErr   *syntax.Error
		jsonSyntax  *json.SyntaxError
		jsonType    *json.UnmarshalTypeError
		b64Corrupt  base64.CorruptInputError
		hexInvalid  hex.InvalidByteError
		timeParse   *time.ParseError
		numberError *strconv.NumError
	)
	return errors.Is(err, strconv.ErrSyntax) || errors.Is(err, hex.ErrLength) ||
		errors.As(err, &syntaxErr) || errors.As(err, &jsonSyntax) || errors.As(err, &jsonType) ||
		errors.As(err, &b64Corrupt) || errors.As(err, &hexInvalid) || errors.As(err, &timeParse) ||
		errors.As(err, &numberError)
}

// ExceptionAttrs returns the attributes to set on the Python exception for
// err: those of an *Exception in its chain, or nil.
//
// An OSError-family exception also gets errno, strerror and filename from
// the *fs.PathError and syscall.Errno in the chain, as Python's own OSError
// has them.
func ExceptionAttrs(err error) map[string]any {
	var exc *Exception
	if errors.As(err, &exc) {
		return exc.Attrs
	}
	var pathErr *fs.PathError
	var errno syscall.Errno
	if !errors.As(err, &pathErr) && !errors.As(err, &errno) &&
		!errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrExist) && !errors.Is(err, fs.ErrPermission) {
		return nil
	}
	attrs := map[string]any{}
	if pathErr != nil {
		attrs["filename"] = pathErr.Path
		attrs["strerror"] = pathErr.Err.Error()
	}
	if !errors.As(err, &errno) {
		// A sentinel such as fs.ErrNotExist carries no errno; give the one
		// Python's own exception of that kind has.
		switch {
		case errors.Is(err, fs.ErrNotExist):
			errno = syscall.ENOENT
		case errors.Is(err, fs.ErrExist):
			errno = syscall.EEXIST
		case errors.Is(err, fs.ErrPermission):
			errno = syscall.EACCES
		}
	}
	if errno != 0 {
		attrs["errno"] = int(errno)
		attrs["strerror"] = errno.Error()
	}
	return attrs
}
