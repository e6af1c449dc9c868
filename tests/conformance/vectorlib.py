"""Shared code of the import conformance suite: the statement language of
the vectors, rendering trees as Python files, and running a vector's steps
while observing what CPython's import does.

The generator runs `run_vector` in a fresh interpreter per vector to record
the expected side; the pytest runner runs the same function in-process,
with sys.modules and sys.path isolated, for each importer under test. The
Go runner (go/importlib/conformance) interprets the same statements.

Statements (module bodies and steps alike) are JSON objects:

  {"op": "set", "name": N, "value": V}          N = V (V a JSON value)
  {"op": "del", "name": N}                      del N
  {"op": "import", "module": M, "as": A?}       import M [as A]
  {"op": "from", "module": M, "level": L,
   "names": [[N, A|null], ...]}                 from .[L]M import N [as A], ... ("*" alone for star)
  {"op": "raise", "type": T, "msg": S,
   "name": N?}                                  raise T(S[, name=N])
  {"op": "sysmod_set", "key": K, "value": V}    sys.modules[K] = V; V null, a JSON value,
                                                or {"module": M} for sys.modules[M]
  {"op": "sysmod_del", "key": K}                del sys.modules[K]
  {"op": "call", "bind": B, "name": X,
   "globals": G, "fromlist": F, "level": L}     B = __import__(X, G, None, F, L) (steps only);
                                                without "globals": __import__(X, fromlist=F, level=L)
  {"op": "gcd", "bind": B, "name": X,
   "package": P, "level": L}                    B = importlib._bootstrap._gcd_import(X, P, L) (steps only)

With explicit_from (the gobridge.import_from run), a from-import renders as
the two instructions CPython compiles it to, IMPORT_NAME (a call of
__import__) and IMPORT_FROM (a call of the builtin _gb_import_from), and so
does "import a.b as c"; "from m import *" stays a statement (IMPORT_STAR).

In "call", G is null, "here" (the step namespace), a JSON object (a dict
literal; a "__spec__" object becomes a SimpleNamespace with those
attributes), or any other JSON value (passed as is).
"""

import builtins
import contextlib
import glob
import importlib
import importlib._bootstrap
import json
import os
import sys
import types
import warnings

ROOT = "<root>"
HERE = os.path.dirname(os.path.abspath(__file__))
OVERRIDES = os.path.join(HERE, "version_overrides.json")


def this_version():
    """This interpreter's version as the expectations name it: "3.11"."""
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def load_vectors(version=None):
    """Every vector as (family, vector), in file order, with "expect" set to
    what CPython `version` (default: this interpreter's) records: the base
    expectation in vectors/<family>.json unless version_overrides.json has
    one for that version. A version nobody recorded is a LookupError."""
    version = version or this_version()
    with open(OVERRIDES) as f:
        data = json.load(f)
    if version == data["base"]:
        overrides = {}
    elif version in data["versions"]:
        overrides = data["versions"][version]
    else:
        recorded = ", ".join([data["base"], *data["versions"]])
        raise LookupError(
            f"no conformance expectations recorded for Python {version} (recorded: {recorded})"
        )
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "vectors", "*.json"))):
        family = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            for v in json.load(f):
                v["expect"] = overrides.get(f"{family}/{v['id']}", v["expect"])
                out.append((family, v))
    return out


def is_cpython_import(func):
    """Whether func is CPython's own builtins.__import__ (the C function)."""
    return (
        isinstance(func, types.BuiltinFunctionType)
        and func.__name__ == "__import__"
        and func.__self__ is builtins
    )


def cpython_import():
    """CPython's C __import__, the reference the importers are compared
    with. Under ``make test-import-engine`` builtins.__import__ is
    gobridge's: tests/import_engine/sitecustomize.py keeps the original as
    ``cpython_import`` before it replaces it."""
    current = builtins.__import__
    if is_cpython_import(current):
        return current
    saved = getattr(sys.modules.get("sitecustomize"), "cpython_import", None)
    if is_cpython_import(saved):
        return saved
    raise RuntimeError(
        f"CPython's own __import__ is out of reach: builtins.__import__ is {current!r} "
        "and no sitecustomize kept the original"
    )


