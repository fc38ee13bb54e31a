"""A Parquet column chunk of plain integers decoded straight into one int64 numpy array.

pyarrow reads an INT64 column (and a DECIMAL stored as INT64, as DuckDB writes one) page by
page into an Arrow array: it decompresses the page, turns its definition levels into a
validity bitmap, copies the values into a builder, and widens a DECIMAL to 128 bits, which the
numpy engine (batch_arrow.py) then narrows again. For a column chunk whose every page holds
PLAIN values and no empty one, those values are already the int64 (or int32) units the engine
wants: here each page is read (os.pread), decompressed by pyarrow's codec (both without the
GIL) and viewed as numpy, with no other pass. On 1,000,000 rows of benchmarks/rules.policy
this reads the four such columns in about 0.6 of pyarrow's CPU time.

`read_plain` returns None for anything else (a dictionary page, another encoding, a repeated
column, an empty value, a codec pyarrow lacks, a page it cannot parse): the caller then reads
that column with pyarrow, which reads (or reports) it as before.

The page headers are Thrift compact structs (parquet.thrift's PageHeader); `_struct` reads the
fields it needs and skips the others.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

__all__ = ["plain_codec", "read_plain"]

_DATA_PAGE, _DATA_PAGE_V2 = 0, 3
_PLAIN, _RLE = 0, 3
_WIDTHS: dict[str, np.dtype[Any]] = {"INT64": np.dtype("<i8"), "INT32": np.dtype("<i4")}
_CODECS = {"SNAPPY": "snappy", "ZSTD": "zstd", "GZIP": "gzip", "BROTLI": "brotli"}
_CODECS["LZ4_RAW"] = "lz4_raw"
# Pages decompress into the C library's malloc: `policyc run` tells it to keep freed memory
# for the next page (batch_vector.reuse_memory), where pyarrow's default pool hands fresh
# pages to each new thread (about a thousand page faults a run of 1,000,000 rows).
_POOL = pa.system_memory_pool()


class _Unreadable(Exception):
    """A page this module does not decode (pyarrow reads the column instead)."""


def plain_codec(chunk: Any) -> Any:
    """The pa.Codec of a column chunk's metadata (None: uncompressed); raises _Unreadable for
    a codec pyarrow lacks or this module does not take (the Hadoop-framed LZ4)."""
    name = chunk.compression
    if name == "UNCOMPRESSED":
        return None
    codec = _CODECS.get(name)
    if codec is None or not pa.Codec.is_available(codec):
        raise _Unreadable(name)
    return pa.Codec(codec)


def read_plain(fd: int, chunk: Any, column: Any, rows: int) -> np.ndarray | None:
    """The `rows` values of a column chunk as int64, or None (pyarrow reads it).

    `fd` is the open file, `chunk` the chunk's pyarrow ColumnChunkMetaData, `column` its
    ColumnSchema (for the definition and repetition levels). Taken: physical INT64 or INT32,
    no dictionary page, every page a data page (v1 or v2) of PLAIN values with no empty one,
    the pages' values adding up to `rows`."""
    dtype = _WIDTHS.get(chunk.physical_type)
    if dtype is None or chunk.has_dictionary_page or column.max_repetition_level != 0:
        return None
    try:
        codec = plain_codec(chunk)
        raw = os.pread(fd, chunk.total_compressed_size, chunk.data_page_offset)
        if len(raw) != chunk.total_compressed_size:
            return None
        pages = _pages(memoryview(raw), codec, dtype, column.max_definition_level > 0, rows)
    except (_Unreadable, IndexError, ValueError, pa.ArrowException):
        return None
    if sum(len(p) for p in pages) != rows:
        return None
    values = pages[0] if len(pages) == 1 else np.concatenate(pages)
    return values if dtype.itemsize == 8 else values.astype(np.int64)


