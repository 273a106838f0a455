"""Writing output files: atomically, and never outside the output folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from filings.errors import FilingsError


def write_atomic(path: Path, data: bytes, root: Path) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise FilingsError(f"{path}: refusing to write outside {root}")
    resolved.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=resolved.parent, prefix=f".{resolved.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, resolved)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