def pylit(v):
    """Python source for a JSON value."""
    if isinstance(v, list):
        return "[" + ", ".join(pylit(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k!r}: {pylit(x)}" for k, x in v.items()) + "}"
    return repr(v)


def globals_lit(g):
    if g == "here":
        return "globals()"
    if isinstance(g, dict):
        parts = []
        for k, v in g.items():
            if k == "__spec__" and isinstance(v, dict):
                attrs = ", ".join(f"{a}={pylit(x)}" for a, x in v.items())
                parts.append(f"{k!r}: _Spec({attrs})")
            else:
                parts.append(f"{k!r}: {pylit(v)}")
        return "{" + ", ".join(parts) + "}"
    return pylit(g)


IMPORT_FROM_BUILTIN = "_gb_import_from"


def render(stmt, explicit_from=False):
    """Python source for one statement."""
    op = stmt["op"]
    if explicit_from:
        src = render_explicit_from(stmt)
        if src is not None:
            return src
    if op == "set":
        return f"{stmt['name']} = {pylit(stmt['value'])}"
    if op == "del":
        return f"del {stmt['name']}"
    if op == "import":
        src = f"import {stmt['module']}"
        if stmt.get("as"):
            src += f" as {stmt['as']}"
        return src
    if op == "from":
        names = ", ".join(n if not a else f"{n} as {a}" for n, a in stmt["names"])
        return f"from {'.' * stmt.get('level', 0)}{stmt.get('module') or ''} import {names}"
    if op == "raise":
        args = repr(stmt["msg"])
        if "name" in stmt:
            args += f", name={stmt['name']!r}"
        return f"raise {stmt['type']}({args})"
    if op == "sysmod_set":
        v = stmt["value"]
        if isinstance(v, dict) and "module" in v:
            val = f"__import__('sys').modules[{v['module']!r}]"
        else:
            val = pylit(v)
        return f"__import__('sys').modules[{stmt['key']!r}] = {val}"
    if op == "sysmod_del":
        return f"del __import__('sys').modules[{stmt['key']!r}]"
    if op == "call":
        if "globals" not in stmt:
            return (
                f"{stmt['bind']} = __import__({pylit(stmt['name'])}, "
                f"fromlist={pylit(stmt.get('fromlist'))}, level={pylit(stmt.get('level', 0))})"
            )
        globals_text = globals_lit(stmt.get("globals"))
        return (
            f"{stmt['bind']} = __import__({pylit(stmt['name'])}, {globals_text}, "
            f"None, {pylit(stmt.get('fromlist'))}, {pylit(stmt.get('level', 0))})"
        )
    if op == "gcd":
        return (
            f"{stmt['bind']} = _gcd({pylit(stmt['name'])}, {pylit(stmt.get('package'))}, "
            f"{pylit(stmt.get('level', 0))})"
        )
    raise ValueError(f"unknown op {op!r}")


def render_explicit_from(stmt):
    """A from-import or "import a.b as c" as calls of __import__ and
    _gb_import_from, binding names in the order CPython does; None for other
    statements."""
    op = stmt["op"]
    if op == "import" and stmt.get("as") and "." in stmt["module"]:
        parts = stmt["module"].split(".")
        expr = f"__import__({stmt['module']!r}, globals(), None, None, 0)"
        for part in parts[1:]:
            expr = f"{IMPORT_FROM_BUILTIN}({expr}, {part!r})"
        return f"{stmt['as']} = {expr}"
    if op != "from" or any(n == "*" for n, _ in stmt["names"]):
        return None
    names = tuple(n for n, _ in stmt["names"])
    lines = [
        f"_gb_m = __import__({stmt.get('module') or ''!r}, globals(), None, {names!r}, "
        f"{stmt.get('level', 0)})",
        "try:",
    ]
    for n, a in stmt["names"]:
        lines.append(f"    {a or n} = {IMPORT_FROM_BUILTIN}(_gb_m, {n!r})")
    lines += ["finally:", "    del _gb_m"]
    return "\n".join(lines)


def module_file(root, name, is_pkg):
    parts = name.split(".")
    if is_pkg:
        return os.path.join(root, *parts, "__init__.py")
    return os.path.join(root, *parts[:-1], parts[-1] + ".py")


