package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"
)

// defaultDirective is the doc comment line that gives parameters default
// values: //gobridge:default name=value ..., each value a constant
// expression of the package (a literal, a constant's name, or nil).
const defaultDirective = "//gobridge:default"

// defaultItem is one py.Default option: a Python parameter name and the Go
// expression of its value, typed as the parameter's underlying type.
type defaultItem struct {
	param string
	expr  string
}

// defaults reads the //gobridge:default lines of a function's doc comment
// and checks each value against its parameter's type and Python's rule
// that defaults are trailing; what names the function in errors.
func (b *builder) defaults(decl *ast.FuncDecl, sig *types.Signature, params []string, nilable []string, what string) []defaultItem {
	if decl == nil || decl.Doc == nil {
		return nil
	}
	first := 0
	if takesContext(sig) {
		first = 1
	}
	byParam := map[int]defaultItem{}
	for _, c := range decl.Doc.List {
		rest, ok := strings.CutPrefix(c.Text, defaultDirective)
		if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		entries, err := splitDefaults(rest)
		if err == nil && len(entries) == 0 {
			err = fmt.Errorf("wants name=value")
		}
		if err != nil {
			b.errs = append(b.errs, fmt.Errorf("%s: %s%s: %v", what, defaultDirective, rest, err))
			continue
		}
		for _, e := range entries {
			i := indexOfParam(params, e[0])
			if i < 0 {
				b.errs = append(b.errs, fmt.Errorf("%s: %s %s=%s: no parameter %s", what, defaultDirective, e[0], e[1], e[0]))
				continue
			}
			if _, dup := byParam[i]; dup {
				b.errs = append(b.errs, fmt.Errorf("%s: %s: parameter %s has two defaults", what, defaultDirective, e[0]))
				continue
			}
			if sig.Variadic() && i == len(params)-1 {
				b.errs = append(b.errs, fmt.Errorf("%s: %s %s=%s: a variadic parameter cannot have a default", what, defaultDirective, e[0], e[1]))
				continue
			}
			expr, err := b.defaultExpr(e[1], sig.Params().At(first+i).Type(), contains(nilable, e[0]))
			if err != nil {
				b.errs = append(b.errs, fmt.Errorf("%s: %s %s=%s: %v", what, defaultDirective, e[0], e[1], err))
				continue
			}
			byParam[i] = defaultItem{param: e[0], expr: expr}
		}
	}
	if len(byParam) == 0 {
		return nil
	}
	var items []defaultItem
	last := len(params)
	if sig.Variadic() {
		last--
	}
	for i := 0; i < last; i++ {
		d, ok := byParam[i]
		if ok {
			items = append(items, d)
		} else if len(items) > 0 {
			b.errs = append(b.errs, fmt.Errorf("%s: %s: parameter %s has no default but follows %s, which has one", what, defaultDirective, params[i], items[len(items)-1].param))
			return nil
		}
	}
	return items
}

func indexOfParam(params []string, name string) int {
	for i, p := range params {
		if p == name {
			return i
		}
	}
	return -1
}

// splitDefaults splits "a=1 sep=", " b=x" into name, value pairs: a value
// is a quoted string or runs to the next space.
func splitDefaults(s string) ([][2]string, error) {
	var out [][2]string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out, nil
		}
		name, rest, ok := strings.Cut(s, "=")
		if !ok || name == "" || strings.ContainsFunc(name, unicode.IsSpace) {
			return nil, fmt.Errorf("%q is not name=value", strings.Fields(s)[0])
		}
		var value string
		if rest != "" && (rest[0] == '"' || rest[0] == '`' || rest[0] == '\'') {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("%s: unterminated quoted value", name)
			}
			value, s = q, rest[len(q):]
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			value, s = rest[:end], rest[end:]
		}
		if value == "" {
			return nil, fmt.Errorf("%s: empty value", name)
		}
		out = append(out, [2]string{name, value})
	}
}

// defaultExpr evaluates a default's Go expression in the package and spells
// its value as a typed literal of the parameter's underlying basic type
// (nil for a pointer, an interface, or a nil-able func).
func (b *builder) defaultExpr(src string, param types.Type, nilable bool) (string, error) {
	tv, err := types.Eval(token.NewFileSet(), b.src.types, token.NoPos, src)
	if err != nil {
		return "", evalError(err)
	}
	under := param.Underlying()
	if tv.IsNil() {
		switch u := under.(type) {
		case *types.Pointer:
			return "nil", nil
		case *types.Interface:
			if u.Empty() {
				return "nil", nil
			}
		case *types.Signature:
			if nilable {
				return "nil", nil
			}
			return "", fmt.Errorf("a nil func default needs the parameter to be nil-able (//gobridge:nilable)")
		}
		return "", fmt.Errorf("nil is not a value of %s", param)
	}
	if tv.Value == nil {
		return "", fmt.Errorf("not a constant")
	}
	basic, ok := under.(*types.Basic)
	if !ok {
		return "", fmt.Errorf("parameter of type %s cannot have a default (only numbers, strings, bools and nil)", param)
	}
	v := tv.Value
	kindOK := false
	info := basic.Info()
	switch {
	case info&types.IsBoolean != 0:
		kindOK = v.Kind() == constant.Bool
	case info&types.IsString != 0:
		kindOK = v.Kind() == constant.String
	case info&types.IsInteger != 0:
		kindOK = v.Kind() == constant.Int || v.Kind() == constant.Float && constant.ToInt(v).Kind() == constant.Int
		v = constant.ToInt(v)
	case info&types.IsFloat != 0:
		kindOK = v.Kind() == constant.Int || v.Kind() == constant.Float
	case info&types.IsComplex != 0:
		kindOK = v.Kind() == constant.Int || v.Kind() == constant.Float || v.Kind() == constant.Complex
	}
	if !kindOK {
		return "", fmt.Errorf("%s is not a value of %s", tv.Value, param)
	}
	// The conversion to the basic type checks the range, as the compiler
	// would in the generated file.
	expr := basic.Name() + "(" + v.ExactString() + ")"
	switch v.Kind() {
	case constant.String:
		expr = strconv.Quote(constant.StringVal(v))
	case constant.Bool:
		expr = v.String()
	case constant.Float:
		f, _ := constant.Float64Val(v)
		expr = basic.Name() + "(" + strconv.FormatFloat(f, 'g', -1, 64) + ")"
	case constant.Complex:
		re, _ := constant.Float64Val(constant.Real(v))
		im, _ := constant.Float64Val(constant.Imag(v))
		expr = fmt.Sprintf("%s(complex(%s, %s))", basic.Name(), strconv.FormatFloat(re, 'g', -1, 64), strconv.FormatFloat(im, 'g', -1, 64))
	}
	if _, err := types.Eval(token.NewFileSet(), b.src.types, token.NoPos, expr); err != nil {
		return "", evalError(err)
	}
	return expr, nil
}

// evalError drops the position of an error in an expression that exists
// only in the directive.
func evalError(err error) error {
	if te, ok := err.(types.Error); ok {
		return errors.New(te.Msg)
	}
	return err
}
