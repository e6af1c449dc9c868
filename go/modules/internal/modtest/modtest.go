// Package modtest holds the checks every shipped module's tests share:
// that the module registered, that its Exec builds it without a host, and
// that it exposes the attribute names Python users rely on.
package modtest

import (
	"sort"
	"testing"

	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/registry"
)

// Exec builds the registered module name as an import would, with no host,
// and fails the test if it is not registered or its Exec fails.
func Exec(t testing.TB, name string) *py.Module {
	t.Helper()
	e, ok := registry.Lookup(name)
	if !ok {
		t.Fatalf("module %q is not registered", name)
	}
	m, err := py.Exec(e, name, nil)
	if err != nil {
		t.Fatalf("py.Exec(%q): %v", name, err)
	}
	// Generated modules bind their functions with LazyFunc, which wraps
	// them on first use: wrap them all here, so that a signature that
	// cannot cross fails the module's tests rather than a user's call.
	for _, attr := range m.Names() {
		v, _ := m.Get(attr)
		if lazy, ok := v.(*py.LazyFunction); ok {
			if _, err := lazy.Function(); err != nil {
				t.Errorf("%s.%s: %v", name, attr, err)
			}
		}
	}
	return m
}

// HasAttrs fails the test for each of names that m lacks.
func HasAttrs(t testing.TB, m *py.Module, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := m.Get(n); !ok {
			t.Errorf("module %s has no attribute %q; it has %v", m.Name(), n, m.Names())
		}
	}
}

// Function returns the function bound to name in m.
func Function(t testing.TB, m *py.Module, name string) *py.Function {
	t.Helper()
	v, _ := m.Get(name)
	if lazy, ok := v.(*py.LazyFunction); ok {
		f, err := lazy.Function()
		if err != nil {
			t.Fatalf("%s.%s: %v", m.Name(), name, err)
		}
		return f
	}
	f, ok := v.(*py.Function)
	if !ok {
		t.Fatalf("%s.%s is %T, not a function", m.Name(), name, v)
	}
	return f
}

// ParamNames returns the Python parameter names of f.
func ParamNames(f *py.Function) []string {
	names := make([]string, len(f.Params))
	for i, p := range f.Params {
		names[i] = p.Name
	}
	return names
}

// Class returns the class bound to name in m.
func Class(t testing.TB, m *py.Module, name string) *py.Class {
	t.Helper()
	v, _ := m.Get(name)
	c, ok := v.(*py.Class)
	if !ok {
		t.Fatalf("%s.%s is %T, not a class", m.Name(), name, v)
	}
	return c
}

// MethodNames returns the Python names of the class's visible methods, as
// the class machinery derives them: the snake_case of the Go name unless a
// py.Name option renames it.
func MethodNames(c *py.Class) []string {
	var names []string
	for i := 0; i < c.Type.NumMethod(); i++ {
		goName := c.Type.Method(i).Name
		if c.Hidden[goName] {
			continue
		}
		f := &py.Function{Name: py.SnakeCase(goName)}
		for _, opt := range c.Methods[goName] {
			opt(f)
		}
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// HasMethods fails the test for each of names that the class lacks.
func HasMethods(t testing.TB, c *py.Class, names ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, n := range MethodNames(c) {
		have[n] = true
	}
	for _, n := range names {
		if !have[n] {
			t.Errorf("class %s has no method %q; it has %v", c.Name, n, MethodNames(c))
		}
	}
}

// LacksMethods fails the test for each of names that the class shows.
func LacksMethods(t testing.TB, c *py.Class, names ...string) {
	t.Helper()
	for _, have := range MethodNames(c) {
		for _, n := range names {
			if have == n {
				t.Errorf("class %s shows method %q, which should be hidden", c.Name, n)
			}
		}
	}
}
