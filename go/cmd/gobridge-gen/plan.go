package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/doc"
	"go/types"
	"math"
	"sort"
	"strings"

	"github.com/gobridge/gobridge/py"
)

// module is what the generated Exec function binds.
type module struct {
	doc     string
	consts  []constItem
	funcs   []funcItem
	classes []classItem
	errors  []errorItem
}

type constItem struct {
	pyName string
	expr   string // Go expression, already qualified
}

type funcItem struct {
	goName string // unqualified
	pyName string // set only when renamed
	params []string
	doc    string
	short  bool // py.Short: called with the GIL held
	panics []panicAs
	// positions are the py.Positions options: a string parameter and the
	// names of the positions in it.
	positions [][]string
	// nilable are the func parameters that take None (py.Nilable), from
	// a //gobridge:nilable line.
	nilable []string
	// defaults are the py.Default options, from //gobridge:default lines.
	defaults []defaultItem
}

type classItem struct {
	goName  string
	pyName  string // set only when renamed
	pointer bool   // declared as *T rather than T
	doc     string
	methods []funcItem
	hidden  []string
	// ctor is the function calling the class calls (py.Constructor), nil
	// when there is none.
	ctor *funcItem
}

// builder collects what can be bound and what cannot.
type builder struct {
	cfg      *config
	src      *source
	warnings []string
	errs     []error
	used     map[string]bool // -rename and -exclude keys that matched
	pyNames  map[string]string
}

// plan decides what to bind. Warnings are returned even with an error, so
// that -strict shows every problem at once.
func plan(cfg *config, src *source) (*module, []string, error) {
	b := &builder{cfg: cfg, src: src, used: map[string]bool{}, pyNames: map[string]string{"__doc__": "the module docstring"}}
	mod := &module{doc: docText(src.doc, src.doc.Doc)}
	mod.consts = b.consts()
	mod.funcs = b.funcs()
	mod.errors = b.errors()
	mod.classes = b.classes(mod.funcs)
	b.checkPositionsUsed()
	b.checkConstructorsUsed()
	if hasPositions(mod) {
		mod.doc = strings.TrimSpace(mod.doc + "\n\n" + positionsNote)
	}
	for key := range cfg.renames {
		if !b.used[key] {
			b.errs = append(b.errs, fmt.Errorf("-rename %s matches no bound declaration", key))
		}
	}
	for _, key := range cfg.exclude.names {
		if !b.used[key] {
			b.errs = append(b.errs, fmt.Errorf("-exclude %s matches no declaration", key))
		}
	}
	b.checkPanicKeys()
	return mod, b.warnings, errors.Join(b.errs...)
}

// problem reports a declaration that cannot be bound: an error if it was
// asked for by name or under -strict, a warning otherwise.
func (b *builder) problem(requested bool, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if requested || b.cfg.strict {
		b.errs = append(b.errs, errors.New(msg))
		return
	}
	b.warnings = append(b.warnings, msg)
}

func (b *builder) excluded(key string) bool {
	if b.cfg.exclude.has(key) {
		b.used[key] = true
		return true
	}
	return false
}

func (b *builder) rename(key string) (string, bool) {
	name, ok := b.cfg.renames[key]
	if ok {
		b.used[key] = true
	}
	return name, ok
}

// claim reserves a module attribute name, so that two Go declarations never
// silently bind the same Python name.
func (b *builder) claim(pyName, goName string, requested bool) bool {
	if err := py.CheckName(pyName); err != nil {
		b.problem(requested, "skipping %s: %v; choose another with -rename", b.qualified(goName), err)
		return false
	}
	if prev, dup := b.pyNames[pyName]; dup {
		b.problem(requested, "skipping %s: its Python name %q is already taken by %s; choose another with -rename", b.qualified(goName), pyName, prev)
		return false
	}
	b.pyNames[pyName] = b.qualified(goName)
	return true
}

func (b *builder) qualified(name string) string { return b.src.types.Name() + "." + name }

