package bridge

import (
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
)

// makeFrame returns the frame path of f for frame signature sig, or nil
// when sig is "". Signatures that are common and cheap to run get a path
// without reflection; reflect.Value.Call costs more than the rest of such
// a call together.
func makeFrame(f *function, sig string) frameFunc {
	if sig == "" {
		return nil
	}
	params, results := splitSignature(sig)
	if strings.Contains(sig, "K") {
		return nil // lent callables need the scalar fast path's scope
	}
	if f.recvType == nil {
		if fn := typedFrame(f.desc.Value.Interface()); fn != nil {
			return func(_ uint64, args []Slot, out *frameResults) error { return fn(args, out) }
		}
	} else if fn := typedMethodFrame(f); fn != nil {
		return fn
	}
	return func(self uint64, args []Slot, out *frameResults) error {
		var recv reflect.Value
		if f.recvType != nil {
			var err error
			if recv, err = receiver(f, self); err != nil {
				return err
			}
		}
		in := make([]reflect.Value, len(args))
		for i, p := range f.params {
			in[i] = slotValue(p.Type, params[i], args[i])
		}
		vals, err := f.call(recv, in)
		if err != nil {
			return err
		}
		return out.values(results, vals)
	}
}

// splitSignature splits a frame signature into the layouts of its
// parameters and of its results.
func splitSignature(sig string) (params, results []string) {
	list := &params
	for i := 0; i < len(sig); i++ {
		switch sig[i] {
		case ':':
			list = &results
		case 'l', 'm':
			*list = append(*list, sig[i:i+2])
			i++
		default:
			*list = append(*list, sig[i:i+1])
		}
	}
	return params, results
}

// scalarMark starts the frame signature of a function the C layer calls
// through InvokeScalar.
const scalarMark = "="

// isScalar reports whether f, of frame signature sig, is called through
// InvokeScalar: it has a scalar fast path (which takes no bool), its
// parameters are numbers or lent callables, and it has at most one result,
// a number or a bool. The C layer has range-checked narrow numbers.
func isScalar(f *function, sig string) bool {
	if f.fast == nil || sig == "" {
		return false
	}
	params, results := splitSignature(sig)
	if len(results) > 1 {
		return false
	}
	for _, l := range params {
		if !strings.Contains("bhiqBHIQfdK", l) {
			return false
		}
	}
	for _, l := range results {
		if !strings.Contains("bhiqBHIQfd?", l) {
			return false
		}
	}
	return true
}

// typedMethodFrame is the frame path of methods of pointer receivers with
// the common string signatures, called through the method expression typed
// by its words (see wordcall.go), or nil.
func typedMethodFrame(f *function) frameFunc {
	if f.recvType.Kind() != reflect.Pointer || f.desc.ReturnsError {
		return nil
	}
	fn := f.desc.Value.Interface()
	var call func(recv unsafe.Pointer, args []Slot, out *frameResults) error
	switch withoutReceiver(f.desc.Value.Type()) {
	case reflect.TypeFor[func(string) string]():
		m := asWords[func(unsafe.Pointer, string) string](fn)
		call = func(r unsafe.Pointer, a []Slot, out *frameResults) error { return out.oneStr(m(r, cString(a[0]))) }
	case reflect.TypeFor[func(string) bool]():
		m := asWords[func(unsafe.Pointer, string) bool](fn)
		call = func(r unsafe.Pointer, a []Slot, out *frameResults) error {
			out.slots[0].Word = boolWord(m(r, cString(a[0])))
			return nil
		}
	case reflect.TypeFor[func(string, string) string]():
		m := asWords[func(unsafe.Pointer, string, string) string](fn)
		call = func(r unsafe.Pointer, a []Slot, out *frameResults) error {
			return out.oneStr(m(r, cString(a[0]), cString(a[1])))
		}
	case reflect.TypeFor[func(string, int) []string]():
		m := asWords[func(unsafe.Pointer, string, int) []string](fn)
		call = func(r unsafe.Pointer, a []Slot, out *frameResults) error {
			return out.oneStrs(m(r, cString(a[0]), int(int64(a[1].Word))))
		}
	default:
		return nil
	}
	return func(self uint64, args []Slot, out *frameResults) error {
		recv, err := receiverObject(f, self)
		if err != nil {
			return err
		}
		return call(dataWord(recv), args, out)
	}
}

