package testmod

import "strings"

// Slice returns s from start to end, to test position parameters: Python
// passes code point indexes, Go receives byte offsets.
//
//gobridge:positions s start end
func Slice(s string, start, end int) string { return s[start:end] }

// IndexFrom returns the position of the first sub in s at or after start,
// or -1, to test a position passed in and one returned.
//
//gobridge:positions s start return
func IndexFrom(s, sub string, start int) int {
	i := strings.Index(s[start:], sub)
	if i < 0 {
		return -1
	}
	return start + i
}

// WordSpans returns the start and end of each space-separated word of s,
// and the number of words, to test nested position results next to an
// integer that is not a position.
//
//gobridge:positions s return[0]
func WordSpans(s string) ([][]int, int) {
	var spans [][]int
	start := -1
	for i, r := range s + " " {
		switch {
		case r == ' ' && start >= 0:
			spans = append(spans, []int{start, i})
			start = -1
		case r != ' ' && start < 0:
			start = i
		}
	}
	return spans, len(spans)
}

// Splitter splits strings at a separator, to test positions declared on a
// method.
type Splitter struct {
	// Sep is the separator.
	Sep string
}

// NewSplitter returns a Splitter of sep.
func NewSplitter(sep string) *Splitter { return &Splitter{Sep: sep} }

// Cuts returns the position of each separator in s.
//
//gobridge:positions s return
func (sp *Splitter) Cuts(s string) []int {
	var at []int
	for i := 0; sp.Sep != ""; {
		j := strings.Index(s[i:], sp.Sep)
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + len(sp.Sep)
	}
	return at
}
