package bridge

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"testing"

	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

var (
	errFirst  = errors.New("first")
	errSecond = errors.New("second")
	// errTyped is a sentinel of an error type that has a class of its own.
	errTyped = &typedErr{errors.New("sentinel")}
)

type typedErr struct{ cause error }

func (e *typedErr) Error() string { return "typed: " + e.cause.Error() }
func (e *typedErr) Unwrap() error { return e.cause }

type codeErr int

func (c codeErr) Error() string { return "code " + strconv.Itoa(int(c)) }

// aliasErr says it is errSecond through an Is method.
type aliasErr struct{}

func (aliasErr) Error() string        { return "alias" }
func (aliasErr) Is(target error) bool { return target == errSecond }

// panicky's Unwrap panics.
type panicky struct{}

func (panicky) Error() string { return "panicky" }
func (panicky) Unwrap() error { panic("Unwrap panicked") }

func TestModuleError(t *testing.T) {
	m := py.NewModule("gomod.errtest", nil)
	m.Error("ErrFirst", errFirst)
	m.ErrorType("Typed", (*typedErr)(nil))
	m.ErrorType("Code", codeErr(0))
	m.Error("ErrTyped", errTyped)
	m.Error("ErrSecond", errSecond)
	m.Error("ErrNotExist", fs.ErrNotExist)
	other := py.NewModule("gomod.aaa", nil)
	other.Error("ErrSecondToo", errSecond)
	declareErrors("gomod.errtest", errorClassesOf("gomod.errtest", m))
	declareErrors("gomod.aaa", errorClassesOf("gomod.aaa", other))
	t.Cleanup(func() {
		declareErrors("gomod.errtest", nil)
		declareErrors("gomod.aaa", nil)
	})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"sentinel", errFirst, "gomod.errtest:ErrFirst"},
		{"wrapped sentinel", fmt.Errorf("ctx: %w", errFirst), "gomod.errtest:ErrFirst"},
		{"pointer type", &typedErr{errors.New("x")}, "gomod.errtest:Typed"},
		{"outermost decides", &typedErr{errFirst}, "gomod.errtest:Typed"},
		{"outermost decides, inverted", fmt.Errorf("%w: %w", errFirst, &typedErr{errors.New("x")}), "gomod.errtest:ErrFirst"},
		{"value type", fmt.Errorf("x: %w", codeErr(3)), "gomod.errtest:Code"},
		{"Is method", aliasErr{}, "gomod.aaa:ErrSecondToo,gomod.errtest:ErrSecond"},
		{"one class per module, in module name order", errSecond, "gomod.aaa:ErrSecondToo,gomod.errtest:ErrSecond"},
		{"first declared of a module", errTyped, "gomod.errtest:Typed"},
		{"joined", errors.Join(errors.New("x"), codeErr(1), errFirst), "gomod.errtest:Code"},
		{"builtin base", fmt.Errorf("open: %w", fs.ErrNotExist), "gomod.errtest:ErrNotExist"},
		{"other builtin mapping", fmt.Errorf("%w: %w", errFirst, strconv.ErrSyntax), ""},
		{"py.Exception", &pyerr.Exception{Type: "KeyError", Msg: "k", Err: errFirst}, ""},
		{"panic", pyerr.NewPanic(errFirst, "testing"), ""},
		{"no match", errors.New("first"), ""},
		{"Unwrap panics", panicky{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := moduleError(tt.err, baseException(tt.err)); got != tt.want {
				t.Errorf("moduleError(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorClassBase(t *testing.T) {
	tests := []struct {
		name string
		decl *py.ErrorClass
		want string
	}{
		{"plain sentinel", &py.ErrorClass{Name: "E", Sentinel: errFirst}, "gobridge.GoError"},
		{"fs sentinel", &py.ErrorClass{Name: "E", Sentinel: fs.ErrNotExist}, "FileNotFoundError"},
		{"parse error type", &py.ErrorClass{Name: "E", Type: reflect.TypeOf((*strconv.NumError)(nil))}, "ValueError"},
		{"value type", &py.ErrorClass{Name: "E", Type: reflect.TypeOf(codeErr(0))}, "gobridge.GoError"},
		{"Unwrap panics", &py.ErrorClass{Name: "E", Type: reflect.TypeOf(panicky{})}, "gobridge.GoError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newErrorClass("gomod.x", tt.decl).base; got != tt.want {
				t.Errorf("base = %q, want %q", got, tt.want)
			}
		})
	}
}
