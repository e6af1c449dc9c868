package bridge

import (
	"strings"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
)

// newTestingModule builds a fresh _testing module and returns its
// instance handle and the fids of its functions and methods by name.
func newTestingModule(t testing.TB) (uint64, map[string]uint64) {
	t.Helper()
	var enc pymarshal.Encoder
	if st := ModuleNew("_testing", &enc); st != OK && st != OKObjects {
		t.Fatalf("ModuleNew(_testing) = %d", st)
	}
	v, err := pymarshal.Decode(enc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	fids := map[string]uint64{}
	for _, a := range seq(seq(v)[2]) {
		attr := seq(a)
		switch attr[1] {
		case "func":
			fids[attr[0].(string)] = uint64(attr[2].(int64))
		case "class":
			for _, m := range seq(seq(attr[2])[4]) {
				desc := seq(m)
				fids[attr[0].(string)+"."+desc[1].(string)] = uint64(desc[0].(int64))
			}
		}
	}
	return uint64(seq(v)[1].(int64)), fids
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
