"""gobridge's benchmark suite: ``python -m gobridge.bench`` (``make bench``).

It measures what gobridge costs against the physical limit (a hand-written
C extension), against the usual ways of calling Go (bare cffi, ctypes,
setuptools-golang style extensions, go-python/gopy) and against pure Python,
side by side in one run, and reports ratios with their targets. Baselines
are built at run time into a cache directory. docs/benchmarks.md describes
every figure, its target and the latest results.
"""
