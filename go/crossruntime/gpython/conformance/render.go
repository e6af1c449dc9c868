package conformance

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/conformance"
)

// The builtins through which explicit rendering runs the engine's
// IMPORT_FROM and IMPORT_STAR (see Render).
const (
	importFromBuiltin = "_gb_import_from"
	importAttrBuiltin = "_gb_import_attr"
	importStarBuiltin = "_gb_import_star"
)

// Render is Python source for one statement of the vectors' language, as
// tests/conformance/vectorlib.py renders it. With explicit, a from-import
// becomes the two instructions CPython compiles it to, a call of
// __import__ (IMPORT_NAME) and calls of a builtin running the engine's
// IMPORT_FROM; "import a.b as c" becomes __import__ and IMPORT_FROM of each
// component (CPython 3.7+; gpython compiles 3.4's LOAD_ATTR), and
// "from m import *" a call of the engine's IMPORT_STAR.
func Render(s conformance.Stmt, explicit bool) (string, error) {
	if explicit {
		if src, ok := renderExplicit(s); ok {
			return src, nil
		}
	}
	str := func(k string) string { v, _ := s[k].(string); return v }
	switch s["op"] {
	case "set":
		return str("name") + " = " + pylit(s["value"]), nil
	case "del":
		return "del " + str("name"), nil
	case "import":
		src := "import " + str("module")
		if as := str("as"); as != "" {
			src += " as " + as
		}
		return src, nil
	case "from":
		level, _ := s["level"].(int)
		return fmt.Sprintf("from %s%s import %s", strings.Repeat(".", level), str("module"), fromNames(s)), nil
	case "raise":
		args := pylit(s["msg"])
		if n, ok := s["name"]; ok {
			args += ", name=" + pylit(n)
		}
		return fmt.Sprintf("raise %s(%s)", str("type"), args), nil
	case "sysmod_set":
		val := pylit(s["value"])
		if m, ok := s["value"].(map[string]any); ok {
			if ref, ok := m["module"]; ok {
				val = fmt.Sprintf("__import__('sys').modules[%s]", pylit(ref))
			}
		}
		return fmt.Sprintf("__import__('sys').modules[%s] = %s", pylit(s["key"]), val), nil
	case "sysmod_del":
		return fmt.Sprintf("del __import__('sys').modules[%s]", pylit(s["key"])), nil
	case "call":
		level, ok := s["level"]
		if !ok {
			level = 0
		}
		g, hasGlobals := s["globals"]
		if !hasGlobals {
			return fmt.Sprintf("%s = __import__(%s, fromlist=%s, level=%s)", str("bind"), pylit(s["name"]), pylit(s["fromlist"]), pylit(level)), nil
		}
		return fmt.Sprintf("%s = __import__(%s, %s, None, %s, %s)", str("bind"), pylit(s["name"]), globalsLit(g), pylit(s["fromlist"]), pylit(level)), nil
	case "gcd":
		level, ok := s["level"]
		if !ok {
			level = 0
		}
		return fmt.Sprintf("%s = _gcd(%s, %s, %s)", str("bind"), pylit(s["name"]), pylit(s["package"]), pylit(level)), nil
	}
	return "", fmt.Errorf("unknown statement %v", s["op"])
}

func fromNames(s conformance.Stmt) string {
	var parts []string
	for _, p := range s["names"].([]any) {
		pair := p.([]any)
		n := pair[0].(string)
		if as, _ := pair[1].(string); as != "" {
			n += " as " + as
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, ", ")
}

func renderExplicit(s conformance.Stmt) (string, bool) {
	mod, _ := s["module"].(string)
	switch s["op"] {
	case "import":
		as, _ := s["as"].(string)
		if as == "" || !strings.Contains(mod, ".") {
			return "", false
		}
		parts := strings.Split(mod, ".")
		expr := fmt.Sprintf("__import__(%s, globals(), None, None, 0)", pylit(mod))
		for _, part := range parts[1:] {
			expr = fmt.Sprintf("%s(%s, %s)", importAttrBuiltin, expr, pylit(part))
		}
		return as + " = " + expr, true
	case "from":
		level, _ := s["level"].(int)
		var names, lines []string
		for _, p := range s["names"].([]any) {
			names = append(names, p.([]any)[0].(string))
		}
		if len(names) == 1 && names[0] == "*" {
			return fmt.Sprintf("%s(__import__(%s, globals(), None, ('*',), %d), globals())", importStarBuiltin, pylit(mod), level), true
		}
		lines = append(lines, fmt.Sprintf("_gb_m = __import__(%s, globals(), None, %s, %d)", pylit(mod), tupleLit(names), level), "try:")
		for _, p := range s["names"].([]any) {
			pair := p.([]any)
			target, _ := pair[1].(string)
			if target == "" {
				target = pair[0].(string)
			}
			lines = append(lines, fmt.Sprintf("    %s = %s(_gb_m, %s)", target, importFromBuiltin, pylit(pair[0])))
		}
		lines = append(lines, "finally:", "    del _gb_m")
		return strings.Join(lines, "\n"), true
	}
	return "", false
}

func tupleLit(names []string) string {
	var parts []string
	for _, n := range names {
		parts = append(parts, pylit(n))
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pylit is Python source for a JSON value (vectorlib.pylit).
func pylit(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		if x == float64(int64(x)) && x > -1e16 && x < 1e16 {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		if f := new(big.Float).SetFloat64(x); f.IsInt() {
			i, _ := f.Int(nil)
			// An integer JSON literal too large for a Go int.
			return i.String()
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return importlib.Repr(x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, pylit(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			parts = append(parts, importlib.Repr(k)+": "+pylit(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func globalsLit(g any) string {
	switch x := g.(type) {
	case string:
		if x == "here" {
			return "globals()"
		}
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			if spec, ok := x[k].(map[string]any); ok && k == "__spec__" {
				var attrs []string
				for _, a := range sortedKeys(spec) {
					attrs = append(attrs, a+"="+pylit(spec[a]))
				}
				parts = append(parts, importlib.Repr(k)+": _Spec("+strings.Join(attrs, ", ")+")")
				continue
			}
			parts = append(parts, importlib.Repr(k)+": "+pylit(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return pylit(g)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// moduleFile is where a tree's module lives under root.
func moduleFile(root, name string, isPkg bool) string {
	parts := strings.Split(name, ".")
	if isPkg {
		return filepath.Join(append(append([]string{root}, parts...), "__init__.py")...)
	}
	parts[len(parts)-1] += ".py"
	return filepath.Join(append([]string{root}, parts...)...)
}

// WriteTree writes a vector's tree under root as .py files.
func WriteTree(v *conformance.Vector, root string, explicit bool) error {
	for _, name := range sortedKeys(v.Tree) {
		m := v.Tree[name]
		path := moduleFile(root, name, m.Pkg)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		var b strings.Builder
		for _, s := range m.Body {
			src, err := Render(s, explicit)
			if err != nil {
				return err
			}
			b.WriteString(src + "\n")
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
