"""Hashes and the cache's MAC without loading OpenSSL (issue 16).

`import hashlib` (and `hmac`, which imports it) loads OpenSSL's libcrypto through `_hashlib`: on
a warm `policyc run` that cost more than reading the cached policy. CPython carries its own
SHA-256 and BLAKE2 (the `_sha256` and `_blake2` modules that hashlib falls back to); this module
takes them from there, and from hashlib only where a build lacks them.

- `sha256(data)`: a SHA-256 hash object (`.hexdigest()`, `.update()`), as `hashlib.sha256`;
- `blake2b(data, digest_size=…, key=…)`: as `hashlib.blake2b`; with `key`, BLAKE2b is a MAC
  by design (RFC 7693, section 2.9: keyed hashing), as HMAC is for SHA-256;
- `mac(key, *parts)`: the 32-byte keyed BLAKE2b of the parts joined, under `key` (1 to 64
  bytes);
- `compare_digest(a, b)`: the constant-time comparison `hmac.compare_digest` is.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run`
if TYPE_CHECKING:
    from hashlib import blake2b, sha256
    from hmac import compare_digest
else:
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12 names it _sha2; a build without either has OpenSSL
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    try:
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    try:
        from _operator import _compare_digest as compare_digest
    except ImportError:
        from hmac import compare_digest

MAC_BYTES = 32

__all__ = ["MAC_BYTES", "blake2b", "compare_digest", "mac", "sha256"]


def mac(key: bytes, *parts: bytes) -> bytes:
    """The MAC_BYTES-byte keyed BLAKE2b of the parts joined, under `key` (1 to 64 bytes)."""
    digest = blake2b(digest_size=MAC_BYTES, key=key)
    for part in parts:
        digest.update(part)
    return digest.digest()
