// Command libgobridge is the default gobridge library: the C ABI and every
// module gobridge ships, built with
//
//	go build -buildmode=c-shared -o libgobridge.so ./cmd/libgobridge
//
// The library is loaded by the gobridge Python package; the main function
// never runs.
package main

import (
	_ "github.com/gobridge/gobridge/capi"
)

func main() {}
