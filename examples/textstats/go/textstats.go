// Package textstats is an example gobridge module: word statistics of
// text, imported from Python as gomod.textstats.
//
// A word is a maximal run of letters and digits, compared in lower case.
// The one-shot functions take a str; a Counter accumulates counts over
// many texts, and CountLines reads any bytes-like object in place.
package textstats

//go:generate python3 -m gobridge gen -module textstats

import (
	"bytes"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/gobridge/gobridge/py"
)

// MaxTop is the largest n that Top and TopWords accept.
const MaxTop = 1000

// Words returns the words of text, in order, in lower case.
func Words(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, f := range fields {
		fields[i] = strings.ToLower(f)
	}
	return fields
}

// WordCounts returns how many times each word occurs in text.
func WordCounts(text string) map[string]int {
	counts := map[string]int{}
	for _, w := range Words(text) {
		counts[w]++
	}
	return counts
}

// TopWords returns the n most frequent words of text, most frequent
// first, ties in alphabetical order. n must be between 0 and MaxTop.
//
//gobridge:default n=10
func TopWords(text string, n int) ([]string, error) {
	return top(WordCounts(text), n)
}

// FilterWords returns the words for which keep returns true, in order.
func FilterWords(words []string, keep func(word string) bool) []string {
	var out []string
	for _, w := range words {
		if keep(w) {
			out = append(out, w)
		}
	}
	return out
}

// CountWordsBy returns how many times each word of text occurs, counting
// key(word) in its place: key may merge words, such as by their stem. A
// nil key counts the words themselves.
//
//gobridge:nilable key
func CountWordsBy(text string, key func(word string) string) map[string]int {
	counts := map[string]int{}
	for _, w := range Words(text) {
		if key != nil {
			w = key(w)
		}
		counts[w]++
	}
	return counts
}

// CountLines returns the number of lines in data: the number of newline
// bytes, plus one if data does not end with a newline. The data is read
// in place, without a copy.
func CountLines(data py.Bytes) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// Counter accumulates word counts over several texts. It is safe for
// concurrent use: Go calls run without the GIL, so Python threads may call
// its methods at the same time.
type Counter struct {
	mu     sync.Mutex
	total  int
	counts map[string]int
}

// NewCounter returns an empty Counter.
func NewCounter() *Counter { return &Counter{counts: map[string]int{}} }

// Add counts the words of text.
func (c *Counter) Add(text string) {
	words := Words(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range words {
		c.counts[w]++
	}
	c.total += len(words)
}

// Total returns the number of words added so far.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Count returns how many times word was added, compared in lower case.
func (c *Counter) Count(word string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[strings.ToLower(word)]
}

// Top returns the n most frequent words added so far, most frequent
// first, ties in alphabetical order. n must be between 0 and MaxTop.
//
//gobridge:default n=10
func (c *Counter) Top(n int) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return top(c.counts, n)
}

func top(counts map[string]int, n int) ([]string, error) {
	if n < 0 || n > MaxTop {
		return nil, py.ValueError("n must be between 0 and %d, got %d", MaxTop, n)
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	if len(words) > n {
		words = words[:n]
	}
	return words, nil
}
