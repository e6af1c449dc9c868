"""Record the expected side of the import conformance vectors from CPython.

Run by hand after adding or changing vectors, with every interpreter the
suite supports (the expectations differ between versions):

    python3 tests/conformance/generate.py --python /path/to/python3.9 ... /path/to/python3.13

For each vector defined below and each interpreter it writes the tree to a
temporary directory as real .py files, runs the steps with plain import
statements (CPython's C import) in a fresh ``-I`` interpreter, and records
the observations. Paths in messages are normalised to "<root>".

Storage: tests/conformance/vectors/<family>.json holds each vector with the
expectation of the base version (importlib.DefaultVersion, 3.11) under
"expect"; tests/conformance/version_overrides.json holds, per recorded
version, only the expectations that differ from the base. expected() in
vectorlib.py puts the two together.

Without --python only the running interpreter is recorded; the other
versions' expectations are kept from the stored files, and the files are
rewritten from the merge. --check writes nothing: it fails unless that
rewrite would be byte-identical to what is stored (test_generate.py runs
it with the interpreter under test).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vectors")
OVERRIDES = os.path.join(HERE, "version_overrides.json")
BASE_VERSION = "3.11"


# --- statement constructors -------------------------------------------------


def S(name, value):
    return {"op": "set", "name": name, "value": value}


def DEL(name):
    return {"op": "del", "name": name}


def IMP(module, as_=None):
    s = {"op": "import", "module": module}
    if as_:
        s["as"] = as_
    return s


def FROM(module, *names, level=0):
    ns = [[n, None] if isinstance(n, str) else list(n) for n in names]
    return {"op": "from", "module": module, "level": level, "names": ns}


def RAISE(typ, msg, name=None):
    s = {"op": "raise", "type": typ, "msg": msg}
    if name is not None:
        s["name"] = name
    return s


def SYSSET(key, value):
    return {"op": "sysmod_set", "key": key, "value": value}


def SYSDEL(key):
    return {"op": "sysmod_del", "key": key}


NO_GLOBALS = object()  # CALL without a globals argument (C's NULL, not None)


def CALL(name, globals=None, fromlist=None, level=0, bind="r"):
    s = {"op": "call", "bind": bind, "name": name, "globals": globals}
    if globals is NO_GLOBALS:
        del s["globals"]
    s["fromlist"] = fromlist
    s["level"] = level
    return s


def GCD(name, package=None, level=0, bind="r"):
    return {"op": "gcd", "bind": bind, "name": name, "package": package, "level": level}


def PKG(*body):
    return {"pkg": True, "body": list(body)}


def MOD(*body):
    return {"body": list(body)}


VECTORS = {}


def vec(family, id, tree, steps, globals=None, roots=None, doc=""):
    v = {"id": id, "doc": doc, "tree": tree, "steps": steps}
    if globals is not None:
        v["globals"] = globals
    if roots:
        v["roots"] = roots
    assert id not in {x["id"] for f in VECTORS.values() for x in f}, id
    VECTORS.setdefault(family, []).append(v)


# --- trees -------------------------------------------------------------------

# A package with modules, a subpackage, a plain module, and a top-level module.
T1 = {
    "pk": PKG(S("VERSION", 1)),
    "pk.a": MOD(S("x", 1)),
    "pk.sub": PKG(S("y", 2)),
    "pk.sub.b": MOD(S("z", 3)),
    "pk.sub.c": MOD(FROM("", "a", level=2), S("w", 4)),
    "top": MOD(S("t", 1)),
}


# A deep package for relative imports: r / r.s / r.s.t
def T2(body, init=()):
    return {
        "r": PKG(S("R", 0)),
        "r.u": MOD(S("u", 1)),
        "r.s": PKG(S("S", 1)),
        "r.s.v": MOD(S("v", 2)),
        "r.s.t": PKG(*init),
        "r.s.t.w": MOD(S("w", 3)),
        "r.s.t.m": MOD(*body),
    }


def absolute():
    f = "absolute"
    cases = [
        ("import_pkg", [IMP("pk")]),
        ("import_module", [IMP("top")]),
        ("import_submodule", [IMP("pk.a")]),
        ("import_subsub", [IMP("pk.sub.b")]),
        ("import_submodule_as", [IMP("pk.a", "x")]),
        ("import_subsub_as", [IMP("pk.sub.b", "bb")]),
        ("import_subpkg_as", [IMP("pk.sub", "s")]),
        ("import_twice", [IMP("pk.a"), IMP("pk.a")]),
        ("import_then_sub", [IMP("pk"), IMP("pk.sub.b")]),
        ("import_nosuch", [IMP("nosuchmod_cf")]),
        ("import_nosuch_sub", [IMP("pk.nosuch")]),
        ("import_nosuch_subsub", [IMP("pk.sub.nosuch")]),
        ("import_nosuch_deep", [IMP("pk.nosuch.deeper")]),
        ("import_not_a_package", [IMP("top.x")]),
        ("import_module_not_a_package", [IMP("pk.a.x")]),
        ("import_not_a_package_as", [IMP("top.x", "y")]),
        ("import_rel_inside", [IMP("pk.sub.c")]),
        ("from_pkg_module", [FROM("pk", "a")]),
        ("from_pkg_two", [FROM("pk", "a", "sub")]),
        ("from_pkg_attr", [FROM("pk", "VERSION")]),
        ("from_pkg_as", [FROM("pk", ("a", "aa"), ("VERSION", "V"))]),
        ("from_subpkg_module_as", [FROM("pk.sub", ("b", "q"))]),
        ("from_pkg_nosuch", [FROM("pk", "nosuch")]),
        ("from_pkg_partial_then_missing", [FROM("pk", "a", "nosuch")]),
        ("from_module_attr", [FROM("top", "t")]),
        ("from_module_nosuch", [FROM("top", "nosuch")]),
        ("from_submodule_attr", [FROM("pk.sub.b", "z")]),
        ("from_submodule_nosuch", [FROM("pk.a", "nope")]),
        ("from_nosuch_module", [FROM("nosuchmod_cf", "x")]),
        ("from_pkg_star_no_all", [FROM("pk", "*")]),
        ("from_module_star", [FROM("pk.sub.b", "*")]),
        ("from_subpkg_star_after_import", [IMP("pk.sub.b"), FROM("pk.sub", "*")]),
        ("from_pkg_subpkg_then_import", [FROM("pk", "sub"), IMP("pk.sub.c")]),
        ("import_sub_then_from", [IMP("pk.sub.b"), FROM("pk.sub", "b", "c")]),
        ("import_a_then_failed_b", [IMP("pk.a"), IMP("pk.b")]),
    ]
    for id, steps in cases:
        vec(f, id, T1, steps, doc="; ".join(s["op"] for s in steps))


def relative():
    f = "relative"
    cases = [
        ("level1_sibling", [FROM("", "w", level=1)]),
        ("level1_module_attr", [FROM("w", "w", level=1)]),
        ("level1_as", [FROM("", ("w", "ww"), level=1)]),
        ("level2_module", [FROM("", "v", level=2)]),
        ("level2_module_attr", [FROM("v", ("v", "vv"), level=2)]),
        ("level2_pkg_attr", [FROM("", "S", level=2)]),
        ("level3_module", [FROM("", "u", level=3)]),
        ("level3_module_attr", [FROM("u", "u", level=3)]),
        ("level3_pkg_attr", [FROM("", "R", level=3)]),
        ("level4_beyond_top", [FROM("", "x", level=4)]),
        ("level5_beyond_top", [FROM("u", "u", level=5)]),
        ("level1_nosuch_name", [FROM("", "nosuch", level=1)]),
        ("level1_nosuch_module", [FROM("nosuch", "x", level=1)]),
        ("level2_nosuch_module", [FROM("nosuch", "x", level=2)]),
        ("level2_nosuch_attr", [FROM("v", "nope", level=2)]),
        ("level1_star_module", [FROM("w", "*", level=1)]),
        ("level2_star_pkg", [FROM("", "*", level=2)]),
        ("level3_star_module", [FROM("u", "*", level=3)]),
        ("level1_deep_module", [FROM("t.w", "w", level=2)]),
        ("level2_then_absolute", [FROM("", "v", level=2), IMP("r.u")]),
        ("absolute_inside", [IMP("r.s.v"), IMP("r.u", "uu")]),
        ("level1_self_module", [FROM("", "m", level=1)]),
    ]
    for id, body in cases:
        vec(f, id, T2(body), [IMP("r.s.t.m")], doc="relative imports in r.s.t.m's body")
    init_cases = [
        ("init_level1", [FROM("", "w", level=1)]),
        ("init_level1_attr", [FROM("w", "w", level=1)]),
        ("init_level2", [FROM("", "v", level=2)]),
        ("init_level3_beyond", [FROM("", "v", level=4)]),
        ("init_star_all", [S("__all__", ["w", "X"]), S("X", 9), FROM("", "*", level=1)]),
    ]
    for id, init in init_cases:
        vec(
            f,
            id,
            T2([S("m", 1)], init=init),
            [IMP("r.s.t")],
            doc="relative imports in a package's __init__",
        )
    # Relative imports in the steps themselves, against explicit globals.
    G = {"__name__": "r.s.t.m", "__package__": "r.s.t"}
    step_cases = [
        ("step_level1", [FROM("", "w", level=1)], G),
        ("step_level2", [FROM("v", "v", level=2)], G),
        ("step_level3", [FROM("", "u", level=3)], G),
        ("step_level4", [FROM("", "u", level=4)], G),
        ("step_no_package", [FROM("", "w", level=1)], {"__name__": "__main__"}),
        (
            "step_spec_parent",
            [FROM("", "w", level=1)],
            {"__name__": "x", "__spec__": {"parent": "r.s.t"}},
        ),
        ("step_name_fallback", [FROM("", "w", level=1)], {"__name__": "r.s.t.m"}),
        (
            "step_name_path_fallback",
            [FROM("", "w", level=1)],
            {"__name__": "r.s.t", "__path__": []},
        ),
        ("step_package_empty", [FROM("", "w", level=1)], {"__name__": "x", "__package__": ""}),
        (
            "step_package_none_spec",
            [FROM("", "v", level=1)],
            {"__name__": "x", "__package__": None, "__spec__": {"parent": "r.s"}},
        ),
        (
            "step_mismatch_warning",
            [FROM("", "w", level=1)],
            {"__package__": "r.s.t", "__spec__": {"parent": "r.s"}},
        ),
    ]
    for id, steps, g in step_cases:
        vec(
            f,
            id,
            T2([S("m", 1)]),
            steps,
            globals=g,
            doc="relative import statement with explicit globals",
        )


def fromlist():
    f = "fromlist"
    T = dict(T1)
    T["al"] = PKG(S("__all__", ["one", "two", "k"]), S("k", 5))
    T["al.one"] = MOD(S("o", 1))
    T["al.two"] = MOD(S("t", 2))
    T["al.three"] = MOD()
    T["bad"] = PKG(S("__all__", ["one", 7]))
    T["bad.one"] = MOD()
    T["miss"] = PKG(S("__all__", ["gone"]))
    cases = [
        ("none", [CALL("pk.sub.b")]),
        ("empty_list", [CALL("pk.sub.b", fromlist=[])]),
        ("one_attr", [CALL("pk.sub", fromlist=["y"])]),
        ("one_submodule", [CALL("pk.sub", fromlist=["b"])]),
        ("two_submodules", [CALL("pk.sub", fromlist=["b", "c"])]),
        ("missing_ignored", [CALL("pk", fromlist=["nosuch"])]),
        ("star_no_all", [CALL("pk", fromlist=["*"])]),
        ("star_all", [CALL("al", fromlist=["*"])]),
        ("star_and_name", [CALL("al", fromlist=["*", "three"])]),
        ("star_all_bad_item", [CALL("bad", fromlist=["*"])]),
        ("star_all_missing", [CALL("miss", fromlist=["*"])]),
        ("import_star_all_missing", [FROM("miss", "*")]),
        ("import_star_all_bad_item", [FROM("bad", "*")]),
        ("import_star_all", [FROM("al", "*")]),
        ("item_int", [CALL("pk", fromlist=[1])]),
        ("item_after_import", [CALL("pk", fromlist=["a", 2])]),
        ("item_int_module", [CALL("top", fromlist=[1])]),
        ("string_fromlist", [CALL("pk", fromlist="ab")]),
        ("int_fromlist_pkg", [CALL("pk", fromlist=5)]),
        ("int_fromlist_module", [CALL("top", fromlist=5)]),
        ("zero_fromlist", [CALL("pk.sub.b", fromlist=0)]),
        ("module_fromlist", [CALL("top", fromlist=["t", "nope"])]),
        ("leaf_returned", [CALL("pk.sub.b", fromlist=["z"])]),
        ("top_returned", [CALL("pk.sub.b", fromlist=None)]),
        ("level1_dotted_top", [CALL("sub.b", globals={"__package__": "pk"}, level=1)]),
        (
            "level1_dotted_fromlist",
            [CALL("sub.b", globals={"__package__": "pk"}, fromlist=["z"], level=1)],
        ),
        ("level1_empty_name", [CALL("", globals={"__package__": "pk.sub"}, level=1)]),
        ("level2_empty_name", [CALL("", globals={"__package__": "pk.sub"}, level=2)]),
        ("level2_name", [CALL("a", globals={"__package__": "pk.sub"}, level=2)]),
        (
            "level1_empty_fromlist",
            [CALL("", globals={"__package__": "pk.sub"}, fromlist=["b"], level=1)],
        ),
        ("level1_undotted", [CALL("a", globals={"__package__": "pk"}, level=1)]),
        ("globals_here", [CALL("a", globals="here", level=1)]),
        ("dotted_submodule_attr_shadow", [CALL("pk", fromlist=["VERSION", "a"])]),
    ]
    for id, steps in cases:
        g = {"__name__": "pk.z", "__package__": "pk"} if id == "globals_here" else None
        vec(
            f,
            id,
            T,
            steps,
            globals=g,
            roots=["al", "bad", "miss"],
            doc="__import__ fromlist and return value",
        )


def errors():
    f = "errors"
    T = {"pk": PKG(), "pk.a": MOD(S("x", 1))}
    cases = [
        ("empty_name", [CALL("")]),
        ("empty_name_import", [CALL("", fromlist=["x"])]),
        ("level_negative", [CALL("pk", level=-1)]),
        ("level_negative_empty", [CALL("", level=-1)]),
        ("name_int", [CALL(1)]),
        ("name_none", [CALL(None)]),
        ("name_list", [CALL(["pk"])]),
        ("level_float", [CALL("pk", level=1.5)]),
        ("level_str", [CALL("pk", level="1")]),
        ("globals_none_relative", [CALL("a", level=1)]),
        ("globals_missing_relative", [CALL("a", NO_GLOBALS, level=1)]),
        ("globals_missing_empty_name", [CALL("", NO_GLOBALS, level=1)]),
        ("globals_missing_absolute", [CALL("pk.a", NO_GLOBALS, fromlist=["x"])]),
        ("level_overflow", [CALL("pk", level=2**31)]),
        ("level_overflow_negative", [CALL("pk", level=-(2**31) - 1)]),
        ("name_int_level_float", [CALL(1, level=1.5)]),
        ("globals_int_relative", [CALL("a", globals=5, level=1)]),
        ("globals_list_relative", [CALL("a", globals=["x"], level=1)]),
        ("globals_int_absolute", [CALL("pk", globals=5)]),
        ("globals_empty", [CALL("a", globals={}, level=1)]),
        ("package_int", [CALL("a", globals={"__package__": 5}, level=1)]),
        (
            "package_int_with_bad_spec",
            [CALL("a", globals={"__package__": 5, "__spec__": {}}, level=1)],
        ),
        ("package_empty", [CALL("a", globals={"__package__": ""}, level=1)]),
        (
            "package_mismatch",
            [CALL("a", globals={"__package__": "pk", "__spec__": {"parent": "other"}}, level=1)],
        ),
        (
            "package_spec_no_parent",
            [CALL("a", globals={"__package__": "pk", "__spec__": {}}, level=1)],
        ),
        ("spec_no_parent", [CALL("a", globals={"__spec__": {}}, level=1)]),
        ("spec_parent_int", [CALL("a", globals={"__spec__": {"parent": 3}}, level=1)]),
        ("spec_parent_empty", [CALL("a", globals={"__spec__": {"parent": ""}}, level=1)]),
        ("spec_parent_ok", [CALL("a", globals={"__spec__": {"parent": "pk"}}, level=1)]),
        ("name_int_fallback", [CALL("a", globals={"__name__": 3}, level=1)]),
        ("name_top_fallback", [CALL("a", globals={"__name__": "pk"}, level=1)]),
        ("name_dotted_fallback", [CALL("a", globals={"__name__": "pk.zz"}, level=1)]),
        ("name_path_fallback", [CALL("a", globals={"__name__": "pk", "__path__": []}, level=1)]),
        (
            "name_empty_path_fallback",
            [CALL("a", globals={"__name__": "", "__path__": []}, level=1)],
        ),
        ("beyond_top_level2", [CALL("a", globals={"__package__": "pk"}, level=2)]),
        ("beyond_top_level3", [CALL("", globals={"__package__": "pk.a"}, level=3)]),
        ("dots_in_name", [CALL("pk..a")]),
        ("leading_dot_absolute", [CALL(".nosuchmod_cf")]),
        ("trailing_dot", [CALL("pk.")]),
        ("gcd_name_int", [GCD(1)]),
        ("gcd_package_int", [GCD("a", 5, 1)]),
        ("gcd_package_none", [GCD("a", None, 1)]),
        ("gcd_package_empty", [GCD("a", "", 1)]),
        ("gcd_empty", [GCD("")]),
        ("gcd_level_negative", [GCD("pk", None, -1)]),
        ("gcd_beyond_top", [GCD("a", "pk", 2)]),
        ("gcd_relative", [GCD("a", "pk", 1)]),
        ("gcd_dotted_returns_leaf", [GCD("pk.a")]),
        ("gcd_nosuch", [GCD("pk.nosuch")]),
    ]
    for id, steps in cases:
        vec(f, id, T, steps, doc="argument checks and their messages")


def sysmodules():
    f = "sysmodules"
    T = dict(T1)
    T["solo"] = MOD(S("s", 1))
    cases = [
        ("none_top", [SYSSET("pk", None), IMP("pk")]),
        ("none_sub", [SYSSET("pk.a", None), IMP("pk.a")]),
        ("none_sub_from", [SYSSET("pk.a", None), FROM("pk", "a")]),
        ("none_sub_fromlist_call", [SYSSET("pk.a", None), CALL("pk", fromlist=["a"])]),
        ("none_parent_of_target", [SYSSET("pk.sub", None), IMP("pk.sub.b")]),
        ("none_parent_from", [SYSSET("pk.sub", None), FROM("pk.sub", "b")]),
        ("none_module_child", [SYSSET("top.x", None), FROM("top", "x")]),
        ("none_then_delete", [SYSSET("pk.a", None), SYSDEL("pk.a"), IMP("pk.a")]),
        (
            "none_relative",
            [SYSSET("pk.a", None), CALL("a", globals={"__package__": "pk"}, level=1)],
        ),
        (
            "fallback_to_table",
            [IMP("top"), SYSSET("pk.extra", {"module": "top"}), FROM("pk", "extra")],
        ),
        ("int_in_table", [SYSSET("solo", 42), IMP("solo")]),
        ("int_in_table_from", [SYSSET("solo", 42), FROM("solo", "s")]),
        ("int_in_table_sub", [SYSSET("pk.q", 7), IMP("pk.q", "q")]),
        ("int_in_table_fromlist", [SYSSET("pk.q", 7), FROM("pk", "q")]),
        (
            "preloaded_alias",
            [IMP("top"), SYSSET("pk.alias", {"module": "top"}), IMP("pk.alias", "al")],
        ),
    ]
    for id, steps in cases:
        vec(f, id, T, steps, roots=["solo"], doc="sys.modules entries set by hand")
    # Modules that change sys.modules while executing.
    T3 = {
        "pk": PKG(),
        "pk.self42": MOD(SYSSET("pk.self42", 42)),
        "pk.selfother": MOD(S("x", 1), SYSSET("pk.selfother", {"module": "pk.target"})),
        "pk.target": MOD(S("tg", 1)),
        "pk.gone": MOD(SYSDEL("pk.gone")),
        "pk.dropparent": MOD(SYSDEL("pk")),
        "pk.sub": PKG(),
        "pk.sub.dropsub": MOD(SYSDEL("pk.sub")),
        "pk.setsnone": MOD(SYSSET("pk.later", None)),
        "pk.later": MOD(),
    }
    cases = [
        ("replace_with_int", [IMP("pk.self42")]),
        ("replace_with_int_as", [IMP("pk.self42", "v")]),
        ("replace_with_int_from", [FROM("pk", "self42")]),
        ("replace_with_int_call", [CALL("pk.self42", fromlist=["x"])]),
        ("replace_with_module", [IMP("pk.target"), IMP("pk.selfother", "so")]),
        ("replace_with_module_from", [IMP("pk.target"), FROM("pk", "selfother")]),
        ("delete_self", [IMP("pk.gone")]),
        ("delete_self_from", [FROM("pk", "gone")]),
        ("delete_parent", [IMP("pk.dropparent")]),
        ("delete_parent_relative", [CALL("sub.dropsub", globals={"__package__": "pk"}, level=1)]),
        ("sets_none_for_sibling", [IMP("pk.setsnone"), IMP("pk.later")]),
        ("sets_none_for_sibling_fromlist", [FROM("pk", "setsnone", "later")]),
    ]
    for id, steps in cases:
        vec(f, id, T3, steps, doc="modules that change sys.modules while they run")


def failing():
    f = "failing"
    T = {
        "pk": PKG(S("P", 1)),
        "pk.ok": MOD(S("x", 1)),
        "pk.bad": MOD(S("before", 1), RAISE("ValueError", "boom")),
        "pk.badimp": MOD(RAISE("ImportError", "custom")),
        "pk.badimpname": MOD(RAISE("ImportError", "custom named", name="pk.somename")),
        "pk.mnf_self": MOD(RAISE("ModuleNotFoundError", "pretend missing", name="pk.mnf_self")),
        "pk.mnf_other": MOD(RAISE("ModuleNotFoundError", "other missing", name="elsewhere")),
        "pk.after_sub": MOD(IMP("pk.ok"), RAISE("ValueError", "late")),
        "pk.imports_bad": MOD(FROM("", "bad", level=1)),
        "pk.imports_missing": MOD(IMP("pk.nothere")),
        "badpk": PKG(S("q", 1), RAISE("ValueError", "init failed")),
        "badpk.child": MOD(S("c", 1)),
    }
    cases = [
        ("exec_fails", [IMP("pk.bad")]),
        ("exec_fails_twice", [IMP("pk.bad"), IMP("pk.bad")]),
        ("exec_fails_from", [FROM("pk", "bad")]),
        ("exec_fails_fromlist_others", [FROM("pk", "ok", "bad")]),
        ("import_error_in_body", [IMP("pk.badimp")]),
        ("import_error_named", [FROM("pk", "badimpname")]),
        ("mnf_self_swallowed", [CALL("pk", fromlist=["mnf_self"])]),
        ("mnf_self_from", [FROM("pk", "mnf_self")]),
        ("mnf_self_import", [IMP("pk.mnf_self")]),
        ("mnf_other_from", [FROM("pk", "mnf_other")]),
        ("sub_survives_failure", [IMP("pk.after_sub")]),
        ("failure_propagates", [IMP("pk.imports_bad")]),
        ("missing_propagates", [IMP("pk.imports_missing")]),
        ("missing_propagates_fromlist", [CALL("pk", fromlist=["imports_missing"])]),
        ("package_init_fails", [IMP("badpk")]),
        ("package_init_fails_child", [IMP("badpk.child")]),
        ("package_init_fails_from", [FROM("badpk", "child")]),
        ("retry_after_failure", [IMP("badpk.child"), IMP("pk.ok")]),
    ]
    for id, steps in cases:
        vec(f, id, T, steps, roots=["badpk"], doc="modules whose execution fails")


def circular():
    f = "circular"
    trees = {
        "from_partial": {"ca": MOD(IMP("cb"), S("x", 1)), "cb": MOD(FROM("ca", "x"))},
        "import_partial": {"ca": MOD(IMP("cb"), S("x", 1)), "cb": MOD(IMP("ca"), S("y", 2))},
        "import_as_partial": {
            "ca": MOD(IMP("cb"), S("x", 1)),
            "cb": MOD(IMP("ca", "aa"), S("y", 2)),
        },
        "pkg_siblings": {
            "cp": PKG(),
            "cp.a": MOD(FROM("", "b", level=1), S("A", 1)),
            "cp.b": MOD(FROM("", "a", level=1), S("B", 2)),
        },
        "pkg_sibling_attr": {
            "cp": PKG(),
            "cp.a": MOD(FROM("", "b", level=1), S("A", 1)),
            "cp.b": MOD(FROM("a", "A", level=1)),
        },
        "pkg_import_as": {
            "cp": PKG(),
            "cp.a": MOD(IMP("cp.b"), S("A", 1)),
            "cp.b": MOD(IMP("cp.a", "pa"), S("B", 2)),
        },
        "pkg_init_child": {
            "cp": PKG(FROM("", "a", level=1), S("P", 0)),
            "cp.a": MOD(FROM("cp", "P")),
        },
        "pkg_init_child_ok": {
            "cp": PKG(S("P", 0), FROM("", "a", level=1)),
            "cp.a": MOD(FROM("cp", "P")),
        },
        "pkg_init_child_module": {
            "cp": PKG(FROM("", "a", level=1)),
            "cp.a": MOD(FROM("", "b", level=1)),
            "cp.b": MOD(FROM("cp", "a")),
        },
        "three_cycle": {
            "ca": MOD(IMP("cb"), S("x", 1)),
            "cb": MOD(IMP("cc")),
            "cc": MOD(FROM("ca", "x")),
        },
        "self_import": {"ca": MOD(IMP("ca", "me"), S("x", 1))},
        "self_from": {"ca": MOD(FROM("ca", "x"), S("x", 1))},
        "star_partial": {
            "ca": MOD(S("early", 1), IMP("cb"), S("x", 1)),
            "cb": MOD(FROM("ca", "*")),
        },
        "star_partial_all": {
            "ca": MOD(S("__all__", ["early", "late"]), S("early", 1), IMP("cb"), S("late", 2)),
            "cb": MOD(FROM("ca", "*")),
        },
        "failing_cycle": {
            "ca": MOD(IMP("cb"), RAISE("ValueError", "ca fails")),
            "cb": MOD(IMP("ca"), S("y", 1)),
        },
    }
    for id, tree in trees.items():
        top = sorted(tree)[0]
        vec(f, id, tree, [IMP(top)], doc="circular imports")
        if id in ("pkg_siblings", "pkg_sibling_attr", "pkg_import_as"):
            vec(
                f,
                id + "_from_b",
                tree,
                [IMP("cp.b")],
                doc="circular imports, entered from the other side",
            )
    vec(
        f,
        "from_partial_entered_b",
        trees["from_partial"],
        [IMP("cb")],
        doc="circular imports, entered from the other side",
    )


def binding():
    f = "binding"
    T = {
        "pk": PKG(S("a", "shadow")),
        "pk.a": MOD(S("x", 1)),
        "pk.b": MOD(S("y", 2)),
        "pk.delb": MOD(FROM("", "b", level=1)),
        "dp": PKG(FROM("", "m", level=1), DEL("m")),
        "dp.m": MOD(S("mm", 1)),
    }
    cases = [
        ("attr_shadows_submodule_from", [FROM("pk", "a")]),
        ("import_overrides_attr", [IMP("pk.a"), FROM("pk", "a")]),
        ("import_as_overrides_attr", [IMP("pk.a", "q")]),
        ("fromlist_does_not_import_shadowed", [CALL("pk", fromlist=["a"])]),
        ("deleted_attr_fallback", [FROM("dp", "m")]),
        ("deleted_attr_import", [IMP("dp.m"), FROM("dp", "m")]),
        ("deleted_attr_import_as", [IMP("dp.m", "dm")]),
        ("child_binds_parent", [IMP("pk.delb")]),
        ("two_children", [IMP("pk.a"), IMP("pk.b")]),
    ]
    for id, steps in cases:
        vec(f, id, T, steps, roots=["dp"], doc="submodules bound on their parents")


def generate():
    absolute()
    relative()
    fromlist()
    errors()
    sysmodules()
    failing()
    circular()
    binding()


RUNNER = r"""
import json, sys
sys.path.insert(0, %r)
import vectorlib
vector = json.load(sys.stdin)
json.dump(vectorlib.run_vector(vector, sys.argv[1]), sys.stdout)
"""


def interpreter_version(python):
    out = subprocess.run(
        [python, "-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def record(vector, python):
    """The observations of vector run by python's own import."""
    with tempfile.TemporaryDirectory(prefix="gbimp") as tmp:
        root = os.path.join(tmp, "tree")
        out = subprocess.run(
            [python, "-I", "-c", RUNNER % HERE, root],
            input=json.dumps(vector),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)


