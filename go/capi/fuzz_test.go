package capi

import (
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/gobridge/gobridge/internal/pymarshal"
	_ "github.com/gobridge/gobridge/modules/testmod" // the module _testing, called below
)

// Test files of a cgo package cannot use C, so the fuzz target calls the
// exported functions through reflect, converting its values to their C
// parameter types, and frees what they return with the package's binding
// of C's free.

// cRet is a gobridge_ret as reflect sees it: status, data, len.
type cRet struct {
	status int64
	data   []byte
}

// callC calls an exported function with Go values converted to its
// parameter types: integers convert, a []byte becomes a pointer to its
// first byte (nil when empty). A gobridge_ret result is copied and freed.
func callC(fn any, args ...any) (ret cRet, scalar reflect.Value) {
	f := reflect.ValueOf(fn)
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		pt := f.Type().In(i)
		switch a := a.(type) {
		case []byte:
			var p unsafe.Pointer
			if len(a) > 0 {
				p = unsafe.Pointer(&a[0])
			}
			in[i] = reflect.NewAt(pt.Elem(), p)
		default:
			in[i] = reflect.ValueOf(a).Convert(pt)
		}
	}
	out := f.Call(in)
	if len(out) == 0 {
		return cRet{}, reflect.Value{}
	}
	r := out[0]
	if r.Kind() != reflect.Struct {
		return cRet{}, r
	}
	p := r.Field(1).UnsafePointer()
	n := r.Field(2).Uint()
	ret.status = r.Field(0).Int()
	if p != nil {
		ret.data = append([]byte(nil), unsafe.Slice((*byte)(p), n)...)
		_Cfunc_free(p)
	}
	return ret, reflect.Value{}
}

// abiExcluded are the _testing functions the fuzz target never calls: they
// sleep, loop or allocate as long as an argument says, write to the test's
// output, keep state, or end the process on purpose.
var abiExcluded = map[string]bool{
	"sleep_ms": true, "sleep_ctx": true, "sleep_ignoring_ctx": true, "spin": true, "each": true,
	"count_chan": true, "allocate": true, "write_stdout": true, "store": true,
	"call_stored": true, "arm_flaky_init": true, "fatal_concurrent_map_writes": true,
	"fatal_panic_in_goroutine": true, "parallel_map": true,
}

var abiModule struct {
	once sync.Once
	fids []uint64 // callable functions, in name order
	tids []uint64
}

func seqOf(v any) []any {
	switch x := v.(type) {
	case pymarshal.Tuple:
		return x
	case pymarshal.List:
		return x
	}
	return nil
}

func loadABIModule(t testing.TB) {
	abiModule.once.Do(func() {
		name := []byte("_testing")
		ret, _ := callC(gobridge_module_new, name, uint64(len(name)))
		v, err := pymarshal.Decode(ret.data)
		if ret.status > 1 || err != nil {
			t.Fatalf("gobridge_module_new(_testing): status %d, %v", ret.status, err)
		}
		byName := map[string]uint64{}
		first := uint64(seqOf(v)[2].(int64))
		for i, name := range seqOf(seqOf(v)[3]) {
			// Describing a function makes it, as Python does before its
			// first call.
			fid := first + uint64(i)
			if ret, _ := callC(gobridge_describe, fid); ret.status > 1 {
				t.Fatalf("gobridge_describe(%s): status %d", name, ret.status)
			}
			if !abiExcluded[name.(string)] {
				byName[name.(string)] = fid
			}
		}
		for _, a := range seqOf(seqOf(v)[4]) {
			if attr := seqOf(a); attr[1] == "class" {
				abiModule.tids = append(abiModule.tids, uint64(attr[2].(int64)))
			}
		}
		names := make([]string, 0, len(byName))
		for n := range byName {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			abiModule.fids = append(abiModule.fids, byName[n])
		}
	})
}

// goFrame is gobridge_frame (frame.h) as Go lays it out; invokeWords checks
// that the sizes agree.
type goFrame struct {
	self       uint64
	args       unsafe.Pointer
	nargs      uint64
	results    unsafe.Pointer
	nresults   uint64
	scratch    unsafe.Pointer
	scratchLen uint64
	spill      unsafe.Pointer
	builder    unsafe.Pointer
	status     int64
	err        unsafe.Pointer
	errLen     uint64
	goState    [14]uint64
}

