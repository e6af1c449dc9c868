package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPanicFlag generates testdata/panics with -panic flags (whose
// messages hold spaces, which the args files of TestGolden cannot) and
// compares the output with want.golden.
func TestPanicFlag(t *testing.T) {
	dir := filepath.Join("testdata", "panics")
	out := filepath.Join(t.TempDir(), "zz_gobridge.go")
	args := []string{
		"-module", "panics",
		"-panic", "Repeat=ValueError:panics: negative count",
		"-panic", "Div,Box.At=ZeroDivisionError:runtime error: integer divide by zero",
		"-panic", "Box.At=IndexError:runtime error: index out of range",
		"-panic", "Div=ValueError:runtime error: integer overflow",
		"-dir", dir, "-o", out,
	}
	var stderr bytes.Buffer
	if err := run(args, &stderr); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, filepath.Join(dir, "want.golden"), got)
	compareGolden(t, filepath.Join(dir, "stderr.golden"), stderr.Bytes())
}

func TestPanicFlagErrors(t *testing.T) {
	dir := filepath.Join("testdata", "panics")
	for _, c := range []struct {
		flag, want string
	}{
		{"Repeat", "bad -panic"},
		{"Repeat=ValueError", "bad -panic"},
		{"Repeat=ValueError:", "bad -panic"},
		{"=ValueError:x", "bad -panic"},
		{"Missing=ValueError:x", "-panic Missing matches no bound function or method"},
		{"Box.Missing=ValueError:x", "-panic Box.Missing matches no bound function or method"},
	} {
		args := []string{"-module", "panics", "-panic", c.flag, "-dir", dir, "-o", filepath.Join(t.TempDir(), "out.go")}
		var stderr bytes.Buffer
		if err := run(args, &stderr); err == nil || !strings.Contains(err.Error()+stderr.String(), c.want) {
			t.Errorf("-panic %q: error %v, want %q", c.flag, err, c.want)
		}
	}
}
