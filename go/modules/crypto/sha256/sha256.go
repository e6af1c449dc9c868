// Package sha256 implements the SHA-224 and SHA-256 hash algorithms as
// defined in FIPS 180-4, with Go's crypto/sha256.
//
// Use sum256(data) for a one-shot digest, or new() for a hash object in the
// style of hashlib, fed with update(). Both read their data in place: a
// bytes, bytearray or memoryview argument is hashed without being copied.
package sha256

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module crypto.sha256 -rename Hash.HexDigest=hexdigest -exclude Hash.MarshalBinary,Hash.UnmarshalBinary

import (
	"crypto/sha256"
	"fmt"
	"hash"

	"github.com/gobridge/gobridge/modules/crypto/internal/hashobj"
	"github.com/gobridge/gobridge/py"
)

// The sizes of the algorithms, in bytes.
const (
	// Size is the size of a SHA-256 checksum in bytes.
	Size = sha256.Size
	// Size224 is the size of a SHA-224 checksum in bytes.
	Size224 = sha256.Size224
	// BlockSize is the block size of SHA-256 and SHA-224 in bytes.
	BlockSize = sha256.BlockSize
)

// Sum256 returns the SHA256 checksum of the data.
func Sum256(data py.Bytes) [Size]byte { return sha256.Sum256(data) }

// Sum224 returns the SHA224 checksum of the data.
func Sum224(data py.Bytes) [Size224]byte { return sha256.Sum224(data) }

// New returns a new SHA-256 hash object.
func New() *Hash { return newHash("sha256", Size, sha256.New) }

// New224 returns a new SHA-224 hash object.
func New224() *Hash { return newHash("sha224", Size224, sha256.New224) }

func newHash(name string, size int, fresh func() hash.Hash) *Hash {
	return &Hash{Name: name, DigestSize: size, BlockSize: BlockSize, state: hashobj.New(fresh)}
}

// Hash is a running SHA-256 or SHA-224 hash, like the objects of Python's
// hashlib. It is safe for concurrent use.
type Hash struct {
	// Name is the algorithm's name as hashlib spells it: sha256 or sha224.
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
	var fresh func() hash.Hash
	var size int
	switch name {
	case "sha256":
		fresh, size = sha256.New, Size
	case "sha224":
		fresh, size = sha256.New224, Size224
	default:
		return fmt.Errorf("crypto.sha256: not the state of a SHA-256 or SHA-224 hash (algorithm %q)", name)
	}
	restored, err := hashobj.Restore(fresh, state)
	if err != nil {
		return fmt.Errorf("crypto.sha256: %w", err)
	}
	*h = Hash{Name: name, DigestSize: size, BlockSize: BlockSize, state: restored}
	return nil
}
