package importlib

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is the CPython version whose import the engine reproduces. Where
// Python/import.c, the builtin's argument parsing or _bootstrap.py differ
// between versions (messages, warning categories, the order of the
// argument checks), the engine does what that version does;
// docs/importlib.md lists each difference.
type Version struct {
	Major, Minor int
}

// DefaultVersion is the version an Importer reproduces when its Config
// names none: CPython 3.11.
var DefaultVersion = Version{3, 11}

// Versions are the CPython versions the engine reproduces, oldest first.
var Versions = []Version{{3, 9}, {3, 10}, {3, 11}, {3, 12}, {3, 13}}

// String returns the version as "3.11".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is major.minor or newer.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// ParseVersion parses "3.11" into a Version the engine reproduces.
func ParseVersion(s string) (Version, error) {
	major, minor, ok := strings.Cut(s, ".")
	if ok {
		a, errA := strconv.Atoi(major)
		b, errB := strconv.Atoi(minor)
		if errA == nil && errB == nil {
			return CheckVersion(Version{a, b})
		}
	}
	return Version{}, fmt.Errorf("importlib: malformed Python version %q (want major.minor, e.g. 3.11)", s)
}

// CheckVersion returns v if the engine reproduces it, and an error naming
// the versions it does reproduce otherwise.
func CheckVersion(v Version) (Version, error) {
	for _, known := range Versions {
		if v == known {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("importlib: Python %s is not one of the versions the engine reproduces (%s to %s)", v, Versions[0], Versions[len(Versions)-1])
}

// Config customises an Importer.
type Config struct {
	// Version is the CPython version to reproduce; the zero value means
	// DefaultVersion. New panics on a version not in Versions.
	Version Version
}

// packageMismatchCategory is the warning resolve_name and
// _calc___package__ issue when __package__ and __spec__.parent differ:
// an ImportWarning up to 3.11, a DeprecationWarning from 3.12 on.
func (v Version) packageMismatchCategory() string {
	if !v.AtLeast(3, 12) {
		return categoryImportWarning
	}
	return categoryDeprecationWarning
}
