"""Makes gobridge.__import__ the process-wide import function.

``make test-import-engine`` puts this directory on PYTHONPATH, so that the
interpreter running the test suite, and every Python process the tests
start, imports through the Go import engine from the first import after
``site`` on.
"""

import builtins

import gobridge

builtins.__import__ = gobridge.__import__
