package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// vectorDir is the suite shared with the Python side.
const vectorDir = "../../../tests/conformance/vectors"

const prefix = "conformance."

var vectors []*Vector

func TestMain(m *testing.M) {
	var err error
	vectors, err = Load(vectorDir)
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

func TestVectors(t *testing.T) {
	if len(vectors) < 150 {
		t.Fatalf("only %d vectors loaded from %s", len(vectors), vectorDir)
	}
	for _, v := range vectors {
		v := v
		t.Run(v.Family+"/"+v.ID, func(t *testing.T) {
			t.Parallel()
			got := canonical(t, Run(prefix, v))
			want := canonical(t, v.Expect)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("observations differ\n--- go:\n%s\n--- cpython:\n%s", g, w)
			}
		})
	}
}
