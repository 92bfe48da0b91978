"""Reading an uploaded zip safely: the members an import wants, unpacked within limits (txt's zips, brat's).

A zip is read member by member, its size taken from what actually comes out of it rather than from what its headers
claim: more than MAX_MEMBERS members or more than MAX_UNPACKED_BYTES unpacked is refused as a whole. Members in
folders are read as any other; folders, hidden members (macOS's `__MACOSX/` and `._name` companions) and members
of other kinds are passed over. Nothing is written to disk, so names such as `../x.txt` or `/etc/x.txt` are just
names.
"""

import io
import zipfile
import zlib
from pathlib import PureWindowsPath

from annotator.formats.base import FormatError, Problem

# A zip's limits: an import holds its documents in memory, and 50 MB of compressed upload can unpack to gigabytes.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a first member, or an empty archive's directory
# What a damaged or hostile archive raises while it is read: zipfile's own errors, the decompressors', a method
# it does not know (NotImplementedError), an encrypted member (RuntimeError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


def is_zip(data, filename=""):
    """Whether `data` is meant as a zip: its first bytes say so, or its name does (then a damaged one is refused
    as a zip rather than read as text)."""
    return data[:4] in ZIP_SIGNATURES or (filename or "").lower().endswith(".zip")


def _wanted(info, extensions):
    """Whether a zip member is a file to import: not a folder, not hidden, not macOS's resource forks, and its name
    ends with one of `extensions`."""
    if info.is_dir():
        return False
    parts = PureWindowsPath(info.filename).parts
    if any(part.startswith(".") and part not in (".", "..") for part in parts) or "__MACOSX" in parts:
        return False
    return info.filename.lower().endswith(extensions)


def _refuse(message):
    raise FormatError([Problem(None, message)])


def _kinds(extensions):
    *most, last = extensions
    return f"{', '.join(most)} or {last}" if most else last


def _too_large(extensions):
    return (
        f"The zip's {_kinds(extensions)} files unpack to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; import"
        " it in parts."
    )


def _members(data, extensions):
    """The archive of `data` and its wanted members, checked against the limits; FormatError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except ZIP_ERRORS as error:
        _refuse(f"The file is not a readable zip archive ({error}).")
    if len(members) > MAX_MEMBERS:
        _refuse(f"The zip holds {len(members)} files; an import takes at most {MAX_MEMBERS:,}.")
    wanted = [info for info in members if _wanted(info, extensions)]
    if not wanted:
        _refuse(f"The zip holds no {_kinds(extensions)} files.")
    if sum(info.file_size for info in wanted) > MAX_UNPACKED_BYTES:
        _refuse(_too_large(extensions))
    return archive, wanted


def unpacked(data, *, extensions, problems):
    """Yield (name, bytes) for each member of the zip `data` whose name ends with one of `extensions` (lower case,
    with the dot), in the archive's order. A member that cannot be unpacked adds a Problem to `problems`; a damaged
    archive, one with too many members, none wanted or more than MAX_UNPACKED_BYTES unpacked raises FormatError."""
    archive, members = _members(data, tuple(extensions))
    left = MAX_UNPACKED_BYTES
    with archive:
        for info in members:
            try:
                with archive.open(info) as member:
                    content = member.read(left + 1)  # never more than the budget, whatever the headers claim
            except ZIP_ERRORS as error:
                problems.add(None, f"{info.filename}: cannot be unpacked ({error})")
                continue
            left -= len(content)
            if left < 0:
                _refuse(_too_large(extensions))
            yield info.filename, content