// qual returns the Go expression naming a package-level declaration from
// the generated file.
func (b *builder) qual(name string) string {
	if b.src.importPath == "" {
		return name
	}
	return b.src.types.Name() + "." + name
}

func checkSelected(b *builder, l *nameList, kind string, found map[string]bool) {
	for _, n := range l.names {
		if !found[n] {
			b.errs = append(b.errs, fmt.Errorf("-%s: no exported %s %s in %s", kind, strings.TrimSuffix(kind, "s"), n, b.src.types.Path()))
		}
	}
}

func (b *builder) consts() []constItem {
	var values []*doc.Value
	values = append(values, b.src.doc.Consts...)
	for _, t := range b.src.doc.Types {
		values = append(values, t.Consts...)
	}
	var names []string
	for _, v := range values {
		names = append(names, v.Names...)
	}
	sort.Strings(names)
	found := map[string]bool{}
	var items []constItem
	for _, name := range names {
		obj, ok := b.src.types.Scope().Lookup(name).(*types.Const)
		if !ok || !obj.Exported() {
			continue
		}
		found[name] = true
		requested := b.cfg.consts.has(name)
		if !b.cfg.consts.selects(name) || b.excluded(name) {
			continue
		}
		expr, err := b.constExpr(obj)
		if err != nil {
			b.problem(requested, "skipping constant %s: %v", b.qualified(name), err)
			continue
		}
		pyName, ok := b.rename(name)
		if !ok {
			pyName = strings.ToUpper(py.SnakeCase(name))
		}
		if b.claim(pyName, name, requested) {
			items = append(items, constItem{pyName: pyName, expr: expr})
		}
	}
	checkSelected(b, &b.cfg.consts, "consts", found)
	return items
}

// constExpr returns the expression binding the constant. An untyped
// integer constant becomes an int when passed as any, which does not hold
// every value Go allows (math.MaxUint64), so it is given the smallest type
// that does.
func (b *builder) constExpr(c *types.Const) (string, error) {
	expr := b.qual(c.Name())
	basic, ok := c.Type().(*types.Basic)
	if !ok || basic.Info()&types.IsUntyped == 0 {
		if err := checkType(c.Type(), false); err != nil {
			return "", err
		}
		return expr, nil
	}
	val := c.Val()
	switch basic.Kind() {
	case types.UntypedInt, types.UntypedRune:
		if v, exact := constant.Int64Val(val); exact {
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return expr, nil
			}
			return "int64(" + expr + ")", nil
		}
		if _, exact := constant.Uint64Val(val); exact {
			return "uint64(" + expr + ")", nil
		}
		return "", fmt.Errorf("value %s does not fit in 64 bits", val)
	case types.UntypedFloat:
		if f, _ := constant.Float64Val(val); math.IsInf(f, 0) {
			return "", fmt.Errorf("value %s overflows float64", val)
		}
	}
	return expr, nil
}

func (b *builder) funcs() []funcItem {
	docs := append([]*doc.Func(nil), b.src.doc.Funcs...)
	for _, t := range b.src.doc.Types {
		docs = append(docs, t.Funcs...)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Name < docs[j].Name })
	found := map[string]bool{}
	var items []funcItem
	for _, d := range docs {
		obj, ok := b.src.types.Scope().Lookup(d.Name).(*types.Func)
		if !ok || !obj.Exported() {
			continue
		}
		found[d.Name] = true
		requested := b.cfg.funcs.has(d.Name)
		if !b.cfg.funcs.selects(d.Name) || b.excluded(d.Name) {
			continue
		}
		item, ok := b.function(d.Name, obj.Type().(*types.Signature), d.Doc, requested, "skipping "+b.qualified(d.Name))
		if !ok {
			continue
		}
		item.short = b.cfg.short.has("*") || b.cfg.short.has(d.Name) || hasDirective(d.Decl, "gobridge:short")
		item.panics = b.panicsOf(d.Name)
		item.positions = b.positions(d.Name, d.Decl, obj.Type().(*types.Signature), item.params, b.qualified(d.Name))
		item.nilable = directiveArgs(d.Decl, "gobridge:nilable")
		item.defaults = b.defaults(d.Decl, obj.Type().(*types.Signature), item.params, item.nilable, b.qualified(d.Name))
		pyName := item.pyName
		if pyName == "" {
			pyName = py.SnakeCase(d.Name)
		}
		if b.claim(pyName, d.Name, requested) {
			items = append(items, item)
		}
	}
	checkSelected(b, &b.cfg.funcs, "funcs", found)
	return items
}

