package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
)

// source is a parsed, type-checked and documented package.
type source struct {
	// importPath is the wrapped package's import path, or "" when the
	// generated file belongs to the package itself.
	importPath string
	// outPkg is the name of the package the generated file belongs to.
	outPkg string
	types  *types.Package
	doc    *doc.Package
}

// load reads the package to wrap: the one in cfg.dir, or cfg.from.
func load(cfg *config) (*source, error) {
	dir, err := filepath.Abs(cfg.dir)
	if err != nil {
		return nil, err
	}
	var bp *build.Package
	if cfg.from != "" {
		bp, err = build.Import(cfg.from, dir, 0)
	} else {
		bp, err = build.ImportDir(dir, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("loading package: %w", err)
	}
	outName := filepath.Base(cfg.out)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range append(append([]string(nil), bp.GoFiles...), bp.CgoFiles...) {
		// The previous output may be stale, and may not even compile
		// against the package it was generated from: never read it.
		if cfg.from == "" && name == outName {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", bp.Dir)
	}
	importPath := bp.ImportPath
	if importPath == "" || importPath == "." {
		importPath = bp.Name
	}
	var typeErrs []error
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "source", nil),
		Error:    func(err error) { typeErrs = append(typeErrs, err) },
	}
	tpkg, _ := conf.Check(importPath, fset, files, nil)
	if len(typeErrs) > 0 {
		if len(typeErrs) > 10 {
			typeErrs = append(typeErrs[:10], fmt.Errorf("and %d more", len(typeErrs)-10))
		}
		return nil, fmt.Errorf("type-checking %s: %w", importPath, errors.Join(typeErrs...))
	}
	dpkg, err := doc.NewFromFiles(fset, files, importPath, doc.PreserveAST)
	if err != nil {
		return nil, err
	}
	src := &source{types: tpkg, doc: dpkg, outPkg: bp.Name}
	if cfg.from != "" {
		src.importPath = bp.ImportPath
		if src.outPkg, err = localPackageName(dir, outName); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// localPackageName returns the package name of the Go files in dir other
// than the generator's output, or the directory's name if there are none.
func localPackageName(dir, outName string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == outName || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.PackageClauseOnly)
		if err != nil {
			return "", err
		}
		return f.Name.Name, nil
	}
	name := filepath.Base(dir)
	if !token.IsIdentifier(name) {
		return "", fmt.Errorf("cannot name the package in %s: add a Go file with a package clause", dir)
	}
	return name, nil
}
