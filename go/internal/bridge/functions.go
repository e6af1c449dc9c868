// Package bridge runs Go modules for Python: it builds modules from the
// registry, keeps the tables of functions, classes and lent objects that
// Python refers to by number, and performs calls. It speaks marshal data
// and Go values; package capi turns its results into the C ABI.
package bridge

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/py"
)

// function is one entry of the function table: a module function, a method
// or a field accessor, with everything a call needs.
type function struct {
	// name is the Python name used in messages: "to_upper", "Regexp.find_string".
	name string
	// params are the parameters Python passes, not counting self.
	params []py.Param
	// variadic: the last parameter collects the remaining arguments.
	variadic bool
	// recvType is the type of self for methods and accessors, nil otherwise.
	recvType reflect.Type
	// takesContext: the Go function's first argument is a context.Context.
	takesContext bool
	// nResults is the number of Go results, not counting a trailing error.
	nResults int
	// call runs the Go function on converted arguments (recv is invalid for
	// plain functions) and returns its results without the trailing error.
	call func(recv reflect.Value, args []reflect.Value) ([]reflect.Value, error)
	// direct is the reflection-free path of common string signatures, or nil.
	direct directFunc
	// fast is the scalar fast path, nil when the signature has none.
	fast fastFunc
	// fastKind names the fast path's kind, such as "u_i" for (uint64) int64.
	fastKind string
	// frameSig is the frame signature (see frame.go), "" when the function
	// has none.
	frameSig string
	// frame runs a frame call, nil when frameSig is "" or f is scalar.
	frame frameFunc
	// scalar says that the C layer calls f through InvokeScalar: 64-bit
	// words in and out, with no frame and no memory for results.
	scalar bool
	// desc is the authoring description, nil for accessors.
	desc *py.Function
	// positions converts positions within string parameters between code
	// points and bytes, nil when the function declares none.
	positions *positionPlan
	// hint is the result annotation of a function without desc: a value
	// struct's constructor.
	hint string
}

const chunkBits = 10

type chunk [1 << chunkBits]atomic.Pointer[function]

// functionTable maps fids to functions. Lookups take no lock: a fid is
// allocated once and never reused, and its slot is written before Python
// learns the fid.
type functionTable struct {
	mu     sync.Mutex
	next   uint64
	chunks [1 << 16]atomic.Pointer[chunk]
}

var functions functionTable

func (t *functionTable) add(f *function) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	fid := t.next
	hi := fid >> chunkBits
	if hi >= uint64(len(t.chunks)) {
		panic("gobridge: function table full")
	}
	c := t.chunks[hi].Load()
	if c == nil {
		c = new(chunk)
		t.chunks[hi].Store(c)
	}
	c[fid&(1<<chunkBits-1)].Store(f)
	return fid
}

func (t *functionTable) get(fid uint64) *function {
	hi := fid >> chunkBits
	if hi >= uint64(len(t.chunks)) {
		return nil
	}
	c := t.chunks[hi].Load()
	if c == nil {
		return nil
	}
	return c[fid&(1<<chunkBits-1)].Load()
}

// drop forgets fids, so that a call through a stale one fails cleanly.
func (t *functionTable) drop(fids []uint64) {
	for _, fid := range fids {
		if c := t.chunks[fid>>chunkBits].Load(); c != nil {
			c[fid&(1<<chunkBits-1)].Store(nil)
		}
	}
}

// newFunction prepares a wrapped Go function (or method expression, when
// recvType is set) for calls.
func newFunction(pf *py.Function, name string, recvType reflect.Type) *function {
	f := &function{
		name:         name,
		params:       pf.Params,
		variadic:     pf.Variadic,
		recvType:     recvType,
		takesContext: pf.TakesContext,
		nResults:     len(pf.Results),
		desc:         pf,
	}
	if recvType != nil {
		// A method expression's first parameter is the receiver.
		f.params = pf.Params[1:]
	}
	fv := pf.Value
	returnsError := pf.ReturnsError
	f.call = func(recv reflect.Value, args []reflect.Value) ([]reflect.Value, error) {
		if recv.IsValid() {
			args = append([]reflect.Value{recv}, args...)
		}
		var out []reflect.Value
		if f.variadic {
			out = fv.CallSlice(args)
		} else {
			out = fv.Call(args)
		}
		if returnsError {
			last := out[len(out)-1]
			out = out[:len(out)-1]
			if !last.IsNil() {
				return nil, last.Interface().(error)
			}
		}
		return out, nil
	}
	if recvType == nil {
		f.fast, f.fastKind = makeFast(pf)
	} else {
		f.fast, f.fastKind = makeMethodFast(f)
	}
	f.direct = makeDirect(pf, recvType)
	f.frameSig = frameSignature(f)
	if f.scalar = isScalar(f, f.frameSig); f.scalar {
		f.frameSig = scalarMark + f.frameSig
	} else if f.frame = makeFrame(f, f.frameSig); f.frame == nil {
		f.frameSig = ""
	}
	if f.positions = newPositionPlan(f); f.positions != nil {
		// The direct path writes results as it computes them, before they
		// could be converted; the general path converts them.
		f.direct = nil
		if f.frame != nil {
			params, results := splitSignature(f.frameSig)
			f.frame = f.positions.frame(f.frame, params, results)
		}
	}
	return f
}

