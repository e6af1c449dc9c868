package testmod

// The private module _kinds is part of every library that has _testing.
import _ "github.com/gobridge/gobridge/modules/testmod/kinds"
