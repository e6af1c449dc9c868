package gohost_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/gohost"
	"github.com/gobridge/gobridge/py"
)

var (
	onceRuns   atomic.Int32
	caStarted  = make(chan struct{})
	cbStarted  = make(chan struct{})
	cycleTrees = []string{"gohosttest.cyc.ca", "gohosttest.cyc.cb"}
)

func init() {
	py.Register("gohosttest", py.ModuleDef{Package: true, Exec: func(m *py.Module) error { return nil }})
	py.Register("gohosttest.once", py.ModuleDef{Exec: func(m *py.Module) error {
		onceRuns.Add(1)
		time.Sleep(20 * time.Millisecond) // let the other goroutines pile up on the lock
		m.Set("value", 42)
		return nil
	}})
	py.Register("gohosttest.pkg", py.ModuleDef{Package: true, Exec: func(m *py.Module) error {
		_, err := m.Host().ImportName(m, "", []string{"a"}, 1)
		return err
	}})
	py.Register("gohosttest.pkg.a", py.ModuleDef{Exec: func(m *py.Module) error {
		m.Set("x", 1)
		return nil
	}})
	py.Register("gohosttest.pkg.b", py.ModuleDef{Exec: func(m *py.Module) error {
		pkg, err := m.Host().ImportName(m, "", []string{"a"}, 1)
		if err != nil {
			return err
		}
		a, err := m.Host().ImportFrom(pkg, "a")
		m.Set("a", a)
		return err
	}})
	py.Register("gohosttest.cyc", py.ModuleDef{Package: true, Exec: func(m *py.Module) error { return nil }})
	// ca and cb import each other, each from its own goroutine, and each
	// waits until the other has started so that both hold their own module
	// lock when they ask for the other's: the deadlock _ModuleLock breaks.
	py.Register("gohosttest.cyc.ca", py.ModuleDef{Exec: func(m *py.Module) error {
		close(caStarted)
		<-cbStarted
		m.Set("early", 1)
		_, err := m.Host().ImportName(m, "gohosttest.cyc.cb", nil, 0)
		m.Set("x", 1)
		return err
	}})
	py.Register("gohosttest.cyc.cb", py.ModuleDef{Exec: func(m *py.Module) error {
		close(cbStarted)
		<-caStarted
		_, err := m.Host().ImportName(m, "gohosttest.cyc.ca", nil, 0)
		m.Set("y", 2)
		return err
	}})
}

func TestConcurrentFirstImportExecutesOnce(t *testing.T) {
	onceRuns.Store(0)
	in := gohost.New(gohost.Config{})
	const n = 64
	mods := make([]*gohost.Module, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m, err := in.Import("gohosttest.once")
			if err != nil {
				t.Error(err)
				return
			}
			mods[i] = m
		}(i)
	}
	wg.Wait()
	if got := onceRuns.Load(); got != 1 {
		t.Fatalf("module executed %d times, want 1", got)
	}
	for _, m := range mods {
		if m != mods[0] {
			t.Fatal("goroutines got different module objects")
		}
		if v, _ := m.Get("value"); v != 42 {
			t.Fatalf("a goroutine saw an uninitialised module: value = %v", v)
		}
	}
}

func TestManyGoroutinesImportSameModules(t *testing.T) {
	in := gohost.New(gohost.Config{})
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			th := importlib.NewThread()
			im := in.Importer()
			for j := 0; j < 20; j++ {
				var err error
				// Every goroutine runs the same statements in the same order,
				// so module locks are always taken in one order (pkg.b, then
				// pkg, then pkg.a). Statements that take them in opposite
				// orders can fail with _DeadlockError under CPython 3.11 too.
				switch j % 3 {
				case 0:
					_, err = im.Import(th, "gohosttest.pkg.b", nil, nil, 0)
				case 1:
					var m any
					if m, err = im.Import(th, "gohosttest.pkg", nil, []string{"a", "b"}, 0); err == nil {
						_, err = im.ImportFrom(th, m, "b")
					}
				default:
					_, err = im.Import(th, "gohosttest.pkg.a", nil, nil, 0)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
	b, err := in.Import("gohosttest.pkg.b")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := in.Get("gohosttest.pkg.a")
	if got, _ := b.Get("a"); got != a {
		t.Fatalf("pkg.b.a = %v, want the module pkg.a", got)
	}
}

func TestCircularImportAcrossGoroutines(t *testing.T) {
	caStarted, cbStarted = make(chan struct{}), make(chan struct{})
	in := gohost.New(gohost.Config{})
	errs := make(chan error, 2)
	for _, name := range cycleTrees {
		go func(name string) {
			_, err := in.Import(name)
			errs <- err
		}(name)
	}
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("deadlock: the circular import across goroutines never finished")
		}
	}
	for _, name := range cycleTrees {
		m, _ := in.Get(name)
		mod := m.(*gohost.Module)
		if mod.Spec().Initializing() {
			t.Errorf("%s still initialising", name)
		}
	}
	ca, _ := in.Get("gohosttest.cyc.ca")
	if x, _ := ca.(*gohost.Module).Get("x"); x != 1 {
		t.Errorf("ca.x = %v", x)
	}
}

func TestIsDeadlockUnwraps(t *testing.T) {
	if !importlib.IsDeadlock(&wrapped{importlib.ErrDeadlock}) {
		t.Fatal("IsDeadlock does not see a wrapped ErrDeadlock")
	}
}

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "wrapped: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
