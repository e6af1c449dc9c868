package registry

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// reset empties the table for one test; the real table is filled once, by
// init functions, and never emptied.
func reset(t *testing.T) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	entries, sorted, sealed = map[string]Entry{}, nil, false
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		entries, sorted, sealed = map[string]Entry{}, nil, false
	})
}

func factory() {}

// registerPanic calls Register and returns what it panicked with, or "".
func registerPanic(e Entry) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	Register(e)
	return ""
}

// TestRegister registers a sequence of entries, sealing the table part way,
// and compares what each registration panicked with to
// testdata/register.golden.json.
func TestRegister(t *testing.T) {
	reset(t)
	steps := []struct {
		name  string
		entry Entry
		seal  bool // seal the table before this step
	}{
		{name: "first", entry: Entry{Name: "strings", Factory: factory}},
		{name: "dotted", entry: Entry{Name: "crypto.sha256", Factory: factory}},
		{name: "package", entry: Entry{Name: "crypto", Package: true, Factory: factory}},
		{name: "unicode identifier", entry: Entry{Name: "données", Factory: factory}},
		{name: "duplicate", entry: Entry{Name: "strings", Factory: factory}},
		{name: "empty name", entry: Entry{Name: "", Factory: factory}},
		{name: "leading dot", entry: Entry{Name: ".x", Factory: factory}},
		{name: "double dot", entry: Entry{Name: "a..b", Factory: factory}},
		{name: "digit first", entry: Entry{Name: "a.1b", Factory: factory}},
		{name: "hyphen", entry: Entry{Name: "my-mod", Factory: factory}},
		{name: "nil factory", entry: Entry{Name: "nofactory"}},
		{name: "after seal", entry: Entry{Name: "late", Factory: factory}, seal: true},
		{name: "duplicate after seal", entry: Entry{Name: "strings", Factory: factory}},
		{name: "bad name after seal", entry: Entry{Name: "bad name", Factory: factory}},
	}
	got := map[string]string{}
	var order []string
	for _, step := range steps {
		if step.seal {
			Seal()
		}
		got[step.name] = registerPanic(step.entry)
		order = append(order, step.name)
	}
	path := filepath.Join("testdata", "register.golden.json")
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var want map[string]string
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for _, name := range order {
		if got[name] != want[name] {
			t.Errorf("%s: Register panicked with %q, want %q", name, got[name], want[name])
		}
	}
	if len(want) != len(order) {
		t.Errorf("golden file has %d steps, the test %d", len(want), len(order))
	}
	// Only the valid registrations before the seal made it into the table.
	var names []string
	for _, e := range Entries() {
		names = append(names, e.Name)
	}
	if strings.Join(names, " ") != "crypto crypto.sha256 données strings" {
		t.Errorf("table holds %v", names)
	}
	if e, _ := Lookup("crypto"); e.GoPackage != "github.com/gobridge/gobridge/registry" {
		t.Errorf("GoPackage = %q, want the registering package", e.GoPackage)
	}
}

// TestConflicts registers names from several packages and checks that a
// name registered more than once is listed, not found by Lookup, and
// explained by Conflicted, while the other names are unaffected.
func TestConflicts(t *testing.T) {
	for _, tt := range []struct {
		name         string
		registers    [][2]string // module name, Go package
		wantConflict map[string][]string
	}{
		{
			name:         "no conflict",
			registers:    [][2]string{{"a", "example.com/a"}, {"b", "example.com/b"}},
			wantConflict: map[string][]string{},
		},
		{
			name:         "two packages",
			registers:    [][2]string{{"a", "example.com/a"}, {"a", "example.com/other"}, {"b", "example.com/b"}},
			wantConflict: map[string][]string{"a": {"example.com/a", "example.com/other"}},
		},
		{
			name:         "three packages",
			registers:    [][2]string{{"a", "example.com/x"}, {"a", "example.com/y"}, {"a", "example.com/z"}},
			wantConflict: map[string][]string{"a": {"example.com/x", "example.com/y", "example.com/z"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reset(t)
			for _, r := range tt.registers {
				if err := register(Entry{Name: r[0], Factory: factory}, r[1]); err != nil {
					t.Fatalf("register(%q, %q): %v", r[0], r[1], err)
				}
			}
			for _, e := range Entries() {
				want, conflicted := tt.wantConflict[e.Name]
				if strings.Join(e.Conflict, " ") != strings.Join(want, " ") {
					t.Errorf("%s: Conflict = %v, want %v", e.Name, e.Conflict, want)
				}
				_, found := Lookup(e.Name)
				err := Conflicted(e.Name)
				switch {
				case conflicted && (found || err == nil):
					t.Errorf("%s: Lookup found %v, Conflicted = %v; want not found, an error", e.Name, found, err)
				case conflicted:
					for _, pkg := range want {
						if !strings.Contains(err.Error(), pkg) || !strings.Contains(err.Error(), fmt.Sprintf("%q", e.Name)) {
							t.Errorf("%s: Conflicted = %q, does not name %s and the module", e.Name, err, pkg)
						}
					}
				case !found || err != nil:
					t.Errorf("%s: Lookup found %v, Conflicted = %v; want found, nil", e.Name, found, err)
				}
			}
			if err := Conflicted("missing"); err != nil {
				t.Errorf("Conflicted(missing) = %v", err)
			}
		})
	}
}

// TestLookupSeals checks that the first lookup seals the table, as the
// first import does.
func TestLookupSeals(t *testing.T) {
	for _, tt := range []struct {
		name  string
		first func()
	}{
		{"Lookup", func() { Lookup("anything") }},
		{"Entries", func() { Entries() }},
		{"Seal twice", func() { Seal(); Seal() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reset(t)
			Register(Entry{Name: "early", Factory: factory})
			if Sealed() {
				t.Fatal("sealed before any lookup")
			}
			tt.first()
			if !Sealed() {
				t.Fatal("not sealed after the first lookup")
			}
			msg := registerPanic(Entry{Name: "late", Factory: factory})
			if !strings.Contains(msg, "the registry is sealed") || !strings.Contains(msg, `"late"`) {
				t.Errorf("registration after sealing panicked with %q", msg)
			}
			if _, ok := Lookup("late"); ok {
				t.Error("a registration after sealing reached the table")
			}
			if _, ok := Lookup("early"); !ok {
				t.Error("the registration before sealing is missing")
			}
		})
	}
}

// TestConcurrentLookups runs lookups and late registrations at once, for
// the race detector.
func TestConcurrentLookups(t *testing.T) {
	reset(t)
	for i := 0; i < 20; i++ {
		Register(Entry{Name: fmt.Sprintf("m%02d", i), Factory: factory})
	}
	done := make(chan string, 40)
	for i := 0; i < 20; i++ {
		go func(i int) {
			_, ok := Lookup(fmt.Sprintf("m%02d", i))
			done <- fmt.Sprint(ok)
		}(i)
		go func(i int) { done <- registerPanic(Entry{Name: fmt.Sprintf("late%02d", i), Factory: factory}) }(i)
	}
	for i := 0; i < 40; i++ {
		if msg := <-done; msg != "true" && !strings.Contains(msg, "sealed") && msg != "" {
			t.Errorf("unexpected outcome %q", msg)
		}
	}
	// A late registration may win the race against the first lookup, but
	// once sealed the table never changes.
	n := len(Entries())
	if registerPanic(Entry{Name: "later", Factory: factory}) == "" || len(Entries()) != n {
		t.Error("the table changed after sealing")
	}
	if n < 20 || n > 40 {
		t.Errorf("table has %d entries", n)
	}
}
