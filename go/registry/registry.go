// Package registry is gobridge's compile-time table of Go modules.
//
// Go packages add modules to the table from their init functions, the way
// database/sql drivers register themselves, and the table plays the part of
// CPython's frozen-module table: it is sorted by dotted name, records which
// entries are packages, and is sealed before the first import, after which it
// never changes. Each entry holds a factory, so every import or reload of a
// module builds a fresh module.
package registry

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Entry describes one registered module.
type Entry struct {
	// Name is the module's dotted name below the gomod namespace, such as
	// "strings" or "crypto.sha256".
	Name string
	// Package reports whether the module is a package, that is, whether it
	// may have submodules.
	Package bool
	// Doc is the module's documentation; its first sentence is the summary.
	Doc string
	// Factory builds a fresh module. The registry does not look inside it;
	// the runtime that imports the module does.
	Factory any
	// GoPackage is the import path of the Go package that registered the
	// module, filled in by Register.
	GoPackage string
	// Conflict lists, when more than one package registered Name, the
	// import path of each of them in registration order. Such a name cannot
	// be imported: Lookup does not find it, and Conflicted says why.
	Conflict []string
}

// Summary returns the first sentence of the entry's documentation, as
// go doc shows it in package lists.
func (e Entry) Summary() string {
	para, _, _ := strings.Cut(strings.TrimSpace(e.Doc), "\n\n")
	text := strings.Join(strings.Fields(para), " ")
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text
}

var (
	mu      sync.Mutex
	entries = map[string]Entry{}
	sorted  []Entry // built by Seal
	sealed  bool
)

// Register adds e to the table. It panics, naming the module, if the name is
// not a valid dotted name, has no factory, or if the table is already
// sealed: all of these are programming errors of one package that must fail
// the program at start-up rather than at some later import.
//
// A name registered by a second package is not a panic: the two packages
// may come from two distributions installed side by side, and one clash
// must not take every other module down with it. The name is marked as a
// conflict instead (Entry.Conflict), and its import fails with a message
// naming both packages.
func Register(e Entry) {
	if err := register(e, callerPackage(2)); err != nil {
		panic(err)
	}
}

func register(e Entry, goPackage string) error {
	mu.Lock()
	defer mu.Unlock()
	if sealed {
		return fmt.Errorf("gobridge: cannot register module %q: the registry is sealed (registration must happen in init, before the first import)", e.Name)
	}
	if err := CheckName(e.Name); err != nil {
		return fmt.Errorf("gobridge: cannot register module %q: %w", e.Name, err)
	}
	if e.Factory == nil {
		return fmt.Errorf("gobridge: cannot register module %q: nil module definition", e.Name)
	}
	if e.GoPackage == "" {
		e.GoPackage = goPackage
	}
	if prev, dup := entries[e.Name]; dup {
		if len(prev.Conflict) == 0 {
			prev.Conflict = []string{prev.GoPackage}
		}
		prev.Conflict = append(prev.Conflict, e.GoPackage)
		entries[e.Name] = prev
		return nil
	}
	entries[e.Name] = e
	return nil
}

// CheckName reports whether name is a valid dotted module name: one or more
// Python identifiers joined by single dots.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("empty module name")
	}
	for _, part := range strings.Split(name, ".") {
		if !isIdentifier(part) {
			return fmt.Errorf("%q is not a valid dotted module name", name)
		}
	}
	return nil
}

// isIdentifier follows Python's str.isidentifier for the common cases:
// a letter or underscore, then letters, digits or underscores.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r)):
		default:
			return false
		}
	}
	return true
}

// Seal freezes the table. Importers call it before the first import; it is
// safe to call more than once.
func Seal() {
	mu.Lock()
	defer mu.Unlock()
	sealLocked()
}

func sealLocked() {
	if sealed {
		return
	}
	sealed = true
	sorted = make([]Entry, 0, len(entries))
	for _, e := range entries {
		sorted = append(sorted, e)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
}

// Sealed reports whether the table has been sealed.
func Sealed() bool {
	mu.Lock()
	defer mu.Unlock()
	return sealed
}

// Lookup seals the table and returns the entry registered under name. A
// name that several packages registered is not found (see Conflicted).
func Lookup(name string) (Entry, bool) {
	e, ok := find(name)
	if !ok || len(e.Conflict) > 0 {
		return Entry{}, false
	}
	return e, true
}

// Conflicted seals the table and, when more than one package registered
// name, returns an error naming the module and every one of those
// packages; otherwise nil.
func Conflicted(name string) error {
	e, ok := find(name)
	if !ok || len(e.Conflict) == 0 {
		return nil
	}
	return fmt.Errorf("gobridge: module %q is registered by more than one Go package (%s), so it cannot be imported; leave all but one of them out, or rename the module in its py.Register call",
		name, strings.Join(e.Conflict, " and "))
}

func find(name string) (Entry, bool) {
	mu.Lock()
	defer mu.Unlock()
	sealLocked()
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].Name >= name })
	if i < len(sorted) && sorted[i].Name == name {
		return sorted[i], true
	}
	return Entry{}, false
}

// Entries seals the table and returns every entry, sorted by name, the
// conflicting ones (Entry.Conflict) included. The caller must not modify
// the returned slice.
func Entries() []Entry {
	mu.Lock()
	defer mu.Unlock()
	sealLocked()
	return sorted
}

// callerPackage returns the import path of the package of the function
// skip frames above it.
func callerPackage(skip int) string {
	pc, _, _, ok := runtime.Caller(skip + 1)
	if !ok {
		return ""
	}
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return ""
	}
	return packageOf(fn.Name())
}

// packageOf strips the function part from a fully qualified function name
// such as "github.com/a/b.init.0" or "github.com/a/b.(*T).M".
func packageOf(funcName string) string {
	slash := strings.LastIndexByte(funcName, '/')
	if dot := strings.IndexByte(funcName[slash+1:], '.'); dot >= 0 {
		return funcName[:slash+1+dot]
	}
	return funcName
}