// invokeWords calls gobridge_invoke with nargs arguments and nresults
// results, all scalars, the arguments' words taken from words in turn.
func invokeWords(t *testing.T, fid uint64, nargs, nresults int, words ...uint64) cRet {
	fn := reflect.ValueOf(gobridge_invoke)
	frameType := fn.Type().In(1).Elem()
	if frameType.Size() != unsafe.Sizeof(goFrame{}) {
		t.Fatalf("gobridge_frame is %d bytes, goFrame %d", frameType.Size(), unsafe.Sizeof(goFrame{}))
	}
	args := make([]uint64, 2*nargs+2)
	for i := 0; i < nargs; i++ {
		args[2*i] = words[i%len(words)]
	}
	results := make([]uint64, 2*nresults+2)
	scratch := make([]uint64, 64)
	frame := reflect.New(frameType)
	fr := (*goFrame)(frame.UnsafePointer())
	*fr = goFrame{
		args: unsafe.Pointer(&args[0]), nargs: uint64(nargs),
		results: unsafe.Pointer(&results[0]), nresults: uint64(nresults),
		scratch: unsafe.Pointer(&scratch[0]), scratchLen: uint64(len(scratch) * 8),
	}
	fn.Call([]reflect.Value{reflect.ValueOf(fid).Convert(fn.Type().In(0)), frame})
	ret := cRet{status: fr.status}
	if fr.err != nil {
		ret.data = append([]byte(nil), unsafe.Slice((*byte)(fr.err), fr.errLen)...)
		_Cfunc_free(fr.err)
	}
	if fr.spill != nil {
		_Cfunc_free(fr.spill)
	}
	return ret
}

// scalarLayouts reports how many parameters and results a frame signature
// has when all of them are scalars, and ok false otherwise; scalar says
// that the function is called through gobridge_invoke_scalar.
func scalarLayouts(sig string) (nargs, nresults int, scalar, ok bool) {
	sig, scalar = strings.CutPrefix(sig, "=")
	params, results, found := strings.Cut(sig, ":")
	if !found || strings.Trim(params+results, "?bhiqBHIQfd") != "" {
		return 0, 0, false, false
	}
	return len(params), len(results), scalar, true
}

// invokeScalar calls gobridge_invoke_scalar with the words a and b.
func invokeScalar(fid, a, b uint64) cRet {
	fn := reflect.ValueOf(gobridge_invoke_scalar)
	out := reflect.New(fn.Type().In(4).Elem())
	r := fn.Call([]reflect.Value{
		reflect.ValueOf(fid).Convert(fn.Type().In(0)), reflect.ValueOf(uint64(0)).Convert(fn.Type().In(1)),
		reflect.ValueOf(a).Convert(fn.Type().In(2)), reflect.ValueOf(b).Convert(fn.Type().In(3)), out,
	})
	ret := cRet{status: r[0].Int()}
	if p := out.Elem().FieldByName("error").UnsafePointer(); p != nil {
		ret.data = append([]byte(nil), unsafe.Slice((*byte)(p), out.Elem().FieldByName("error_len").Uint())...)
		_Cfunc_free(p)
	}
	return ret
}

// checkRet fails unless ret is a status Python knows with data marshal reads
// and, for an error, a well-formed error record.
func checkRet(t *testing.T, what string, ret cRet) {
	t.Helper()
	v, err := pymarshal.Decode(ret.data)
	if err != nil {
		t.Fatalf("%s: status %d with unreadable data %x: %v", what, ret.status, ret.data, err)
	}
	switch ret.status {
	case 0, 1:
	case 2:
		if rec := seqOf(v); len(rec) != 6 || rec[0] == "" {
			t.Fatalf("%s: error record %#v", what, v)
		}
	default:
		t.Fatalf("%s: status %d", what, ret.status)
	}
}

// abiErrorClasses are exception classes _testing declares.
var abiErrorClasses = []string{"ErrNotFound", "BadDigit", "Missing"}

