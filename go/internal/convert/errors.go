package convert

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/gobridge/gobridge/pyerr"
)

// ArgError is a conversion failure inside one argument, before the function
// and parameter it belongs to are known. Bind turns it into the Python
// exception.
type ArgError struct {
	// Type is the Python exception: TypeError, OverflowError or ValueError.
	Type string
	// Path locates the failing value inside the argument, such as "[2]['k']",
	// innermost last.
	Path []string
	// Want is what the value had to be, such as "str (Go string)".
	Want string
	// Got is the Python type name of the value received, for TypeError.
	Got string
	// Detail completes OverflowError and ValueError messages.
	Detail string
}

func (e *ArgError) Error() string { return e.message("value") }

func (e *ArgError) message(subject string) string {
	where := subject + strings.Join(e.Path, "")
	switch e.Type {
	case "TypeError":
		return fmt.Sprintf("%s must be %s, not %s", where, e.Want, e.Got)
	case "OverflowError":
		return fmt.Sprintf("%s out of range for %s: %s", where, e.Want, e.Detail)
	}
	return fmt.Sprintf("%s: %s", where, e.Detail)
}

// at prepends a path element as the error unwinds out of a container.
func (e *ArgError) at(elem string) *ArgError {
	e.Path = append([]string{elem}, e.Path...)
	return e
}

// Bind names the function and parameter of an argument conversion error,
// giving the Python exception CPython's argument errors look like:
// "to_upper() argument 's' must be str (Go string), not int".
func Bind(err error, funcName, param string) error {
	if ae, ok := err.(*ArgError); ok {
		subject := fmt.Sprintf("%s() argument '%s'", funcName, param)
		return &pyerr.Exception{Type: ae.Type, Msg: ae.message(subject)}
	}
	return err
}

func typeError(want reflect.Type, got string) *ArgError {
	return &ArgError{Type: "TypeError", Want: Describe(want), Got: got}
}

// abbreviate keeps a huge number readable in a message (and under Python's
// limit on int-to-str conversion).
func abbreviate(digits string) string {
	if len(digits) <= 60 {
		return digits
	}
	return fmt.Sprintf("%s...%s (%d digits)", digits[:20], digits[len(digits)-20:], len(digits))
}

func overflowError(want reflect.Type, detail string) *ArgError {
	detail = abbreviate(detail)
	return &ArgError{Type: "OverflowError", Want: "Go " + GoTypeName(want), Detail: detail}
}

func valueError(detail string) *ArgError {
	return &ArgError{Type: "ValueError", Detail: detail}
}

// PythonType returns the name of the Python type that values of Go type t
// become, as used in messages: a func is just "Callable".
func PythonType(t reflect.Type) string { return pythonType(t, false) }

// Annotation returns the Python annotation of Go type t, as the
// descriptions give it to docstrings and stubs: like PythonType, but a
// func is spelled with its signature, "Callable[[str], bool]".
func Annotation(t reflect.Type) string { return pythonType(t, true) }

func pythonType(t reflect.Type, full bool) string {
	switch t {
	case bigIntType:
		return "int"
	case borrowedType:
		return "bytes-like object"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.Complex64, reflect.Complex128:
		return "complex"
	case reflect.String:
		return "str"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
		return "list[" + pythonType(t.Elem(), full) + "]"
	case reflect.Map:
		return "dict[" + pythonType(t.Key(), full) + ", " + pythonType(t.Elem(), full) + "]"
	case reflect.Pointer:
		if IsObject(t) {
			return t.Elem().Name()
		}
		return pythonType(t.Elem(), full) + " | None"
	case reflect.Struct:
		return t.Name()
	case reflect.Interface:
		return "object"
	case reflect.Func:
		if full {
			return callableAnnotation(t)
		}
		return "Callable"
	}
	return "object"
}

// callableAnnotation spells a func type as the Python callable that stands
// for it: Go passes its parameters to Python, and takes back its results
// but a trailing error (which the callable raises instead): none is None,
// one is itself, several are a tuple.
func callableAnnotation(t reflect.Type) string {
	var b strings.Builder
	b.WriteString("Callable[")
	if t.IsVariadic() {
		b.WriteString("...")
	} else {
		b.WriteString("[")
		for i := 0; i < t.NumIn(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Annotation(t.In(i)))
		}
		b.WriteString("]")
	}
	b.WriteString(", ")
	n := t.NumOut()
	if n > 0 && t.Out(n-1) == errorIface {
		n--
	}
	switch n {
	case 0:
		b.WriteString("None")
	case 1:
		b.WriteString(Annotation(t.Out(0)))
	default:
		b.WriteString("tuple[")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Annotation(t.Out(i)))
		}
		b.WriteString("]")
	}
	b.WriteString("]")
	return b.String()
}

// Describe returns the Python and Go names of a type for messages, such as
// "str (Go string)".
func Describe(t reflect.Type) string {
	if t == anyType {
		return "a value with a Go equivalent (None, bool, int, float, complex, str, bytes, " +
			"list, tuple, set, dict, a Go object or a callable)"
	}
	return fmt.Sprintf("%s (Go %s)", PythonType(t), GoTypeName(t))
}

// GoTypeName spells a Go type as an author wrote it: py.Bytes rather than
// the internal name behind the alias.
func GoTypeName(t reflect.Type) string { return AuthorSpelling(t.String()) }

// AuthorSpelling rewrites internal type names in Go source text to the
// names authors use.
func AuthorSpelling(s string) string {
	return strings.ReplaceAll(s, "convert.BorrowedBytes", "py.Bytes")
}
