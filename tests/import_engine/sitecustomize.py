"""Makes gobridge.__import__ the process-wide import function.

``make test-import-engine`` puts this directory on PYTHONPATH, so that the
interpreter running the test suite, and every Python process the tests
start, imports through the Go import engine from the first import after
``site`` on.

A process that loads a library built by ``python -m gobridge build``
(``GOBRIDGE_LIBRARY``) keeps CPython's import: such a library links go/capi
and the packages it was built from, and the engine (go/internal/pyhost) is
not among them.
"""

import builtins
import os

import gobridge

# The interpreter's own import function, for the tests that compare with it.
cpython_import = builtins.__import__

if not os.environ.get("GOBRIDGE_LIBRARY"):
    builtins.__import__ = gobridge.__import__
