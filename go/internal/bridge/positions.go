package bridge

import (
	"encoding/binary"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/gobridge/gobridge/pyerr"
)

// Positions within a str count code points in Python and UTF-8 bytes in
// Go. A function declared with py.Positions has its position parameters
// converted to byte offsets before the call, and its position results to
// code point indexes after it, on every path it takes: the frame path
// converts the slots in place, the general path the Go values. The string
// is the call's own argument, read where it lies, so a conversion
// allocates nothing and looks only at the string's bytes up to the
// position, eight at a time while they are ASCII.

// positionPlan is what a function's conversions need: its py.PositionSpecs
// with indexes into the parameters Python passes (self excluded).
type positionPlan struct {
	f     *function
	specs []positionSpec
}

type positionSpec struct {
	str     int
	params  []int
	results []int
}

// newPositionPlan returns the plan of f, or nil when f declares no
// positions.
func newPositionPlan(f *function) *positionPlan {
	if f.desc == nil || len(f.desc.Positions) == 0 {
		return nil
	}
	shift := 0
	if f.recvType != nil {
		shift = 1 // Positions counts self among the parameters
	}
	p := &positionPlan{f: f}
	for _, s := range f.desc.Positions {
		spec := positionSpec{str: s.Str - shift, results: s.Results}
		for _, i := range s.Params {
			spec.params = append(spec.params, i-shift)
		}
		p.specs = append(p.specs, spec)
	}
	return p
}

// runeCounter converts byte offsets within s to code point indexes. It
// remembers where it last counted to and counts on (or back) from there,
// so that a run of positions in order, as a regexp's matches are, costs
// one pass over the string.
type runeCounter struct {
	s string
	b int // a byte offset
	n int // the characters that start before b
}

// byteFinder converts code point indexes within s to byte offsets, moving
// from its last answer as runeCounter does.
type byteFinder struct {
	s string
	b int // a byte offset on a character boundary
	r int // the code point index at b
}

const highBits = 0x8080808080808080

// word is the eight bytes of s from i, the first in the low byte: one load
// where the machine allows it.
func word(s string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
}

// codePoints counts the characters that start in s: its bytes that are not
// UTF-8 continuation bytes (10xxxxxx).
func codePoints(s string) int {
	cont := 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := word(s, i)
		// A continuation byte has its top bit set and the next one clear;
		// shifting by one puts each byte's second bit under its first. An
		// ASCII word has none.
		cont += bits.OnesCount64(w &^ (w << 1) & highBits)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return len(s) - cont
}

// index is the code point index of byte offset b; ok is false when b is
// beyond the end of s. A negative b, Go's "none", is kept. An offset
// inside a character's encoding is that character's index.
func (c *runeCounter) index(b int64) (r int64, ok bool) {
	switch {
	case b < 0:
		return b, true
	case b > int64(len(c.s)):
		return 0, false
	}
	to := int(b)
	if to >= c.b {
		c.n += codePoints(c.s[c.b:to])
	} else {
		c.n -= codePoints(c.s[to:c.b])
	}
	c.b = to
	if to < len(c.s) && c.s[to]&0xC0 == 0x80 {
		return int64(c.n - 1), true
	}
	return int64(c.n), true
}

// offset is the byte offset of code point index r; ok is false when r is
// beyond the end of s. A negative r is kept.
func (c *byteFinder) offset(r int64) (b int64, ok bool) {
	switch {
	case r < 0:
		return r, true
	case r > int64(len(c.s)):
		return 0, false // more characters than bytes
	}
	want := int(r)
	s, at, n := c.s, c.b, c.r
	for n > want {
		at--
		for s[at]&0xC0 == 0x80 {
			at--
		}
		n--
	}
	for n < want {
		// Skip whole words of ASCII, one character per byte.
		for want-n >= 8 && at+8 <= len(s) && word(s, at)&highBits == 0 {
			at, n = at+8, n+8
		}
		if n == want {
			break
		}
		if at >= len(s) {
			return 0, false
		}
		at++
		for at < len(s) && s[at]&0xC0 == 0x80 {
			at++
		}
		n++
	}
	c.b, c.r = at, n
	return int64(at), true
}

