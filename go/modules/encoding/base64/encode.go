package base64

import (
	"encoding/base64"
	"encoding/binary"
	"runtime"
	"sync"
	"unsafe"
)

// encoder encodes with one of the four encodings, faster than
// base64.Encoding.Encode and to the same bytes: Go's encoder takes 3 input
// bytes a step, with four table lookups and four stores; this one takes 6
// bytes in one 64-bit load and writes their 8 characters with four
// lookups in a table of character pairs and one 64-bit store. Large inputs
// are split among goroutines.
type encoder struct {
	enc *base64.Encoding
	// pairs[v] is the two characters of the 12 bits v, the first in the
	// low byte: the order a little-endian store writes them in.
	pairs [1 << 12]uint16
}

const (
	stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

var (
	stdEncoder    = newEncoder(base64.StdEncoding, stdAlphabet)
	urlEncoder    = newEncoder(base64.URLEncoding, urlAlphabet)
	rawStdEncoder = newEncoder(base64.RawStdEncoding, stdAlphabet)
	rawURLEncoder = newEncoder(base64.RawURLEncoding, urlAlphabet)
)

func newEncoder(enc *base64.Encoding, alphabet string) *encoder {
	e := &encoder{enc: enc}
	for v := range e.pairs {
		e.pairs[v] = uint16(alphabet[v>>6]) | uint16(alphabet[v&63])<<8
	}
	return e
}

const (
	// parallelFrom is the input size from which encoding is split among
	// goroutines: below it, starting them costs more than it saves.
	parallelFrom = 1 << 20
	// minShare is the least input one goroutine is given.
	minShare = 512 << 10
	// block is the input one step of the loop encodes; shares are whole
	// blocks, so that only the last one ends in padding.
	block = 24
)

// encodeToString returns the encoding of data as a string that shares
// the buffer it was written to, which nothing else holds: on large inputs
// enc.EncodeToString's last copy costs as much as the encoding itself.
func (e *encoder) encodeToString(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	buf := make([]byte, e.enc.EncodedLen(len(data)))
	e.encode(buf, data)
	return unsafe.String(&buf[0], len(buf))
}

// encode writes the encoding of src to dst, which has room for it.
func (e *encoder) encode(dst, src []byte) {
	shares := min(runtime.GOMAXPROCS(0), len(src)/minShare)
	if len(src) < parallelFrom || shares < 2 {
		e.encodeBlocks(dst, src)
		return
	}
	size := len(src) / shares / block * block
	var wg sync.WaitGroup
	wg.Add(shares - 1)
	for i := 0; i < shares-1; i++ {
		go func(in []byte, out []byte) {
			defer wg.Done()
			e.encodeBlocks(out, in)
		}(src[i*size:(i+1)*size], dst[i*size/3*4:])
	}
	last := (shares - 1) * size
	e.encodeBlocks(dst[last/3*4:], src[last:])
	wg.Wait()
}

// encodeBlocks encodes src a block at a time, and what is left after the
// last whole block that can be read 8 bytes at a time as Go's encoder
// does, with its padding.
func (e *encoder) encodeBlocks(dst, src []byte) {
	t := &e.pairs
	i, j := 0, 0
	// The last load of a block reads 2 bytes past it.
	for ; len(src)-i >= block+2; i, j = i+block, j+block/3*4 {
		in := src[i : i+block+2 : i+block+2]
		out := dst[j : j+block/3*4 : j+block/3*4]
		for k := 0; k < 4; k++ {
			x := binary.BigEndian.Uint64(in[6*k:])
			binary.LittleEndian.PutUint64(out[8*k:], uint64(t[x>>52])|
				uint64(t[x>>40&0xfff])<<16|
				uint64(t[x>>28&0xfff])<<32|
				uint64(t[x>>16&0xfff])<<48)
		}
	}
	e.enc.Encode(dst[j:], src[i:])
}
