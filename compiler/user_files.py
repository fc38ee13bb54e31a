"""Writing a user's file through a temporary sibling, with the mode the user expects.

A file rewritten in place (`fmt -w`, a `run --cases --out` written again) keeps its mode; a
file created anew gets what `open(…, "w")` would give it: 0o666 less the umask (or the folder's
default ACL). `tempfile.mkstemp` creates 0o600 files, and renaming one over a 644 policy made it
unreadable to the rest of a shared office folder (newcomer report 15, item 2).

The temporary file is created here with `os.open(…, 0o666)`, so the kernel applies the umask
itself: reading the umask would mean setting it (`os.umask`), which is process-wide and racy.
The private cache (compiler/cache.py) is 0o600 on purpose and does not come here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_ATTEMPTS = 100  # names tried before giving up, as tempfile does (TMP_MAX)


def existing_mode(path: Path) -> int | None:
    """The permission bits (setuid/setgid/sticky included) of the file `path` names (through
    a link), or None when there is none."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):  # none there (a part of it is a file)
        return None


def create_sibling(target: Path, suffix: str = ".tmp") -> tuple[int, Path, int]:
    """An empty new file beside `target` (`.NAME.RANDOM.tmp`), open for writing: its
    descriptor, its path and the mode it was given (`target`'s when it exists, else the umask's
    default). Raises OSError as `os.open` does (a folder that is missing or not writable)."""
    kept = existing_mode(target)
    for _attempt in range(_ATTEMPTS):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:
            fd = os.open(temporary, _CREATE, 0o666)
        except FileExistsError:
            continue
        try:
            if kept is not None:
                os.fchmod(fd, kept)  # not subject to the umask
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
        except BaseException:
            os.close(fd)
            os.unlink(temporary)
            raise
        return fd, temporary, mode
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


@contextlib.contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary sibling of `target` (created empty, with the mode `target` should end with)
    for the block to fill by name, however it likes (a DuckDB `COPY … TO`, which may create the
    file afresh with a mode of its own); on leaving the block normally the mode is set again
    and the file renamed over `target` in one step, so a reader never sees half a file. On an
    exception the temporary file is removed and `target` is as it was. A symbolic link is
    written through, as `open(…, "w")` would, not replaced by a file. Raises OSError."""
    target = Path(os.path.realpath(target))
    fd, temporary, mode = create_sibling(target, suffix)
    os.close(fd)
    try:
        yield temporary
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def replace_text(target: Path, text: str) -> None:
    """Write `text` (UTF-8, newlines as given) to `target` through a temporary sibling renamed
    over it: `target` keeps its mode, or is created with the umask's default. Raises OSError."""
    with (
        replacing(target) as temporary,
        open(temporary, "w", encoding="utf-8", newline="") as handle,
    ):
        handle.write(text)
