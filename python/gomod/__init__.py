"""Go modules, imported like any other module.

Every module registered in gobridge's Go library imports below this package:
``import gomod.strings``, ``from gomod.crypto import sha256``. Importing
``gomod`` installs gobridge's finder; the Go runtime itself loads with the
first Go module. ``python -m gobridge`` lists what is registered.
"""

import sys as _sys


class _EarlyFinder:
    """Answers for gomod.* while this package is still initialising.

    Another thread may import ``gomod.x`` as soon as ``gomod`` is in
    ``sys.modules``, before the statements below have run (CPython does not
    make it wait for a parent package). This stand-in, installed first and
    importing nothing, hands such a lookup to the real finder; ``install``
    then puts the real finder in its place.
    """

    @staticmethod
    def find_spec(name, path=None, target=None):  # type: ignore[no-untyped-def]
        if not name.startswith("gomod."):
            return None
        from gobridge._finder import GoModuleFinder

        return GoModuleFinder.find_spec(name, path, target)


for _i, _finder in enumerate(_sys.meta_path):
    if getattr(_finder, "__name__", "") == "PathFinder":
        _sys.meta_path.insert(_i, _EarlyFinder)  # type: ignore[arg-type]
        break

from gobridge._finder import install as _install  # noqa: E402
from gobridge._finder import namespace_path as _namespace_path  # noqa: E402

_install(replacing=_EarlyFinder)
__path__ = _namespace_path()
if __spec__ is not None:
    __spec__.submodule_search_locations = __path__
del _sys, _i, _finder, _EarlyFinder, _install, _namespace_path
