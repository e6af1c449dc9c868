package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// TestGolden runs the generator on each directory of testdata with the
// flags in its args file, and compares the output with want.golden (or the
// error with error.golden) and the warnings with stderr.golden.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/args")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, argsFile := range dirs {
		dir := filepath.Dir(argsFile)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(argsFile)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "zz_gobridge.go")
			args := append(strings.Fields(string(raw)), "-dir", dir, "-o", out)
			var stderr bytes.Buffer
			var got []byte
			wantFile := "want.golden"
			if err := run(args, &stderr); err != nil {
				got, wantFile = []byte(err.Error()+"\n"), "error.golden"
			} else if got, err = os.ReadFile(out); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join(dir, wantFile), got)
			compareGolden(t, filepath.Join(dir, "stderr.golden"), stderr.Bytes())
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if len(got) == 0 {
			os.Remove(path)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		want, err = nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}
