"""A zip archive written as a stream of chunks, so an export never holds the whole archive in memory.

zipfile writes to an unseekable file by putting each member's sizes in a data descriptor after its data;
`_Sink` is that file, and the generator hands on whatever zipfile wrote since the last chunk.
"""

import time
import zipfile

CHUNK = 64 * 1024


class _Sink:
    """A write-only file that keeps what is written until the stream takes it."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


# Deflate level 1 compresses a JSONL export about four times faster than the default 6, for a file about
# half as large again; an export is CPU-bound on the server and read once.
COMPRESS_LEVEL = 1


def zip_stream(members, *, compresslevel=COMPRESS_LEVEL):
    """Yield a deflated zip archive of `members`, each (name, iterable of bytes chunks), in order.

    Members are read lazily, one chunk at a time; the archive grows as they are read. Each member is dated
    when it is written (local time: zip has no time zones) and readable by all (0644).
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w") as archive:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = compresslevel  # public as `compress_level` from Python 3.13 on
            # Sizes are unknown up front: ZIP64 fields keep a member past 2 GiB valid.
            with archive.open(info, mode="w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sink.size >= CHUNK:
                        yield sink.take()
            if sink.size >= CHUNK:
                yield sink.take()
    tail = sink.take()
    if tail:
        yield tail


def zip_wrap(chunks, *, filename, readme, companions=()):
    """Yield a zip holding the dataset card `readme` (README.md, Markdown text), `chunks` as `filename`, then each
    of `companions`, (name, bytes) pairs."""
    return zip_stream([("README.md", [readme.encode()]), (filename, chunks), *((n, [d]) for n, d in companions)])
