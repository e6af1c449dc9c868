"""Go modules, imported like any other module.

Every module registered in gobridge's Go library imports below this package:
``import gomod.strings``, ``from gomod.crypto import sha256``. Importing
``gomod`` installs gobridge's finder and starts loading the Go runtime,
which the first Go module waits for. ``python -m gobridge`` lists what is
registered.
"""

import sys as _sys

# importlib.machinery.ModuleSpec, always loaded: find_spec below must not import.
from _frozen_importlib import ModuleSpec as _ModuleSpec


class _EarlyFinder:
    """Answers for gomod.* while this package is still initialising.

    Another thread may import ``gomod.x`` as soon as ``gomod`` is in
    ``sys.modules``, before the statements below have run: CPython does not
    make it wait for a parent package. This stand-in, installed first and
    importing nothing (``find_spec`` runs under CPython's global import lock),
    hands such a lookup to the real finder once that is ready, and otherwise
    returns a spec whose loader waits for it. ``install`` then puts the real
    finder in its place.
    """

    @staticmethod
    def find_spec(name, path=None, target=None):  # type: ignore[no-untyped-def]
        if not name.startswith("gomod."):
            return None
        finder = _sys.modules.get("gobridge._finder")
        if getattr(finder, "READY", False):
            return finder.GoModuleFinder.find_spec(name, path, target)  # type: ignore[union-attr]
        # A package until proven otherwise, so that a submodule looked up
        # meanwhile finds a __path__; DeferredLoader corrects it.
        spec = _ModuleSpec(name, _DeferredLoader(), origin="go", is_package=True)  # type: ignore[arg-type, unused-ignore]
        spec.submodule_search_locations = ["gomod://" + name]
        return spec


class _DeferredLoader:
    @staticmethod
    def create_module(spec):  # type: ignore[no-untyped-def]
        return None

    @staticmethod
    def exec_module(module):  # type: ignore[no-untyped-def]
        import gomod  # noqa: F401 - waits until the package has initialised
        from gobridge._finder import DeferredLoader

        DeferredLoader.exec_module(module)


for _i, _finder in enumerate(_sys.meta_path):
    if getattr(_finder, "__name__", "") == "PathFinder":
        _sys.meta_path.insert(_i, _EarlyFinder)  # type: ignore[arg-type, unused-ignore]
        break

# The Go runtime starts now and initialises on a thread of its own while the
# rest of gobridge imports; the first Go module waits for it to be ready.
from gobridge._ffi import start_library as _start_library  # noqa: E402

_start_library()

from gobridge._finder import install as _install  # noqa: E402
from gobridge._finder import namespace_path as _namespace_path  # noqa: E402

_install(replacing=_EarlyFinder)
__path__ = _namespace_path()
if __spec__ is not None:
    __spec__.submodule_search_locations = __path__
del _i, _finder, _install, _namespace_path
