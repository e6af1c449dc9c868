package bridge

import (
	"encoding"
	"fmt"
	"reflect"
	"regexp"
	"sync"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/pyerr"
)

// Go objects pickle by value when their type can write itself and read
// itself back: encoding.BinaryMarshaler with encoding.BinaryUnmarshaler,
// or else encoding.TextMarshaler with encoding.TextUnmarshaler. A pickle
// carries the bytes, the format, the type's stable name (import path and
// name, with "*" for a pointer) and the module that declares the type. Go
// cannot find a type by name, so the types modules declare (classes, and
// the concrete types of Module.Types) are recorded here by name when the
// module is imported; unpickling imports the module first.

// Pickle formats: which pair of interfaces wrote the data.
const (
	formatNone   = ""
	formatBinary = "binary"
	formatText   = "text"
)

var (
	binaryMarshalerType   = reflect.TypeOf((*encoding.BinaryMarshaler)(nil)).Elem()
	binaryUnmarshalerType = reflect.TypeOf((*encoding.BinaryUnmarshaler)(nil)).Elem()
	textMarshalerType     = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	textUnmarshalerType   = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// picklable records the types modules declare, by stable name, and the
// module that declared each first.
var picklable struct {
	sync.Mutex
	byName map[string]reflect.Type
	owner  map[reflect.Type]string
}

// typeName returns the name under which t is found in another process:
// its import path and name, "*" first for a pointer. Unlike
// reflect.Type.String, it tells apart packages of the same last element.
func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		return "*" + typeName(t.Elem())
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// declareType records that module declares t. The first module to
// declare a type owns it; declaring it again (a reload, another module
// returning it) changes nothing.
func declareType(t reflect.Type, module string) {
	picklable.Lock()
	defer picklable.Unlock()
	if picklable.byName == nil {
		picklable.byName = map[string]reflect.Type{}
		picklable.owner = map[reflect.Type]string{}
	}
	if _, ok := picklable.owner[t]; ok {
		return
	}
	picklable.owner[t] = module
	picklable.byName[typeName(t)] = t
}

func typeOwner(t reflect.Type) string {
	picklable.Lock()
	defer picklable.Unlock()
	return picklable.owner[t]
}

func typeByName(name string) reflect.Type {
	picklable.Lock()
	defer picklable.Unlock()
	return picklable.byName[name]
}

// pickleFormat returns the format values of t pickle in: binary when a
// pointer to the value implements both binary interfaces, else text when
// it implements both text ones, else formatNone. Methods are looked up on
// the pointer because unmarshalling needs one; a value class is copied
// into a new pointer to marshal it.
func pickleFormat(t reflect.Type) string {
	ptr := t
	if t.Kind() != reflect.Pointer {
		ptr = reflect.PointerTo(t)
	}
	switch {
	case ptr.Implements(binaryMarshalerType) && ptr.Implements(binaryUnmarshalerType):
		return formatBinary
	case ptr.Implements(textMarshalerType) && ptr.Implements(textUnmarshalerType):
		return formatText
	}
	return formatNone
}

// pythonName is the name of t's class, as Python shows it.
func pythonName(t reflect.Type) string {
	if c := classFor(t, nil); c.decl != nil {
		return c.decl.Name
	}
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

func notPicklable(verb string, t reflect.Type) error {
	return pyerr.TypeError("cannot %s Go object %s (Go type %s): it implements neither "+
		"encoding.BinaryMarshaler and encoding.BinaryUnmarshaler nor encoding.TextMarshaler "+
		"and encoding.TextUnmarshaler, which a Go type needs to be pickled or copied",
		verb, pythonName(t), t)
}

// lossy lists the types whose marshalling drops part of some values,
// with a function that says what it would drop from v, or "". Pickling or
// copying such a value fails rather than give back a different object.
var lossy = map[reflect.Type]func(v reflect.Value) string{
	// MarshalText writes the pattern alone (its documentation says so), so
	// a POSIX regexp would come back with leftmost-first matching. The flag
	// is an unexported field; if Go renames it, the check says nothing, and
	// the test that pickles a compile_posix regexp fails.
	reflect.TypeOf((*regexp.Regexp)(nil)): func(v reflect.Value) string {
		if f := v.Elem().FieldByName("longest"); f.IsValid() && f.Kind() == reflect.Bool && f.Bool() {
			return "Go writes a regexp as its pattern alone, which loses the leftmost-longest " +
				"matching of compile_posix; compile the pattern again with compile_posix instead"
		}
		return ""
	},
}

// checkLossless fails if marshalling v would lose part of it.
func checkLossless(verb string, v reflect.Value) error {
	if check := lossy[v.Type()]; check != nil {
		if why := check(v); why != "" {
			return pyerr.ValueError("cannot %s Go object %s (Go type %s): %s", verb, pythonName(v.Type()), v.Type(), why)
		}
	}
	return nil
}

// marshalValue writes v in format.
func marshalValue(v reflect.Value, format string) (data []byte, err error) {
	ptr := v
	if v.Kind() != reflect.Pointer {
		ptr = reflect.New(v.Type())
		ptr.Elem().Set(v)
	}
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, recovered(r, fmt.Sprintf("marshalling %s", v.Type()))
		}
	}()
	if format == formatBinary {
		return ptr.Interface().(encoding.BinaryMarshaler).MarshalBinary()
	}
	return ptr.Interface().(encoding.TextMarshaler).MarshalText()
}

