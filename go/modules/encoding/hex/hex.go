// Package hex implements hexadecimal encoding and decoding, with Go's
// encoding/hex.
//
// Decoding accepts upper and lower case digits; an odd length or a
// character that is not a hexadecimal digit raises ValueError.
package hex

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module encoding.hex

import (
	"encoding/hex"

	"github.com/gobridge/gobridge/py"
)

// Encode returns the lowercase hexadecimal encoding of data.
func Encode(data py.Bytes) string { return hex.EncodeToString(data) }

// Decode returns the bytes represented by the hexadecimal string s. It
// expects s to contain only hexadecimal characters and to have an even
// length; otherwise the error is a hex.InvalidByteError or hex.ErrLength.
func Decode(s string) ([]byte, error) { return hex.DecodeString(s) }

// Dump returns a string that contains a hex dump of the given data. The
// format of the hex dump matches the output of `hexdump -C` on the
// command line.
func Dump(data py.Bytes) string { return hex.Dump(data) }
