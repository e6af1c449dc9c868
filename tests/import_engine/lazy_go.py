"""A pytest plugin for ``make test-import-engine``: skips the tests whose
subject is that Go loads lazily.

With gobridge.__import__ as the process-wide import function, the first
import of every process loads Go. The tests below check what happens
*before* Go is loaded (an untouched interpreter, a fork or a forkserver
started before the first gomod import, a benchmark or a second library
chosen before it), so under the engine their premise does not hold; they
run, and must pass, in the normal pytest run.
"""

from __future__ import annotations

import pytest

GO_LOADED_AT_STARTUP = "gobridge.__import__ loads Go at the first import of the process"

LAZY_LOADING_TESTS = {
    "tests/test_startup.py::test_untouched_interpreter_pays_nothing",
    "tests/test_startup.py::test_go_starts_with_gomod_not_before",
    "tests/test_startup.py::test_gomod_imports_without_a_usable_library",
    "tests/test_startup.py::test_meta_path_unchanged_without_gomod",
    "tests/test_finder.py::test_finder_declines_names_outside_gomod_without_asking_go",
    "tests/reliability/test_processes.py::test_child_forked_before_load_uses_gomod",
    "tests/reliability/test_processes.py::test_process_pool_with_spawn_and_forkserver[forkserver]",
    "tests/test_scale_out.py::test_process_pool[forkserver]",
    "tests/test_build.py::test_a_second_go_runtime_is_refused_with_an_import_error",
    "tests/test_bench_smoke.py::test_quick_startup_figure_writes_json",
    # The engine's host imports the modules of the rarer call paths first.
    "tests/test_lazy_modules.py::test_a_plain_call_loads_no_rare_path_module",
    "tests/reliability/test_loading.py::test_shim_refuses_a_relative_path",
    "tests/reliability/test_loading.py::test_a_foreign_go_runtime_is_refused",
    *(
        f"tests/reliability/test_loading.py::test_sub_interpreter_import_is_a_clear_import_error[{way}-first-import]"
        for way in ("Py_NewInterpreter", "_interpreters", "_xxsubinterpreters")
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=GO_LOADED_AT_STARTUP)
    for item in items:
        if item.nodeid in LAZY_LOADING_TESTS:
            item.add_marker(skip)
