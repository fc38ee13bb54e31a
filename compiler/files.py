"""Reading the files a policy names: regular files only, of a bounded size.

A device (`/dev/zero`) or a FIFO named as a policy, its registry, its source text or a case would
otherwise be read forever or block; they are refused like a missing file.
"""

from __future__ import annotations

import errno
from pathlib import Path

MAX_BYTES = 50_000_000


def read_text(path: Path) -> str:
    """The file's text; raises OSError (with a plain `strerror`) or UnicodeDecodeError."""
    if path.exists() and not path.is_dir() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_BYTES} bytes", str(path))
    return path.read_text(encoding="utf-8")
