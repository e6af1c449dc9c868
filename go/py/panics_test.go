package py

import (
	"errors"
	"strings"
	"testing"

	"github.com/gobridge/gobridge/pyerr"
)

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func TestPanicAsRejectsVagueRules(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  FuncOption
		want string
	}{
		{"not an argument exception", PanicAs("SystemExit", "x"), "not an exception for a bad argument"},
		{"no message", PanicAs("ValueError"), "names no panic message"},
		{"empty message", PanicAs("ValueError", "x", ""), "would cover every panic"},
	} {
		if _, err := NewFunction(repeat, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestPanicErrorMatchesDeclaredMessages(t *testing.T) {
	errValue := errors.New("runtime error: integer divide by zero")
	f, err := NewFunction(repeat,
		PanicAs("ValueError", "strings: negative Repeat count"),
		PanicAs("ZeroDivisionError", "runtime error: integer divide by zero"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		value     any
		exception string
	}{
		{"strings: negative Repeat count", "ValueError"},
		{errValue, "ZeroDivisionError"},
		{"strings: Repeat output length overflow", ""},
		{"a strings: negative Repeat count", ""},
		{42, ""},
	} {
		err := f.PanicError(c.value)
		if c.exception == "" {
			if err != nil {
				t.Errorf("PanicError(%v) = %v, want nil: not declared", c.value, err)
			}
			continue
		}
		var exc *pyerr.Exception
		if !errors.As(err, &exc) || exc.Type != c.exception || exc.Msg != pyerr.PanicMessage(c.value) {
			t.Errorf("PanicError(%v) = %#v, want %s with Go's message", c.value, err, c.exception)
		}
	}
	if !errors.Is(f.PanicError(errValue), errValue) {
		t.Error("the exception does not wrap the panic's error value")
	}
}

func TestPanicAsIsDocumented(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []FuncOption
		want string
	}{
		{"after the doc", []FuncOption{Doc("Repeat repeats s."), PanicAs("ValueError", "neg", "huge")},
			"Repeat repeats s.\n\nRaises:\n    ValueError: where Go panics with \"neg\"\n    ValueError: where Go panics with \"huge\""},
		{"before the doc", []FuncOption{PanicAs("ZeroDivisionError", "runtime error: integer divide by zero"), Doc("Div.")},
			"Div.\n\nRaises:\n    ZeroDivisionError: where Go panics with \"runtime error: integer divide by zero\""},
		{"no doc", []FuncOption{PanicAs("OverflowError", "big")}, "Raises:\n    OverflowError: where Go panics with \"big\""},
		{"no rule", []FuncOption{Doc("Plain.")}, "Plain."},
	} {
		f, err := NewFunction(repeat, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != c.want {
			t.Errorf("%s: doc %q, want %q", c.name, f.Doc, c.want)
		}
	}
}