// describe returns the description Python builds the function's wrapper
// from: (fid, name, doc, params, variadic, result annotation, Go
// signature, borrowed parameter indexes, takes a context, frame signature
// or None, short, defaults of the trailing parameters that have them).
// descKey identifies what a function's description says besides its fid.
type descKey struct {
	pc     uintptr
	recv   reflect.Type
	name   string
	doc    string
	params string
}

// descTails caches the marshalled descriptions of functions, without their
// fids: a module's functions are described again on every import and reload.
var descTails sync.Map // descKey -> []byte

// writeDescription writes describe(fid, pyName) to enc, encoding all but
// the fid once per distinct function, and reports whether the description
// holds Go values Python must adopt (a value struct's default).
func (f *function) writeDescription(enc *pymarshal.Encoder, fid uint64, pyName string) (bool, error) {
	key := descKey{recv: f.recvType, name: pyName}
	if f.desc != nil {
		key.pc, key.doc = f.desc.Value.Pointer(), f.desc.Doc
		for _, p := range f.params {
			key.params += p.Name + ","
			if p.HasDefault {
				key.params += fmt.Sprintf("=%T:%#v,", p.Default, p.Default)
			}
		}
	}
	tail, ok := descTails.Load(key)
	lent := false
	if !ok || f.desc == nil {
		var tailEnc pymarshal.Encoder
		conv := convert.ToPython{Enc: &tailEnc, Lender: lender{}}
		for _, v := range f.describe(fid, pyName)[1:] {
			if err := conv.Value(v); err != nil {
				return false, err
			}
		}
		tail, lent = tailEnc.Bytes(), conv.Lent
		if f.desc != nil && !lent {
			descTails.Store(key, tail)
		}
	}
	if err := enc.Tuple(descriptionLen); err != nil {
		return false, err
	}
	enc.Uint(fid)
	enc.Raw(tail.([]byte))
	return lent, nil
}

// descriptionLen is the number of items describe returns.
const descriptionLen = 12

func (f *function) describe(fid uint64, pyName string) []any {
	params := make([]any, len(f.params))
	var borrowed []any
	defaults := []any{}
	for i, p := range f.params {
		if p.HasDefault {
			defaults = append(defaults, p.Default)
		}
		t := p.Type
		if f.variadic && i == len(f.params)-1 {
			t = t.Elem()
		}
		ann := convert.Annotation(t)
		if p.Nilable {
			ann += " | None"
		}
		params[i] = []any{p.Name, ann, convert.GoTypeName(p.Type)}
		if t == reflect.TypeOf(convert.BorrowedBytes(nil)) {
			borrowed = append(borrowed, i)
		}
	}
	var doc, goSig any
	if f.desc != nil {
		doc = f.desc.Doc
		goSig = goSignature(f.desc)
	}
	var frameSig any
	if f.frameSig != "" {
		frameSig = f.frameSig
	}
	short := f.desc != nil && f.desc.Short
	return []any{fid, pyName, doc, params, f.variadic, f.resultHint(), goSig, borrowed, f.takesContext, frameSig, short, defaults}
}

func (f *function) resultHint() string {
	if f.desc == nil {
		return f.hint
	}
	switch len(f.desc.Results) {
	case 0:
		return "None"
	case 1:
		return convert.Annotation(f.desc.Results[0])
	}
	s := "tuple["
	for i, r := range f.desc.Results {
		if i > 0 {
			s += ", "
		}
		s += convert.Annotation(r)
	}
	return s + "]"
}

// goSignature spells a wrapped function's Go signature with its parameter
// names, as go doc would: "func strings.Split(s string, sep string) []string".
func goSignature(pf *py.Function) string {
	t := pf.Value.Type()
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(", pf.GoName)
	first := 0
	if pf.TakesContext {
		b.WriteString("ctx context.Context")
		first = 1
	}
	for i := first; i < t.NumIn(); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		p := pf.Params[i-first]
		if pf.Variadic && i == t.NumIn()-1 {
			fmt.Fprintf(&b, "%s ...%s", p.Name, t.In(i).Elem())
		} else {
			fmt.Fprintf(&b, "%s %s", p.Name, t.In(i))
		}
	}
	b.WriteString(")")
	switch t.NumOut() {
	case 0:
	case 1:
		fmt.Fprintf(&b, " %s", t.Out(0))
	default:
		b.WriteString(" (")
		for i := 0; i < t.NumOut(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Out(i).String())
		}
		b.WriteString(")")
	}
	return convert.AuthorSpelling(b.String())
}