// FuzzABI drives the C ABI the way a confused or hostile caller could:
// modules, classes and exception classes by arbitrary names and ids, calls of real functions
// with arbitrary argument bytes and receivers, started calls cancelled and
// finished in any order, frame calls of scalar signatures with arbitrary
// raw values, releases of arbitrary handles, and unpickling of arbitrary
// data as each type _pickling declares (then pickling and copying what came
// back, or an arbitrary handle). Nothing may panic or hang, and every
// returned record must be well-formed.
func FuzzABI(f *testing.F) {
	loadABIModule(f)
	loadPickling(f)
	for op := uint8(0); op < 7; op++ {
		f.Add(op, uint8(3), uint64(0), uint64(7), []byte(")\x01\xe9\x07\x00\x00\x00"))
		f.Add(op, uint8(200), uint64(1<<63), uint64(1), []byte("_testing"))
	}
	f.Fuzz(func(t *testing.T, op, pick uint8, a, b uint64, payload []byte) {
		fid := abiModule.fids[int(pick)%len(abiModule.fids)]
		if pick >= 200 {
			fid = a // any number, mostly not a function
		}
		n := uint64(len(payload))
		switch op % 7 {
		case 0:
			ret, _ := callC(gobridge_module_new, payload, n)
			checkRet(t, "gobridge_module_new", ret)
			if ret.status <= 1 {
				v, _ := pymarshal.Decode(ret.data)
				callC(gobridge_release, uint64(seqOf(v)[1].(int64)))
			}
		case 1:
			tid := a
			if len(abiModule.tids) > 0 && pick%2 == 0 {
				tid = abiModule.tids[int(pick/2)%len(abiModule.tids)]
			}
			ret, _ := callC(gobridge_type_info, tid)
			checkRet(t, "gobridge_type_info", ret)
			// An exception class by an arbitrary key, or by one of
			// _testing's, as Python asks on its first use.
			key := payload
			if pick%2 == 0 {
				key = []byte("gomod._testing:" + abiErrorClasses[int(pick/2)%len(abiErrorClasses)])
			}
			ret, _ = callC(gobridge_error_info, key, uint64(len(key)))
			checkRet(t, "gobridge_error_info", ret)
		case 2:
			ret, _ := callC(gobridge_call, fid, b%4, payload, n, []byte(nil), uint64(0))
			checkRet(t, "gobridge_call", ret)
			releaseLent(ret)
		case 3:
			_, id := callC(gobridge_call_start, fid, b%4, payload, n, []byte(nil), uint64(0), uint64(0))
			if b%3 != 0 {
				callC(gobridge_call_cancel, id.Uint(), int32(b%2))
			}
			ret, _ := callC(gobridge_call_finish, id.Uint())
			checkRet(t, "gobridge_call_finish", ret)
			releaseLent(ret)
			again, _ := callC(gobridge_call_finish, id.Uint())
			if again.status != 2 {
				t.Fatalf("finishing call %d twice: status %d", id.Uint(), again.status)
			}
		case 4:
			ret, _ := callC(gobridge_describe, fid)
			checkRet(t, "gobridge_describe", ret)
			desc, _ := pymarshal.Decode(ret.data)
			items := seqOf(desc)
			if ret.status != 0 || len(items) < 10 {
				return
			}
			sig, _ := items[9].(string)
			nargs, nresults, scalar, ok := scalarLayouts(sig)
			switch {
			case ok && scalar:
				if ret := invokeScalar(fid, a, b); ret.status != 0 || ret.data != nil {
					checkRet(t, "gobridge_invoke_scalar", ret)
				}
			case ok:
				ret := invokeWords(t, fid, nargs, nresults, a, b)
				if ret.status != 0 || ret.data != nil {
					checkRet(t, "gobridge_invoke", ret)
				}
			}
		case 5:
			callC(gobridge_release, a)
			callC(gobridge_call_cancel, b, int32(0))
			ret, _ := callC(gobridge_call_finish, b)
			if ret.status != 2 {
				t.Fatalf("finishing a call never started: status %d", ret.status)
			}
		case 6:
			fuzzPickling(t, pick, a, b, payload)
		}
	})
}

// pickledTypes are the stable names of the types _pickling declares.
var pickledTypes []string

func loadPickling(t testing.TB) {
	name := []byte("_pickling")
	ret, _ := callC(gobridge_module_new, name, uint64(len(name)))
	if ret.status > 1 {
		t.Fatalf("gobridge_module_new(_pickling): status %d", ret.status)
	}
	const pkg = "github.com/gobridge/gobridge/modules/testmod/pickled."
	pickledTypes = []string{pkg + "Temperature", "*" + pkg + "Versioned", "*" + pkg + "Unwritable",
		"*" + pkg + "Opaque", "*crypto/internal/fips140/sha256.Digest", "*crypto/sha256.digest"}
}

// fuzzPickling unpickles payload as one of pickledTypes (or as a type named
// by payload), in one of the formats or another, then pickles and copies
// the result; or it pickles and copies the arbitrary handle a.
func fuzzPickling(t *testing.T, pick uint8, a, b uint64, payload []byte) {
	name := []byte(pickledTypes[int(pick)%len(pickledTypes)])
	if pick >= 200 {
		name = payload[:len(payload)/2]
	}
	format := []byte([]string{"binary", "text", "json"}[b%3])
	module := []byte("_pickling")
	ret, _ := callC(gobridge_unpickle, name, uint64(len(name)), module, uint64(len(module)),
		format, uint64(len(format)), payload, uint64(len(payload)))
	checkRet(t, "gobridge_unpickle", ret)
	h := a
	if ret.status == 1 {
		v, _ := pymarshal.Decode(ret.data)
		h = uint64(seqOf(v)[2].(int64))
		defer callC(gobridge_release, h)
	}
	ret, _ = callC(gobridge_pickle, h)
	checkRet(t, "gobridge_pickle", ret)
	ret, _ = callC(gobridge_copy, h)
	checkRet(t, "gobridge_copy", ret)
	releaseLent(ret)
}

// releaseLent gives back the Go objects a result lent to the caller.
func releaseLent(ret cRet) {
	if ret.status != 1 {
		return
	}
	v, err := pymarshal.Decode(ret.data)
	if err != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		items := seqOf(v)
		if len(items) == 4 {
			if _, ok := items[0].(pymarshal.Ellipsis); ok && items[1] == "obj" {
				callC(gobridge_release, uint64(items[2].(int64)))
				return
			}
		}
		for _, e := range items {
			walk(e)
		}
	}
	walk(v)
}
