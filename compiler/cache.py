"""A private, authenticated cache of compiled policies (and of the parser's tables).

`policyc run` on an unchanged policy then skips parsing, checking and generating (and importing
Lark and jinja2). What a cache folder holds is untrusted until proven otherwise:

- the folder is created private to its owner (0700); a folder, entry or key file that another
  user owns, that is a symlink, or that group or others can write is refused, and caching is
  simply off (one line on stderr says why);
- each entry carries a MAC of its name and content under a per-user secret key (32 random
  bytes, a 0600 file in that folder): keyed BLAKE2b, as compiler/digests.py computes it without
  loading OpenSSL (issue 16), verified before anything is unmarshalled or unpickled; a flipped
  bit or a replaced entry is a miss, never code that runs. An entry is a head and a rest, each
  under its own MAC (the rest's bound to the head's): a warm `run` authenticates only the head
  it reads (`_Store.read_parts`), the rest when the checked policy or the source is asked for;
- the entry's name hashes the policy's path and text, policyc's version and own code, the
  Python implementation and version, and the marshal format; the entry records every file the
  checker read (path, BLAKE2b-256), and a hit requires each to hash the same now, or to be
  the very file it was when the entry was written: the same device, inode, size, modification
  and change times, recorded only for a file unchanged for SETTLED_NS before (as git trusts
  its index; a change time no program can set back, `_compiler_fingerprint`);
- entries are bounded (MAX_ENTRY_BYTES each, MAX_ENTRIES and MAX_TOTAL_BYTES in all, the least
  recently used evicted first) and written to a temporary file in the folder, renamed into
  place, and removed if anything fails, so that a reader sees no entry or a whole one.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from types import CodeType

from policyc import __version__
from policyc.compiler.digests import MAC_BYTES, blake2b, compare_digest, mac
from policyc.compiler.files import UNREADABLE, Dependency, digest_of
from policyc.compiler.i18n import _, language

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from pickle import UnpicklingError
    from pickle import loads as unpickle
    from typing import Any

    from policyc.compiler.files import StrPath
else:
    try:  # the C unpickler itself: the pickle module around it costs a warm `run` some 2 ms
        from _pickle import UnpicklingError
        from _pickle import loads as unpickle
    except ImportError:
        from pickle import UnpicklingError
        from pickle import loads as unpickle

_FORMAT = 9  # 4: the run view beside the checked policy (issue 16); 5: its declared type kinds;
# 6: first conditions of rules judged on an input date (FIRST, compiler/fastpath.py); 7: the
# fast path's arithmetic on two quantities written with the operators; 8: a product where time
# cancels gated as a whole amount or schedule row; 9: each file the checker read with its status
# (`_settled`), a warm `run` hashing none that is unchanged (issue 16)
_MAGIC = b"policyc-cache-4\n"  # 3: keyed BLAKE2b, not HMAC-SHA256 (compiler/digests.py); 4: a
# head and a rest, each under its own MAC (`_Store.read_parts`)
_HEADER = len(_MAGIC) + 2 * MAC_BYTES + 8  # the magic, the two MACs, the head's length
_KEY_FILE = "secret.key"
_KEY_BYTES = 32
_SUFFIX = ".entry"
MAX_ENTRY_BYTES = 64_000_000
MAX_TOTAL_BYTES = 512_000_000
MAX_ENTRIES = 256
_STALE_TMP_SECONDS = 3600  # a .tmp this old was left by a process killed mid-write

_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_OPEN_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """The cache folder or its key is not private to this user: caching is off."""


def cache_dir() -> str | None:
    """`POLICYC_CACHE_DIR`, else the user's cache folder; None when caching is turned off."""
    if os.environ.get("POLICYC_NO_CACHE"):
        return None
    return _folder_setting()


