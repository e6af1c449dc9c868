package testmod

// The private modules _kinds and _pickling are part of every library that
// has _testing.
import (
	_ "github.com/gobridge/gobridge/modules/testmod/kinds"
	_ "github.com/gobridge/gobridge/modules/testmod/pickled"
)
