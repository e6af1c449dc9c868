package bridge

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// errorClass is an exception class a module declared with Module.Error or
// Module.ErrorType, as the bridge matches errors against it.
type errorClass struct {
	module, name string
	// base is the exception that errors of the class raise without it
	// (pyerr.PythonException): the class derives from it as well as from
	// gobridge.GoError, so that except clauses for it keep working.
	base     string
	sentinel error
	typ      reflect.Type
}

// errorClasses holds the exception classes of every module built so far,
// by module name (a module built again replaces its own), and all of them
// in matching order: by module name, then in declaration order.
var errorClasses struct {
	sync.RWMutex
	byModule map[string][]*errorClass
	all      []*errorClass
}

// declareErrors records the exception classes of the module full, replacing
// those of an earlier build of it.
func declareErrors(full string, classes []*errorClass) {
	errorClasses.Lock()
	defer errorClasses.Unlock()
	if errorClasses.byModule == nil {
		errorClasses.byModule = map[string][]*errorClass{}
	}
	if _, had := errorClasses.byModule[full]; !had && len(classes) == 0 {
		return
	}
	if len(classes) == 0 {
		delete(errorClasses.byModule, full)
	} else {
		errorClasses.byModule[full] = classes
	}
	modules := make([]string, 0, len(errorClasses.byModule))
	for m := range errorClasses.byModule {
		modules = append(modules, m)
	}
	sort.Strings(modules)
	var all []*errorClass
	for _, m := range modules {
		all = append(all, errorClasses.byModule[m]...)
	}
	errorClasses.all = all
}

// newErrorClass describes the declaration d of module full.
func newErrorClass(full string, d *py.ErrorClass) *errorClass {
	c := &errorClass{module: full, name: d.Name, sentinel: d.Sentinel, typ: d.Type}
	c.base = baseException(c.sample())
	return c
}

// sample returns an error the class matches: the sentinel, or a zero value
// of the type (pointing to a zero value for a pointer type).
func (c *errorClass) sample() error {
	if c.sentinel != nil {
		return c.sentinel
	}
	if c.typ.Kind() == reflect.Pointer {
		return reflect.New(c.typ.Elem()).Interface().(error)
	}
	return reflect.Zero(c.typ).Interface().(error)
}

// baseException is pyerr.PythonException of a class's sample. A zero value
// whose Unwrap or Is method panics has no more specific exception.
func baseException(err error) (name string) {
	defer func() {
		if recover() != nil {
			name = "gobridge.GoError"
		}
	}()
	return pyerr.PythonException(err)
}

// describe returns the attribute payload Python builds the class from:
// (doc, base exception, Go description).
func (c *errorClass) describe(doc string) []any {
	what := fmt.Sprintf("Go error type %s", c.typ)
	if c.sentinel != nil {
		what = fmt.Sprintf("Go error %q (%T)", c.sentinel.Error(), c.sentinel)
	}
	return []any{doc, c.base, what}
}

// matches reports whether the single error e (not its chain) is one of the
// class's: the sentinel itself or an error whose Is method says so, or a
// value of the type or one whose As method gives one, as errors.Is and
// errors.As decide at each step of a chain.
func (c *errorClass) matches(e error) bool {
	if c.sentinel != nil {
		if t := reflect.TypeOf(c.sentinel); t.Comparable() && reflect.TypeOf(e) == t && e == c.sentinel {
			return true
		}
		is, ok := e.(interface{ Is(error) bool })
		return ok && is.Is(c.sentinel)
	}
	if reflect.TypeOf(e) == c.typ {
		return true
	}
	as, ok := e.(interface{ As(any) bool })
	return ok && as.As(reflect.New(c.typ).Interface())
}

// moduleError returns the exception classes that err raises, as
// "module:name" joined by commas, or "" when none does.
//
// The outermost error in err's chain (walked as errors.Is walks it, depth
// first) that matches a class decides. Of the classes it matches, each
// module contributes the first it declared, and the modules come in name
// order: Python raises an exception that is an instance of every one of
// them its interpreter has imported, so that a Go error two modules
// declare is caught by the except clauses of both.
//
// A class whose base is not the exception err raises without it (typ) is
// passed over: a module class never takes an error away from the except
// clauses of its Python mapping, and panics stay gobridge.GoPanic.
func moduleError(err error, typ string) (classes string) {
	errorClasses.RLock()
	all := errorClasses.all
	errorClasses.RUnlock()
	if len(all) == 0 || typ == "gobridge.GoPanic" {
		return ""
	}
	defer func() {
		// An Is, As or Unwrap method that panics leaves the error to its
		// Python mapping rather than failing the error report.
		if recover() != nil {
			classes = ""
		}
	}()
	// matching returns the classes e itself matches, one per module.
	matching := func(e error) string {
		var names []string
		module := ""
		for _, c := range all {
			if c.module != module && (c.base == typ || typ == "gobridge.GoError") && c.matches(e) {
				module = c.module
				names = append(names, c.module+":"+c.name)
			}
		}
		return strings.Join(names, ",")
	}
	var walk func(e error) string
	walk = func(e error) string {
		for e != nil {
			if found := matching(e); found != "" {
				return found
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					if found := walk(inner); found != "" {
						return found
					}
				}
				return ""
			default:
				return ""
			}
		}
		return ""
	}
	return walk(err)
}

// errorClassesOf returns the exception classes module m declares, in
// declaration order.
func errorClassesOf(full string, m *py.Module) []*errorClass {
	var classes []*errorClass
	for _, name := range m.Names() {
		v, _ := m.Get(name)
		if d, ok := v.(*py.ErrorClass); ok {
			classes = append(classes, newErrorClass(full, d))
		}
	}
	return classes
}
