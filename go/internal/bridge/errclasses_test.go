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

// fieldsErr has fields of every kind an exception carries, and some it
// does not.
type fieldsErr struct {
	Line    int
	Column  uint8
	Ratio   float32
	Fatal   bool
	Source  string
	Args    string // the exception's own args: not replaced
	Cause   error  // not a basic kind
	private int
}

func (e fieldsErr) Error() string { return "fields" }

// asFields gives a fieldsErr through its As method.
type asFields struct{}

func (asFields) Error() string { return "as fields" }
func (asFields) As(target any) bool {
	if p, ok := target.(*fieldsErr); ok {
		*p = fieldsErr{Line: 9}
		return true
	}
	return false
}

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
			if got := recordClasses(moduleError(tt.err, baseException(tt.err))); got != tt.want {
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
			if got := newErrorClass("gomod.x", tt.decl).analyse().base; got != tt.want {
				t.Errorf("base = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatchAttrs(t *testing.T) {
	m := py.NewModule("gomod.fields", nil)
	m.ErrorType("Fields", fieldsErr{})
	m.ErrorType("Typed", (*typedErr)(nil))
	declareErrors("gomod.fields", errorClassesOf("gomod.fields", m))
	t.Cleanup(func() { declareErrors("gomod.fields", nil) })
	all := map[string]any{"line": int64(3), "column": uint64(4), "ratio": float64(float32(0.5)), "fatal": true, "source": "s"}
	tests := []struct {
		name  string
		err   error
		attrs map[string]any
		want  map[string]any
	}{
		{"every basic kind", fieldsErr{Line: 3, Column: 4, Ratio: 0.5, Fatal: true, Source: "s", Args: "no", private: 1}, nil, all},
		{"wrapped", fmt.Errorf("w: %w", fieldsErr{Line: 3, Column: 4, Ratio: 0.5, Fatal: true, Source: "s"}), nil, all},
		{"attrs already set win", fieldsErr{Line: 3}, map[string]any{"line": "kept"},
			map[string]any{"line": "kept", "column": uint64(0), "ratio": float64(0), "fatal": false, "source": ""}},
		{"As method", asFields{}, nil, map[string]any{"line": int64(9), "column": uint64(0), "ratio": float64(0), "fatal": false, "source": ""}},
		{"no basic fields", &typedErr{errors.New("x")}, nil, nil},
		{"no match", errors.New("x"), map[string]any{"errno": 2}, map[string]any{"errno": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := matchAttrs(tt.attrs, moduleError(tt.err, "gobridge.GoError"))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("matchAttrs = %#v, want %#v", got, tt.want)
			}
		})
	}
}