def _folder_setting() -> str:
    """The cache folder's name (a str: a warm `run` imports no pathlib, issue 16)."""
    configured = os.environ.get("POLICYC_CACHE_DIR")
    if configured:
        # No trailing `/`, as Path would have it: `link/` names the folder a symbolic link
        # points to, and O_NOFOLLOW would no longer see the link.
        return configured.rstrip("/") or "/"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(_home(), ".cache")
    return os.path.join(base, "policyc")


def _home() -> str:
    """The user's home folder, as `Path.home()` finds it; raises RuntimeError (as it does) when
    there is none."""
    home = os.path.expanduser("~")
    if home == "~":
        raise RuntimeError("Could not determine home directory.")
    return home


# ---- the private folder ------------------------------------------------------------------------


class _Store:
    """An open, verified cache folder (a directory descriptor, so that a path swapped after the
    check changes nothing) and the user's key."""

    def __init__(self, fd: int, key: bytes):
        self.fd = fd
        self.key = key

    def mac(self, name: str, body: bytes) -> bytes:
        return mac(self.key, name.encode(), b"\0", body)

    def rest_mac(self, name: str, tag: bytes, rest: bytes) -> bytes:
        """The MAC of an entry's rest, bound to its head's MAC `tag` (`read_parts`)."""
        return mac(self.key, name.encode(), b"\0", tag, rest)

    def read(self, name: str) -> bytes | None:
        """The authenticated content of entry `name`, or None (absent, foreign, damaged)."""
        parts = self.read_parts(name)
        return None if parts is None else parts[0]

    def read_parts(self, name: str) -> tuple[bytes, Callable[[], bytes | None]] | None:
        """Entry `name`'s authenticated head, and a function giving its rest once that is
        authenticated in turn (None if it is not), or None: absent, foreign, damaged. The rest
        (what a `run` does not read: the checked policy, the Python source) has a MAC of its
        own, bound to the head's, computed only when it is asked for (issue 16)."""
        try:
            fd = os.open(name, _OPEN_READ | _CLOEXEC, dir_fd=self.fd)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _owned_privately(info):
                return None
            if info.st_size > _HEADER + MAX_ENTRY_BYTES:
                return None
            data = handle.read(_HEADER + MAX_ENTRY_BYTES + 1)
        if not data.startswith(_MAGIC) or len(data) < _HEADER:
            return None
        at = len(_MAGIC)
        tag, rest_tag = data[at : at + MAC_BYTES], data[at + MAC_BYTES : at + 2 * MAC_BYTES]
        size = int.from_bytes(data[at + 2 * MAC_BYTES : _HEADER], "little")
        body = memoryview(data)[_HEADER:]
        if len(body) > MAX_ENTRY_BYTES or size > len(body):
            return None
        head = bytes(body[:size])
        if not compare_digest(tag, self.mac(name, head)):
            return None
        with contextlib.suppress(OSError):  # recently used: evicted last
            os.utime(name, dir_fd=self.fd)

        def rest() -> bytes | None:
            tail = bytes(body[size:])
            return tail if compare_digest(rest_tag, self.rest_mac(name, tag, tail)) else None

        return head, rest

    def write(self, name: str, body: bytes, rest: bytes = b"") -> None:
        """Entry `name` replaced as a whole (its head `body`, and `rest`: `read_parts`); raises
        OSError, and leaves no temporary file."""
        if len(body) + len(rest) > MAX_ENTRY_BYTES:
            return
        import secrets  # here: a cache hit writes nothing

        temporary = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, _OPEN_NEW | _CLOEXEC, 0o600, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                tag = self.mac(name, body)
                rest_tag = self.rest_mac(name, tag, rest)
                size = len(body).to_bytes(8, "little")
                handle.write(_MAGIC + tag + rest_tag + size + body + rest)
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.fd)
            raise
        self.evict()

    def evict(self) -> None:
        """Least recently used entries out until the folder is within its bounds; stale
        temporary files out."""
        now = time.time()
        entries: list[tuple[float, int, str]] = []
        for name in os.listdir(self.fd):
            try:
                info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            except OSError:
                continue
            if name.endswith(".tmp") and now - info.st_mtime > _STALE_TMP_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=self.fd)
            elif name.endswith(_SUFFIX):
                entries.append((info.st_mtime, info.st_size, name))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        while entries and (len(entries) > MAX_ENTRIES or total > MAX_TOTAL_BYTES):
            _, size, name = entries.pop(0)
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.fd)
            total -= size


