// Package hashobj is the state behind the hashlib-style hash objects of
// the gomod.crypto submodules.
package hashobj

import (
	"bytes"
	"encoding"
	"encoding/hex"
	"fmt"
	"hash"
	"sync"
)

// State is a running hash that may be used from several Python threads at
// once: gobridge releases the GIL during calls, and a hash.Hash is not safe
// for concurrent use, so every access is serialised, as hashlib does.
type State struct {
	mu    sync.Mutex
	h     hash.Hash
	fresh func() hash.Hash
}

// New returns the state of a new hash made by fresh, which also makes the
// hashes that copies of it start from.
func New(fresh func() hash.Hash) *State {
	return &State{h: fresh(), fresh: fresh}
}

// Write adds p to the hash. The hash does not keep p, so p may be a
// borrowed view of Python memory.
func (s *State) Write(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h.Write(p) // a hash.Hash never returns an error
}

// Sum returns the digest of the data written so far, leaving the state
// unchanged.
func (s *State) Sum() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.Sum(nil)
}

// HexSum returns Sum in lowercase hexadecimal.
func (s *State) HexSum() string { return hex.EncodeToString(s.Sum()) }

// Clone returns an independent state holding the same data. It goes
// through the hash's binary marshaling, which every standard library hash
// implements, rather than hash.Cloner, which is newer than the Go version
// the module supports.
func (s *State) Clone() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := s.h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic(fmt.Sprintf("hashobj: cannot copy %T: %v", s.h, err))
	}
	h := s.fresh()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(data); err != nil {
		panic(fmt.Sprintf("hashobj: cannot copy %T: %v", s.h, err))
	}
	return &State{h: h, fresh: s.fresh}
}

// MarshalBinary returns the running hash's state as the hash's own
// encoding.BinaryMarshaler writes it (which names the algorithm), for the
// hash objects' pickling.
func (s *State) MarshalBinary() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.(encoding.BinaryMarshaler).MarshalBinary()
}

// MarshalNamed returns the running hash's state after the algorithm's
// Python name and a colon, the form the hash objects pickle in, so that a
// reader knows which constructor continues it (see SplitNamed).
func (s *State) MarshalNamed(name string) ([]byte, error) {
	state, err := s.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append([]byte(name+":"), state...), nil
}

// SplitNamed splits what MarshalNamed wrote into the algorithm's name and
// the state that Restore continues from.
func SplitNamed(data []byte) (name string, state []byte) {
	before, after, _ := bytes.Cut(data, []byte(":"))
	return string(before), after
}

// Restore returns the state of a new hash made by fresh that continues
// from data written by MarshalBinary. The hash checks that data is its
// own: the state of another algorithm is an error, not a wrong digest.
func Restore(fresh func() hash.Hash, data []byte) (*State, error) {
	h := fresh()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return &State{h: h, fresh: fresh}, nil
}
