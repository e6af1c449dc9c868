package importlib

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/gobridge/gobridge/pyerr"
)

// The messages CPython's import raises. Each is spelled as in
// Python/import.c, Python/ceval.c or Lib/importlib/_bootstrap.py; the
// catalogue in docs/importlib.md says which vector covers which.
const (
	msgEmptyName          = "Empty module name"
	msgLevelNegative      = "level must be >= 0"
	msgNoParent           = "attempted relative import with no known parent package"
	msgBeyondTop          = "attempted relative import beyond top-level package"
	msgNameNotStrC        = "module name must be a string"
	msgGlobalsNotDict     = "globals must be a dict"
	msgNameNotInGlobals   = "'__name__' not in globals"
	msgPackageNotStrC     = "package must be a string"
	msgSpecParentNotStr   = "__spec__.parent must be a string"
	msgDunderNameNotStr   = "__name__ must be a string"
	msgPackageNotStrPy    = "__package__ not set to a string"
	msgPackageMismatchC   = "__package__ != __spec__.parent"
	msgCannotResolvePkg   = "can't resolve package from __spec__ or __package__, falling back on __name__ and __path__"
	msgUnknownModuleName  = "<unknown module name>"
	categoryImportWarning = "ImportWarning"
	// categoryDeprecationWarning replaced ImportWarning for
	// "__package__ != __spec__.parent" in 3.12.
	categoryDeprecationWarning = "DeprecationWarning"
)

// pyRepr is repr() of a str: single quotes unless the text holds a single
// quote and no double quote, with Python's escapes.
func pyRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r > 0x7f:
			if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// Repr returns Python's repr of a str, as the engine's messages use it.
func Repr(s string) string { return pyRepr(s) }

// TypeName returns the Python type name of a value as the engine sees it:
// Go's basic types map to Python's, a Typed value names itself, nil is
// NoneType.
func TypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case Typed:
		return x.PythonType()
	case string:
		return "str"
	case bool:
		return "bool"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "int"
	case float32, float64:
		return "float"
	case []byte:
		return "bytes"
	case []any, []string:
		return "list"
	case map[string]any, Dict:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// IsAttributeError reports whether err is a Python AttributeError.
func IsAttributeError(err error) bool { return isType(err, "AttributeError") }

// IsModuleNotFound reports whether err is a ModuleNotFoundError and
// returns its name attribute.
func isModuleNotFound(err error) (name any, ok bool) {
	var exc *pyerr.Exception
	if errors.As(err, &exc) && exc.Type == "ModuleNotFoundError" {
		return exc.Attrs["name"], true
	}
	return nil, false
}

func isType(err error, typ string) bool {
	var exc *pyerr.Exception
	return errors.As(err, &exc) && exc.Type == typ
}

// AttributeError returns an AttributeError with Python 3.11's name
// attribute set. Hosts use it for their getattr misses.
func AttributeError(msg, name string, obj any) error {
	return &pyerr.Exception{Type: "AttributeError", Msg: msg, Attrs: map[string]any{"name": name, "obj": obj}}
}

func moduleNotFound(msg, name string) error { return pyerr.ModuleNotFoundError(msg, name) }

func noModuleNamed(name string) error {
	return moduleNotFound("No module named "+pyRepr(name), name)
}

// importError builds an ImportError whose name and path may be None (nil).
func importError(msg string, name, path any) error {
	return &pyerr.Exception{Type: "ImportError", Msg: msg, Attrs: map[string]any{"name": name, "path": path}}
}

func plainImportError(msg string) error { return importError(msg, nil, nil) }
