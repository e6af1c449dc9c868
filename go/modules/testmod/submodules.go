package testmod

// The private modules _kinds, _pickling and _handwritten are part of every
// library that has _testing.
import (
	_ "github.com/gobridge/gobridge/modules/testmod/handwritten"
	_ "github.com/gobridge/gobridge/modules/testmod/kinds"
	_ "github.com/gobridge/gobridge/modules/testmod/pickled"
)
