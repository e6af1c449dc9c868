package bridge

import (
	"strings"
	"sync"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// moduleFids imports module name and returns its instance handle, the
// fids of its functions, which ModuleNew does not make, and its other
// attributes as the description lists them.
func moduleFids(t testing.TB, name string) (uint64, map[string]uint64, []any) {
	t.Helper()
	var enc pymarshal.Encoder
	if st := ModuleNew(name, &enc); st != OK && st != OKObjects {
		t.Fatalf("ModuleNew(%s) = %d", name, st)
	}
	v, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	fids := map[string]uint64{}
	first := uint64(seq(v)[2].(int64))
	for i, name := range seq(seq(v)[3]) {
		fids[name.(string)] = first + uint64(i)
	}
	return uint64(seq(v)[1].(int64)), fids, seq(seq(v)[4])
}

func TestFunctionsAreMadeOnFirstDescription(t *testing.T) {
	tests := []struct {
		module, function string
		wantErr          string // "" when the function is made
	}{
		{"_testing", "add", ""},
		{"_testing", "div", ""},
		{"_lazy_broken", "twice", ""},
		{"_lazy_broken", "drain", "cannot make gomod._lazy_broken.drain: gobridge: cannot wrap"},
		{"_lazy_broken", "misnamed", `the function bound as "misnamed" is named "other"`},
	}
	for _, tt := range tests {
		t.Run(tt.module+"."+tt.function, func(t *testing.T) {
			handle, fids, _ := moduleFids(t, tt.module)
			fid, ok := fids[tt.function]
			if !ok {
				t.Fatalf("%s has no function %s: %v", tt.module, tt.function, fids)
			}
			if functions.get(fid) != nil {
				t.Fatalf("ModuleNew made %s", tt.function)
			}
			st, v := describe(fid)
			if tt.wantErr == "" {
				if st != OK || functions.get(fid) == nil {
					t.Fatalf("Describe = %d, %v; made %v", st, v, functions.get(fid) != nil)
				}
			} else {
				if st != Error || !strings.Contains(errorText(v), tt.wantErr) {
					t.Fatalf("Describe = %d, %v; want an error containing %q", st, v, tt.wantErr)
				}
				if !strings.Contains(errorText(v), "ImportError") {
					t.Errorf("error %v is not an ImportError", v)
				}
			}
			Release(handle)
			if functions.get(fid) != nil || lazyBlockOf(fid) != nil {
				t.Errorf("releasing the module kept %s", tt.function)
			}
			if st, _ := describe(fid); st != Error {
				t.Errorf("Describe after release = %d, want an error", st)
			}
		})
	}
}

func TestConcurrentFirstUsesMakeOneFunction(t *testing.T) {
	handle, fids, _ := moduleFids(t, "_testing")
	defer Release(handle)
	fid := fids["add"]
	const n = 8
	made := make([]*function, n)
	var wg sync.WaitGroup
	for i := range made {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := materialize(fid)
			if err != nil {
				t.Error(err)
			}
			made[i] = f
		}()
	}
	wg.Wait()
	for _, f := range made {
		if f == nil || f != made[0] {
			t.Fatalf("concurrent first uses made different functions: %v", made)
		}
	}
}

// errorText flattens an error record for matching.
func errorText(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + " ")
		case pymarshal.Tuple:
			for _, e := range x {
				walk(e)
			}
		case pymarshal.List:
			for _, e := range x {
				walk(e)
			}
		case *pymarshal.Dict:
			for i := range x.Keys {
				walk(x.Keys[i])
				walk(x.Values[i])
			}
		}
	}
	walk(v)
	return b.String()
}
