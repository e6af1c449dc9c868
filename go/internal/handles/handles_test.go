package handles

import (
	"sync"
	"testing"
)

type thing struct{ n int }

func TestLendSamePointerSameHandle(t *testing.T) {
	var tab Table
	p := &thing{1}
	h1, h2 := tab.Lend(p), tab.Lend(p)
	if h1 != h2 {
		t.Fatalf("same pointer got handles %d and %d", h1, h2)
	}
	if h3 := tab.Lend(&thing{1}); h3 == h1 {
		t.Fatal("different pointers share a handle")
	}
	if tab.Len() != 2 {
		t.Fatalf("Len = %d, want 2", tab.Len())
	}
	tab.Return(h1)
	if _, ok := tab.Get(h1); !ok {
		t.Fatal("value dropped while a loan is outstanding")
	}
	tab.Return(h1)
	if _, ok := tab.Get(h1); ok {
		t.Fatal("value kept after its last loan came back")
	}
	if tab.Return(h1) {
		t.Fatal("Return of a dropped handle reported success")
	}
}

func TestValuesHaveNoIdentity(t *testing.T) {
	var tab Table
	if tab.Lend(thing{1}) == tab.Lend(thing{1}) {
		t.Fatal("struct values share a handle")
	}
}

func TestConcurrentLendReturn(t *testing.T) {
	var tab Table
	var wg sync.WaitGroup
	p := &thing{}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				h := tab.Lend(p)
				tab.Lend(&thing{j})
				tab.Return(h)
			}
		}()
	}
	wg.Wait()
	if tab.Len() != 8000 {
		t.Fatalf("Len = %d, want 8000", tab.Len())
	}
}

func TestAReturnedHandleNeverFindsTheValueReusingItsSlot(t *testing.T) {
	var tab Table
	old := tab.Lend(&thing{1})
	tab.Return(old)
	p := &thing{2}
	h := tab.Lend(p)
	if uint32(h) != uint32(old) {
		t.Fatalf("slot not reused: %#x after %#x", h, old)
	}
	if h == old {
		t.Fatal("a reused slot kept its generation")
	}
	if _, ok := tab.Get(old); ok {
		t.Fatal("a returned handle found the slot's new value")
	}
	if tab.Return(old) {
		t.Fatal("Return of a returned handle reported success")
	}
	if v, ok := tab.Get(h); !ok || v != p {
		t.Fatal("the new value is lost")
	}
	for _, bad := range []Handle{0, 1 << 31, ^Handle(0)} {
		if _, ok := tab.Get(bad); ok {
			t.Errorf("Get(%#x) found a value", bad)
		}
	}
}

func TestGetDuringLendAndReturn(t *testing.T) {
	var tab Table
	keep := &thing{7}
	h := tab.Lend(keep)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 5000; i++ {
			tab.Return(tab.Lend(&thing{i}))
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 5000; i++ {
			if v, ok := tab.Get(h); !ok || v != keep {
				t.Error("a lent value went missing")
				return
			}
		}
	}()
	wg.Wait()
}