// positionError is the ValueError of a position parameter beyond the end
// of its string.
func (p *positionPlan) positionError(spec *positionSpec, param string, r int64, s string) error {
	return pyerr.ValueError("%s(): %s=%d is beyond the end of %s, whose length is %d",
		p.f.name, param, r, p.f.params[spec.str].Name, codePoints(s))
}

// overflowError is the OverflowError of a position parameter whose byte
// offset does not fit the parameter's Go type.
func (p *positionPlan) overflowError(spec *positionSpec, param string, r, b int64) error {
	return pyerr.OverflowError("%s(): %s=%d is byte %d of %s, which does not fit the parameter's Go type",
		p.f.name, param, r, b, p.f.params[spec.str].Name)
}

// resultError is the error of a position result beyond the end of its
// string: the Go function broke its declaration.
func (p *positionPlan) resultError(spec *positionSpec, b int64, s string) error {
	return pyerr.RuntimeError("%s() returned the position %d, beyond the end of %s (%d bytes in Go)",
		p.f.name, b, p.f.params[spec.str].Name, len(s))
}

// ---- The frame path -------------------------------------------------------

// frame wraps the frame path of the function: position parameters are
// converted in their slots before the call (the slots and lists are the
// call's own copies), and results in the C memory they were written to.
func (p *positionPlan) frame(inner frameFunc, params, results []string) frameFunc {
	return func(self uint64, args []Slot, out *frameResults) error {
		for k := range p.specs {
			spec := &p.specs[k]
			if len(spec.params) == 0 {
				continue
			}
			c := byteFinder{s: slotString(args[spec.str])}
			for _, i := range spec.params {
				if err := p.frameParam(spec, &c, i, params[i], &args[i]); err != nil {
					return err
				}
			}
		}
		if err := inner(self, args, out); err != nil {
			return err
		}
		for k := range p.specs {
			spec := &p.specs[k]
			c := runeCounter{s: slotString(args[spec.str])}
			for _, i := range spec.results {
				if err := p.frameResult(spec, &c, results[i], &out.slots[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// slotString views a string argument's bytes, which the caller holds for
// the whole call, without copying them.
func slotString(s Slot) string {
	if s.Len == 0 {
		return ""
	}
	return unsafe.String((*byte)(cPointer(&s.Word)), int(s.Len))
}

// frameParam converts parameter i, of layout l, in its slot.
func (p *positionPlan) frameParam(spec *positionSpec, c *byteFinder, i int, l string, slot *Slot) error {
	if l[0] != 'l' {
		return p.toBytes(spec, c, l[0], &slot.Word, i, -1)
	}
	words := cWords(*slot, int(slot.Len))
	for j := range words {
		if err := p.toBytes(spec, c, l[1], &words[j], i, j); err != nil {
			return err
		}
	}
	return nil
}

// toBytes converts one position word of parameter i (item j of it, or the
// parameter itself when j < 0), of an integer type of frame letter
// letter, from a code point index to a byte offset.
func (p *positionPlan) toBytes(spec *positionSpec, c *byteFinder, letter byte, w *uint64, i, j int) error {
	r := int64(*w)
	if isUnsigned(letter) && *w > math.MaxInt64 {
		r = math.MaxInt64
	}
	b, ok := c.offset(r)
	if !ok {
		return p.positionError(spec, p.paramName(i, j), r, c.s)
	}
	if !fitsLetter(letter, b) {
		return p.overflowError(spec, p.paramName(i, j), r, b)
	}
	*w = uint64(b)
	return nil
}

// paramName names parameter i, or item j of it when j >= 0, in messages.
func (p *positionPlan) paramName(i, j int) string {
	if j < 0 {
		return p.f.params[i].Name
	}
	return p.f.params[i].Name + "[" + strconv.Itoa(j) + "]"
}

// frameResult converts result i, of layout l, where it was written.
func (p *positionPlan) frameResult(spec *positionSpec, c *runeCounter, l string, slot *Slot) error {
	if l[0] != 'l' {
		return p.toRunes(spec, c, l[0], &slot.Word)
	}
	words := cWords(*slot, int(slot.Len))
	for j := range words {
		if err := p.toRunes(spec, c, l[1], &words[j]); err != nil {
			return err
		}
	}
	return nil
}

// toRunes converts one position word from a byte offset to a code point
// index.
func (p *positionPlan) toRunes(spec *positionSpec, c *runeCounter, letter byte, w *uint64) error {
	b := int64(*w)
	if isUnsigned(letter) && *w > math.MaxInt64 {
		b = math.MaxInt64
	}
	r, ok := c.index(b)
	if !ok {
		return p.resultError(spec, b, c.s)
	}
	*w = uint64(r)
	return nil
}

func isUnsigned(letter byte) bool { return letter >= 'A' && letter <= 'Z' }

// fitsLetter reports whether byte offset b fits the integer type of a
// frame letter.
func fitsLetter(letter byte, b int64) bool {
	switch letter {
	case 'b':
		return b <= math.MaxInt8
	case 'h':
		return b <= math.MaxInt16
	case 'i':
		return b <= math.MaxInt32
	case 'B':
		return b <= math.MaxUint8
	case 'H':
		return b <= math.MaxUint16
	case 'I':
		return b <= math.MaxUint32
	}
	return true
}

// ---- The general path -----------------------------------------------------

// convertArgs converts the position parameters among in, the Go values of
// the parameters Python passed, in place: they are the call's own copies.
func (p *positionPlan) convertArgs(in []reflect.Value) error {
	for k := range p.specs {
		spec := &p.specs[k]
		c := byteFinder{s: in[spec.str].String()}
		for _, i := range spec.params {
			v := in[i]
			if v.Kind() != reflect.Slice {
				b, err := p.valueToBytes(spec, &c, v, i, -1)
				if err != nil {
					return err
				}
				in[i] = b
				continue
			}
			for j := 0; j < v.Len(); j++ {
				b, err := p.valueToBytes(spec, &c, v.Index(j), i, j)
				if err != nil {
					return err
				}
				v.Index(j).Set(b)
			}
		}
	}
	return nil
}

// valueToBytes is the byte offset of the code point index v, of an
// integer type, as a value of that type.
func (p *positionPlan) valueToBytes(spec *positionSpec, c *byteFinder, v reflect.Value, i, j int) (reflect.Value, error) {
	r := intOf(v)
	b, ok := c.offset(r)
	if !ok {
		return v, p.positionError(spec, p.paramName(i, j), r, c.s)
	}
	out := reflect.New(v.Type()).Elem()
	if !setInt(out, b) {
		return v, p.overflowError(spec, p.paramName(i, j), r, b)
	}
	return out, nil
}

// convertResults returns the results of a call on the arguments in, with
// position results as code point indexes. Slices are copied: the Go
// function may keep the ones it returned.
func (p *positionPlan) convertResults(in, results []reflect.Value) error {
	for k := range p.specs {
		spec := &p.specs[k]
		c := runeCounter{s: in[spec.str].String()}
		for _, i := range spec.results {
			v, err := p.valueToRunes(spec, &c, results[i])
			if err != nil {
				return err
			}
			results[i] = v
		}
	}
	return nil
}

// valueToRunes converts a position result, an integer or a slice (of
// slices) of them, to a new value of the same type.
func (p *positionPlan) valueToRunes(spec *positionSpec, c *runeCounter, v reflect.Value) (reflect.Value, error) {
	if v.Kind() == reflect.Slice {
		if v.IsNil() {
			return v, nil
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for j := 0; j < v.Len(); j++ {
			item, err := p.valueToRunes(spec, c, v.Index(j))
			if err != nil {
				return v, err
			}
			out.Index(j).Set(item)
		}
		return out, nil
	}
	b := intOf(v)
	r, ok := c.index(b)
	if !ok {
		return v, p.resultError(spec, b, c.s)
	}
	out := reflect.New(v.Type()).Elem()
	setInt(out, r) // r <= b, so it fits
	return out, nil
}

// intOf is the value of an integer, with unsigned ones beyond int64 capped.
func intOf(v reflect.Value) int64 {
	if v.CanInt() {
		return v.Int()
	}
	if u := v.Uint(); u <= math.MaxInt64 {
		return int64(u)
	}
	return math.MaxInt64
}

// setInt stores n in the integer v and reports whether it fits.
func setInt(v reflect.Value, n int64) bool {
	if v.CanInt() {
		if v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	}
	if n < 0 || v.OverflowUint(uint64(n)) {
		return false
	}
	v.SetUint(uint64(n))
	return true
}
