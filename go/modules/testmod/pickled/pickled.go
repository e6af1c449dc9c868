// Package pickled is the private module _pickling of gobridge's default
// library (part of every library that has _testing): Go objects of every
// kind pickling tells apart, for gobridge's own tests. It is not part of
// gobridge's public API and may change at any time.
package pickled

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"github.com/gobridge/gobridge/py"
)

// Temperature is a struct that crosses by value and pickles as text: its
// MarshalText has a value receiver and UnmarshalText a pointer one.
type Temperature struct {
	Celsius float64
}

// MarshalText writes the temperature as "21.5C".
func (t Temperature) MarshalText() ([]byte, error) {
	return []byte(strconv.FormatFloat(t.Celsius, 'g', -1, 64) + "C"), nil
}

// UnmarshalText reads what MarshalText wrote.
func (t *Temperature) UnmarshalText(b []byte) error {
	s, ok := strings.CutSuffix(string(b), "C")
	if !ok {
		return fmt.Errorf("temperature %q does not end in C", b)
	}
	c, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	t.Celsius = c
	return nil
}

// Versioned implements both the binary and the text interfaces; Via
// records which one built it, for the test that binary is preferred.
type Versioned struct {
	N   int
	Via string
}

// MarshalBinary writes N in decimal.
func (v *Versioned) MarshalBinary() ([]byte, error) { return []byte(strconv.Itoa(v.N)), nil }

// UnmarshalBinary reads N.
func (v *Versioned) UnmarshalBinary(b []byte) error {
	n, err := strconv.Atoi(string(b))
	v.N, v.Via = n, "binary"
	return err
}

// MarshalText writes N in decimal.
func (v *Versioned) MarshalText() ([]byte, error) { return v.MarshalBinary() }

// UnmarshalText reads N.
func (v *Versioned) UnmarshalText(b []byte) error {
	n, err := strconv.Atoi(string(b))
	v.N, v.Via = n, "text"
	return err
}

// Opaque implements no marshalling: it cannot be pickled or copied. Its
// field is unexported, so that it is a Go object rather than a value
// struct, which pickles as its fields.
type Opaque struct {
	n int
}

// Unwritable claims binary marshalling, but its MarshalBinary fails.
type Unwritable struct{}

// MarshalBinary always fails.
func (*Unwritable) MarshalBinary() ([]byte, error) {
	return nil, errors.New("unwritable on purpose")
}

// UnmarshalBinary accepts anything.
func (*Unwritable) UnmarshalBinary([]byte) error { return nil }

// _pickling returns Go objects of every kind pickling distinguishes. It is
// written by hand because it declares, with Module.Types, a type its
// functions return behind an interface: the unexported hash of
// crypto/sha256. The hash of crypto/md5 it returns the same way is left
// undeclared, so it copies but does not pickle.
func init() {
	py.Register("_pickling", py.ModuleDef{
		Doc: "Private test module of Go objects that pickle, and of some that do not.",
		Exec: func(m *py.Module) error {
			m.Class(Temperature{})
			m.Class((*Versioned)(nil))
			m.Class((*Opaque)(nil))
			m.Class((*Unwritable)(nil))
			m.Types(sha256.New())
			m.Func(func(c float64) Temperature { return Temperature{c} }, py.Name("temperature"), py.Params("celsius"))
			m.Func(func(n int) *Versioned { return &Versioned{N: n, Via: "new"} }, py.Name("versioned"), py.Params("n"))
			m.Func(func(n int) *Opaque { return &Opaque{n} }, py.Name("opaque"), py.Params("n"))
			m.Func(func() *Unwritable { return &Unwritable{} }, py.Name("unwritable"))
			m.Func(func(data []byte) any { return started(sha256.New(), data) }, py.Name("sha256_started"), py.Params("data"))
			m.Func(func(data []byte) any { return started(md5.New(), data) }, py.Name("md5_started"), py.Params("data"))
			m.Func(hashWrite, py.Name("hash_write"), py.Params("h", "data"))
			m.Func(hashHex, py.Name("hash_hex"), py.Params("h"))
			return nil
		},
	})
}

// started returns h after writing data to it: a hash.Hash whose concrete
// type is unexported, as a function returning an interface hands it out.
func started(h hash.Hash, data []byte) any {
	h.Write(data)
	return h
}

// hashWrite writes data to h, which must be a hash.Hash: the unexported
// hash of crypto/md5 has no methods Python can call.
func hashWrite(h any, data []byte) error {
	hh, ok := h.(hash.Hash)
	if !ok {
		return py.TypeError("hash_write: %T is not a hash.Hash", h)
	}
	hh.Write(data)
	return nil
}

// hashHex returns the hexadecimal digest of h, which must be a hash.Hash.
func hashHex(h any) (string, error) {
	hh, ok := h.(hash.Hash)
	if !ok {
		return "", py.TypeError("hash_hex: %T is not a hash.Hash", h)
	}
	return hex.EncodeToString(hh.Sum(nil)), nil
}
