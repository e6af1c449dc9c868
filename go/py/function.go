package py

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"

	"github.com/gobridge/gobridge/internal/convert"
)

// Param is one parameter of a wrapped function.
type Param struct {
	// Name is the Python parameter name.
	Name string
	// Type is the Go parameter type.
	Type reflect.Type
	// Nilable reports that the parameter, a func, takes None as a nil func
	// (see Nilable).
	Nilable bool
	// Default is the value a call that leaves the argument out passes,
	// when HasDefault is set (see Default).
	Default any
	// HasDefault reports that the parameter has a default.
	HasDefault bool
}

// Function is a Go function wrapped for Python.
type Function struct {
	// Name is the Python name.
	Name string
	// GoName is the Go function's qualified name, such as strings.ToUpper.
	GoName string
	// Doc is the docstring.
	Doc string
	// Params are the parameters Python passes; a leading context.Context is
	// not among them.
	Params []Param
	// Variadic reports whether the last parameter collects extra arguments.
	Variadic bool
	// Results are the Go result types, without a trailing error.
	Results []reflect.Type
	// ReturnsError reports whether the Go function's last result is an error.
	ReturnsError bool
	// TakesContext reports whether the Go function's first parameter is a
	// context.Context, which gobridge cancels when the Python call is
	// interrupted or times out.
	TakesContext bool
	// Value is the Go function.
	Value reflect.Value
	// Receiver reports whether Value is a method expression whose first
	// parameter, self, is the receiver.
	Receiver bool
	// Short reports that the function returns quickly and never blocks, so
	// that it is called with the GIL held (see Short).
	Short bool
	// Panics are the panics that are argument errors (see PanicAs).
	Panics []PanicRule
	// Positions say which integers are positions within string parameters,
	// counted in code points on the Python side (see Positions).
	Positions []PositionSpec

	positionDecls []positionDecl
	// nilable are the Python names given to Nilable, resolved once every
	// option has named the parameters.
	nilable []string
	// defaults are the Default options, resolved like nilable.
	defaults []defaultDecl
}

// A FuncOption adjusts how Func wraps a function.
type FuncOption func(*Function)

// Name sets the Python name, instead of the snake_case of the Go name.
func Name(name string) FuncOption { return func(f *Function) { f.Name = name } }

// Doc sets the docstring.
func Doc(doc string) FuncOption { return func(f *Function) { f.Doc = doc } }

// Short declares that the function returns quickly and never blocks: it
// is called with the GIL held, as a C extension calls a function that
// cannot block, which saves releasing and taking the GIL around a call of
// a few nanoseconds. Every other function is called with the GIL released.
// A short function must not wait on anything (I/O, locks, channels,
// sleeps) and must not call back into Python: while it runs, no other
// Python thread can. The generator sets it from a //gobridge:short line in
// the function's doc comment.
func Short() FuncOption { return func(f *Function) { f.Short = true } }

// Params names the parameters, in order; reflection cannot see Go
// parameter names, so without it they are arg0, arg1 and so on. The
// generator (python -m gobridge gen) writes this option from the source.
func Params(names ...string) FuncOption {
	return func(f *Function) {
		first := 0
		if f.Receiver {
			first = 1
		}
		for i, name := range names {
			if first+i < len(f.Params) {
				f.Params[first+i].Name = ParamName(name)
			}
		}
	}
}

var (
	errorType   = reflect.TypeOf((*error)(nil)).Elem()
	contextType = reflect.TypeOf((*context.Context)(nil)).Elem()
)

// NewFunction wraps fn, a Go function whose parameter and result types
// gobridge can convert. The error names the function and the reason.
func NewFunction(fn any, opts ...FuncOption) (*Function, error) {
	return newFunction(fn, false, opts)
}

// NewMethod wraps a method expression such as (*regexp.Regexp).FindString:
// its first parameter is the receiver, named self, and Params names the
// parameters after it.
func NewMethod(fn any, opts ...FuncOption) (*Function, error) {
	return newFunction(fn, true, opts)
}