def _owned_privately(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_folder(folder: str) -> int:
    """The folder, created 0700 if absent, opened without following a symlink; raises Refused
    when it is not this user's alone, OSError when it cannot be made or opened."""
    if not os.path.lexists(folder):
        os.makedirs(os.path.dirname(os.path.abspath(folder)), exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
    try:
        fd = os.open(folder, _OPEN_DIR | _CLOEXEC)
    except OSError as exc:
        if os.path.islink(folder):
            raise Refused(_("{folder} is a symbolic link").format(folder=folder)) from None
        raise exc
    info = os.fstat(fd)
    problem = ""
    if not stat.S_ISDIR(info.st_mode):
        problem = _("is not a folder")
    elif info.st_uid != os.geteuid():
        problem = _("belongs to another user (uid {info_st_uid})").format(info_st_uid=info.st_uid)
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = _("can be written by others (mode {value:04o})").format(
            value=stat.S_IMODE(info.st_mode),
        )
    if problem:
        os.close(fd)
        raise Refused(f"{folder} {problem}")
    return fd


def _user_key(fd: int, folder: str) -> bytes:
    """The per-user secret, created on first use (written whole, then linked into place so that
    two processes agree on one key); raises Refused when it is readable or owned by others."""
    try:
        key_fd = os.open(_KEY_FILE, _OPEN_READ | _CLOEXEC, dir_fd=fd)
    except FileNotFoundError:
        import secrets

        temporary = f".{_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        new_fd = os.open(temporary, _OPEN_NEW | _CLOEXEC, 0o600, dir_fd=fd)
        try:
            with os.fdopen(new_fd, "wb") as handle:
                handle.write(secrets.token_bytes(_KEY_BYTES))
            try:
                os.link(temporary, _KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd)
            except FileExistsError:
                pass  # another process was first: use its key
            except OSError:  # a file system without hard links: last writer wins, the
                os.replace(temporary, _KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd)  # rest miss once
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=fd)
        key_fd = os.open(_KEY_FILE, _OPEN_READ | _CLOEXEC, dir_fd=fd)
    with os.fdopen(key_fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise Refused(
                _("{folder__KEY_FILE} is not this user's file").format(
                    folder__KEY_FILE=os.path.join(folder, _KEY_FILE),
                )
            )
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise Refused(
                _(
                    "{folder__KEY_FILE} can be read by others (mode {value:04o}, expected 0600)"
                ).format(
                    folder__KEY_FILE=os.path.join(folder, _KEY_FILE),
                    value=stat.S_IMODE(info.st_mode),
                )
            )
        key = handle.read(_KEY_BYTES + 1)
    if len(key) != _KEY_BYTES:
        raise Refused(
            _("{folder__KEY_FILE} is not a key of {KEY_BYTES} bytes").format(
                folder__KEY_FILE=os.path.join(folder, _KEY_FILE),
                KEY_BYTES=_KEY_BYTES,
            )
        )
    return key


_warned: set[str] = set()


@contextlib.contextmanager
def _opened(folder: str | None) -> Iterator[_Store | None]:
    """The verified store in `folder`, or None (caching off, refused or unusable)."""
    if folder is None or os.name != "posix":
        yield None
        return
    fd = -1
    store: _Store | None = None
    try:
        fd = _open_folder(folder)
        store = _Store(fd, _user_key(fd, folder))
    except Refused as exc:
        if str(exc) not in _warned:  # once per process: the answer is the same without a cache
            _warned.add(str(exc))
            sys.stderr.write(_("policyc: not using the cache: {exc}\n").format(exc=exc))
    except (OSError, ValueError):
        pass  # a folder that cannot be made or read only costs time
    try:
        yield store
    finally:
        if fd >= 0:
            os.close(fd)


# ---- compiled policies ----------------------------------------------------------------------


def python_tag() -> str:
    """What bytecode and pickles depend on: implementation, version, marshal format."""
    return f"{sys.implementation.cache_tag} {sys.version} marshal {marshal.version}"


def cache_key(path: StrPath, text: str) -> str:
    """The entry name for the policy at `path` with `text`: what the compiled form depends on
    besides the files the checker reads (those are validated on each hit)."""
    digest = blake2b(f"policyc {__version__} format {_FORMAT}\n".encode(), digest_size=32)
    digest.update(python_tag().encode() + b"\0")
    digest.update(language().encode() + b"\0")  # the checker's messages are in this language
    digest.update(_compiler_fingerprint())
    digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    # The project the policy may read from (`--root`): an entry checked under a wider project
    # must not be reused under a narrower one, whose checker would refuse what it read.
    from policyc.compiler.project import project_folder

    digest.update(project_folder(path).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def compiler_fingerprint() -> bytes:
    """What every derived entry depends on besides its input: policyc's own code."""
    return _compiler_fingerprint()


@functools.cache
def _compiler_fingerprint() -> bytes:
    """The compiler's own code, templates, runtime and grammar, as the file system knows them:
    each file's name, size, inode, modification and change times. Any write to a file, and any
    file replaced (an upgrade, `git checkout`, an edit in a working copy), changes its change
    time, which the kernel sets and no program can set back (`utime` sets the other two), so an
    entry compiled by another build of policyc is never reused; reading no file's content keeps
    this to one `stat` per file (a warm `run` hashed some 190 files before, issue 16). A copy
    of the same code elsewhere fingerprints differently: it only compiles once more."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows: list[tuple[str, int, int, int, int]] = []
    for folder in ("compiler", "runtime", "grammar"):
        _fingerprint_folder(os.path.join(package, folder), rows)
    rows.sort()  # the same files in any order of the folders' listing
    return blake2b(marshal.dumps(rows), digest_size=32).digest()  # one hash, not one a file


_FINGERPRINTED = (".py", ".j2", ".lark", ".mo")


def _fingerprint_folder(folder: str, rows: list[tuple[str, int, int, int, int]]) -> None:
    """(path, size, inode, modification and change times) of each fingerprinted file in
    `folder` and the folders in it, added to `rows`."""
    try:
        listing = os.scandir(folder)
    except OSError:
        rows.append((folder + "\0missing", 0, 0, 0, 0))
        return
    with listing:
        for entry in listing:
            if entry.name.endswith(_FINGERPRINTED):
                info = entry.stat()
                rows.append(
                    (entry.path, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
                )
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                _fingerprint_folder(entry.path, rows)


SETTLED_NS = 2_000_000_000  # a file changed less than 2 s before an entry is hashed on every hit

Signature = tuple[int, int, int, int, int]  # device, inode, size, modification and change times


def _signature(path: str) -> Signature | None:
    """The status that identifies the regular file at `path` and its content, or None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _settled(dependencies: Sequence[Dependency]) -> tuple[tuple[str, str, Signature | None], ...]:
    """Each file the checker read (once) with its status now, or None where a hit must hash it:
    unreadable, changed since the checker read it, or changed less than SETTLED_NS ago (a write
    within the file system's clock tick could leave the status as it was, as "racy git"
    knows). The status is taken before the bytes are hashed again, so that it is never newer
    than the content the digest is of."""
    rows: list[tuple[str, str, Signature | None]] = []
    for path, digest in dict.fromkeys(dependencies):
        signature = _signature(path) if digest != UNREADABLE else None
        if signature is not None and (
            time.time_ns() - max(signature[3], signature[4]) < SETTLED_NS
            or digest_of(path) != digest
        ):
            signature = None
        rows.append((path, digest, signature))
    return tuple(rows)


def load(key: str) -> tuple[Any, tuple[CodeType, ...], Callable[[], tuple[Any, str] | None]] | None:
    """(run view, code objects of the module's pieces, a function giving (checked policy,
    Python source)) for `key`, or None: absent, not authentic, from another build, or a file
    the checker read has changed. The checked policy (the whole AST) and the source are
    authenticated and read only when that function is called (it gives None if they are not
    authentic): a `run` reads the plain-data view (compiler/run_view.py) and the code."""
    with _opened(cache_dir()) as store:
        parts = store.read_parts(key + _SUFFIX) if store is not None else None
    if parts is None:
        return None
    body, rest = parts
    try:
        dependencies, view_bytes, code_bytes = marshal.loads(body)
        for path, digest, signature in dependencies:  # each once (`_settled`)
            if signature is not None and _signature(path) == signature:
                continue  # the very file whose bytes the digest is of: not read again
            if digest_of(path) != digest:
                return None
        view = unpickle(view_bytes)
        code = marshal.loads(code_bytes)
    except (EOFError, ValueError, TypeError, UnpicklingError, AttributeError, ImportError):
        return None  # authentic but unusable (a policyc without the class it names)
    if not isinstance(code, tuple) or not all(isinstance(c, CodeType) for c in code):
        return None

    def checked_and_source() -> tuple[Any, str] | None:
        tail = rest()
        if tail is None:
            return None
        try:
            checked_bytes, source = marshal.loads(tail)
            if not isinstance(source, str) or not isinstance(checked_bytes, bytes):
                return None
            return unpickle(checked_bytes), source  # authenticated with the entry's head
        except (EOFError, ValueError, TypeError, UnpicklingError, AttributeError, ImportError):
            return None

    return view, code, checked_and_source


def store(
    key: str,
    checked: Any,
    view: Any,
    source: str,
    code: tuple[CodeType, ...],
    dependencies: Sequence[Dependency],
) -> None:
    """Keep the compiled policy (its checked form and its run view) under `key` with the files
    the checker read; a cache that cannot be written only costs time. What a `run` reads (the
    files read, the view, the code) is the entry's head; the checked policy and the source its
    rest."""
    import pickle  # here: a cache hit pickles nothing

    with _opened(cache_dir()) as folder:
        if folder is None:
            return
        try:
            head = marshal.dumps(
                (
                    _settled(dependencies),
                    pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL),
                    marshal.dumps(code),
                )
            )
            rest = marshal.dumps((pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL), source))
            folder.write(key + _SUFFIX, head, rest)
        except (OSError, ValueError, pickle.PicklingError, RecursionError):
            return


# ---- parsed files -------------------------------------------------------------------------------


def load_entry(name: str) -> bytes | None:
    """An authenticated entry kept with `store_entry`, or None; nothing when caching is off.
    The caller decodes it as plain data (marshal), never as pickle."""
    with _opened(cache_dir()) as folder:
        return folder.read(name + _SUFFIX) if folder is not None else None


def store_entry(name: str, body: bytes) -> None:
    with _opened(cache_dir()) as folder:
        if folder is not None:
            with contextlib.suppress(OSError):
                folder.write(name + _SUFFIX, body)


# ---- any other blob (the parser's tables) -----------------------------------------------------


def load_blob(name: str) -> bytes | None:
    """An authenticated blob kept with `store_blob`, or None. Used even when
    POLICYC_NO_CACHE is set: it holds derived program data (like .pyc files), not policies."""
    with _opened(_folder_setting()) as folder:
        return folder.read(name + _SUFFIX) if folder is not None else None


def store_blob(name: str, body: bytes) -> None:
    with _opened(_folder_setting()) as folder:
        if folder is not None:
            with contextlib.suppress(OSError):
                folder.write(name + _SUFFIX, body)
