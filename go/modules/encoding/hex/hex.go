// Package hex implements hexadecimal encoding and decoding, with Go's
// encoding/hex.
//
// Decoding accepts upper and lower case digits; an odd length raises
// ErrLength and a character that is not a hexadecimal digit
// InvalidByteError, both subclasses of ValueError.
package hex

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module encoding.hex

import (
	"encoding/hex"

	"github.com/gobridge/gobridge/py"
)

// ErrLength reports an attempt to decode an odd-length input.
var ErrLength = hex.ErrLength

// InvalidByteError describes an invalid byte in a hex string: a character
// that is not a hexadecimal digit.
type InvalidByteError = hex.InvalidByteError

// Encode returns the lowercase hexadecimal encoding of data.
func Encode(data py.Bytes) string { return hex.EncodeToString(data) }

// Decode returns the bytes represented by the hexadecimal string s. It
// expects s to contain only hexadecimal characters and to have an even
// length; otherwise the error is an InvalidByteError or ErrLength.
func Decode(s string) ([]byte, error) { return hex.DecodeString(s) }

// Dump returns a string that contains a hex dump of the given data. The
// format of the hex dump matches the output of `hexdump -C` on the
// command line.
func Dump(data py.Bytes) string { return hex.Dump(data) }
