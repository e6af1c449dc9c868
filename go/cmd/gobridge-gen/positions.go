package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/gobridge/gobridge/py"
)

// positionsFlag holds -positions: for a function F or method T.M, the
// py.Positions options it gets, each a string parameter and the names of
// its position parameters and results ("return", "return[N]").
type positionsFlag map[string][][]string

func (p positionsFlag) String() string {
	var entries []string
	for key, decls := range p {
		for _, d := range decls {
			entries = append(entries, key+"="+strings.Join(d, ":"))
		}
	}
	sort.Strings(entries)
	return strings.Join(entries, ",")
}

// Set parses KEY=str:name:name,... entries.
func (p positionsFlag) Set(s string) error {
	for _, entry := range strings.Split(s, ",") {
		key, spec, ok := strings.Cut(strings.TrimSpace(entry), "=")
		parts := strings.Split(spec, ":")
		if !ok || key == "" || len(parts) < 2 || contains(parts, "") {
			return fmt.Errorf("bad -positions %q: want Func=str:name[:name...] or Type.Method=str:name[:name...]", entry)
		}
		p[key] = append(p[key], parts)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// positionsDirective is the doc comment line that declares positions, as
// -positions does: //gobridge:positions str name...
const positionsDirective = "//gobridge:positions"

// positions returns the py.Positions options of the function or method
// key (F or T.M), from -positions and from its doc comment, checked
// against its signature; params are its Python parameter names.
func (b *builder) positions(key string, decl *ast.FuncDecl, sig *types.Signature, params []string, what string) [][]string {
	var decls [][]string
	if d, ok := b.cfg.positions[key]; ok {
		b.used["positions:"+key] = true
		decls = append(decls, d...)
	}
	if decl != nil && decl.Doc != nil {
		for _, c := range decl.Doc.List {
			if rest, ok := strings.CutPrefix(c.Text, positionsDirective); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				fields := strings.Fields(rest)
				if len(fields) < 2 {
					b.errs = append(b.errs, fmt.Errorf("%s: %s wants a string parameter and the names of its positions", what, positionsDirective))
					continue
				}
				decls = append(decls, fields)
			}
		}
	}
	first := 0
	if takesContext(sig) {
		first = 1
	}
	paramType := func(name string) types.Type {
		for i, p := range params {
			if p == name {
				return sig.Params().At(first + i).Type()
			}
		}
		return nil
	}
	for _, d := range decls {
		if t := paramType(d[0]); t == nil || !isString(t) {
			b.errs = append(b.errs, fmt.Errorf("%s: positions in %s: it is not a string parameter", what, d[0]))
			continue
		}
		for _, name := range d[1:] {
			if name == py.ReturnPositions || strings.HasPrefix(name, py.ReturnPositions+"[") {
				if sig.Results().Len() == 0 {
					b.errs = append(b.errs, fmt.Errorf("%s: positions %s: the function returns nothing", what, name))
				}
				continue
			}
			if t := paramType(name); t == nil || !isPositionParam(t) {
				b.errs = append(b.errs, fmt.Errorf("%s: positions %s: it is not an int or []int parameter", what, name))
			}
		}
	}
	return decls
}

func isString(t types.Type) bool {
	basic, ok := t.Underlying().(*types.Basic)
	return ok && basic.Info()&types.IsString != 0
}

func isPositionParam(t types.Type) bool {
	if s, ok := t.Underlying().(*types.Slice); ok {
		t = s.Elem()
		if basic, ok := t.Underlying().(*types.Basic); ok && basic.Kind() == types.Byte {
			return false
		}
	}
	basic, ok := t.Underlying().(*types.Basic)
	return ok && basic.Info()&types.IsInteger != 0
}

// checkPositionsUsed reports -positions keys that match no bound function
// or method.
func (b *builder) checkPositionsUsed() {
	keys := make([]string, 0, len(b.cfg.positions))
	for key := range b.cfg.positions {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !b.used["positions:"+key] {
			b.errs = append(b.errs, fmt.Errorf("-positions %s matches no bound function or method", key))
		}
	}
}

// positionOptions spells the py.Positions options of a function, each
// preceded by a comma.
func positionOptions(decls [][]string) string {
	var b strings.Builder
	for _, d := range decls {
		b.WriteString(", py.Positions(")
		for i, name := range d {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(name))
		}
		b.WriteString(")")
	}
	return b.String()
}

// positionsNote is the paragraph added to the docstring of a module with
// positions.
const positionsNote = "In Python, positions within a str argument count code points, as str\n" +
	"indexes do, where Go counts UTF-8 bytes; positions within bytes count\n" +
	"bytes."

// hasPositions reports whether any function or method of mod declares
// positions.
func hasPositions(mod *module) bool {
	for _, f := range mod.funcs {
		if len(f.positions) > 0 {
			return true
		}
	}
	for _, c := range mod.classes {
		for _, m := range c.methods {
			if len(m.positions) > 0 {
				return true
			}
		}
	}
	return false
}