func newFunction(fn any, receiver bool, opts []FuncOption) (*Function, error) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return nil, fmt.Errorf("gobridge: cannot wrap %T: not a function", fn)
	}
	base, err := analyse(v, receiver)
	if err != nil {
		return nil, err
	}
	f := *base
	f.Value = v
	f.Params = append([]Param(nil), base.Params...)
	for _, opt := range opts {
		opt(&f)
	}
	if err := f.resolveNilable(); err != nil {
		return nil, err
	}
	if err := f.resolveDefaults(); err != nil {
		return nil, err
	}
	if err := CheckName(f.Name); err != nil {
		return nil, fmt.Errorf("gobridge: cannot wrap %s: %w", f.GoName, err)
	}
	if err := checkPanicRules(&f); err != nil {
		return nil, err
	}
	documentPanics(&f)
	for i, p := range f.Params {
		if err := CheckName(p.Name); err != nil {
			return nil, fmt.Errorf("gobridge: cannot wrap %s: invalid parameter name %q", f.GoName, p.Name)
		}
		for _, q := range f.Params[:i] {
			if q.Name == p.Name {
				return nil, fmt.Errorf("gobridge: cannot wrap %s: repeated parameter name %q", f.GoName, p.Name)
			}
		}
	}
	if err := resolvePositions(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

type analysisKey struct {
	pc       uintptr
	typ      reflect.Type
	receiver bool
}

// analyses caches what reflection says about a function: modules are built
// again on every import and reload, and the answer never changes.
var analyses sync.Map // analysisKey -> *Function

// analyse inspects a function's signature: its Go name, default Python
// name, parameters with default names, results and whether they can cross.
func analyse(v reflect.Value, receiver bool) (*Function, error) {
	t := v.Type()
	key := analysisKey{v.Pointer(), t, receiver}
	if cached, ok := analyses.Load(key); ok {
		return cached.(*Function), nil
	}
	f := &Function{GoName: goFuncName(v), Variadic: t.IsVariadic(), Receiver: receiver}
	f.Name = SnakeCase(shortName(f.GoName))
	first := 0
	if receiver && t.NumIn() == 0 {
		return nil, fmt.Errorf("gobridge: cannot wrap %s as a method: it has no receiver", f.GoName)
	}
	if !receiver && t.NumIn() > 0 && t.In(0) == contextType {
		f.TakesContext = true
		first = 1
	}
	for i := first; i < t.NumIn(); i++ {
		pt := t.In(i)
		checkType := pt
		if f.Variadic && i == t.NumIn()-1 {
			checkType = pt.Elem()
		}
		if err := convert.CheckParam(checkType); err != nil {
			return nil, fmt.Errorf("gobridge: cannot wrap %s: parameter %d (%s): %w", f.GoName, i-first, pt, err)
		}
		name := fmt.Sprintf("arg%d", i-first)
		if receiver {
			name = "self"
			if i > 0 {
				name = fmt.Sprintf("arg%d", i-1)
			}
		}
		f.Params = append(f.Params, Param{Name: name, Type: pt})
	}
	for i := 0; i < t.NumOut(); i++ {
		rt := t.Out(i)
		if rt == errorType && i == t.NumOut()-1 {
			f.ReturnsError = true
			break
		}
		if err := convert.CheckResult(rt); err != nil {
			return nil, fmt.Errorf("gobridge: cannot wrap %s: result %d (%s): %w", f.GoName, i, rt, err)
		}
		f.Results = append(f.Results, rt)
	}
	analyses.Store(key, f)
	return f, nil
}

// CheckName reports whether name can be a Python attribute or parameter
// name.
func CheckName(name string) error {
	if name == "" || pythonKeywords[name] || !isIdentifier(name) {
		return fmt.Errorf("%q is not a valid Python name", name)
	}
	return nil
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r > 0x7f || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// goFuncName returns the package-qualified name of a function value, such
// as "strings.ToUpper" or "math/bits.OnesCount64".
func goFuncName(v reflect.Value) string {
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return "func"
	}
	return fn.Name()
}

// shortName returns the last element of a qualified function name:
// "ToUpper" for "strings.ToUpper", "func1" for a closure.
func shortName(goName string) string {
	name := goName[strings.LastIndexByte(goName, '/')+1:]
	name = strings.TrimSuffix(name, "-fm")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
