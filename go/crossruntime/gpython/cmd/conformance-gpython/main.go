// Command conformance-gpython runs gobridge's import conformance vectors
// on gpython, with gpython's own import and with gobridge's engine, and
// prints the results table (make conformance-gpython). It exits non-zero
// unless the engine passes every vector counted in RUN and RUN is at
// least -min.
package main

import (
	"flag"
	"fmt"
	"os"

	gconf "github.com/gobridge/gobridge/crossruntime/gpython/conformance"
	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/conformance"
)

func main() {
	vectors := flag.String("vectors", "../../../tests/conformance/vectors", "directory of the vector files")
	overrides := flag.String("overrides", "../../../tests/conformance/version_overrides.json", "per-version expectations")
	min := flag.Int("min", 120, "least number of vectors RUN must count")
	flag.Parse()
	vs, err := conformance.Load(*vectors, *overrides)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance-gpython:", err)
		os.Exit(2)
	}
	rows, sum, err := gconf.Suite(vs, importlib.DefaultVersion)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance-gpython:", err)
		os.Exit(2)
	}
	if err := gconf.WriteTable(os.Stdout, rows, sum); err != nil {
		os.Exit(2)
	}
	if sum.EnginePassed != sum.Run || sum.Run < *min {
		os.Exit(1)
	}
}
