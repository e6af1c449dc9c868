package bridge

import (
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// newTestingModule builds a fresh _testing module, makes its functions,
// and returns its instance handle and the fids of its functions and
// methods by name.
func newTestingModule(t testing.TB) (uint64, map[string]uint64) {
	t.Helper()
	handle, fids, attrs := moduleFids(t, "_testing")
	for name, fid := range fids {
		// Python describes a function before it can call it, which makes
		// it: callers of these fids may skip Describe.
		if _, err := materialize(fid); err != nil {
			t.Fatalf("making %s: %v", name, err)
		}
	}
	for _, a := range attrs {
		if attr := seq(a); attr[1] == "class" {
			// A class is described on request, as a module's first use
			// of it asks for it.
			var info pymarshal.Encoder
			if st := TypeInfo(uint64(attr[2].(int64)), &info); st != OK {
				t.Fatalf("TypeInfo(%s) = %d", attr[0], st)
			}
			desc, err := pymarshal.Decode(info.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range seq(seq(desc)[4]) {
				desc := seq(m)
				fids[attr[0].(string)+"."+desc[1].(string)] = uint64(desc[0].(int64))
			}
		}
	}
	return handle, fids
}

func describe(fid uint64) (Status, any) {
	var enc pymarshal.Encoder
	st := Describe(fid, &enc)
	v, _ := pymarshal.Decode(enc.Bytes())
	return st, v
}

func TestModuleFunctionsAreDescribedOnRequest(t *testing.T) {
	handle, fids := newTestingModule(t)
	defer Release(handle)
	tests := []struct {
		name   string
		params []string
		result string
		frame  any
	}{
		{"add", []string{"a", "b"}, "int", "=qq:q"},
		{"div", []string{"a", "b"}, "float", "=dd:d"},
		{"split_pair", []string{"s"}, "tuple[str, str]", "s:ss"},
		{"no_result", nil, "None", "=:"},
		{"echo", []string{"v"}, "object", nil},
	}
	for _, tt := range tests {
		fid, ok := fids[tt.name]
		if !ok {
			t.Fatalf("_testing has no function %s", tt.name)
		}
		st, v := describe(fid)
		if st != OK {
			t.Fatalf("Describe(%s) = %d, %v", tt.name, st, v)
		}
		desc := seq(v)
		if len(desc) != descriptionLen || desc[0].(int64) != int64(fid) || desc[1] != tt.name {
			t.Fatalf("Describe(%s) = %v", tt.name, desc)
		}
		var params []string
		for _, p := range seq(desc[3]) {
			params = append(params, seq(p)[0].(string))
		}
		if strings.Join(params, ",") != strings.Join(tt.params, ",") || desc[5] != tt.result {
			t.Errorf("Describe(%s): params %v, result %v; want %v, %v", tt.name, params, desc[5], tt.params, tt.result)
		}
		if frame := desc[9]; frame != tt.frame {
			t.Errorf("Describe(%s): frame signature %#v, want %#v", tt.name, frame, tt.frame)
		}
	}
}

func TestDescribeRefusesWhatIsNotAModuleFunction(t *testing.T) {
	handle, fids := newTestingModule(t)
	method, ok := fids["Counter.incr"]
	if !ok {
		t.Fatalf("no Counter.incr among %v", fids)
	}
	Release(handle) // the module's functions go with it
	for _, fid := range []uint64{0, 1 << 40, fids["add"], method} {
		if st, v := describe(fid); st != Error || !strings.Contains(seq(v)[1].(string), "does not exist") {
			t.Errorf("Describe(%d) = %d, %v", fid, st, v)
		}
	}
}
