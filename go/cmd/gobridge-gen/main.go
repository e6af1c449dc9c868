// Command gobridge-gen writes the registration code that makes a Go package
// importable from Python through gobridge.
//
// It reads a Go package's source and writes zz_gobridge.go, an init
// function that calls py.Register with a py.ModuleDef whose Exec binds the
// package's exported functions, constants, struct types and errors. Docstrings are
// the Go documentation as plain text, and parameter names come from the
// source, which reflection cannot see.
//
// Usage, usually from a //go:generate line in the package to register:
//
//	gobridge-gen -module NAME [flags]
//
// The flags are:
//
//	-module name     dotted Python module name below gomod (required)
//	-package         the module is a Python package (may have submodules)
//	-from path       wrap the exported API of the package with this import
//	                 path (such as strings or math/bits) instead of the
//	                 package in the current directory
//	-dir dir         the package directory (default: the current directory)
//	-funcs A,B       bind only these functions (default: every supported one)
//	-types T,U       declare only these struct types as classes
//	-consts X,Y      bind only these constants; an empty list binds none
//	-errors E,F      declare only these sentinel errors as exception
//	                 classes; an empty list declares none
//	-exclude A,T.M   leave out functions, types or constants; T.M hides a
//	                 method or field M of type T
//	-rename Go=py    Python name for a function, constant, class (T=Name) or
//	                 method (T.M=name); repeatable, or comma-separated
//	-short A,B       declare these functions short (py.Short: called with the
//	                 GIL held), as a //gobridge:short line in a function's
//	                 doc comment does; * declares every function short
//	-panic F,T.M=Exception:message
//	                 the panics with which these functions or methods reject
//	                 an argument (py.PanicAs): a panic whose message starts
//	                 with message raises Exception, such as ValueError,
//	                 instead of gobridge.GoPanic; repeatable
//	-positions F=s:return,T.M=s:start
//	                 declare positions within string parameter s
//	                 (py.Positions): the named int parameters, and the
//	                 results ("return", or "return[N]" for result N alone),
//	                 count code points in Python; a line
//	                 "//gobridge:positions s return" in a function's doc
//	                 comment does the same; repeatable
//	-strict          fail, instead of warning, on anything that cannot be
//	                 bound
//	-o file          output file, relative to -dir (default zz_gobridge.go)
//
// A declaration whose types gobridge cannot convert (channels, functions,
// unsafe pointers, unexported or non-empty interface types, structs by
// value...) is skipped with a warning on standard error naming it and the
// reason; with -strict it is an error. The rules are those of
// convert.CheckParam and py.NewFunction, restated on go/types. A function
// or type named in -funcs or -types that cannot be bound is always an
// error. Methods and fields that cannot cross are hidden with py.Hide.
//
// Exported sentinel errors (package-level variables whose type implements
// error) and exported error types (a type whose value or pointer implements
// error, or an alias of one) become exception classes of the module, named
// as in Go (py.Module.Error and py.Module.ErrorType); -types selects error
// types as it selects classes.
//
// A "//gobridge:nilable f g" line in a function's or method's doc comment
// declares its func parameters f and g nilable (py.Nilable): Python None is
// passed as a nil func, where otherwise it is a TypeError.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "gobridge-gen: %v\n", err)
		}
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	module    string
	isPackage bool
	from      string
	dir       string
	funcs     nameList
	types     nameList
	consts    nameList
	errors    nameList
	exclude   nameList
	short     nameList
	renames   map[string]string
	panics    []panicRule
	positions positionsFlag
	strict    bool
	out       string
	args      []string // the flags that shape the output, for its header
}

// nameList is a comma-separated flag that remembers whether it was given,
// so that "-consts=" (bind none) differs from no flag (bind all).
type nameList struct {
	set   bool
	names []string
}

func (l *nameList) String() string { return strings.Join(l.names, ",") }

func (l *nameList) Set(s string) error {
	l.set = true
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			l.names = append(l.names, n)
		}
	}
	return nil
}

func (l *nameList) has(name string) bool {
	for _, n := range l.names {
		if n == name {
			return true
		}
	}
	return false
}

// selects reports whether a declaration passes the list: everything does
// when the flag was not given.
func (l *nameList) selects(name string) bool { return !l.set || l.has(name) }

type renameFlag map[string]string

func (r renameFlag) String() string {
	pairs := make([]string, 0, len(r))
	for k, v := range r {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

func (r renameFlag) Set(s string) error {
	for _, pair := range strings.Split(s, ",") {
		goName, pyName, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || goName == "" || pyName == "" {
			return fmt.Errorf("bad -rename %q: want GoName=py_name", pair)
		}
		r[goName] = pyName
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{renames: map[string]string{}, positions: positionsFlag{}}
	fs := flag.NewFlagSet("gobridge-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.module, "module", "", "dotted Python module name below gomod")
	fs.BoolVar(&cfg.isPackage, "package", false, "the module is a Python package")
	fs.StringVar(&cfg.from, "from", "", "import path of the package to wrap instead of the local one")
	fs.StringVar(&cfg.dir, "dir", ".", "package directory")
	fs.Var(&cfg.funcs, "funcs", "comma-separated functions to bind (default all)")
	fs.Var(&cfg.types, "types", "comma-separated struct types to declare as classes (default all)")
	fs.Var(&cfg.consts, "consts", "comma-separated constants to bind (default all)")
	fs.Var(&cfg.errors, "errors", "comma-separated sentinel errors to declare as exception classes (default all)")
	fs.Var(&cfg.exclude, "exclude", "comma-separated names to leave out; Type.Member hides a method or field")
	fs.Var(&cfg.short, "short", "comma-separated functions to declare short (called with the GIL held); * for all")
	fs.Var(renameFlag(cfg.renames), "rename", "GoName=py_name, Type=ClassName or Type.Method=py_name")
	fs.Var(panicFlag{&cfg.panics}, "panic", "Func,Type.Method=Exception:message: panics that are argument errors; repeatable")
	fs.Var(cfg.positions, "positions", "F=str:name[:name...] or T.M=...: int parameters and results (return, return[N]) that are positions in string parameter str")
	fs.BoolVar(&cfg.strict, "strict", false, "fail on declarations that cannot be bound")
	fs.StringVar(&cfg.out, "o", "zz_gobridge.go", "output file, relative to -dir")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	// The generated file records the flags that shape its content, not
	// those that say where it was written.
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "o" || f.Name == "dir" {
			return
		}
		if f.Name == "panic" {
			cfg.args = append(cfg.args, panicHeaderArgs(cfg.panics)...)
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && f.Value.String() == "true" {
			cfg.args = append(cfg.args, "-"+f.Name)
			return
		}
		cfg.args = append(cfg.args, "-"+f.Name+"="+f.Value.String())
	})
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.module == "" {
		return nil, errors.New("-module is required")
	}
	return cfg, nil
}

// run is main without the process: it generates the file described by
// args and writes warnings to stderr.
func run(args []string, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	pkg, err := load(cfg)
	if err != nil {
		return err
	}
	mod, warnings, err := plan(cfg, pkg)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "gobridge-gen: warning: %s\n", w)
	}
	if err != nil {
		return err
	}
	out, err := emit(cfg, mod, pkg)
	if err != nil {
		return err
	}
	return writeFile(cfg, out)
}
