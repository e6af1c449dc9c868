"""The stored vectors are what CPython records.

generate.py --check re-records every vector with this interpreter (each in a
fresh ``python -I``, so that the import-engine run's sitecustomize is not in
the way), merges the result with the other versions' stored expectations,
and fails unless the files it would write are byte-identical to the stored
ones. Run under each supported interpreter, this checks every version's
expectations against that real CPython, and that no expectation is stored
twice.
"""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.slow
def test_regenerating_with_this_interpreter_is_byte_identical():
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "generate.py"), "--check", "--python", sys.executable],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_stored_files_are_what_generate_writes():
    """Without recording anything: the stored files are the canonical
    rendering of what they hold (vector definitions as generate.py defines
    them, overrides only where a version differs from the base)."""
    sys.path.insert(0, HERE)
    try:
        import generate
    finally:
        sys.path.remove(HERE)
    if not generate.VECTORS:
        generate.generate()
    for path, text in generate.render(generate.stored()).items():
        with open(path) as f:
            assert f.read() == text, f"{os.path.relpath(path, HERE)} is not what generate.py writes"
