// Package crypto is the gomod.crypto package: Go's cryptographic hash
// functions for Python, in the style of hashlib.
//
// Each algorithm is a submodule (gomod.crypto.sha256, gomod.crypto.md5)
// with a one-shot function that reads its data in place, without copying
// it, and a new() function returning a hash object with update(),
// digest(), hexdigest() and copy().
package crypto

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module crypto -package