// typedFrame is the frame path of the common signatures of strings, bytes,
// and containers of ints, or nil.
func typedFrame(fn any) func(args []Slot, out *frameResults) error {
	switch f := fn.(type) {
	case func(string) string:
		return func(a []Slot, out *frameResults) error { return out.oneStr(f(cString(a[0]))) }
	case func(string, string) string:
		return func(a []Slot, out *frameResults) error {
			return out.oneStr(f(cString(a[0]), cString(a[1])))
		}
	case func(string, string, string) string:
		return func(a []Slot, out *frameResults) error {
			return out.oneStr(f(cString(a[0]), cString(a[1]), cString(a[2])))
		}
	case func(string) bool:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = boolWord(f(cString(a[0])))
			return nil
		}
	case func(string, string) bool:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = boolWord(f(cString(a[0]), cString(a[1])))
			return nil
		}
	case func(string) int:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = uint64(f(cString(a[0])))
			return nil
		}
	case func(string, string) int:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = uint64(f(cString(a[0]), cString(a[1])))
			return nil
		}
	case func(string) []string:
		return func(a []Slot, out *frameResults) error { return out.oneStrs(f(cString(a[0]))) }
	case func(string, string) []string:
		return func(a []Slot, out *frameResults) error {
			return out.oneStrs(f(cString(a[0]), cString(a[1])))
		}
	case func(py.Bytes) string:
		return func(a []Slot, out *frameResults) error { return out.oneStr(f(borrowed(a[0]))) }
	case func(py.Bytes) [32]byte:
		return func(a []Slot, out *frameResults) error {
			sum := f(borrowed(a[0]))
			out.reserve(len(sum))
			out.bytes(&out.slots[0], sum[:])
			return nil
		}
	case func(py.Bytes) []byte:
		return func(a []Slot, out *frameResults) error {
			return out.oneBytes(f(borrowed(a[0])))
		}
	case func([]int64) int64:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = uint64(f(goCopy(int64s(a[0]))))
			return nil
		}
	case func([]int) int:
		return func(a []Slot, out *frameResults) error {
			out.slots[0].Word = uint64(f(goCopy(ints(a[0]))))
			return nil
		}
	case func(map[string]int64) int64:
		return func(a []Slot, out *frameResults) error {
			n := int(a[0].Len)
			keys, vals := cSlots(a[0], n), cWords(dictValues(a[0]), n)
			strs := newStringCopies(keys)
			m := make(map[string]int64, n)
			for i, k := range keys {
				m[strs.copy(k)] = int64(vals[i])
			}
			out.slots[0].Word = uint64(f(m))
			return nil
		}
	}
	return nil
}

