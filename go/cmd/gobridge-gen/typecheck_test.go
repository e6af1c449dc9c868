package main

import (
	"context"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/py"
)

// Local types for the agreement table.
type (
	unexportedInt    int
	ExportedInt      int
	ExportedStruct   struct{ A int }
	unexportedStruct struct{}
	ExportedSlice    []unexportedInt
	ExportedKey      string
	Recursive        []Recursive
	ExportedIface    interface{ M() }
	EmptyIface       interface{}
	ExportedFunc     func()
)

// typeOf names a type both for reflect, at run time, and for go/types, which
// reads the type argument of each call from this file's source.
func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// agreeTable is every kind of type the two checks must judge alike.
var agreeTable = []reflect.Type{
	typeOf[bool](), typeOf[int](), typeOf[int8](), typeOf[uint64](), typeOf[uintptr](),
	typeOf[float32](), typeOf[complex128](), typeOf[string](), typeOf[rune](), typeOf[byte](),
	typeOf[[]byte](), typeOf[[32]byte](), typeOf[[]string](), typeOf[[][]int64](),
	typeOf[map[string]int64](), typeOf[map[int]bool](), typeOf[map[float64]string](),
	typeOf[map[uintptr]int](), typeOf[map[[2]int]int](), typeOf[map[ExportedKey]int](),
	typeOf[map[unexportedInt]int](), typeOf[map[string]chan int](), typeOf[map[complex64]int](),
	typeOf[*int](), typeOf[**int](), typeOf[*ExportedStruct](), typeOf[**ExportedStruct](),
	typeOf[ExportedStruct](), typeOf[unexportedStruct](), typeOf[*unexportedStruct](),
	typeOf[struct{ A int }](), typeOf[*struct{}](), typeOf[[]ExportedStruct](),
	typeOf[unexportedInt](), typeOf[ExportedInt](), typeOf[[]unexportedInt](), typeOf[ExportedSlice](),
	typeOf[Recursive](), typeOf[any](), typeOf[EmptyIface](), typeOf[ExportedIface](),
	typeOf[error](), typeOf[[]error](), typeOf[context.Context](), typeOf[unsafe.Pointer](),
	typeOf[[]unsafe.Pointer](), typeOf[chan int](), typeOf[<-chan func()](), typeOf[func()](),
	typeOf[ExportedFunc](), typeOf[*big.Int](), typeOf[big.Int](), typeOf[[]*big.Int](),
	typeOf[convert.BorrowedBytes](), typeOf[py.Bytes](), typeOf[[]py.Bytes](),
	typeOf[time.Duration](), typeOf[time.Time](), typeOf[*time.Location](), typeOf[reflect.Type](),
	typeOf[*os.File](), typeOf[os.FileMode](), typeOf[[]any](), typeOf[map[string]any](),
}

// TestCheckAgreesWithConvert keeps checkType in step with convert.CheckParam
// and convert.CheckResult: for each type of agreeTable, the generator must
// accept exactly what the runtime accepts.
func TestCheckAgreesWithConvert(t *testing.T) {
	t.Parallel()
	gotypes := typeArgsOfTypeOf(t)
	if len(gotypes) != len(agreeTable) {
		t.Fatalf("found %d typeOf calls in source, want %d", len(gotypes), len(agreeTable))
	}
	for i, rt := range agreeTable {
		gt := gotypes[i]
		for name, check := range map[string]func(reflect.Type) error{"CheckParam": convert.CheckParam, "CheckResult": convert.CheckResult} {
			mirror := checkType(gt, name == "CheckParam")
			want := check(rt)
			if (mirror == nil) != (want == nil) {
				t.Errorf("%s: convert.%s says %v, checkType says %v", rt, name, want, mirror)
			}
		}
	}
}

// typeArgsOfTypeOf type-checks this package, tests included, and returns the
// type argument of each typeOf call in this file, in source order.
func typeArgsOfTypeOf(t *testing.T) []types.Type {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	var self *ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		if name == "typecheck_test.go" {
			self = f
		}
	}
	info := &types.Info{Instances: map[*ast.Ident]types.Instance{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("main", fset, files, info); err != nil {
		t.Fatal(err)
	}
	var out []types.Type
	ast.Inspect(self, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if idx, ok := call.Fun.(*ast.IndexExpr); ok {
				if id, ok := idx.X.(*ast.Ident); ok && id.Name == "typeOf" {
					out = append(out, info.Instances[id].TypeArgs.At(0))
				}
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatal("no typeOf calls found")
	}
	return out
}
