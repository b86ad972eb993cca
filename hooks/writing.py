"""Atomic writing: the only way lockguard changes a file, and only under an explicit fix option.

A rewritten file keeps what its owner chose for it: its encoding and byte-order mark, its line
ends, its mode, owner and group, and its symlink (the real file is rewritten, when it is inside
the repository). It is replaced in one step, so readers see the old file or the new one. What
cannot be kept is refused (`Refused`) and the file left byte for byte as it was: a symlink out of
the repository, a read-only file or directory, a file with hard links (replacing it would split
them, and writing in place would not be atomic), an owner or group lockguard cannot give back.

The new bytes go to a temporary `.lockguard-<pid>-<random>.tmp` beside the file: hidden, and
named `.tmp` so that neither lockguard nor the platform (which reads every `.upsun/*.yaml`) takes
it for a config. It is created 0600 and gets the file's owner and mode only once complete and on
disk. A run killed before the rename leaves only that temporary; the next write in the directory
removes it, as its process is gone.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
import tempfile

from hooks import reading

TEMPORARY = re.compile(r"\.lockguard-(?:(\d+)-)?[a-z0-9_]{8}\.tmp")  # no pid: written before pids were named


class Refused(Exception):
    """A file lockguard will not rewrite: the message says why, on one line, after the path."""


def write_atomic(path: str, text: str) -> None:
    """Replace `path` with `text` in one step, keeping what the file is (see the module).

    `text` has LF line ends, as `reading.read_text` gives: lines the file already had keep
    their ends, new lines take the file's dominant one.
    """
    if reading.outside(path):
        raise Refused(f"{path} leads outside the repository through a symlink")
    target = os.path.realpath(path)
    info = _checked(path, target)
    directory = os.path.dirname(target)
    data = _encoded(reading.read_bytes(target, info), text) if info else text.encode("utf-8")
    _remove_stale_temporaries(directory)
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".lockguard-{os.getpid()}-", suffix=".tmp")
    except OSError as error:
        raise Refused(f"{path} cannot be written: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if info:
                _keep_owner(handle.fileno(), info, path)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode) if info else 0o644)
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise Refused(f"{path} cannot be written: {error.strerror or error}") from None
        raise
    _sync(directory)
    reading.forget(path)
    reading.forget(target)


def _checked(path: str, target: str) -> os.stat_result | None:
    """The stat of the file at `target` (None if there is none yet), or `Refused`. The write bits
    are read from the mode, not asked of the system: root may write anything, and a file or
    directory its owner made read-only is still not to be rewritten."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path} is not a regular file")
        if not info.st_mode & stat.S_IWUSR:
            raise Refused(f"{path} is read-only (mode {stat.S_IMODE(info.st_mode):04o})")
        if info.st_nlink > 1:
            raise Refused(f"{path} has {info.st_nlink} hard links, which replacing it would split (and writing it in place would not be atomic)")
    directory = os.path.dirname(target)
    if not os.stat(directory).st_mode & 0o222 or not os.access(directory, os.W_OK | os.X_OK):
        raise Refused(f"{path} is in a read-only directory")
    return info


def _keep_owner(fd: int, info: os.stat_result, path: str) -> None:
    written = os.fstat(fd)
    if (written.st_uid, written.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            raise Refused(f"{path} belongs to uid {info.st_uid} and gid {info.st_gid}, which lockguard cannot give back to a rewritten file") from None


def _encoded(old: bytes, text: str) -> bytes:
    """`text` in the encoding, byte-order mark and line ends of the file whose bytes are `old`."""
    bom, encoding = next(((bom, encoding) for bom, encoding in reading._BOMS if old.startswith(bom)), (b"", "utf-8"))
    return bom + _line_ends(old[len(bom) :].decode(encoding), text).encode(encoding)


def _line_ends(old: str, new: str) -> str:
    """`new` (LF) with the line ends of `old`: its own lines keep theirs, others take the
    dominant one (LF on a tie)."""
    crlf = old.count("\r\n")
    lf = old.count("\n") - crlf
    if not crlf:
        return new
    if not lf:
        return new.replace("\n", "\r\n")
    dominant = "\r\n" if crlf > lf else "\n"
    segments = old.split("\n")
    old_lines = [line.removesuffix("\r") for line in segments[:-1]]
    old_ends = ["\r\n" if line.endswith("\r") else "\n" for line in segments[:-1]]
    new_lines = new.split("\n")
    ends = [dominant] * (len(new_lines) - 1)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines[:-1], autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            ends[j1 : j1 + i2 - i1] = old_ends[i1:i2]
    return "".join(line + end for line, end in zip(new_lines, ends)) + new_lines[-1]


def _remove_stale_temporaries(directory: str) -> None:
    """Remove the temporaries of runs that were killed before their rename."""
    with contextlib.suppress(OSError):
        for name in os.listdir(directory):
            match = TEMPORARY.fullmatch(name)
            if match is None or (match[1] is not None and _running(int(match[1]))):
                continue
            path = os.path.join(directory, name)
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)


def _running(pid: int) -> bool:
    """Is `pid` a process that may still be writing its temporary? (Ours can't be: one write at
    a time.) Where signals cannot tell, assume it is."""
    if pid == os.getpid():
        return False
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate it on Windows
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's
    return True


def _sync(directory: str) -> None:
    """Put the rename on disk (a crash after it then finds the new file, never an empty one)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