func boolWord(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// borrowed views a lent buffer for the call, capped so that an append can
// never write past it.
func borrowed(s Slot) py.Bytes {
	b := cBytes(s)
	return py.Bytes(b[:len(b):len(b)])
}

// goCopy copies a view of C memory into Go memory, which the Go function
// may keep. make and copy compile to one allocation that is not zeroed
// first; slices.Clone grows a slice from nothing, about 12 ns slower for
// 16 ints.
func goCopy[T any](items []T) []T {
	c := make([]T, len(items))
	copy(c, items)
	return c
}

// int64s and ints view a list of integers in C memory; the caller copies.
func int64s(s Slot) []int64 {
	if s.Len == 0 {
		return []int64{}
	}
	return unsafe.Slice((*int64)(cPointer(&s.Word)), int(s.Len))
}

func ints(s Slot) []int {
	if s.Len == 0 {
		return []int{}
	}
	return unsafe.Slice((*int)(cPointer(&s.Word)), int(s.Len))
}

// slotValue converts an argument slot of layout l to a Go value of type t.
func slotValue(t reflect.Type, l string, s Slot) reflect.Value {
	switch l[0] {
	case 's':
		return reflect.ValueOf(cString(s)).Convert(t)
	case 'y':
		return reflect.ValueOf(convert.CopyBytes(cBytes(s))).Convert(t)
	case 'Y':
		return reflect.ValueOf(borrowed(s))
	case 'l':
		n := int(s.Len)
		v := reflect.MakeSlice(t, n, n)
		if l[1] == 's' {
			items := cSlots(s, n)
			strs := newStringCopies(items)
			for i, item := range items {
				v.Index(i).SetString(strs.copy(item))
			}
			return v
		}
		for i, w := range cWords(s, n) {
			setWord(v.Index(i), w)
		}
		return v
	case 'm':
		n := int(s.Len)
		m := reflect.MakeMapWithSize(t, n)
		keys, after := cSlots(s, n), dictValues(s)
		strs := newStringCopies(keys)
		k := reflect.New(t.Key()).Elem()
		e := reflect.New(t.Elem()).Elem()
		if l[1] == 's' {
			values := cSlots(after, n)
			vstrs := newStringCopies(values)
			for i, item := range values {
				k.SetString(strs.copy(keys[i]))
				e.SetString(vstrs.copy(item))
				m.SetMapIndex(k, e)
			}
			return m
		}
		for i, w := range cWords(after, n) {
			k.SetString(strs.copy(keys[i]))
			setWord(e, w)
			m.SetMapIndex(k, e)
		}
		return m
	}
	return fromWord(t, s.Word)
}

// dictValues is where the values of a dict argument start: after its
// s.Len key slots.
func dictValues(s Slot) Slot {
	return Slot{Word: s.Word + s.Len*uint64(unsafe.Sizeof(Slot{}))}
}

// oneStr writes the single string result of a call.
func (o *frameResults) oneStr(s string) error {
	if o.inPlace(len(s)) {
		if built, err := o.build(0, BuildASCII, s); built || err != nil {
			return err
		}
	}
	o.reserve(len(s))
	return o.str(&o.slots[0], s)
}

// oneBytes writes the single bytes result of a call.
func (o *frameResults) oneBytes(b []byte) error {
	if o.inPlace(len(b)) {
		_, err := o.build(0, BuildBytes, unsafe.String(unsafe.SliceData(b), len(b)))
		return err
	}
	o.reserve(len(b))
	o.bytes(&o.slots[0], b)
	return nil
}

// oneStrs writes the single []string result of a call.
func (o *frameResults) oneStrs(ss []string) error {
	o.reserve(strsSize(ss))
	return o.strs(&o.slots[0], ss)
}

func strsSize(ss []string) int {
	n := len(ss)*int(unsafe.Sizeof(Slot{})) + 8
	for _, s := range ss {
		n += len(s)
	}
	return n
}

// strs writes a list of strings: its items' slots, then their bytes.
func (o *frameResults) strs(slot *Slot, ss []string) error {
	items := o.slotArray(len(ss))
	for i, s := range ss {
		if err := o.str(&items[i], s); err != nil {
			return err
		}
	}
	*slot = Slot{Word: slotsAddr(items), Len: uint64(len(ss))}
	return nil
}

// slotArray takes room for n slots, aligned for them.
func (o *frameResults) slotArray(n int) []Slot {
	o.align()
	b := o.take(n * int(unsafe.Sizeof(Slot{})))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*Slot)(unsafe.Pointer(&b[0])), n)
}

// wordArray takes room for n scalar patterns, aligned for them.
func (o *frameResults) wordArray(n int) []uint64 {
	o.align()
	b := o.take(n * 8)
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
}

func (o *frameResults) align() {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(o.mem)))
	for (base+uintptr(o.used))%8 != 0 {
		o.used++
	}
}

func slotsAddr(items []Slot) uint64 {
	if len(items) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&items[0])))
}

func wordsAddr(words []uint64) uint64 {
	if len(words) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&words[0])))
}

