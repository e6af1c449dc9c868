package bridge

import (
	"encoding/binary"
	"sort"
	"sync"
	"testing"

	"github.com/gobridge/gobridge/internal/pymarshal"
	_ "github.com/gobridge/gobridge/modules/testmod" // the module _testing, called below
)

// fuzzExcluded are the _testing functions FuzzCall never calls: they sleep,
// loop or allocate as long as an argument says, write to the test's
// output, keep state, or end the process on purpose.
var fuzzExcluded = map[string]bool{
	"sleep_ms": true, "sleep_ctx": true, "sleep_ignoring_ctx": true, "spin": true,
	"each": true, "count_chan": true, "allocate": true, "write_stdout": true, "parallel_map": true,
	"store": true, "call_stored": true, "arm_flaky_init": true,
	"fatal_concurrent_map_writes": true, "fatal_panic_in_goroutine": true,
}

// fuzzModule is one execution of _testing: the fids FuzzCall may call
// (sorted by name, methods as Class.method) and a Counter to call methods on.
var fuzzModule struct {
	once    sync.Once
	names   []string
	fids    map[string]uint64
	counter uint64
}

func loadFuzzModule(t testing.TB) {
	fuzzModule.once.Do(func() {
		_, fids := newTestingModule(t)
		fuzzModule.fids = map[string]uint64{}
		for name, fid := range fids {
			if !fuzzExcluded[name] {
				fuzzModule.fids[name] = fid
			}
		}
		for name := range fuzzModule.fids {
			fuzzModule.names = append(fuzzModule.names, name)
		}
		sort.Strings(fuzzModule.names)
		var args, enc pymarshal.Encoder
		_ = args.Tuple(1)
		args.Int(5)
		if st := Call(fuzzModule.fids["new_counter"], 0, args.Bytes(), nil, &enc); st != OKObjects {
			t.Fatalf("new_counter(5) = %d", st)
		}
		r, _ := pymarshal.Decode(enc.Bytes())
		fuzzModule.counter = uint64(r.(pymarshal.Tuple)[2].(int64))
	})
}

// seq returns the items of a marshalled tuple or list.
func seq(v any) []any {
	switch x := v.(type) {
	case pymarshal.Tuple:
		return x
	case pymarshal.List:
		return x
	}
	panic("not a sequence")
}

// lentHandles returns the handles of the Go objects in a result tree.
func lentHandles(v any) []uint64 {
	switch x := v.(type) {
	case pymarshal.Tuple:
		if len(x) == 4 {
			if _, ok := x[0].(pymarshal.Ellipsis); ok && x[1] == "obj" {
				return []uint64{uint64(x[2].(int64))}
			}
		}
		var hs []uint64
		for _, e := range x {
			hs = append(hs, lentHandles(e)...)
		}
		return hs
	case pymarshal.List:
		var hs []uint64
		for _, e := range x {
			hs = append(hs, lentHandles(e)...)
		}
		return hs
	case *pymarshal.Dict:
		var hs []uint64
		for _, e := range append(append([]any(nil), x.Keys...), x.Values...) {
			hs = append(hs, lentHandles(e)...)
		}
		return hs
	}
	return nil
}

// FuzzCall calls real functions and methods of _testing with arbitrary
// argument bytes, receivers and buffers. No call may panic out of Call;
// every outcome must be a status Python knows with data marshal reads,
// errors must be well-formed records, and every Go object a result lends
// must be released again.
func FuzzCall(f *testing.F) {
	loadFuzzModule(f)
	for i := range fuzzModule.names {
		f.Add(uint8(i), uint8(0), []byte(")\x00"))
		f.Add(uint8(i), uint8(1), []byte(")\x01\xe9\x07\x00\x00\x00"))
	}
	f.Fuzz(func(t *testing.T, which, selfKind uint8, args []byte) {
		name := fuzzModule.names[int(which)%len(fuzzModule.names)]
		var self uint64
		switch selfKind % 4 {
		case 1:
			self = fuzzModule.counter
		case 2:
			self = 1 << 40 // a handle never lent
		case 3:
			if len(args) >= 8 {
				self = binary.LittleEndian.Uint64(args)
			}
		}
		before := objects.Len()
		var enc pymarshal.Encoder
		status := Call(fuzzModule.fids[name], self, args, [][]byte{args, nil}, &enc)
		out, err := pymarshal.Decode(enc.Bytes())
		if err != nil {
			t.Fatalf("%s: status %d with unreadable data %x: %v", name, status, enc.Bytes(), err)
		}
		switch status {
		case OK:
		case OKObjects:
			for _, h := range lentHandles(out) {
				Release(h)
			}
		case Error:
			rec, ok := out.(pymarshal.Tuple)
			if !ok || len(rec) != 6 {
				t.Fatalf("%s: error record %#v", name, out)
			}
			if exc, _ := rec[0].(string); exc == "" {
				t.Fatalf("%s: error record without an exception type: %#v", name, out)
			}
			if _, ok := rec[4].(*pymarshal.Dict); !ok {
				t.Fatalf("%s: error record attributes %#v", name, rec[4])
			}
		default:
			t.Fatalf("%s: status %d", name, status)
		}
		if after := objects.Len(); after != before {
			t.Fatalf("%s: %d handles before the call, %d after releasing its result", name, before, after)
		}
	})
}
