// Package strings registers Go's package strings as the Python module
// gomod.strings.
//
// The registration is generated from the standard library's source, so the
// module's docstrings are Go's own documentation and its functions are
// Go's, called directly. Functions taking Go callbacks or returning
// iterators do not convert and are left out; Title is deprecated and
// Reader is better served by Python's io module.
package strings

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module strings -from strings -types Replacer -exclude NewReader,Title -panic "Repeat=ValueError:strings: negative Repeat count" -panic "Repeat=OverflowError:strings: Repeat output length overflow" -panic "NewReplacer=ValueError:strings.NewReplacer: odd argument count"
