"""Template versions from git: describe a folder's commit, and read templates as they were at a
tag or commit straight from git's objects, without touching the working tree."""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import tarfile
from functools import cache
from pathlib import Path

from filings.errors import FilingsError

UNVERSIONED = "unversioned"


class VersionError(FilingsError):
    """A git reference could not be read."""


def _git(folder: Path, *args: str, binary: bool = False):
    result = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, timeout=60, text=not binary
    )
    if result.returncode != 0:
        err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
        raise VersionError(f"{folder}: git {' '.join(args)}: {err.strip() or 'failed'}")
    return result.stdout


@cache
def describe(folder: Path, ref: str | None = None) -> str:
    """`git describe --tags --always` of the folder's commit (or of ref), with `-dirty` when the
    folder itself has uncommitted changes; "unversioned" outside a git repository."""
    try:
        version = _git(folder, "describe", "--tags", "--always", ref or "HEAD").strip()
        dirty = "" if ref else _git(folder, "status", "--porcelain", "--", ".").strip()
    except (OSError, subprocess.SubprocessError, VersionError):
        return UNVERSIONED
    return f"{version}-dirty" if dirty else version


def templates_at(ref: str, folder: Path, dest: Path) -> tuple[Path, str]:
    """Write the templates folder as it was at ref into dest; return the copy's templates folder
    and the version it was read at (the copy itself is not a git checkout)."""
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
        prefix = _git(folder, "rev-parse", "--show-prefix").strip()
        commit = _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise VersionError(f"{folder}: not a git repository ({exc})") from None
    except VersionError:
        raise VersionError(f"{folder}: no tag or commit named {ref!r}") from None
    archive = _git(top, "archive", "--format=tar", commit, "--", prefix or ".", binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if _points_outside(member, prefix):
                raise _refused(
                    ref, member.name, prefix, "is a link pointing outside the templates folder"
                )
        try:
            tar.extractall(dest, filter="data")
        except tarfile.FilterError as exc:  # what the check above lets by, the filter stops
            raise _refused(
                ref, exc.tarinfo.name, prefix, f"cannot be copied safely ({type(exc).__name__})"
            ) from None
    copied = (dest / prefix).resolve()
    if not copied.is_dir():
        raise VersionError(f"{folder}: the templates folder did not exist at {ref!r}")
    return copied, describe(folder, ref)


def _points_outside(member: tarfile.TarInfo, prefix: str) -> bool:
    """Whether a link in the archive leads out of the templates folder (`prefix`): a template
    read through it would be a file the templates do not hold, or any file on the machine."""
    if not (member.issym() or member.islnk()):
        return False
    base = posixpath.dirname(member.name) if member.issym() else ""
    if posixpath.isabs(member.linkname):
        return True
    target = posixpath.normpath(posixpath.join(base, member.linkname))
    folder = prefix.rstrip("/")
    if not folder:
        return target == ".." or target.startswith("../")
    return target != folder and not target.startswith(folder + "/")


def _refused(ref: str, name: str, prefix: str, why: str) -> VersionError:
    shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", name.removeprefix(prefix))
    return VersionError(f"templates at {ref}: {shown} {why}; refusing it")
