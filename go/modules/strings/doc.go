// Package strings registers Go's package strings as the Python module
// gomod.strings.
//
// The registration is generated from the standard library's source, so the
// module's docstrings are Go's own documentation and its functions are
// Go's, called directly. Functions taking Go callbacks or returning
// iterators are left out; Title is deprecated and Reader is better served
// by Python's io module. The index functions return positions in code
// points, as str.find does (py.Positions, from -positions).
package strings

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module strings -from strings -types Replacer -exclude NewReader,Title,ContainsFunc,FieldsFunc,FieldsFuncSeq,FieldsSeq,IndexFunc,LastIndexFunc,Lines,Map,SplitAfterSeq,SplitSeq,TrimFunc,TrimLeftFunc,TrimRightFunc -positions Index=s:return,IndexAny=s:return,IndexByte=s:return,IndexRune=s:return,LastIndex=s:return,LastIndexAny=s:return,LastIndexByte=s:return -panic "Repeat=ValueError:strings: negative Repeat count" -panic "Repeat=OverflowError:strings: Repeat output length overflow" -panic "NewReplacer=ValueError:strings.NewReplacer: odd argument count"
