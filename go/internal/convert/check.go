// Package convert turns marshalled Python values into Go values of a given
// type, and Go values into marshalled Python values.
package convert

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
)

// BorrowedBytes is a read-only view of a Python buffer (bytes, bytearray,
// memoryview) for the duration of one call, passed without a copy. The
// function must not modify it or keep it after returning.
type BorrowedBytes []byte

var (
	bigIntType   = reflect.TypeOf((*big.Int)(nil))
	borrowedType = reflect.TypeOf(BorrowedBytes(nil))
	errorIface   = reflect.TypeOf((*error)(nil)).Elem()
)

// BigIntType and BorrowedType are the Go types with conversions of their
// own: *big.Int (any Python int) and BorrowedBytes.
var (
	BigIntType   = bigIntType
	BorrowedType = borrowedType
)

// IsObject reports whether values of type t cross to Python as objects of a
// class (by handle) rather than as plain values: structs and pointers to
// structs, except value structs (see IsValueStruct).
func IsObject(t reflect.Type) bool {
	if t == bigIntType {
		return false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && !IsValueStruct(t)
}

// IsIterator reports whether values of type t cross to Python as
// iterators: receive channels, and functions of the shape of iter.Seq and
// iter.Seq2 (func(yield func(V) bool) and func(yield func(K, V) bool)).
func IsIterator(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Chan:
		return t.ChanDir()&reflect.RecvDir != 0
	case reflect.Func:
		if t.NumIn() != 1 || t.NumOut() != 0 || t.IsVariadic() {
			return false
		}
		yield := t.In(0)
		return yield.Kind() == reflect.Func && !yield.IsVariadic() &&
			(yield.NumIn() == 1 || yield.NumIn() == 2) &&
			yield.NumOut() == 1 && yield.Out(0).Kind() == reflect.Bool
	}
	return false
}

// CheckParam reports why values of type t cannot be passed from Python, or
// nil if they can.
func CheckParam(t reflect.Type) error { return check(t, toGo, map[reflect.Type]bool{}) }

// CheckResult reports why values of type t cannot be returned to Python,
// or nil if they can.
func CheckResult(t reflect.Type) error { return check(t, toPython, map[reflect.Type]bool{}) }

// direction is the way a value crosses: the rules differ for functions,
// which Python can pass (as callables) but not receive, and for iterators,
// which Python can receive but not pass.
type direction bool

const (
	toGo     direction = true
	toPython direction = false
)

func checkIterator(t reflect.Type, seen map[reflect.Type]bool) error {
	var elems []reflect.Type
	if t.Kind() == reflect.Chan {
		elems = append(elems, t.Elem())
	} else {
		for i := 0; i < t.In(0).NumIn(); i++ {
			elems = append(elems, t.In(0).In(i))
		}
	}
	for _, e := range elems {
		if err := check(e, toPython, seen); err != nil {
			return fmt.Errorf("iterator element: %w", err)
		}
	}
	return nil
}

func check(t reflect.Type, dir direction, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if dir == toPython && IsIterator(t) {
		return checkIterator(t, seen)
	}
	if t == bigIntType || t == borrowedType {
		return nil
	}
	if t.Name() != "" && t.PkgPath() != "" && !isExported(t.Name()) {
		return fmt.Errorf("unexported type %s cannot cross to Python", t)
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return nil
	case reflect.Slice, reflect.Array:
		if err := check(t.Elem(), dir, seen); err != nil {
			return fmt.Errorf("element: %w", err)
		}
		return nil
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		default:
			return fmt.Errorf("map key type %s has no Python equivalent", t.Key())
		}
		if err := check(t.Elem(), dir, seen); err != nil {
			return fmt.Errorf("map value: %w", err)
		}
		return nil
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer {
			return fmt.Errorf("pointer to pointer type %s cannot cross to Python", t)
		}
		if err := check(t.Elem(), dir, seen); err != nil {
			return fmt.Errorf("pointer: %w", err)
		}
		return nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return nil
		}
		if t == errorIface {
			return errors.New("error values cross only as a function's last result")
		}
		return fmt.Errorf("interface type %s cannot cross to Python", t)
	case reflect.UnsafePointer:
		return errors.New("unsafe pointers cannot cross to Python")
	case reflect.Chan:
		return fmt.Errorf("channel type %s cannot cross to Python", t)
	case reflect.Func:
		if dir == toPython {
			return fmt.Errorf("function type %s cannot be returned to Python", t)
		}
		return checkFunc(t, seen)
	case reflect.Struct:
		if t.Name() == "" {
			return fmt.Errorf("unnamed struct type %s cannot cross to Python", t)
		}
		return nil
	}
	return fmt.Errorf("type %s cannot cross to Python", t)
}

func isExported(name string) bool {
	return name != "" && name[0] >= 'A' && name[0] <= 'Z'
}

// checkFunc accepts a func type a Python callable can stand in for: its
// parameters go to Python and its results come back, with an optional
// trailing error.
func checkFunc(t reflect.Type, seen map[reflect.Type]bool) error {
	for i := 0; i < t.NumIn(); i++ {
		in := t.In(i)
		if t.IsVariadic() && i == t.NumIn()-1 {
			in = in.Elem()
		}
		if err := check(in, toPython, seen); err != nil {
			return fmt.Errorf("callback parameter %d: %w", i, err)
		}
	}
	for i := 0; i < t.NumOut(); i++ {
		if t.Out(i) == errorIface && i == t.NumOut()-1 {
			break
		}
		if err := check(t.Out(i), toGo, seen); err != nil {
			return fmt.Errorf("callback result %d: %w", i, err)
		}
	}
	return nil
}
