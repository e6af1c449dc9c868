package py

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// PositionSpec says which integers of a function are positions within one
// of its string parameters (see Positions). Indexes count from the first
// entry of Function.Params and Function.Results.
type PositionSpec struct {
	// Str is the index in Params of the string parameter.
	Str int
	// Params are the indexes in Params of integer parameters (int, or a
	// slice of ints) that are positions in the string.
	Params []int
	// Results are the indexes in Results of results (an integer, a slice
	// of integers, or a slice of such slices) that are positions in it.
	Results []int
}

// positionDecl is a Positions option as written, resolved once every
// option has applied, since Params may name the parameters after it.
type positionDecl struct {
	str   string
	names []string
}

// ReturnPositions is the name Positions gives to a function's results:
// every integer it returns. "return[N]" names result N alone. "return" is
// a Python keyword, so no parameter has either name.
const ReturnPositions = "return"

// Positions declares that some integers of the function are positions
// within its string parameter str, which Go counts in UTF-8 bytes and
// Python in code points. Each of names is an integer parameter (an int, or
// a []int), "return" for every integer result (ints, []int and [][]int),
// or "return[N]" for result N alone:
//
//	m.Func(strings.Index, py.Params("s", "substr"), py.Positions("s", "return"))
//	m.Func(Slice, py.Params("s", "start", "end"), py.Positions("s", "start", "end"))
//
// Results are converted from byte offsets to code point indexes after the
// call, and parameters from code point indexes to byte offsets before it;
// a parameter beyond the end of the string raises ValueError. Negative
// values, such as -1 for "not found", pass unchanged both ways. A byte
// offset inside a character's encoding counts as that character's index.
// The conversion looks only at the part of the string before the
// position, a word at a time while it is ASCII. The docstring gains a line
// saying that positions in str count code points. The generator writes
// this option from -positions, or from a line "//gobridge:positions str
// names..." in the function's doc comment.
func Positions(str string, names ...string) FuncOption {
	return func(f *Function) {
		f.positionDecls = append(f.positionDecls, positionDecl{str: str, names: append([]string(nil), names...)})
	}
}

// resolvePositions turns the Positions options of f into PositionSpecs
// and documents them.
func resolvePositions(f *Function) error {
	if len(f.positionDecls) == 0 {
		return nil
	}
	var notes []string
	for _, d := range f.positionDecls {
		spec, err := resolvePositionDecl(f, d)
		if err != nil {
			return fmt.Errorf("gobridge: cannot wrap %s: Positions(%q): %w", f.GoName, d.str, err)
		}
		if err := checkDisjoint(f, spec); err != nil {
			return fmt.Errorf("gobridge: cannot wrap %s: Positions(%q): %w", f.GoName, d.str, err)
		}
		f.Positions = append(f.Positions, spec)
		if name := f.Params[spec.Str].Name; !containsName(notes, name) {
			notes = append(notes, name)
		}
	}
	f.positionDecls = nil
	note := fmt.Sprintf("Positions in %s count code points, as indexes into a Python str do.", strings.Join(notes, " and "))
	if f.Doc == "" {
		f.Doc = note
	} else {
		f.Doc += "\n\n" + note
	}
	return nil
}

func resolvePositionDecl(f *Function, d positionDecl) (PositionSpec, error) {
	spec := PositionSpec{Str: paramIndex(f, d.str)}
	if spec.Str < 0 || f.Receiver && spec.Str == 0 {
		return spec, fmt.Errorf("no parameter %q", d.str)
	}
	if t := f.Params[spec.Str].Type; t.Kind() != reflect.String || f.Variadic && spec.Str == len(f.Params)-1 {
		return spec, fmt.Errorf("parameter %s is %s, not a string", d.str, t)
	}
	if len(d.names) == 0 {
		return spec, fmt.Errorf("no parameter or result named: give the int parameters, or %q for the results", ReturnPositions)
	}
	addResult := func(i int) error {
		if positionDepth(f.Results[i]) < 0 {
			return fmt.Errorf("result %d is %s, not an integer, a slice of them or a slice of such slices", i, f.Results[i])
		}
		for _, r := range spec.Results {
			if r == i {
				return fmt.Errorf("result %d named twice", i)
			}
		}
		spec.Results = append(spec.Results, i)
		return nil
	}
	for _, name := range d.names {
		switch {
		case name == ReturnPositions:
			n := 0
			for i, t := range f.Results {
				if positionDepth(t) >= 0 {
					if err := addResult(i); err != nil {
						return spec, err
					}
					n++
				}
			}
			if n == 0 {
				return spec, fmt.Errorf("%q: the function returns no integers", name)
			}
		case strings.HasPrefix(name, ReturnPositions+"[") && strings.HasSuffix(name, "]"):
			i, err := strconv.Atoi(name[len(ReturnPositions)+1 : len(name)-1])
			if err != nil || i < 0 || i >= len(f.Results) {
				return spec, fmt.Errorf("%q: the function has %d results", name, len(f.Results))
			}
			if err := addResult(i); err != nil {
				return spec, err
			}
		default:
			i := paramIndex(f, name)
			if i < 0 || f.Receiver && i == 0 {
				return spec, fmt.Errorf("no parameter %q", name)
			}
			if depth := positionDepth(f.Params[i].Type); depth < 0 || depth > 1 || f.Variadic && i == len(f.Params)-1 {
				return spec, fmt.Errorf("parameter %s is %s, not an int or a slice of ints", name, f.Params[i].Type)
			}
			for _, p := range spec.Params {
				if p == i {
					return spec, fmt.Errorf("parameter %s named twice", name)
				}
			}
			spec.Params = append(spec.Params, i)
		}
	}
	return spec, nil
}

// checkDisjoint refuses a parameter or result that an earlier Positions
// option already made a position in another string.
func checkDisjoint(f *Function, spec PositionSpec) error {
	for _, prev := range f.Positions {
		str := f.Params[prev.Str].Name
		for _, i := range spec.Params {
			for _, j := range prev.Params {
				if i == j {
					return fmt.Errorf("parameter %s is already a position in %s", f.Params[i].Name, str)
				}
			}
		}
		for _, i := range spec.Results {
			for _, j := range prev.Results {
				if i == j {
					return fmt.Errorf("result %d is already a position in %s", i, str)
				}
			}
		}
	}
	return nil
}

func containsName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// paramIndex is the index of the parameter called name, in Go (as the
// generator writes it) or in Python, or -1.
func paramIndex(f *Function, name string) int {
	for i, p := range f.Params {
		if p.Name == name || p.Name == ParamName(name) {
			return i
		}
	}
	return -1
}

// positionDepth is 0 for an integer type, 1 for a slice of them, 2 for a
// slice of such slices, and -1 for any other type.
func positionDepth(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 0
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return -1 // []byte is bytes, not positions
		}
		if d := positionDepth(t.Elem()); d >= 0 && d < 2 {
			return d + 1
		}
	}
	return -1
}
