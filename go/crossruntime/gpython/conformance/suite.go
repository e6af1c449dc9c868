package conformance

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/gobridge/gobridge/importlib"
	"github.com/gobridge/gobridge/importlib/conformance"
)

// Row is one vector's line of the results table.
type Row struct {
	// Vector is "family/id".
	Vector string
	// Missing names the language feature gpython lacks that the vector
	// needs; such a vector does not run.
	Missing string
	// Native and Engine report whether the run with gpython's import and
	// the run with the engine observed what CPython records.
	Native, Engine bool
	// Explicit reports the same for the engine with its own IMPORT_FROM
	// and IMPORT_STAR (Mode EngineExplicit).
	Explicit bool
	// Opcodes, when not empty, says how gpython's own IMPORT_FROM or
	// IMPORT_STAR changes the vector's outcome: the engine run and the
	// explicit run observed different things. Such a vector is not
	// counted in RUN.
	Opcodes string
	// Diff describes how the engine run differs from CPython, when it
	// does.
	Diff string
}

// Counted reports whether the row counts in RUN.
func (r Row) Counted() bool { return r.Missing == "" && r.Opcodes == "" }

// Summary is the table's totals.
type Summary struct {
	// Vectors is the number of vectors loaded; Ran the number that ran on
	// gpython (not excluded for a missing feature).
	Vectors, Ran int
	// Run is Ran minus the vectors whose outcome depends on gpython's own
	// IMPORT_FROM or IMPORT_STAR; EnginePassed and NativePassed count the
	// passes among them.
	Run, EnginePassed, NativePassed int
}

// Suite runs every vector natively, with the engine and with the
// engine's explicit IMPORT_FROM/IMPORT_STAR, against the expectations of
// version.
func Suite(vectors []*conformance.Vector, version importlib.Version) ([]Row, Summary, error) {
	var rows []Row
	var sum Summary
	for _, v := range vectors {
		row := Row{Vector: v.Family + "/" + v.ID, Missing: MissingFeature(v)}
		sum.Vectors++
		if row.Missing != "" {
			rows = append(rows, row)
			continue
		}
		sum.Ran++
		want, ok := v.Expects[version]
		if !ok {
			return nil, sum, fmt.Errorf("%s: no expectation for Python %s", row.Vector, version)
		}
		var results [3]*Result
		for _, mode := range []Mode{Native, Engine, EngineExplicit} {
			res, err := Run(v, mode, version)
			if err != nil {
				return nil, sum, fmt.Errorf("%s (%s): %w", row.Vector, mode, err)
			}
			results[mode] = res
		}
		row.Native = Equal(results[Native].Observed, want)
		row.Engine = Equal(results[Engine].Observed, want)
		row.Explicit = Equal(results[EngineExplicit].Observed, want)
		if !Equal(results[Engine].Observed, results[EngineExplicit].Observed) {
			row.Opcodes = opcodeReason(results[EngineExplicit].Events)
		}
		if !row.Engine {
			row.Diff = Diff(results[Engine].Observed, want)
		}
		if row.Counted() {
			sum.Run++
			if row.Engine {
				sum.EnginePassed++
			}
			if row.Native {
				sum.NativePassed++
			}
		}
		rows = append(rows, row)
	}
	return rows, sum, nil
}

// MissingFeature names the language feature gpython lacks that v needs,
// or "".
func MissingFeature(v *conformance.Vector) string {
	var stmts []conformance.Stmt
	stmts = append(stmts, v.Steps...)
	for _, name := range sortedKeys(v.Tree) {
		stmts = append(stmts, v.Tree[name].Body...)
	}
	for _, s := range stmts {
		if _, ok := s["name"]; ok && s["op"] == "raise" {
			return fmt.Sprintf("keyword arguments to exception constructors (%s(..., name=...), Python 3.3): gpython's exceptions take none", s["type"])
		}
	}
	return ""
}

