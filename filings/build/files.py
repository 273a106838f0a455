"""Every file operation in the output folder: atomic writes, appends, reads, deletes and the lock.

OUT may hold links that lead elsewhere (a template's folder linked to a shared drive, a journal
linked to some other file). Each operation here resolves the folder a file sits in and refuses it
unless that folder is inside OUT, and never follows a link in the file's own name: a write
replaces the link, a delete removes the link, an open refuses it (O_NOFOLLOW).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filings.errors import FilingsError

LOCK = ".filings.lock"
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


class OutputError(FilingsError):
    """OUT cannot be written: outside it, a link, in use, read-only or full. It stops the run:
    every other document would fail the same way."""


def inside(path: Path, root: Path) -> Path | None:
    """The path with its folder's links resolved, or None when that folder is outside root."""
    folder = path.parent.resolve()
    if not folder.is_relative_to(root.resolve()) or path.name in ("", ".", ".."):
        return None
    return folder / path.name


def _checked(path: Path, root: Path) -> Path:
    real = inside(path, root)
    if real is None:
        raise OutputError(
            f"{path}: refusing to write outside {root} (a link leads out of it; "
            "delete the link or choose another --out)"
        )
    return real


def cannot_write(exc: OSError, root: Path, path: Path | None = None) -> OutputError:
    """Say what a failed write means for the user, in one line."""
    if exc.errno == errno.ELOOP:
        return OutputError(
            f"{path or exc.filename}: is a symbolic link; refusing to write "
            "through it (delete it and run again)"
        )
    reasons = {
        errno.ENOSPC: ("the disk is full", "free some space or choose another --out"),
        errno.EDQUOT: ("the disk quota is used up", "free some space or choose another --out"),
        errno.EROFS: ("read-only file system", "choose another --out"),
        errno.EACCES: ("permission denied", "choose another --out or fix its permissions"),
        errno.EPERM: ("permission denied", "choose another --out or fix its permissions"),
    }
    reason, todo = reasons.get(
        exc.errno, (os.strerror(exc.errno or 0).lower(), "choose another --out")
    )
    return OutputError(f"{root}: cannot write ({reason}); {todo}")


@contextlib.contextmanager
def _writing(root: Path, path: Path | None = None) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise cannot_write(exc, root, path) from None


def write_atomic(path: Path, data: bytes, root: Path) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file.

    The file gets the mode any other tool would give it (0644 under umask 022), not mkstemp's 0600.
    """
    real = _checked(path, root)
    with _writing(root):
        real.parent.mkdir(parents=True, exist_ok=True)
        real = _checked(path, root)  # a link made while the folders were made
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o666 & ~umask())
            write_all(fd, data)
            os.close(fd)
            fd = -1
            os.replace(tmp, real)  # replaces a link of that name; never writes through it
        except BaseException:
            if fd >= 0:
                os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            raise


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def open_append(path: Path, root: Path) -> int:
    """Open a file in OUT for appending (created if need be); a link in its place is refused."""
    real = _checked(path, root)
    with _writing(root, path):
        real.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(real, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o666)
    return _only_name(fd, path)


def _only_name(fd: int, path: Path) -> int:
    """Refuse a file that another name also leads to (a hard link): writing to it in place would
    write to that other file too. (An atomic write replaces the name instead, so it needs no such
    check.)"""
    if os.fstat(fd).st_nlink > 1:
        os.close(fd)
        raise OutputError(
            f"{path}: has another name (a hard link); refusing to write through it "
            "(delete it and run again)"
        )
    return fd


def append(fd: int, data: bytes, root: Path) -> None:
    with _writing(root):
        write_all(fd, data)


def read_bytes(path: Path, root: Path) -> bytes | None:
    """A regular file's bytes, or None when it is missing, a link, or outside root."""
    real = inside(path, root)
    if real is None:
        return None
    try:
        fd = os.open(real, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with open(fd, "rb") as stream:  # a FIFO or device in OUT is not a document: never read it
        return stream.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def sha256_file(path: Path, root: Path) -> str | None:
    """The file's sha256, or None when it is not a regular file inside root."""
    data = read_bytes(path, root)
    return None if data is None else hashlib.sha256(data).hexdigest()


def remove(path: Path, root: Path) -> bool:
    """Delete a file in OUT; one outside it (through a linked folder) is left alone. A link is
    removed itself, never what it points to. Return whether a file was removed."""
    real = inside(path, root)
    if real is None:
        return False
    with _writing(root):
        try:
            real.unlink()
        except FileNotFoundError:
            return False
    return True


def listdir(folder: Path, root: Path) -> list[Path]:
    """The entries of a folder in OUT, sorted; none when the folder is missing or leads outside."""
    if not folder.resolve().is_relative_to(root.resolve()) or not folder.is_dir():
        return []
    return sorted(folder.iterdir())


def umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(x for x in status if x.startswith("Umask:"))
            return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT for this run: a second run on the same OUT is refused, naming this one's PID.

    flock is released by the kernel when its holder exits, so a lock file left by a run that was
    killed blocks nothing; the file stays (deleting it could let two runs lock two files)."""
    path = out / LOCK
    with _writing(out, path):
        out.mkdir(parents=True, exist_ok=True)
        fd = _only_name(os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o666), path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            pid = holder if holder.isdigit() else "unknown"
            raise OutputError(
                f"{out} is in use by another filings run (pid {pid}); wait for it "
                f"or remove {path} if no run is going"
            ) from None
        with _writing(out):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock
