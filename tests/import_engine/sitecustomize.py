"""Makes gobridge.__import__ the process-wide import function.

``make test-import-engine`` puts this directory on PYTHONPATH, so that the
interpreter running the test suite, and every Python process the tests
start, imports through the Go import engine from the first import after
``site`` on.

Every gobridge library carries the engine (go/capi links go/internal/pyhost),
so this holds whichever library a process loads.
"""

import builtins

import gobridge

# CPython's own import function, kept for the tests that compare with it
# (tests/conformance/vectorlib.py, cpython_import): once it is replaced
# below, nothing else in the process can reach it.
cpython_import = builtins.__import__

builtins.__import__ = gobridge.__import__
