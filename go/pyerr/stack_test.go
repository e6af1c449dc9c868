package pyerr

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files under testdata")

// TestTrimStackGolden trims stacks recorded from panics in gobridge calls
// (testdata/stacks/*.txt) and compares them with the .golden files.
func TestTrimStackGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/stacks/*.txt")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no stacks in testdata: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			stack, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := TrimStack(string(stack))
			golden := strings.TrimSuffix(in, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("TrimStack:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestTrimStackLeavesOtherTextAlone(t *testing.T) {
	for _, s := range []string{"", "not a stack", "goroutine 1 [running]:"} {
		if got := TrimStack(s); got != s && got != s+"\n" {
			t.Errorf("TrimStack(%q) = %q", s, got)
		}
	}
}

//go:noinline
func divide(a, b int) int { return a / b }

//go:noinline
func panicString() { panic("a string") }

//go:noinline
func panicNil() int {
	var p *struct{ n int }
	return p.n
}

// recordPanic runs fn and returns the Panic NewPanic records for it.
func recordPanic(fn func()) (p *Panic) {
	defer func() { p = NewPanic(recover(), "testing") }()
	fn()
	return nil
}

// TestNewPanicStackStartsAtThePanickingFrame panics for real: the stack
// NewPanic records starts, after the goroutine line, at the function that
// panicked, with no frame of the recovery or of the runtime's panic.
func TestNewPanicStackStartsAtThePanickingFrame(t *testing.T) {
	for _, c := range []struct {
		name, frame, message string
		fn                   func()
	}{
		{"string", "pyerr.panicString(", "a string", panicString},
		{"divide", "pyerr.divide(", "runtime error: integer divide by zero", func() { divide(1, 0) }},
		{"nil", "pyerr.panicNil(", "runtime error: invalid memory address or nil pointer dereference", func() { panicNil() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := recordPanic(c.fn)
			lines := strings.Split(p.Stack, "\n")
			if !strings.HasPrefix(lines[0], "goroutine ") || len(lines) < 3 {
				t.Fatalf("stack %q", p.Stack)
			}
			if !strings.Contains(lines[1], c.frame) {
				t.Errorf("first frame %q, want %s...\n%s", lines[1], c.frame, p.Stack)
			}
			for _, gone := range []string{"debug.Stack(", "pyerr.NewPanic(", "runtime/panic.go", "recordPanic.func1"} {
				if strings.Contains(p.Stack, gone) {
					t.Errorf("the stack holds %s:\n%s", gone, p.Stack)
				}
			}
			if p.Message() != c.message {
				t.Errorf("Message() = %q, want %q", p.Message(), c.message)
			}
		})
	}
}

func TestPanicMessage(t *testing.T) {
	for _, c := range []struct {
		value any
		want  string
	}{
		{"text", "text"},
		{errors.New("an error"), "an error"},
		{42, "42"},
		{struct{ N int }{7}, "{7}"},
	} {
		if got := PanicMessage(c.value); got != c.want {
			t.Errorf("PanicMessage(%#v) = %q, want %q", c.value, got, c.want)
		}
	}
	p := &Panic{Value: "boom", Where: "calling f"}
	if p.Error() != "Go panic while calling f: boom" {
		t.Errorf("Error() = %q", p.Error())
	}
}
