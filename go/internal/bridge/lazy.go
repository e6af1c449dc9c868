package bridge

import (
	"sort"
	"sync"

	"github.com/gobridge/gobridge/py"
	"github.com/gobridge/gobridge/pyerr"
)

// A lazyBlock holds the functions of one module instance until Python first
// uses them. Importing a module reserves one fid per function and tells
// Python the fids; the analysis a call needs (newFunction, and for a
// function bound with py.Module.LazyFunc the wrapping itself) runs when
// Python asks for a function's description, which it does on first use.
// Importing a module with many functions therefore costs about as much as
// one with none.
type lazyBlock struct {
	first  uint64
	module string
	mu     sync.Mutex
	funcs  []lazyEntry
}

type lazyEntry struct {
	name  string
	value any // *py.Function or *py.LazyFunction
}

// lazyBlocks are the blocks of live module instances, in the order of
// their first fids, which reserve hands out in increasing order.
var lazyBlocks struct {
	sync.Mutex
	list []*lazyBlock
}

func addLazyBlock(b *lazyBlock) {
	lazyBlocks.Lock()
	lazyBlocks.list = append(lazyBlocks.list, b)
	lazyBlocks.Unlock()
}

func removeLazyBlock(b *lazyBlock) {
	lazyBlocks.Lock()
	defer lazyBlocks.Unlock()
	for i, x := range lazyBlocks.list {
		if x == b {
			lazyBlocks.list = append(lazyBlocks.list[:i], lazyBlocks.list[i+1:]...)
			return
		}
	}
}

// lazyBlockOf returns the block that reserved fid, or nil.
func lazyBlockOf(fid uint64) *lazyBlock {
	lazyBlocks.Lock()
	defer lazyBlocks.Unlock()
	list := lazyBlocks.list
	i := sort.Search(len(list), func(i int) bool { return list[i].first > fid }) - 1
	if i < 0 || fid >= list[i].first+uint64(len(list[i].funcs)) {
		return nil
	}
	return list[i]
}

// materialize returns the function of fid, making it if it is one of a
// module's functions that no one has used yet. Concurrent first uses make
// it once. A function whose wrapping fails is an ImportError naming it.
func materialize(fid uint64) (*function, error) {
	if f := functions.get(fid); f != nil {
		return f, nil
	}
	b := lazyBlockOf(fid)
	if b == nil {
		return nil, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if f := functions.get(fid); f != nil {
		return f, nil
	}
	e := b.funcs[fid-b.first]
	pf, ok := e.value.(*py.Function)
	if !ok {
		var err error
		if pf, err = e.value.(*py.LazyFunction).Function(); err != nil {
			full := Namespace + "." + b.module
			return nil, pyerr.ImportError("cannot make "+full+"."+e.name+": "+err.Error(), full, "")
		}
	}
	f := newFunction(pf, e.name, nil)
	functions.set(fid, f)
	return f, nil
}
