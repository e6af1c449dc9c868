// Package encoding is the gomod.encoding package: Go's binary-to-text
// encodings for Python, in the submodules gomod.encoding.base64 and
// gomod.encoding.hex.
//
// Encoders read their data in place, without copying it, and return str;
// decoders take str and return bytes. Malformed input raises ValueError
// carrying Go's error, which says where the input went wrong.
package encoding

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module encoding -package