def write_tree(tree, root, explicit_from=False):
    """Write a vector's tree under root as .py files."""
    for name, mod in tree.items():
        path = module_file(root, name, mod.get("pkg", False))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            for stmt in mod.get("body", []):
                f.write(render(stmt, explicit_from) + "\n")


def roots(vector):
    names = set(vector["tree"]) | set(vector.get("roots", []))
    return {n.split(".")[0] for n in names}


def norm(v, root):
    if isinstance(v, str):
        return v.replace(root, ROOT)
    return v


def observe(v):
    if isinstance(v, types.ModuleType):
        return {"module": v.__name__}
    if v is None or isinstance(v, (bool, int, float, str)):
        return {"value": v}
    if isinstance(v, list) and all(x is None or isinstance(x, (bool, int, float, str)) for x in v):
        return {"value": list(v)}
    return {"type": type(v).__name__}


def observe_error(e, root):
    msg = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], str) else str(e)
    out = {"type": type(e).__name__, "msg": norm(msg, root)}
    if isinstance(e, ImportError):
        out["name"] = norm(e.name, root)
        out["path"] = norm(e.path, root)
    return out


def static_targets(stmt):
    op = stmt["op"]
    if op == "import":
        return [stmt.get("as") or stmt["module"].split(".")[0]]
    if op == "from":
        return [a or n for n, a in stmt["names"] if n != "*"]
    if op in ("call", "gcd"):
        return [stmt["bind"]]
    return []


def is_dunder(n):
    return n.startswith("__") and n.endswith("__")


def step_namespace(vector, builtins_ns):
    ns = {
        "__name__": "__main__",
        "__builtins__": builtins_ns,
        "_Spec": types.SimpleNamespace,
        "_gcd": importlib._bootstrap._gcd_import,
    }
    for k, v in vector.get("globals", {}).items():
        ns[k] = types.SimpleNamespace(**v) if k == "__spec__" and isinstance(v, dict) else v
    return ns


def run_steps(vector, root, builtins_ns=None, explicit_from=False):
    """Run the steps of vector (its tree already on sys.path at root) and
    return the observations."""
    ns = step_namespace(vector, builtins_ns if builtins_ns is not None else builtins)
    steps = []
    for stmt in vector["steps"]:
        for t in static_targets(stmt):
            ns.pop(t, None)
        before = dict(ns)
        obs = {}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                exec(compile(render(stmt, explicit_from), "<step>", "exec"), ns)
            except Exception as e:  # the observation is the exception
                obs["error"] = observe_error(e, root)
        bound = {
            k: observe(v)
            for k, v in ns.items()
            if k not in ("__builtins__", "__warningregistry__")
            and (k not in before or before[k] is not v)
        }
        if bound:
            obs["bind"] = bound
        ws = [
            [w.category.__name__, norm(str(w.message), root)]
            for w in caught
            if issubclass(w.category, (ImportWarning, DeprecationWarning))
        ]
        if ws:
            obs["warnings"] = ws
        steps.append(obs)
    tops = roots(vector)
    modules, attrs = {}, {}
    for k, v in list(sys.modules.items()):
        if k.split(".")[0] not in tops:
            continue
        modules[k] = observe(v)
        if isinstance(v, types.ModuleType):
            attrs[k] = {a: observe(x) for a, x in vars(v).items() if not is_dunder(a)}
    return {"steps": steps, "modules": modules, "attrs": attrs}


@contextlib.contextmanager
def isolated(root):
    """Put root first on sys.path and undo every change to sys.modules,
    sys.path and the path importer cache afterwards."""
    saved_modules = dict(sys.modules)
    saved_path = list(sys.path)
    saved_cache = dict(sys.path_importer_cache)
    saved_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    sys.path.insert(0, root)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for k in list(sys.modules):
            if k not in saved_modules:
                del sys.modules[k]
        for k, v in saved_modules.items():
            if sys.modules.get(k) is not v:
                sys.modules[k] = v
        sys.path[:] = saved_path
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(saved_cache)
        sys.dont_write_bytecode = saved_bytecode


def run_vector(vector, root, builtins_ns=None, explicit_from=False):
    """Write the tree under root and run the vector in this process."""
    write_tree(vector["tree"], root, explicit_from)
    with isolated(root):
        return run_steps(vector, root, builtins_ns, explicit_from)
