package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/gobridge/gobridge/importlib"
)

// vectorDir and overridesPath are the suite shared with the Python side.
const (
	vectorDir     = "../../../tests/conformance/vectors"
	overridesPath = "../../../tests/conformance/version_overrides.json"
)

const prefix = "conformance."

var vectors []*Vector

func TestMain(m *testing.M) {
	var err error
	vectors, err = Load(vectorDir, overridesPath)
	if err != nil {
		panic(err)
	}
	Register(prefix, vectors)
	os.Exit(m.Run())
}

// canonical round-trips a value through JSON so that Go's and the
// recorded observations compare as the same JSON.
func canonical(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVectors runs every vector for every CPython version the vectors
// carry expectations for, with the Go host reproducing that version.
func TestVectors(t *testing.T) {
	if len(vectors) < 150 {
		t.Fatalf("only %d vectors loaded from %s", len(vectors), vectorDir)
	}
	versions := Versions(vectors)
	if len(versions) != len(importlib.Versions) {
		t.Errorf("expectations recorded for %v, the engine reproduces %v", versions, importlib.Versions)
	}
	for _, version := range versions {
		version := version
		t.Run(version.String(), func(t *testing.T) {
			t.Parallel()
			for _, v := range vectors {
				v := v
				t.Run(v.Family+"/"+v.ID, func(t *testing.T) {
					t.Parallel()
					want, ok := v.Expects[version]
					if !ok {
						t.Fatalf("no expectation for Python %s", version)
					}
					got := canonical(t, Run(prefix, v, version))
					if !reflect.DeepEqual(got, canonical(t, want)) {
						g, _ := json.MarshalIndent(got, "", " ")
						w, _ := json.MarshalIndent(canonical(t, want), "", " ")
						t.Errorf("observations differ\n--- go:\n%s\n--- cpython %s:\n%s", g, version, w)
					}
				})
			}
		})
	}
}
