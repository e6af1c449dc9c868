package all

import (
	"strings"
	"testing"

	"github.com/gobridge/gobridge/modules/internal/modtest"
	"github.com/gobridge/gobridge/registry"
)

// shipped is the default library: every module all links in, and nothing
// else (the private test modules stay out).
var shipped = map[string]bool{
	"crypto": true, "crypto.md5": true, "crypto.sha256": true,
	"encoding": true, "encoding.base64": true, "encoding.hex": true,
	"math": true, "math.bits": true,
	"regexp": true, "strings": true,
}

var packages = map[string]bool{"crypto": true, "encoding": true, "math": true}

func TestRegistry(t *testing.T) {
	got := map[string]bool{}
	for _, e := range registry.Entries() {
		got[e.Name] = true
		if !shipped[e.Name] {
			t.Errorf("unexpected module %q registered by %s", e.Name, e.GoPackage)
		}
		if e.Package != packages[e.Name] {
			t.Errorf("module %q: Package = %v, want %v", e.Name, e.Package, packages[e.Name])
		}
		if e.Summary() == "" {
			t.Errorf("module %q has no docstring", e.Name)
		}
		if strings.HasPrefix(e.Name, "_") {
			t.Errorf("private module %q linked into the default library", e.Name)
		}
	}
	for name := range shipped {
		if !got[name] {
			t.Errorf("module %q is not registered", name)
		}
	}
}

func TestEveryModuleBuilds(t *testing.T) {
	for name := range shipped {
		t.Run(name, func(t *testing.T) {
			m := modtest.Exec(t, name)
			modtest.HasAttrs(t, m, "__doc__")
		})
	}
}
