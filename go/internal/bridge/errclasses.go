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
//
// Building a module only records the declaration: the class is analysed
// (analyse) when an error is first matched against it or Python first
// describes it, so that importing a module costs no error analysis, which
// calls the error's methods and formats with fmt on a path an import
// otherwise never runs.
type errorClass struct {
	module, name string
	doc          string
	sentinel     error
	typ          reflect.Type

	analysed sync.Once
	// base is the exception that errors of the class raise without it
	// (pyerr.PythonException): the class derives from it as well as from
	// gobridge.GoError, so that except clauses for it keep working.
	base string
	// fields are the type's fields that exceptions carry as attributes.
	fields []errorField
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

// newErrorClass records the declaration d of module full.
func newErrorClass(full string, d *py.ErrorClass) *errorClass {
	return &errorClass{module: full, name: d.Name, doc: d.Doc, sentinel: d.Sentinel, typ: d.Type}
}

// analyse works out the class's base exception and fields, once, and
// returns the class.
func (c *errorClass) analyse() *errorClass {
	c.analysed.Do(func() {
		c.base = baseException(c.sample())
		if c.typ != nil {
			c.fields = errorFields(c.typ)
		}
	})
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

// describe returns what Python builds the class from:
// (doc, base exception, Go description, [(field attribute, Python type)]).
func (c *errorClass) describe() []any {
	c.analyse()
	what := fmt.Sprintf("Go error type %s", c.typ)
	if c.sentinel != nil {
		what = fmt.Sprintf("Go error %q (%T)", c.sentinel.Error(), c.sentinel)
	}
	fields := make([]any, len(c.fields))
	for i, f := range c.fields {
		fields[i] = []any{f.name, f.pytype}
	}
	return []any{c.doc, c.base, what, fields}
}

// lookupErrorClass returns the exception class key names ("module:name",
// as error records spell it) in the latest build of its module, or nil.
func lookupErrorClass(key string) *errorClass {
	module, name, _ := strings.Cut(key, ":")
	errorClasses.RLock()
	defer errorClasses.RUnlock()
	for _, c := range errorClasses.byModule[module] {
		if c.name == name {
			return c
		}
	}
	return nil
}

// match reports whether the single error e (not its chain) is one of the
// class's: the sentinel itself or an error whose Is method says so, or a
// value of the type or one whose As method gives one, as errors.Is and
// errors.As decide at each step of a chain. For a type, it also returns the
// value of the type.
func (c *errorClass) match(e error) (reflect.Value, bool) {
	if c.sentinel != nil {
		if t := reflect.TypeOf(c.sentinel); t.Comparable() && reflect.TypeOf(e) == t && e == c.sentinel {
			return reflect.Value{}, true
		}
		is, ok := e.(interface{ Is(error) bool })
		return reflect.Value{}, ok && is.Is(c.sentinel)
	}
	if reflect.TypeOf(e) == c.typ {
		return reflect.ValueOf(e), true
	}
	if as, ok := e.(interface{ As(any) bool }); ok {
		target := reflect.New(c.typ)
		if as.As(target.Interface()) {
			return target.Elem(), true
		}
	}
	return reflect.Value{}, false
}

// errorMatch is a class an error matched, with the error as a value of the
// class's type (invalid for a sentinel), whose fields the exception gets.
type errorMatch struct {
	class *errorClass
	value reflect.Value
}

// moduleError returns the exception classes that err raises, if any.
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
func moduleError(err error, typ string) (matches []errorMatch) {
	errorClasses.RLock()
	all := errorClasses.all
	errorClasses.RUnlock()
	if len(all) == 0 || typ == "gobridge.GoPanic" {
		return nil
	}
	defer func() {
		// An Is, As or Unwrap method that panics leaves the error to its
		// Python mapping rather than failing the error report.
		if recover() != nil {
			matches = nil
		}
	}()
	// matching returns the classes e itself matches, one per module.
	matching := func(e error) []errorMatch {
		var found []errorMatch
		module := ""
		for _, c := range all {
			if c.module == module || c.analyse().base != typ && typ != "gobridge.GoError" {
				continue
			}
			if v, ok := c.match(e); ok {
				module = c.module
				found = append(found, errorMatch{c, v})
			}
		}
		return found
	}
	var walk func(e error) []errorMatch
	walk = func(e error) []errorMatch {
		for e != nil {
			if found := matching(e); found != nil {
				return found
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					if found := walk(inner); found != nil {
						return found
					}
				}
				return nil
			default:
				return nil
			}
		}
		return nil
	}
	return walk(err)
}

// recordClasses spells matched classes for the error record: "module:name"
// joined by commas, or "" for none.
func recordClasses(matches []errorMatch) string {
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.class.module + ":" + m.class.name
	}
	return strings.Join(names, ",")
}

// matchAttrs adds to attrs (which it does not modify) the fields of the
// matched error types, as the exception's attributes; an attribute attrs
// already has keeps its value.
func matchAttrs(attrs map[string]any, matches []errorMatch) map[string]any {
	var merged map[string]any
	for _, m := range matches {
		v := m.value
		if !v.IsValid() || len(m.class.fields) == 0 {
			continue
		}
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		for _, f := range m.class.fields {
			if _, taken := attrs[f.name]; taken {
				continue
			}
			if _, taken := merged[f.name]; taken {
				continue
			}
			if merged == nil {
				merged = make(map[string]any, len(attrs)+len(m.class.fields))
				for k, a := range attrs {
					merged[k] = a
				}
			}
			merged[f.name] = fieldValue(v.Field(f.index))
		}
	}
	if merged == nil {
		return attrs
	}
	return merged
}

// errorField is an exported field of an error type that the exception
// carries as an attribute: a bool, integer, float or string.
type errorField struct {
	name   string // Python name: the field's snake_case
	index  int
	pytype string
}

// reservedAttrs are attributes of Python's exceptions and gobridge's that a
// field does not replace.
var reservedAttrs = map[string]bool{"args": true, "go_type": true, "go_stack": true, "with_traceback": true, "add_note": true}

// errorFields returns the fields of error type t (a struct or a pointer to
// one) that become attributes of its exceptions.
func errorFields(t reflect.Type) []errorField {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var fields []errorField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := py.SnakeCase(f.Name)
		if !f.IsExported() || f.Anonymous || reservedAttrs[name] || py.CheckName(name) != nil {
			continue
		}
		var pytype string
		switch f.Type.Kind() {
		case reflect.Bool:
			pytype = "bool"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			pytype = "int"
		case reflect.Float32, reflect.Float64:
			pytype = "float"
		case reflect.String:
			pytype = "str"
		default:
			continue
		}
		fields = append(fields, errorField{name: name, index: i, pytype: pytype})
	}
	return fields
}

// fieldValue is a field's value as the basic Go type of its kind.
func fieldValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return v.String()
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
