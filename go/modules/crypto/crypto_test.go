package crypto

import (
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/registry"
)

func TestModule(t *testing.T) {
	e, ok := registry.Lookup("crypto")
	if !ok || !e.Package {
		t.Fatalf("crypto: registered %v, package %v; want a registered package", ok, e.Package)
	}
	modtest.HasAttrs(t, modtest.Exec(t, "crypto"), "__doc__")
}
