package bridge

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/handles"
	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// objects holds every Go value lent to Python: module instances and
// objects of classes.
var objects handles.Table

// class is a Go type Python sees as a class.
type class struct {
	tid  uint64
	typ  reflect.Type
	decl *py.Class // nil for a type never declared with Module.Class
	desc []any     // built on first use
	fids []uint64
	// fieldNames are the Python names of a value struct's fields, in
	// order (see convert.IsValueStruct); nil for other classes.
	fieldNames []string
}

var classes struct {
	sync.Mutex
	byType map[reflect.Type]*class
	byID   []*class
}

// classFor returns the class of Go type t, creating it on first use. A
// declaration seen later still names and documents the class, as long as
// Python has not asked for its description yet.
func classFor(t reflect.Type, decl *py.Class) *class {
	if t.Kind() == reflect.Pointer && convert.IsValueStruct(t.Elem()) {
		// *T crosses as T, or None: one class for both.
		t = t.Elem()
	}
	classes.Lock()
	defer classes.Unlock()
	if classes.byType == nil {
		classes.byType = map[reflect.Type]*class{}
	}
	c, ok := classes.byType[t]
	if !ok {
		c = &class{tid: uint64(len(classes.byID) + 1), typ: t}
		if convert.IsValueStruct(t) {
			for i := 0; i < t.NumField(); i++ {
				name, _ := fieldTag(t.Field(i))
				c.fieldNames = append(c.fieldNames, py.ParamName(name))
			}
		}
		classes.byType[t] = c
		classes.byID = append(classes.byID, c)
	}
	if decl != nil && c.decl == nil {
		c.decl = decl
	}
	return c
}

func classByID(tid uint64) *class {
	classes.Lock()
	defer classes.Unlock()
	if tid == 0 || tid > uint64(len(classes.byID)) {
		return nil
	}
	return classes.byID[tid-1]
}

// lender lends Go objects and resolves their handles for package convert.
type lender struct{}

func (lender) Lend(v reflect.Value) (uint64, uint64) {
	if k := v.Kind(); k == reflect.Chan || k == reflect.Func {
		it := newIterator(v)
		return objects.Lend(it), classFor(iteratorClass.Type, iteratorClass).tid
	}
	return objects.Lend(v.Interface()), classFor(v.Type(), nil).tid
}

func (lender) Resolve(h uint64) (any, bool) { return objects.Get(h) }

// ValueClass gives convert the class of a value struct.
func (lender) ValueClass(t reflect.Type) (uint64, []string) {
	c := classFor(t, nil)
	return c.tid, c.fieldNames
}

// describe returns the class description Python builds the class from:
// (tid, name, doc, Go type, methods, fields, has String, eq fid or 0,
// constructor fid or 0, value fields or None), where a value struct's
// fields are (name, annotation) and its constructor takes them. Python
// asks for the constructor's description (Describe) on first use: its
// defaults may be instances of classes the module has yet to bind.
func (c *class) describe() []any {
	classes.Lock()
	if c.desc != nil {
		defer classes.Unlock()
		return c.desc
	}
	classes.Unlock()

	name, doc := c.typ.Name(), ""
	if c.typ.Kind() == reflect.Pointer {
		name = c.typ.Elem().Name()
	}
	hidden := map[string]bool{}
	methodOpts := map[string][]py.FuncOption{}
	if c.decl != nil {
		name, doc, hidden, methodOpts = c.decl.Name, c.decl.Doc, c.decl.Hidden, c.decl.Methods
	}
	if c.fieldNames != nil {
		return c.describeValue(name, doc)
	}
	var fids []uint64
	var methods []any
	hasString := false
	for i := 0; i < c.typ.NumMethod(); i++ {
		m := c.typ.Method(i)
		if hidden[m.Name] || !m.IsExported() {
			continue
		}
		pyName := py.SnakeCase(m.Name)
		if m.Name == "String" && m.Type.NumIn() == 1 && m.Type.NumOut() == 1 && m.Type.Out(0).Kind() == reflect.String {
			// String is Python's str(), not a method of its own; one
			// renamed with py.Name keeps the name it was given.
			hasString, pyName = true, "__str__"
		}
		opts := append([]py.FuncOption{py.Name(pyName)}, methodOpts[m.Name]...)
		pf, err := py.NewMethod(m.Func.Interface(), opts...)
		if err != nil {
			continue // a method whose signature cannot cross stays Go-only
		}
		pf.GoName = fmt.Sprintf("(%s).%s", c.typ, m.Name)
		f := newFunction(pf, name+"."+pf.Name, c.typ)
		fid := functions.add(f)
		fids = append(fids, fid)
		methods = append(methods, f.describe(fid, pf.Name))
	}
	fields, fieldFids := c.fields(name, hidden)
	fids = append(fids, fieldFids...)
	var eqFid uint64
	if c.typ.Kind() == reflect.Struct && c.typ.Comparable() {
		eqFid = functions.add(c.eqFunction(name))
		fids = append(fids, eqFid)
	}
	var ctor uint64
	if c.decl != nil && c.decl.Constructor != nil {
		ctor = functions.add(constructorFunction(c.decl.Constructor, name, c.typ))
		fids = append(fids, ctor)
	}
	desc := []any{c.tid, name, doc, c.typ.String(), methods, fields, hasString, eqFid, ctor, nil}

	return c.keep(desc, fids)
}

// keep records a class's description, unless another thread described it
// first, and returns the one recorded.
func (c *class) keep(desc []any, fids []uint64) []any {
	classes.Lock()
	defer classes.Unlock()
	if c.desc == nil {
		c.desc, c.fids = desc, fids
	} else {
		functions.drop(fids)
	}
	return c.desc
}