def version_key(version):
    return tuple(int(x) for x in version.split("."))


def stored():
    """The stored expectations: {version: {"family/id": expect}}."""
    out = {}
    for family in VECTORS:
        path = os.path.join(OUT, family + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for v in json.load(f):
                out.setdefault(BASE_VERSION, {})[f"{family}/{v['id']}"] = v["expect"]
    if os.path.exists(OVERRIDES):
        with open(OVERRIDES) as f:
            data = json.load(f)
        for version, overrides in data["versions"].items():
            base = out.get(BASE_VERSION, {})
            out[version] = {**base, **overrides}
    return out


def render(expectations):
    """The files' text, {path: text}, for {version: {"family/id": expect}}."""
    if BASE_VERSION not in expectations:
        sys.exit(
            f"no expectations for the base version {BASE_VERSION}: record with that interpreter"
        )
    base = expectations[BASE_VERSION]
    files = {}
    for family, vectors in VECTORS.items():
        out = []
        for v in vectors:
            key = f"{family}/{v['id']}"
            if key not in base:
                sys.exit(
                    f"{key} has no expectation for {BASE_VERSION}: record with that interpreter"
                )
            out.append({**v, "expect": base[key]})
        files[os.path.join(OUT, family + ".json")] = json.dumps(out, indent=1) + "\n"
    versions = {}
    for version in sorted(expectations, key=version_key):
        if version == BASE_VERSION:
            continue
        got = expectations[version]
        overrides = {}
        for family, vectors in VECTORS.items():
            for v in vectors:
                key = f"{family}/{v['id']}"
                if key not in got:
                    sys.exit(
                        f"{key} has no expectation for {version}: record with that interpreter"
                    )
                if got[key] != base[key]:
                    overrides[key] = got[key]
        versions[version] = overrides
    doc = (
        "Expectations that differ from vectors/*.json (recorded with CPython "
        f"{BASE_VERSION}), per CPython version; written by generate.py"
    )
    overrides_doc = {"doc": doc, "base": BASE_VERSION, "versions": versions}
    files[OVERRIDES] = json.dumps(overrides_doc, indent=1) + "\n"
    return files


def record_all(python):
    """{"family/id": expect} for every vector, recorded with python."""
    jobs = [(f"{family}/{v['id']}", v) for family, vs in VECTORS.items() for v in vs]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda job: record(job[1], python), jobs)
        return {key: got for (key, _), got in zip(jobs, results)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        nargs="+",
        default=[sys.executable],
        help="interpreters to record with (default: this one)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail unless regenerating is byte-identical",
    )
    args = parser.parse_args(argv)
    generate()
    expectations = stored()
    for python in args.python:
        version = interpreter_version(python)
        expectations[version] = record_all(python)
        print(f"recorded {sum(len(v) for v in VECTORS.values())} vectors with Python {version}")
    files = render(expectations)
    if args.check:
        stale = []
        for path, text in files.items():
            try:
                with open(path) as f:
                    same = f.read() == text
            except FileNotFoundError:
                same = False
            if not same:
                stale.append(os.path.relpath(path, HERE))
        if stale:
            print("regenerating would change: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("the stored vectors are what this interpreter records")
        return 0
    os.makedirs(OUT, exist_ok=True)
    for path, text in files.items():
        with open(path, "w") as f:
            f.write(text)
    for family, vectors in VECTORS.items():
        print(f"{family}: {len(vectors)} vectors")
    print(
        f"total: {sum(len(v) for v in VECTORS.values())}; versions: {', '.join(sorted(expectations, key=version_key))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
