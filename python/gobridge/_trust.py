"""Which Go library gobridge may load: one that only this user or root could have written.

Loading a library runs its code in the process, so gobridge applies the rule
of OpenSSH's StrictModes and git's ``safe.directory`` to it. A library in
the cache is loaded only when the library, its build record (``.json``),
its directory and every directory from there up to the cache root are owned
by the current user or by root, and writable by no one else; a library
named by ``GOBRIDGE_LIBRARY`` only when the file is. Anything else raises
:class:`UntrustedPathError`, an ImportError that names the path, its owner
and mode, and the fix.

The checks are made on open descriptors: each directory is opened relative
to the one checked before it, without following symbolic links, and the
library's descriptor is what the shim then maps (``gb_open_fd``), so a file
put in place after the check is never loaded.

gobridge's own library, in its package directory, is not checked: Python
loads gobridge's code, and its ``_native`` extension, from the same
directory without asking.

This runs on the import path: it uses ``os`` and ``stat`` only.
"""

import os
import stat

__all__ = [
    "UntrustedPathError",
    "check_owner_and_mode",
    "open_cached_library",
    "open_configured_library",
    "open_private_file",
]

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# O_PATH opens a directory that this user may search but not list (mode 0711).
_DIR_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_NOFOLLOW | _O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | _O_CLOEXEC

RECORD_SUFFIX = ".json"


class UntrustedPathError(ImportError):
    """A library, or a file or directory it is found through, that someone
    other than this user or root could have written."""


def _owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return "?"


def describe(path: str, st: os.stat_result) -> str:
    """``path (owner NAME, uid N; mode drwxr-xr-x)``: what a refusal shows of a path."""
    return (
        f"{path} (owner {_owner_name(st.st_uid)}, uid {st.st_uid}; "
        f"mode {stat.filemode(st.st_mode)})"
    )


def _problem(st: os.stat_result) -> "str | None":
    """Why a file or directory of this stat could have been written by
    someone other than this user or root, or None if it could not."""
    me = os.geteuid()
    if st.st_uid not in (me, 0):
        if me == 0:
            return "is owned by another user, not by root (this process's user)"
        return (
            f"is owned by another user, not by this process's user "
            f"({_owner_name(me)}, uid {me}) or root"
        )
    writers = [
        who for who, bit in (("group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if st.st_mode & bit
    ]
    if writers:
        return f"is writable by {' and '.join(writers)}"
    return None


def check_owner_and_mode(path: str, st: os.stat_result, what: str, fix: str) -> None:
    """Raise :class:`UntrustedPathError` unless ``st`` (of ``path``) is owned
    by this user or root and writable by no one else. ``what`` is what was
    being done (``refusing to load X``), ``fix`` the way out."""
    problem = _problem(st)
    if problem is not None:
        raise UntrustedPathError(
            f"gobridge: {what}: {describe(path, st)} {problem}. {fix}", path=path
        )


def _symlink_error(
    name: str, dir_fd: "int | None", shown: str, what: str, fix: str
) -> "UntrustedPathError | None":
    """The refusal of ``name`` (relative to ``dir_fd``) if it is a symbolic link."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISLNK(st.st_mode):
        return None
    return UntrustedPathError(
        f"gobridge: {what}: {describe(shown, st)} is a symbolic link, which gobridge does not "
        f"follow here. {fix}",
        path=shown,
    )


def _checked(fd: int, shown: str, want_dir: bool, what: str, fix: str) -> int:
    """``fd``, after checking its type, owner and mode; closed if refused."""
    try:
        st = os.fstat(fd)
        if not (stat.S_ISDIR(st.st_mode) if want_dir else stat.S_ISREG(st.st_mode)):
            kind = "a directory" if want_dir else "a regular file"
            raise UntrustedPathError(
                f"gobridge: {what}: {describe(shown, st)} is not {kind}. {fix}", path=shown
            )
        check_owner_and_mode(shown, st, what, fix)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_checked(
    name: str, dir_fd: "int | None", shown: str, want_dir: bool, what: str, fix: str
) -> int:
    """Open ``name`` (relative to ``dir_fd``) without following a symbolic
    link, check the descriptor's type, owner and mode, and return it."""
    try:
        fd = os.open(name, _DIR_FLAGS if want_dir else _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        refusal = _symlink_error(name, dir_fd, shown, what, fix)
        if refusal is not None:
            raise refusal from None
        raise ImportError(
            f"gobridge: {what}: cannot open {shown}: {exc.strerror}", path=shown
        ) from None
    return _checked(fd, shown, want_dir, what, fix)


def open_cached_library(library: str, root: str, setting: str) -> int:
    """A descriptor of the cached library at ``library``, checked with its
    record and every directory from the cache ``root`` down to it.

    ``setting`` names the variable that chooses the cache, for the fix.
    """
    what = f"refusing to load the cached library {library}"
    fix = (
        "gobridge loads a cached library only if it, its .json record and every directory "
        f"from the cache root {root} down to it are owned by you or root and writable by no "
        "one else. Fix their owner and permissions (chown, chmod go-w), or point "
        f"{setting} at a private directory"
    )
    rel = os.path.relpath(library, root)
    parts = rel.split(os.sep)
    if rel.startswith(os.pardir) or os.path.isabs(rel) or len(parts) < 2:
        raise ImportError(f"gobridge: {what}: it is not inside the cache {root}", path=library)
    dir_fd = _open_checked(root, None, root, True, what, fix)
    try:
        shown = root
        for part in parts[:-1]:
            shown = os.path.join(shown, part)
            inner = _open_checked(part, dir_fd, shown, True, what, fix)
            os.close(dir_fd)
            dir_fd = inner
        name = parts[-1]
        record = _open_checked(
            name + RECORD_SUFFIX, dir_fd, library + RECORD_SUFFIX, False, what, fix
        )
        os.close(record)
        return _open_checked(name, dir_fd, library, False, what, fix)
    finally:
        os.close(dir_fd)


def open_configured_library(library: str, setting: str) -> int:
    """A descriptor of the library a setting names, checked: the file (after
    symbolic links) owned by this user or root and writable by no one else."""
    real = os.path.realpath(library)
    what = f"refusing to load {library}, named by {setting}"
    fix = (
        "gobridge loads a library only if it is owned by you or root and writable by no one "
        f"else. Fix its owner and permissions (chown, chmod go-w), or set {setting} to a "
        "library that only you or root can write"
    )
    return _open_checked(real, None, real, False, what, fix)


def open_private_file(path: str, what: str, fix: str) -> int:
    """Open (creating it with mode 0600 if missing) a file of gobridge's own,
    such as a lock file, read-write: never through a symbolic link, and only
    if this user or root owns it and no one else may write it."""
    flags = os.O_RDWR | os.O_NOFOLLOW | _O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            refusal = _symlink_error(path, None, path, what, fix)
            if refusal is not None:
                raise refusal from None
            raise OSError(exc.errno, f"cannot open {path}: {exc.strerror}") from None
    return _checked(fd, path, False, what, fix)
