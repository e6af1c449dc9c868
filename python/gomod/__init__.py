"""Go modules, imported like any other module.

Every module registered in gobridge's Go library imports below this package:
``import gomod.strings``, ``from gomod.crypto import sha256``. Importing
``gomod`` installs gobridge's finder; the Go runtime itself loads with the
first Go module. ``python -m gobridge`` lists what is registered.
"""

from gobridge._finder import install as _install
from gobridge._finder import namespace_path as _namespace_path

_install()
__path__ = _namespace_path()
if __spec__ is not None:
    __spec__.submodule_search_locations = __path__
del _install, _namespace_path
