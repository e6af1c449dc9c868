package py

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// Finder is a type with a method whose results are positions.
type Finder struct{}

// Find returns the byte offset of sub in s.
func (*Finder) Find(s, sub string) int { return strings.Index(s, sub) }

func TestPositionsResolve(t *testing.T) {
	re := regexp.MustCompile("a")
	slice := func(s string, start, end int) string { return s[start:end] }
	pair := func(s string, start int) (int, string, []int) { return start, s, nil }
	for _, c := range []struct {
		name   string
		fn     any
		params []string
		decls  [][]string // each: str, names...
		want   []PositionSpec
		err    string
	}{
		{"results", strings.Index, []string{"s", "substr"}, [][]string{{"s", "return"}},
			[]PositionSpec{{Str: 0, Results: []int{0}}}, ""},
		{"unnamed parameters", strings.Index, nil, [][]string{{"s", "return"}},
			nil, `Positions("s"): no parameter "s"`},
		{"params", slice, []string{"s", "start", "end"}, [][]string{{"s", "start", "end"}},
			[]PositionSpec{{Str: 0, Params: []int{1, 2}}}, ""},
		{"return picks the integer results", pair, []string{"s", "start"}, [][]string{{"s", "return"}},
			[]PositionSpec{{Str: 0, Results: []int{0, 2}}}, ""},
		{"one result", pair, []string{"s", "start"}, [][]string{{"s", "return[2]"}},
			[]PositionSpec{{Str: 0, Results: []int{2}}}, ""},
		{"nested slices", re.FindAllStringSubmatchIndex, []string{"s", "n"}, [][]string{{"s", "return"}},
			[]PositionSpec{{Str: 0, Results: []int{0}}}, ""},
		{"no names", strings.Index, []string{"s", "substr"}, [][]string{{"s"}},
			nil, `Positions("s"): no parameter or result named: give the int parameters, or "return" for the results`},
		{"not a string", slice, []string{"s", "start", "end"}, [][]string{{"start", "end"}},
			nil, `Positions("start"): parameter start is int, not a string`},
		{"not an int", slice, []string{"s", "start", "end"}, [][]string{{"s", "s"}},
			nil, `Positions("s"): parameter s is string, not an int or a slice of ints`},
		{"string result", pair, []string{"s", "start"}, [][]string{{"s", "return[1]"}},
			nil, `Positions("s"): result 1 is string, not an integer, a slice of them or a slice of such slices`},
		{"result out of range", pair, []string{"s", "start"}, [][]string{{"s", "return[3]"}},
			nil, `Positions("s"): "return[3]": the function has 3 results`},
		{"no integer results", strings.ToUpper, []string{"s"}, [][]string{{"s", "return"}},
			nil, `Positions("s"): "return": the function returns no integers`},
		{"named twice", strings.Index, []string{"s", "substr"}, [][]string{{"s", "return", "return[0]"}},
			nil, `Positions("s"): result 0 named twice`},
		{"in two strings", strings.Index, []string{"s", "substr"}, [][]string{{"s", "return"}, {"substr", "return"}},
			nil, `Positions("substr"): result 0 is already a position in s`},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := []FuncOption{}
			for _, d := range c.decls {
				opts = append(opts, Positions(d[0], d[1:]...))
			}
			if c.params != nil {
				opts = append(opts, Params(c.params...))
			}
			f, err := NewFunction(c.fn, opts...)
			if c.err != "" {
				if err == nil || !strings.HasSuffix(err.Error(), c.err) {
					t.Fatalf("error %v, want one ending %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.Positions, c.want) {
				t.Errorf("positions %+v, want %+v", f.Positions, c.want)
			}
		})
	}
}

func TestPositionsOfMethodsCountSelf(t *testing.T) {
	f, err := NewMethod((*Finder).Find, Params("s", "sub"), Positions("s", "return"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []PositionSpec{{Str: 1, Results: []int{0}}}; !reflect.DeepEqual(f.Positions, want) {
		t.Errorf("positions %+v, want %+v", f.Positions, want)
	}
	if _, err := NewMethod((*Finder).Find, Params("s", "sub"), Positions("self", "return")); err == nil {
		t.Error("positions in the receiver accepted")
	}
}

func TestPositionsAreDocumented(t *testing.T) {
	for _, c := range []struct {
		opts []FuncOption
		want string
	}{
		{[]FuncOption{Positions("s", "return")}, "Positions in s count code points, as indexes into a Python str do."},
		{[]FuncOption{Doc("Index finds."), Positions("s", "return")},
			"Index finds.\n\nPositions in s count code points, as indexes into a Python str do."},
		{[]FuncOption{Positions("s", "return[0]"), Positions("sub", "return[1]"), Doc("Two.")},
			"Two.\n\nPositions in s and sub count code points, as indexes into a Python str do."},
		{[]FuncOption{Positions("s", "return[0]"), Positions("s", "return[1]")},
			"Positions in s count code points, as indexes into a Python str do."},
	} {
		f, err := NewFunction(func(s, sub string) (int, int) { return 0, 0 }, append([]FuncOption{Params("s", "sub")}, c.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != c.want {
			t.Errorf("doc %q, want %q", f.Doc, c.want)
		}
	}
}
