// Command libgobridge is the default gobridge library: the C ABI and every
// module gobridge ships, built with
//
//	go build -buildmode=c-shared -o libgobridge.so ./cmd/libgobridge
//
// The library is loaded by the gobridge Python package; the main function
// never runs. The private module _testing (package modules/testmod) is part
// of it so that an installed gobridge can test itself.
package main

import (
	_ "github.com/gobridge/gobridge/capi"
	_ "github.com/gobridge/gobridge/modules/all"
	_ "github.com/gobridge/gobridge/modules/testmod"
)

func main() {}
