package gohost_test

import (
	"fmt"

	"github.com/gobridge/gobridge/importlib/gohost"
	"github.com/gobridge/gobridge/py"
)

func init() {
	// Two modules: greet.names holds data, greet.hello imports it with
	// "from .names import DEFAULT" and uses it.
	py.Register("greet", py.ModuleDef{Package: true, Exec: func(m *py.Module) error { return nil }})
	py.Register("greet.names", py.ModuleDef{Exec: func(m *py.Module) error {
		m.Set("DEFAULT", "world")
		return nil
	}})
	py.Register("greet.hello", py.ModuleDef{Exec: func(m *py.Module) error {
		h := m.Host()
		names, err := h.ImportName(m, "names", []string{"DEFAULT"}, 1) // from .names import DEFAULT
		if err != nil {
			return err
		}
		who, err := h.ImportFrom(names, "DEFAULT")
		if err != nil {
			return err
		}
		m.Set("message", fmt.Sprintf("hello, %s", who))
		return nil
	}})
}

func Example() {
	in := gohost.New(gohost.Config{})
	hello, err := in.Import("greet.hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, _ := hello.Get("message")
	fmt.Println(msg)
	fmt.Println(in.Names())

	_, err = in.Import("greet.nosuch")
	fmt.Println(err)
	// Output:
	// hello, world
	// [greet greet.hello greet.names]
	// No module named 'greet.nosuch'
}
