"""The start-up cache's file format: a pickle whose large arrays are mapped, not copied.

About three quarters of a built bot are embedding matrices (the knowledge base's
phrasings and the safety bank: 25 of 35 MB).  In an ordinary pickle they are read
into memory and then copied into their arrays, on every `faqbot ask`.  Here the pickle
keeps them out of band (protocol 5): each is written after it, aligned, and on load
the arrays are read-only views of the file mapped into memory, so a start reads only
the pages it touches and copies nothing.

    magic (8 bytes) | pickle length, buffer count (2 x u64)
    | per buffer: offset, length (2 x u64) | pickle | buffers, each 64-byte aligned

A mapped file must not change while it is mapped: faqbot only ever replaces a cache file
by renaming a new one over it (`faqbot.private_files.write_private`), which leaves the
old file whole for whoever still maps it.  The cyclic garbage collector is paused while
loading: unpickling creates tens of thousands of objects and no garbage, and the
collections they would set off take about as long as the load itself.
"""

from __future__ import annotations

import gc
import mmap
import pickle
import struct
from typing import BinaryIO

MAGIC = b"FQBCACH1"
_COUNTS = struct.Struct("<QQ")
_BUFFER = struct.Struct("<QQ")
# numpy reads aligned rows fastest; 64 bytes is a cache line.
ALIGNMENT = 64


class CacheFormatError(ValueError):
    """The file is not a cache file of this format, or it is truncated."""


def dump(value: object, file: BinaryIO) -> None:
    """Write `value` to `file` (opened for binary writing)."""
    buffers: list[pickle.PickleBuffer] = []
    body = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    position = len(MAGIC) + _COUNTS.size + _BUFFER.size * len(raws) + len(body)
    table = []
    for raw in raws:
        position = _aligned(position)
        table.append((position, raw.nbytes))
        position += raw.nbytes
    file.write(MAGIC + _COUNTS.pack(len(body), len(raws)))
    for offset, length in table:
        file.write(_BUFFER.pack(offset, length))
    file.write(body)
    written = len(MAGIC) + _COUNTS.size + _BUFFER.size * len(raws) + len(body)
    for (offset, _), raw in zip(table, raws, strict=True):
        file.write(b"\0" * (offset - written))
        file.write(raw)
        written = offset + raw.nbytes


def load(file: BinaryIO) -> object:
    """The value `dump` wrote to `file`; its arrays are read-only views of the mapped file."""
    mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    try:
        head = len(MAGIC) + _COUNTS.size
        if len(view) < head or view[: len(MAGIC)] != MAGIC:
            raise CacheFormatError("not a faqbot cache file")
        body_length, count = _COUNTS.unpack(view[len(MAGIC) : head])
        table_end = head + _BUFFER.size * count
        body_end = table_end + body_length
        if body_end > len(view):
            raise CacheFormatError("truncated")
        buffers = []
        for number in range(count):
            start = head + _BUFFER.size * number
            offset, length = _BUFFER.unpack(view[start : start + _BUFFER.size])
            if offset < body_end or offset + length > len(view):
                raise CacheFormatError("truncated")
            buffers.append(view[offset : offset + length])
        paused = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(view[table_end:body_end], buffers=buffers)
        finally:
            if paused:
                gc.enable()
    finally:
        # The arrays hold their own views: the mapping lives as long as they do.
        view.release()


def _aligned(position: int) -> int:
    return -(-position // ALIGNMENT) * ALIGNMENT
