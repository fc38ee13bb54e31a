"""Reading the files a policy names: regular files only, of a bounded size, and on record.

A device (`/dev/zero`) or a FIFO named as a policy, its registry, its source text or a case would
otherwise be read forever or block; they are refused like a missing file. The file is opened
first and the open file is what is tested and read, so it cannot be swapped in between.

Every read inside `recording_reads()` is noted (absolute path, BLAKE2b-256 of the bytes read): the
compiled-policy cache keys an entry on what the checker actually read, not on a second guess
at which files the policy names.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
import unicodedata
from collections.abc import Iterator

from policyc.compiler.digests import blake2b

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from os import PathLike

    # A file name as the warm `run` passes it (a str, without importing pathlib: issue 16) or as
    # the other commands do (a Path).
    StrPath = str | PathLike[str]

MAX_BYTES = 50_000_000

# A file that could not be read is recorded with this digest, so that its appearing later is
# a change too.
UNREADABLE = "unreadable"

Dependency = tuple[str, str]  # (absolute path, BLAKE2b-256 hex of its bytes, or UNREADABLE)

_recording: contextvars.ContextVar[list[Dependency] | None] = contextvars.ContextVar(
    "policyc_reads", default=None
)


@contextlib.contextmanager
def recording_reads() -> Iterator[list[Dependency]]:
    """Collect every `read_text` made inside the block, in order, as (path, digest)."""
    reads: list[Dependency] = []
    token = _recording.set(reads)
    try:
        yield reads
    finally:
        _recording.reset(token)


def read_bytes(path: StrPath) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; raises OSError (with a plain
    `strerror`) otherwise, or ValueError for a NUL in the name."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > MAX_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_BYTES} bytes", str(path))
        data = handle.read(MAX_BYTES + 1)  # the file may have grown since fstat
    if len(data) > MAX_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_BYTES} bytes", str(path))
    return data


def digest_of(path: StrPath) -> str:
    """What `recording_reads` notes for `path` now: the BLAKE2b-256 of its bytes, or UNREADABLE."""
    try:
        return blake2b(read_bytes(path), digest_size=32).hexdigest()
    except (OSError, ValueError):
        return UNREADABLE


def read_text(path: StrPath) -> str:
    """The file's UTF-8 text with universal newlines (as `Path.read_text`); raises OSError (with
    a plain `strerror`), ValueError (a NUL in the name) or UnicodeDecodeError."""
    reads = _recording.get()
    try:
        data = read_bytes(path)
    except (OSError, ValueError):
        if reads is not None:
            reads.append((os.path.abspath(path), UNREADABLE))
        raise
    if reads is not None:
        reads.append((os.path.abspath(path), blake2b(data, digest_size=32).hexdigest()))
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def control_character(text: str) -> tuple[int, str] | None:
    """The first character of `text` that is a control, format or line/paragraph separator
    (categories Cc, Cf, Zl, Zp: newline, CR, DEL, U+0085, U+2028, a bidi override…), as
    (index, character); None when there is none."""
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return index, char
    return None