// fields describes the exported fields of a struct (or pointer to struct)
// class as properties: (name, getter fid, setter fid or 0, annotation).
func (c *class) fields(className string, hidden map[string]bool) ([]any, []uint64) {
	st := c.typ
	settable := false
	if st.Kind() == reflect.Pointer {
		st, settable = st.Elem(), true
	}
	if st.Kind() != reflect.Struct {
		return nil, nil
	}
	var out []any
	var fids []uint64
	for i := 0; i < st.NumField(); i++ {
		sf := st.Field(i)
		if !sf.IsExported() || sf.Anonymous || hidden[sf.Name] || convert.CheckResult(sf.Type) != nil {
			continue
		}
		name, readOnly := fieldTag(sf)
		index := sf.Index
		ft := sf.Type
		get := &function{
			name:     className + "." + name,
			recvType: c.typ,
			nResults: 1,
			call: func(recv reflect.Value, _ []reflect.Value) ([]reflect.Value, error) {
				return []reflect.Value{reflect.Indirect(recv).FieldByIndex(index)}, nil
			},
		}
		getFid := functions.add(get)
		fids = append(fids, getFid)
		var setFid uint64
		if settable && !readOnly && convert.CheckParam(ft) == nil {
			// A nil func is a func field's zero value, which the getter
			// gives as None: setting None back must work.
			set := &function{
				name:     className + "." + name,
				params:   []py.Param{{Name: "value", Type: ft, Nilable: true}},
				recvType: c.typ,
				call: func(recv reflect.Value, args []reflect.Value) ([]reflect.Value, error) {
					recv.Elem().FieldByIndex(index).Set(args[0])
					return nil, nil
				},
			}
			setFid = functions.add(set)
			fids = append(fids, setFid)
		}
		ann := convert.Annotation(ft)
		if ft.Kind() == reflect.Func {
			ann += " | None" // a nil func field reads as None
		}
		out = append(out, []any{name, getFid, setFid, ann})
	}
	return out, fids
}

// fieldTag reads a field's `py:"name,readonly"` tag: the Python name (the
// snake_case of the Go name by default) and whether Python may set it.
func fieldTag(sf reflect.StructField) (name string, readOnly bool) {
	tag, _ := sf.Tag.Lookup("py")
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = py.SnakeCase(sf.Name)
	}
	for _, opt := range strings.Split(opts, ",") {
		readOnly = readOnly || opt == "readonly"
	}
	return name, readOnly
}

// eqFunction compares two struct values with Go's ==.
func (c *class) eqFunction(className string) *function {
	return &function{
		name:     className + ".__eq__",
		params:   []py.Param{{Name: "other", Type: reflect.TypeOf((*any)(nil)).Elem()}},
		recvType: c.typ,
		nResults: 1,
		call: func(recv reflect.Value, args []reflect.Value) ([]reflect.Value, error) {
			other := args[0].Elem()
			if other.IsValid() && other.Kind() == reflect.Pointer && other.Type().Elem() == c.typ {
				other = other.Elem()
			}
			if !other.IsValid() || other.Type() != c.typ {
				return []reflect.Value{reflect.ValueOf(false)}, nil
			}
			return []reflect.Value{reflect.ValueOf(recv.Interface() == other.Interface())}, nil
		},
	}
}

// describeValue describes a value struct's class: no methods or
// properties, since an instance holds a copy of the fields in Python, and
// a constructor that takes the fields, each defaulting to its zero value.
func (c *class) describeValue(name, doc string) []any {
	t := c.typ
	params := make([]py.Param, t.NumField())
	fields := make([]any, t.NumField())
	for i := range params {
		ft := t.Field(i).Type
		params[i] = py.Param{Name: c.fieldNames[i], Type: ft, Default: reflect.Zero(ft).Interface(), HasDefault: true}
		fields[i] = []any{c.fieldNames[i], convert.Annotation(ft)}
	}
	ctor := &function{
		name:     name,
		params:   params,
		nResults: 1,
		hint:     name,
		call: func(_ reflect.Value, args []reflect.Value) ([]reflect.Value, error) {
			out := reflect.New(t).Elem()
			for i, a := range args {
				out.Field(i).Set(a)
			}
			return []reflect.Value{out}, nil
		},
	}
	fid := functions.add(ctor)
	if doc == "" {
		doc = fmt.Sprintf("Go type %s, which crosses by value.", t)
	}
	desc := []any{c.tid, name, doc, t.String(), []any{}, []any{}, false, uint64(0), fid, fields}
	return c.keep(desc, []uint64{fid})
}

// constructorFunction prepares the function a class's constructor calls.
// A constructor of a pointer class may return the struct by value: the
// instance is then a pointer to a copy, so that its methods work; one of a
// value class may return a pointer, whose value the instance copies. A nil
// pointer is an error: calling a class gives an instance.
func constructorFunction(pf *py.Function, className string, classType reflect.Type) *function {
	f := newFunction(pf, className, nil)
	call := f.call
	f.call = func(recv reflect.Value, args []reflect.Value) ([]reflect.Value, error) {
		out, err := call(recv, args)
		if err != nil {
			return nil, err
		}
		v := out[0]
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, pyerr.ValueError("%s() got nil from %s", className, pf.GoName)
		}
		switch {
		case v.Type() == classType:
		case v.Type() == reflect.PointerTo(classType):
			v = v.Elem()
		default:
			p := reflect.New(v.Type())
			p.Elem().Set(v)
			v = p
		}
		return []reflect.Value{v}, nil
	}
	// The other paths would write the Go result unchecked.
	f.fast, f.fastKind, f.direct, f.frame, f.frameSig, f.scalar = nil, "", nil, nil, "", false
	return f
}