// values writes results of the general frame path, of layouts ls.
func (o *frameResults) values(ls []string, vals []reflect.Value) error {
	// Large results first: those built in place take no room in C memory.
	size := 0
	for i, v := range vals {
		built, err := o.buildValue(i, ls[i], v)
		if err != nil {
			return err
		}
		if !built {
			size += valueSize(ls[i], v)
		}
	}
	o.reserve(size)
	for i, v := range vals {
		if o.built&(1<<i) != 0 {
			continue
		}
		if err := o.value(&o.slots[i], ls[i], v); err != nil {
			return err
		}
	}
	return nil
}

// buildValue builds result i, v of layout l, in place when it is a large
// bytes, or a large str of ASCII, and reports whether it did.
func (o *frameResults) buildValue(i int, l string, v reflect.Value) (bool, error) {
	switch {
	case l == "s" && o.inPlace(v.Len()):
		return o.build(i, BuildASCII, v.String())
	case l == "y" && v.Kind() == reflect.Slice && o.inPlace(v.Len()):
		b := v.Bytes()
		return o.build(i, BuildBytes, unsafe.String(unsafe.SliceData(b), len(b)))
	}
	return false, nil
}

// valueSize is the room a result takes in C memory, alignment included.
func valueSize(l string, v reflect.Value) int {
	switch l[0] {
	case 's', 'y':
		return v.Len()
	case 'l':
		n := v.Len()
		if l[1] == 's' {
			size := n*int(unsafe.Sizeof(Slot{})) + 8
			for i := 0; i < n; i++ {
				size += v.Index(i).Len()
			}
			return size
		}
		return n*8 + 8
	case 'm':
		n := v.Len()
		size := n*int(unsafe.Sizeof(Slot{})) + 16
		iter := v.MapRange()
		for iter.Next() {
			size += iter.Key().Len()
			if l[1] == 's' {
				size += int(unsafe.Sizeof(Slot{})) + iter.Value().Len()
			} else {
				size += 8
			}
		}
		return size
	}
	return 0
}

// value writes one result of layout l.
func (o *frameResults) value(slot *Slot, l string, v reflect.Value) error {
	switch l[0] {
	case 's':
		return o.str(slot, v.String())
	case 'y':
		if v.Kind() == reflect.Array {
			b := o.take(v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			*slot = Slot{Word: addr(b), Len: uint64(len(b))}
			return nil
		}
		o.bytes(slot, v.Bytes())
		return nil
	case 'l':
		n := v.Len()
		if l[1] == 's' {
			items := o.slotArray(n)
			for i := 0; i < n; i++ {
				if err := o.str(&items[i], v.Index(i).String()); err != nil {
					return err
				}
			}
			*slot = Slot{Word: slotsAddr(items), Len: uint64(n)}
			return nil
		}
		words := o.wordArray(n)
		for i := 0; i < n; i++ {
			words[i] = toRaw(v.Index(i))
		}
		*slot = Slot{Word: wordsAddr(words), Len: uint64(n)}
		return nil
	case 'm':
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.String() < b.String() {
				return -1
			}
			if a.String() > b.String() {
				return 1
			}
			return 0
		})
		n := len(keys)
		// Keys and values are one array: n key slots, then the values.
		if l[1] == 's' {
			items := o.slotArray(2 * n)
			for i, k := range keys {
				if err := o.str(&items[i], k.String()); err != nil {
					return err
				}
				if err := o.str(&items[n+i], v.MapIndex(k).String()); err != nil {
					return err
				}
			}
			*slot = Slot{Word: slotsAddr(items), Len: uint64(n)}
			return nil
		}
		items := o.slotArray(n + (n+1)/2)
		words := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(items[n:]))), n)
		for i, k := range keys {
			if err := o.str(&items[i], k.String()); err != nil {
				return err
			}
			words[i] = toRaw(v.MapIndex(k))
		}
		*slot = Slot{Word: slotsAddr(items), Len: uint64(n)}
		return nil
	}
	slot.Word = toRaw(v)
	return nil
}
