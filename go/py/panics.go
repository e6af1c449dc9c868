package py

import (
	"fmt"
	"strings"

	"github.com/gobridge/gobridge/pyerr"
)

// PanicRule declares panics of a function that are errors in its
// arguments rather than bugs; see PanicAs.
type PanicRule struct {
	// Exception names the Python exception raised, such as "ValueError".
	Exception string
	// Messages are the starts of the panic messages the rule covers.
	Messages []string
}

// panicExceptions are the exceptions PanicAs may name: those Python raises
// for a bad argument value.
var panicExceptions = map[string]bool{
	"ValueError": true, "TypeError": true, "OverflowError": true, "ZeroDivisionError": true,
	"ArithmeticError": true, "IndexError": true, "KeyError": true, "LookupError": true,
	"MemoryError": true,
}

// PanicAs declares the panics by which the function rejects an argument
// value, as Go functions without an error result do (strings.Repeat with a
// negative count): a panic whose message (Error() of an error value, the
// string itself, else fmt %v) starts with one of messages raises exception,
// such as "ValueError", with Go's message, instead of gobridge.GoPanic.
// Every other panic stays a GoPanic, so name messages precisely. The
// exception is one Python raises for bad arguments: ValueError, TypeError,
// OverflowError, ZeroDivisionError, ArithmeticError, IndexError, KeyError,
// LookupError or MemoryError. Repeat the option for several exceptions.
// The generator writes it from its -panic flag.
func PanicAs(exception string, messages ...string) FuncOption {
	return func(f *Function) {
		f.Panics = append(f.Panics, PanicRule{Exception: exception, Messages: messages})
	}
}

// checkPanicRules reports a PanicAs that names no exception PanicAs allows
// or no message.
func checkPanicRules(f *Function) error {
	for _, r := range f.Panics {
		if !panicExceptions[r.Exception] {
			return fmt.Errorf("gobridge: cannot wrap %s: PanicAs(%q): not an exception for a bad argument", f.GoName, r.Exception)
		}
		if len(r.Messages) == 0 {
			return fmt.Errorf("gobridge: cannot wrap %s: PanicAs(%q) names no panic message", f.GoName, r.Exception)
		}
		for _, m := range r.Messages {
			if m == "" {
				return fmt.Errorf("gobridge: cannot wrap %s: PanicAs(%q): an empty message would cover every panic", f.GoName, r.Exception)
			}
		}
	}
	return nil
}

// documentPanics appends to the docstring what Python raises for the
// panics the function declares, which Go's own documentation describes as
// panics.
func documentPanics(f *Function) {
	if len(f.Panics) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("Raises:\n")
	for _, r := range f.Panics {
		for _, m := range r.Messages {
			fmt.Fprintf(&b, "    %s: where Go panics with %q\n", r.Exception, m)
		}
	}
	raises := strings.TrimSuffix(b.String(), "\n")
	if f.Doc == "" {
		f.Doc = raises
		return
	}
	f.Doc = strings.TrimRight(f.Doc, "\n") + "\n\n" + raises
}

// PanicError returns the error Python raises for a panic of the function
// with value, as its PanicAs rules declare, or nil when the panic is a bug
// (a gobridge.GoPanic).
func (f *Function) PanicError(value any) error {
	if len(f.Panics) == 0 {
		return nil
	}
	msg := pyerr.PanicMessage(value)
	for _, r := range f.Panics {
		for _, m := range r.Messages {
			if strings.HasPrefix(msg, m) {
				err, _ := value.(error)
				return &pyerr.Exception{Type: r.Exception, Msg: msg, Err: err}
			}
		}
	}
	return nil
}