// function describes a function or method; renameKey is "F" or "T.M".
func (b *builder) function(renameKey string, sig *types.Signature, docComment string, requested bool, what string) (funcItem, bool) {
	goName := renameKey[strings.LastIndexByte(renameKey, '.')+1:]
	if sig.TypeParams().Len() > 0 {
		b.problem(requested, "%s: generic functions cannot be bound without instantiating them", what)
		return funcItem{}, false
	}
	if err := checkSignature(sig); err != nil {
		b.problem(requested, "%s: %v", what, err)
		return funcItem{}, false
	}
	item := funcItem{goName: goName, doc: docText(b.src.doc, docComment)}
	item.pyName, _ = b.rename(renameKey)
	first := 0
	if takesContext(sig) {
		first = 1
	}
	for i := first; i < sig.Params().Len(); i++ {
		name := sig.Params().At(i).Name()
		if name == "" || name == "_" {
			name = fmt.Sprintf("arg%d", i-first)
		}
		item.params = append(item.params, name)
	}
	return item, true
}

func (b *builder) classes(funcs []funcItem) []classItem {
	found := map[string]bool{}
	var items []classItem
	for _, t := range b.src.doc.Types {
		obj, ok := b.src.types.Scope().Lookup(t.Name).(*types.TypeName)
		if !ok || !obj.Exported() || obj.IsAlias() {
			continue
		}
		named, ok := obj.Type().(*types.Named)
		if !ok {
			continue
		}
		found[t.Name] = true
		requested := b.cfg.types.has(t.Name)
		if !b.cfg.types.selects(t.Name) || b.excluded(t.Name) {
			continue
		}
		_, isStruct := named.Underlying().(*types.Struct)
		_, isIface := named.Underlying().(*types.Interface)
		isErr, _ := errorTypeOf(named)
		switch {
		case isErr:
			continue // an exception class (see errors)
		case isIface:
			if requested {
				b.problem(true, "cannot declare %s as a class: it is an interface type", b.qualified(t.Name))
			}
			continue
		case !isStruct && !requested:
			// Named numbers, strings and slices cross as their Python
			// equivalents; they become classes only on request.
			continue
		case named.TypeParams().Len() > 0:
			b.problem(requested, "skipping type %s: generic types cannot be bound without instantiating them", b.qualified(t.Name))
			continue
		}
		item, ok := b.class(t, named, isStruct, requested)
		if !ok {
			continue
		}
		item.ctor = b.constructor(t, named, funcs)
		pyName := item.pyName
		if pyName == "" {
			pyName = t.Name
		}
		if b.claim(pyName, t.Name, requested) {
			items = append(items, item)
		}
	}
	checkSelected(b, &b.cfg.types, "types", found)
	return items
}

