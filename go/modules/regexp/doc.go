// Package regexp registers Go's package regexp, the RE2 engine, as the
// Python module gomod.regexp.
//
// compile(pattern) returns a Regexp object whose methods are Go's, in
// snake_case; a bad pattern raises ValueError from Go's *syntax.Error.
// Methods that take Go callbacks or readers do not convert and are hidden,
// and so are Longest and UnmarshalText: they modify the Regexp in place,
// which would race with other Python threads sharing it, since a Regexp is
// otherwise safe for concurrent use. The *String*Index methods return
// positions in code points, as re's match.span() does, and ExpandString
// takes them so; the methods on bytes keep byte offsets (py.Positions,
// from -positions).
package regexp

//go:generate go run github.com/gobridge/gobridge/cmd/gobridge-gen -module regexp -from regexp -exclude Regexp.Longest,Regexp.UnmarshalText,Regexp.Copy,MatchReader,Regexp.ReplaceAllFunc,Regexp.ReplaceAllStringFunc -positions Regexp.FindStringIndex=s:return,Regexp.FindStringSubmatchIndex=s:return,Regexp.FindAllStringIndex=s:return,Regexp.FindAllStringSubmatchIndex=s:return,Regexp.ExpandString=src:match -panic "MustCompile=ValueError:regexp: Compile(" -panic "MustCompilePOSIX=ValueError:regexp: CompilePOSIX(" -panic "Regexp.Expand,Regexp.ExpandString=ValueError:runtime error: slice bounds out of range"