def _pages(
    raw: memoryview, codec: Any, dtype: np.dtype[Any], levels: bool, rows: int
) -> list[np.ndarray]:
    """The chunk's pages, each as its values; a page size that cannot be right (below 0, past
    the chunk, or more than twice the widest `rows` values could take) raises _Unreadable."""
    at = 0
    pages: list[np.ndarray] = []
    largest = 2 * rows * dtype.itemsize + 4096
    while at < len(raw):
        header, at = _struct(raw, at)
        kind, size, stored = header.get(1), header.get(2), header.get(3)
        if not isinstance(size, int) or not isinstance(stored, int):
            raise _Unreadable("page sizes")
        if not (0 <= stored <= len(raw) - at and 0 <= size <= largest):
            raise _Unreadable("page sizes")
        body = raw[at : at + stored]
        at += stored
        if kind == _DATA_PAGE:
            pages.append(_page_v1(header.get(5), body, size, codec, dtype, levels))
        elif kind == _DATA_PAGE_V2:
            pages.append(_page_v2(header.get(8), body, size, codec, dtype))
        else:
            raise _Unreadable("page type")
    return pages


def _page_v1(
    info: Any, body: memoryview, size: int, codec: Any, dtype: np.dtype[Any], levels: bool
) -> np.ndarray:
    """A v1 data page: decompressed whole, its definition levels (RLE, after their 4-byte
    length) skipped: values that fill the page (num_values of them) mean none is empty."""
    if not isinstance(info, dict) or info.get(2) != _PLAIN:
        raise _Unreadable("encoding")
    count = info.get(1)
    data = _decompressed(body, size, codec)
    start = 0
    if levels:
        if info.get(3) != _RLE:
            raise _Unreadable("levels")
        start = 4 + int.from_bytes(bytes(data[:4]), "little")
    return _values(data, start, count, dtype)


def _page_v2(
    info: Any, body: memoryview, size: int, codec: Any, dtype: np.dtype[Any]
) -> np.ndarray:
    """A v2 data page: its levels stored first, uncompressed; no empty value (num_nulls 0)."""
    if not isinstance(info, dict) or info.get(4) != _PLAIN or info.get(2) != 0:
        raise _Unreadable("encoding")
    skip = info.get(5, 0) + info.get(6, 0)
    rest = body[skip:]
    data = _decompressed(rest, size - skip, codec) if info.get(7, True) else rest
    return _values(data, 0, info.get(1), dtype)


def _decompressed(body: memoryview, size: int, codec: Any) -> Any:
    if codec is None:
        if len(body) != size:
            raise _Unreadable("page size")
        return body
    return codec.decompress(body, decompressed_size=size, asbytes=False, memory_pool=_POOL)


def _values(data: Any, start: int, count: Any, dtype: np.dtype[Any]) -> np.ndarray:
    if not isinstance(count, int) or len(data) - start != count * dtype.itemsize:
        raise _Unreadable("an empty value")  # fewer values than num_values: some are null
    values = np.frombuffer(data, dtype=dtype, count=count, offset=start)
    return values if start % dtype.itemsize == 0 else values.copy()


# ---- Thrift's compact protocol ------------------------------------------------------------------


def _varint(raw: memoryview, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = raw[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 70:
            raise _Unreadable("varint")


def _zigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def _struct(raw: memoryview, at: int, depth: int = 0) -> tuple[dict[int, Any], int]:
    """A compact-protocol struct at `at`: {field id: value} for its integers, booleans and
    nested structs (binaries and lists skipped), and where it ends."""
    if depth > 8:
        raise _Unreadable("nesting")
    fields: dict[int, Any] = {}
    field = 0
    while True:
        head = raw[at]
        at += 1
        if head == 0:
            return fields, at
        kind, delta = head & 0x0F, head >> 4
        if delta:
            field += delta
        else:
            value, at = _varint(raw, at)
            field = _zigzag(value)
        fields[field], at = _value(raw, at, kind, depth)


def _value(raw: memoryview, at: int, kind: int, depth: int) -> tuple[Any, int]:
    if kind in (1, 2):  # true, false
        return kind == 1, at
    if kind == 3:  # byte
        return raw[at], at + 1
    if kind in (4, 5, 6):  # i16, i32, i64
        value, at = _varint(raw, at)
        return _zigzag(value), at
    if kind == 7:  # double
        return None, at + 8
    if kind == 8:  # binary
        size, at = _varint(raw, at)
        return None, at + size
    if kind in (9, 10):  # list, set
        head = raw[at]
        at += 1
        size, element = head >> 4, head & 0x0F
        if size == 15:
            size, at = _varint(raw, at)
        if element in (1, 2):  # a list's booleans take a byte each
            return None, at + size
        for _ in range(size):
            _, at = _value(raw, at, element, depth + 1)
        return None, at
    if kind == 12:
        return _struct(raw, at, depth + 1)
    raise _Unreadable("type")
