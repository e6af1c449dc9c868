// Package md5 implements the MD5 hash algorithm as defined in RFC 1321,
// with Go's crypto/md5.
//
// MD5 is cryptographically broken and should not be used for secure
// applications.
//
// Use sum(data) for a one-shot digest, or new() for a hash object in the
// style of hashlib, fed with update(). Both read their data in place,
// without copying it.
package md5

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module crypto.md5 -rename Hash.HexDigest=hexdigest -exclude Hash.MarshalBinary,Hash.UnmarshalBinary

import (
	"crypto/md5"
	"fmt"

	"github.com/gobridge/gobridge/modules/crypto/internal/hashobj"
	"github.com/gobridge/gobridge/py"
)

// The sizes of the algorithm, in bytes.
const (
	// Size is the size of an MD5 checksum in bytes.
	Size = md5.Size
	// BlockSize is the block size of MD5 in bytes.
	BlockSize = md5.BlockSize
)

// Sum returns the MD5 checksum of the data.
func Sum(data py.Bytes) [Size]byte { return md5.Sum(data) }

// New returns a new MD5 hash object.
func New() *Hash {
	return &Hash{Name: "md5", DigestSize: Size, BlockSize: BlockSize, state: hashobj.New(md5.New)}
}

// Hash is a running MD5 hash, like the objects of Python's hashlib. It is
// safe for concurrent use.
type Hash struct {
	// Name is the algorithm's name as hashlib spells it: md5.
	Name string `py:",readonly"`
	// DigestSize is the size of the digest in bytes.
	DigestSize int `py:",readonly"`
	// BlockSize is the algorithm's internal block size in bytes.
	BlockSize int `py:",readonly"`

	state *hashobj.State
}

// Update adds data to the hash. The data is read in place, without a copy.
func (h *Hash) Update(data py.Bytes) { h.state.Write(data) }

// Digest returns the digest of the data passed to Update so far.
func (h *Hash) Digest() []byte { return h.state.Sum() }

// HexDigest returns the digest as a string of lowercase hexadecimal digits.
func (h *Hash) HexDigest() string { return h.state.HexSum() }

// Copy returns an independent copy of the hash, to compute the digests of
// data sharing a common prefix.
func (h *Hash) Copy() *Hash {
	c := *h
	c.state = h.state.Clone()
	return &c
}

// MarshalBinary implements encoding.BinaryMarshaler: the algorithm's name,
// a colon, and the running hash's state. Pickling a hash object goes
// through it, so a hash fed in one process can be finished in another.
func (h *Hash) MarshalBinary() ([]byte, error) {
	return h.state.MarshalNamed(h.Name)
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler: it makes h the
// hash MarshalBinary wrote.
func (h *Hash) UnmarshalBinary(data []byte) error {
	name, state := hashobj.SplitNamed(data)
	if name != "md5" {
		return fmt.Errorf("crypto.md5: not the state of an MD5 hash (algorithm %q)", name)
	}
	restored, err := hashobj.Restore(md5.New, state)
	if err != nil {
		return fmt.Errorf("crypto.md5: %w", err)
	}
	*h = Hash{Name: "md5", DigestSize: Size, BlockSize: BlockSize, state: restored}
	return nil
}
