package py

import (
	"strings"
	"unicode"
)

// SnakeCase converts a Go exported name to the Python name gobridge gives
// it: ToUpper becomes to_upper, Sum256 sum256, OnesCount64 ones_count64 and
// HTTPServer http_server.
func SnakeCase(name string) string {
	runes := []rune(name)
	var b strings.Builder
	b.Grow(len(name) + 4)
	for i, r := range runes {
		if unicode.IsUpper(r) {
			if i > 0 {
				prev := runes[i-1]
				nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1]) && !isPluralS(runes, i+1)
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPluralS reports whether runes[i] is the s of an initialism's plural,
// as in URLs or IDs, which stays attached to the initialism.
func isPluralS(runes []rune, i int) bool {
	return runes[i] == 's' && (i+1 == len(runes) || !unicode.IsLower(runes[i+1]))
}

// pythonKeywords are the names a parameter cannot have in Python; gobridge
// appends an underscore to them.
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
	"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
	"is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
	"raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// ParamName returns the Python spelling of a Go parameter name.
func ParamName(name string) string {
	if pythonKeywords[name] {
		return name + "_"
	}
	return name
}