// opcodeReason says, from what the engine's explicit IMPORT_FROM and
// IMPORT_STAR did, why gpython's own opcodes give another outcome.
func opcodeReason(events []Event) string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, e := range events {
		switch {
		case e.Op == "IMPORT_STAR":
			add(fmt.Sprintf("IMPORT_STAR from '%s' raises %s: gpython's IMPORT_STAR has its own messages", e.Module, e.Error))
		case e.InTable:
			add(fmt.Sprintf("%s '%s' from '%s': not an attribute, but '%s.%s' is in sys.modules, where CPython's IMPORT_FROM looks next and gpython's (a getattr) does not", e.Op, e.Name, e.Module, e.Module, e.Name))
		case e.Op == "import-as":
			add(fmt.Sprintf("import-as '%s' from '%s': not an attribute; gpython compiles Python 3.4's LOAD_ATTR (AttributeError), CPython 3.7+ IMPORT_FROM (%s)", e.Name, e.Module, e.Error))
		default:
			add(fmt.Sprintf("IMPORT_FROM '%s' missing from '%s': gpython raises ImportError('cannot import name %s') without CPython's message, name and path", e.Name, e.Module, e.Name))
		}
	}
	if len(out) == 0 {
		return "gpython's IMPORT_FROM/IMPORT_STAR observe differently from the engine's"
	}
	return strings.Join(out, "; ")
}

// Diff is a short description of how got differs from want.
func Diff(got, want any) string {
	g, _ := Canonical(got)
	w, _ := Canonical(want)
	var diffs []string
	diff("", g, w, &diffs)
	sort.Strings(diffs)
	if len(diffs) > 3 {
		diffs = append(diffs[:3], fmt.Sprintf("(%d more)", len(diffs)-3))
	}
	return strings.Join(diffs, "; ")
}

func diff(path string, g, w any, out *[]string) {
	gm, gok := g.(map[string]any)
	wm, wok := w.(map[string]any)
	if gok && wok {
		keys := map[string]bool{}
		for k := range gm {
			keys[k] = true
		}
		for k := range wm {
			keys[k] = true
		}
		for k := range keys {
			diff(path+"."+k, gm[k], wm[k], out)
		}
		return
	}
	gl, gok := g.([]any)
	wl, wok := w.([]any)
	if gok && wok && len(gl) == len(wl) {
		for i := range gl {
			diff(fmt.Sprintf("%s[%d]", path, i), gl[i], wl[i], out)
		}
		return
	}
	if !Equal(g, w) {
		*out = append(*out, fmt.Sprintf("%s: got %s, want %s", path, short(g), short(w)))
	}
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// WriteTable prints the table: one line per vector, then the totals, the
// last line being "gpython conformance: engine P/RUN, native P/RUN".
func WriteTable(w io.Writer, rows []Row, sum Summary) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "vector\tnative\tengine\treason")
	outcome := func(ok bool) string {
		if ok {
			return "pass"
		}
		return "FAIL"
	}
	for _, r := range rows {
		switch {
		case r.Missing != "":
			fmt.Fprintf(tw, "%s\t-\t-\texcluded, needs %s\n", r.Vector, r.Missing)
		case r.Opcodes != "":
			fmt.Fprintf(tw, "%s\t%s\t%s\texcluded, gpython's own opcodes: %s (engine's IMPORT_FROM/IMPORT_STAR: %s)\n", r.Vector, outcome(r.Native), outcome(r.Engine), r.Opcodes, outcome(r.Explicit))
		case !r.Engine:
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Vector, outcome(r.Native), outcome(r.Engine), r.Diff)
		default:
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Vector, outcome(r.Native), outcome(r.Engine))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	excluded := sum.Vectors - sum.Ran
	_, err := fmt.Fprintf(w, "%d vectors: %d excluded for a missing language feature, %d ran on gpython, %d excluded for gpython's own IMPORT_FROM/IMPORT_STAR\ngpython conformance: engine %d/%d, native %d/%d\n",
		sum.Vectors, excluded, sum.Ran, sum.Ran-sum.Run, sum.EnginePassed, sum.Run, sum.NativePassed, sum.Run)
	return err
}
