package encoding

import (
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/registry"
)

func TestModule(t *testing.T) {
	e, ok := registry.Lookup("encoding")
	if !ok || !e.Package {
		t.Fatalf("encoding: registered %v, package %v; want a registered package", ok, e.Package)
	}
	modtest.HasAttrs(t, modtest.Exec(t, "encoding"), "__doc__")
}