func (b *builder) class(t *doc.Type, named *types.Named, isStruct, requested bool) (classItem, bool) {
	item := classItem{goName: t.Name, doc: docText(b.src.doc, t.Doc)}
	item.pyName, _ = b.rename(t.Name)
	// Structs are shared with Python by pointer, so that methods with
	// pointer receivers work and Python never holds a copy; value structs
	// cross by value.
	item.pointer = isStruct && !isValueStruct(named) || hasPointerMethods(named)
	var recv types.Type = named
	if item.pointer {
		recv = types.NewPointer(named)
	}
	methodDocs := map[string]string{}
	methodDecls := map[string]*ast.FuncDecl{}
	methodNilable := map[string][]string{}
	for _, m := range t.Methods {
		methodDocs[m.Name] = m.Doc
		methodDecls[m.Name] = m.Decl
		methodNilable[m.Name] = directiveArgs(m.Decl, "gobridge:nilable")
	}
	taken := map[string]string{}
	mset := types.NewMethodSet(recv)
	for i := 0; i < mset.Len(); i++ {
		fn := mset.At(i).Obj().(*types.Func)
		if !fn.Exported() {
			continue
		}
		key := t.Name + "." + fn.Name()
		what := "hiding method " + b.qualified(key)
		if b.excluded(key) {
			item.hidden = append(item.hidden, fn.Name())
			continue
		}
		m, ok := b.function(key, fn.Type().(*types.Signature), methodDocs[fn.Name()], false, what)
		if ok {
			pyName := m.pyName
			if pyName == "" {
				pyName = py.SnakeCase(fn.Name())
			}
			if err := py.CheckName(pyName); err != nil {
				b.problem(false, "%s: %v; choose another with -rename", what, err)
				ok = false
			} else if prev, dup := taken[pyName]; dup {
				b.problem(false, "%s: its Python name %q is already taken by %s", what, pyName, prev)
				ok = false
			} else {
				taken[pyName] = fn.Name()
			}
		}
		if !ok {
			item.hidden = append(item.hidden, fn.Name())
			continue
		}
		m.panics = b.panicsOf(key)
		m.positions = b.positions(key, methodDecls[fn.Name()], fn.Type().(*types.Signature), m.params, b.qualified(key))
		m.nilable = methodNilable[fn.Name()]
		m.defaults = b.defaults(methodDecls[fn.Name()], fn.Type().(*types.Signature), m.params, m.nilable, b.qualified(key))
		if len(m.params) > 0 || m.doc != "" || m.pyName != "" || len(m.panics) > 0 || len(m.positions) > 0 || len(m.nilable) > 0 || len(m.defaults) > 0 {
			item.methods = append(item.methods, m)
		}
	}
	if st, ok := named.Underlying().(*types.Struct); ok {
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !f.Exported() {
				continue
			}
			key := t.Name + "." + f.Name()
			if _, renamed := b.rename(key); renamed {
				b.errs = append(b.errs, fmt.Errorf("-rename %s: fields cannot be renamed", key))
			}
			if b.excluded(key) {
				item.hidden = append(item.hidden, f.Name())
				continue
			}
			if err := checkType(f.Type(), false); err != nil {
				b.problem(false, "hiding field %s: %v", b.qualified(key), err)
				item.hidden = append(item.hidden, f.Name())
			}
		}
	}
	sort.Strings(item.hidden)
	return item, true
}

func hasPointerMethods(named *types.Named) bool {
	for i := 0; i < named.NumMethods(); i++ {
		if _, ok := named.Method(i).Type().(*types.Signature).Recv().Type().(*types.Pointer); ok {
			return true
		}
	}
	return false
}

// docText turns a doc comment into the plain text of a Python docstring:
// doc links and headings lose their markup, code blocks stay indented.
func docText(pkg *doc.Package, comment string) string {
	if strings.TrimSpace(comment) == "" {
		return ""
	}
	p := pkg.Printer()
	p.TextWidth = 72
	return strings.TrimRight(string(p.Text(pkg.Parser().Parse(comment))), "\n")
}

// directiveArgs returns the words after //directive in a function's doc
// comment, over every such line: "//gobridge:nilable f g" gives f and g.
func directiveArgs(decl *ast.FuncDecl, directive string) []string {
	if decl == nil || decl.Doc == nil {
		return nil
	}
	var args []string
	for _, c := range decl.Doc.List {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(c.Text), "//"+directive+" "); ok {
			args = append(args, strings.Fields(rest)...)
		}
	}
	return args
}

// hasDirective reports whether a function's doc comment has the line
// //directive (go/doc leaves directives out of the doc text).
func hasDirective(decl *ast.FuncDecl, directive string) bool {
	if decl == nil || decl.Doc == nil {
		return false
	}
	for _, c := range decl.Doc.List {
		if strings.TrimSpace(c.Text) == "//"+directive {
			return true
		}
	}
	return false
}
