package hashobj

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
	"testing"
)

func TestStateSumAndClone(t *testing.T) {
	tests := []struct {
		name   string
		fresh  func() hash.Hash
		prefix string
		a, b   string // digests of prefix+"a" and prefix+"b"
	}{
		{"sha256", sha256.New, "hello ", hexOf(sha256.New, "hello a"), hexOf(sha256.New, "hello b")},
		{"md5", md5.New, "hello ", hexOf(md5.New, "hello a"), hexOf(md5.New, "hello b")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.fresh)
			s.Write([]byte(tt.prefix))
			c := s.Clone()
			s.Write([]byte("a"))
			c.Write([]byte("b"))
			if got := s.HexSum(); got != tt.a {
				t.Errorf("original: %s, want %s", got, tt.a)
			}
			if got := c.HexSum(); got != tt.b {
				t.Errorf("clone: %s, want %s", got, tt.b)
			}
			// Sum must not disturb the running state.
			if got := s.HexSum(); got != tt.a {
				t.Errorf("second Sum: %s, want %s", got, tt.a)
			}
		})
	}
}

func hexOf(fresh func() hash.Hash, s string) string {
	h := fresh()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

// TestConcurrentUse is for the race detector: Python threads may share one
// hash object while the GIL is released.
func TestConcurrentUse(t *testing.T) {
	s := New(sha256.New)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				s.Write([]byte("x"))
				_ = s.Sum()
				_ = s.Clone()
			}
		}()
	}
	wg.Wait()
	want := hexOf(sha256.New, string(make800x()))
	if got := s.HexSum(); got != want {
		t.Errorf("after 800 concurrent writes: %s, want %s", got, want)
	}
}

func make800x() []byte {
	b := make([]byte, 800)
	for i := range b {
		b[i] = 'x'
	}
	return b
}

func TestMarshalAndRestore(t *testing.T) {
	tests := []struct {
		name    string
		fresh   func() hash.Hash
		restore func() hash.Hash // the algorithm Restore is given
		ok      bool
	}{
		{"sha256", sha256.New, sha256.New, true},
		{"md5", md5.New, md5.New, true},
		{"sha256 state read as md5", sha256.New, md5.New, false},
		{"sha256 state read as sha224", sha256.New, sha256.New224, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.fresh)
			s.Write([]byte("hello "))
			data, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			r, err := Restore(tt.restore, data)
			if (err == nil) != tt.ok {
				t.Fatalf("Restore: %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				return
			}
			r.Write([]byte("world"))
			if got, want := r.HexSum(), hexOf(tt.fresh, "hello world"); got != want {
				t.Errorf("restored: %s, want %s", got, want)
			}
			if got, want := s.HexSum(), hexOf(tt.fresh, "hello "); got != want {
				t.Errorf("original changed: %s, want %s", got, want)
			}
		})
	}
}
