// Package all links every module of gobridge's default library into the
// program that imports it, for their init functions to register them. The
// private test modules are in package testmod, which a library meant for
// users leaves out.
package all

import (
	_ "github.com/gobridge/gobridge/modules/crypto"
	_ "github.com/gobridge/gobridge/modules/crypto/md5"
	_ "github.com/gobridge/gobridge/modules/crypto/sha256"
	_ "github.com/gobridge/gobridge/modules/encoding"
	_ "github.com/gobridge/gobridge/modules/encoding/base64"
	_ "github.com/gobridge/gobridge/modules/encoding/hex"
	_ "github.com/gobridge/gobridge/modules/math"
	_ "github.com/gobridge/gobridge/modules/math/bits"
	_ "github.com/gobridge/gobridge/modules/regexp"
	_ "github.com/gobridge/gobridge/modules/strings"
)
