package gpython_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/go-python/gpython/py"
	gpython "github.com/gobridge/gobridge/crossruntime/gpython"
)

// A gpython interpreter whose import statement is gobridge's engine:
// relative imports and "import a.b" work as in CPython.
func Example() {
	root, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	files := map[string]string{
		"greet/__init__.py": "",
		"greet/names.py":    "DEFAULT = 'world'\n",
		"greet/hello.py":    "from .names import DEFAULT\nmessage = 'hello, ' + DEFAULT\n",
	}
	for name, src := range files {
		p := filepath.Join(root, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			log.Fatal(err)
		}
	}

	in := gpython.New(gpython.Config{Path: []string{root}}) // sys.path
	defer in.Close()
	code, err := py.Compile("import greet.hello\nmessage = greet.hello.message\n", "<main>", py.ExecMode, 0, true)
	if err != nil {
		log.Fatal(err)
	}
	ns := py.StringDict{"__name__": py.String("__main__")}
	if _, err := in.Context().RunCode(code, ns, ns, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ns["message"])
	for _, name := range []string{"greet", "greet.hello", "greet.names"} {
		m := in.Modules()[name].(*py.Module)
		fmt.Println(name, m.Globals["__package__"])
	}
	// Output:
	// hello, world
	// greet greet
	// greet.hello greet
	// greet.names greet
}
