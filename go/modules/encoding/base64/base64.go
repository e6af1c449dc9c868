// Package base64 implements base64 encoding as specified by RFC 4648, with
// Go's encoding/base64.
//
// The standard alphabet uses + and /, the URL alphabet - and _; the raw
// variants omit the = padding. Decoding ignores newlines but is otherwise
// strict: a character outside the alphabet or bad padding raises
// CorruptInputError, a subclass of ValueError, naming the offset of the
// first bad byte.
package base64

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module encoding.base64

import (
	"encoding/base64"

	"github.com/gobridge/gobridge/py"
)

// CorruptInputError reports illegal base64 data: its value is the offset
// of the first bad byte.
type CorruptInputError = base64.CorruptInputError

// StandardEncode returns the standard base64 encoding of data, with
// padding, as defined in RFC 4648.
func StandardEncode(data py.Bytes) string { return stdEncoder.encodeToString(data) }

// StandardDecode returns the bytes represented by the standard base64
// string s, which must be padded.
func StandardDecode(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// URLEncode returns the base64 encoding of data with the alternate,
// URL- and filename-safe alphabet of RFC 4648, with padding.
func URLEncode(data py.Bytes) string { return urlEncoder.encodeToString(data) }

// URLDecode returns the bytes represented by the padded base64 string s in
// the URL-safe alphabet.
func URLDecode(s string) ([]byte, error) { return base64.URLEncoding.DecodeString(s) }

// RawStandardEncode returns the standard base64 encoding of data without
// padding, as defined in RFC 4648 section 3.2.
func RawStandardEncode(data py.Bytes) string { return rawStdEncoder.encodeToString(data) }

// RawStandardDecode returns the bytes represented by the unpadded standard
// base64 string s.
func RawStandardDecode(s string) ([]byte, error) { return base64.RawStdEncoding.DecodeString(s) }

// RawURLEncode returns the base64 encoding of data with the URL-safe
// alphabet and no padding, as in JSON Web Tokens.
func RawURLEncode(data py.Bytes) string { return rawURLEncoder.encodeToString(data) }

// RawURLDecode returns the bytes represented by the unpadded base64 string
// s in the URL-safe alphabet.
func RawURLDecode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