// unmarshalValue reads a new value of t, written in format, from data.
func unmarshalValue(t reflect.Type, format string, data []byte) (v reflect.Value, err error) {
	base := t
	if t.Kind() == reflect.Pointer {
		base = t.Elem()
	}
	ptr := reflect.New(base)
	defer func() {
		if r := recover(); r != nil {
			v, err = reflect.Value{}, recovered(r, fmt.Sprintf("unmarshalling %s", t))
		}
	}()
	if format == formatBinary {
		err = ptr.Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(data)
	} else {
		err = ptr.Interface().(encoding.TextUnmarshaler).UnmarshalText(data)
	}
	if err != nil {
		return reflect.Value{}, err
	}
	if t.Kind() == reflect.Pointer {
		return ptr, nil
	}
	return ptr.Elem(), nil
}

// lentValue returns the value Python holds under handle h.
func lentValue(h uint64) (reflect.Value, error) {
	v, ok := objects.Get(h)
	if !ok {
		return reflect.Value{}, pyerr.ValueError("gobridge: Go object %d was released", h)
	}
	return reflect.ValueOf(v), nil
}

// Pickle writes what a pickle of the object lent under h holds:
// (format, data, type name, module). Its type must pickle (pickleFormat)
// and be declared by a module, which unpickling imports to find it.
func Pickle(h uint64, enc *pymarshal.Encoder) Status {
	v, err := lentValue(h)
	if err != nil {
		return writeError(enc, err)
	}
	t := v.Type()
	format := pickleFormat(t)
	if format == formatNone {
		return writeError(enc, notPicklable("pickle", t))
	}
	if err := checkLossless("pickle", v); err != nil {
		return writeError(enc, err)
	}
	module := typeOwner(t)
	if module == "" {
		return writeError(enc, pyerr.TypeError("cannot pickle Go object %s (Go type %s): no gomod "+
			"module declares the type, so another process could not find it; the module "+
			"returning it must declare it with Module.Class or Module.Types",
			pythonName(t), t))
	}
	data, err := marshalValue(v, format)
	if err != nil {
		return writeError(enc, marshalError("pickle", t, err))
	}
	_ = enc.Tuple(4)
	_ = enc.Str(format)
	_ = enc.PyBytes(data)
	if err := enc.Str(typeName(t)); err != nil {
		return writeError(enc, err)
	}
	if err := enc.Str(module); err != nil {
		return writeError(enc, err)
	}
	return OK
}

// Unpickle makes the object a pickle holds from the data Pickle wrote,
// and writes it lent to Python. module names, for the error message, the
// module imported to declare the type.
func Unpickle(name, module, format string, data []byte, enc *pymarshal.Encoder) Status {
	t := typeByName(name)
	if t == nil {
		return writeError(enc, pyerr.TypeError("cannot unpickle Go object: no Go type %s is known "+
			"to this library after importing gomod.%s, which declared it where the object was "+
			"pickled; the library may be built from other sources", name, module))
	}
	if want := pickleFormat(t); format != want {
		return writeError(enc, pyerr.ValueError("cannot unpickle Go object of type %s: the pickle "+
			"holds %q data, and the type reads %q", name, format, want))
	}
	v, err := unmarshalValue(t, format, data)
	if err != nil {
		return writeError(enc, marshalError("unpickle", t, err))
	}
	return writeObject(enc, v)
}

// Copy writes a new object holding what the object lent under h holds,
// through the same interfaces as Pickle; the type need not be declared.
func Copy(h uint64, enc *pymarshal.Encoder) Status {
	v, err := lentValue(h)
	if err != nil {
		return writeError(enc, err)
	}
	t := v.Type()
	format := pickleFormat(t)
	if format == formatNone {
		return writeError(enc, notPicklable("copy", t))
	}
	if err := checkLossless("copy", v); err != nil {
		return writeError(enc, err)
	}
	data, err := marshalValue(v, format)
	if err != nil {
		return writeError(enc, marshalError("copy", t, err))
	}
	c, err := unmarshalValue(t, format, data)
	if err != nil {
		return writeError(enc, marshalError("copy", t, err))
	}
	return writeObject(enc, c)
}

// marshalError keeps a panic as it is and makes any other failure of a
// type's own marshalling a ValueError that says what failed.
func marshalError(verb string, t reflect.Type, err error) error {
	if _, ok := err.(*pyerr.Panic); ok {
		return err
	}
	return &pyerr.Exception{Type: "ValueError", Msg: fmt.Sprintf("cannot %s Go object of type %s: %v", verb, t, err), Err: err}
}

func writeObject(enc *pymarshal.Encoder, v reflect.Value) Status {
	conv := convert.ToPython{Enc: enc, Lender: lender{}}
	if err := conv.Value(v.Interface()); err != nil {
		return writeError(enc, err)
	}
	return OKObjects
}
