"""Files written whole, never half, with earlier versions kept; files named by checksum.

Every stage that writes (reports, derived inputs, collected answers) goes through these,
so that a crash or a full disk never leaves a half-written file in place. Nothing here
needs pandas.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def checksum(path: Path) -> str:
    """The file's SHA-256, read in blocks (an export of a million rows is never held twice)."""
    with path.open("rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


class Checksums:
    """The checksums of files, taken in a background thread from the moment the files are named
    (hashing leaves the interpreter free, so it overlaps start-up and reading)."""

    def __init__(self, paths: Iterable[Path | None]):
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksum")
        self._jobs = {p: pool.submit(checksum, p) for p in dict.fromkeys(paths) if p is not None and p.is_file()}
        pool.shutdown(wait=False)

    def __getitem__(self, path: Path) -> str:
        job = self._jobs.get(path)
        return job.result() if job is not None else checksum(path)


def write_text_atomic(path: Path, content: str) -> None:
    """Write to a temporary file beside `path` and move it into place whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_previous(path: Path) -> Path | None:
    """Move an existing file or folder aside as `<stem>.previous-N<suffix>` (N the first free number):
    `assessment.previous-1.json`, or `2026-Q1.previous-1` for a report folder."""
    if not path.exists():
        return None
    n = 1
    while (kept := path.with_name(f"{path.stem}.previous-{n}{path.suffix}")).exists():
        n += 1
    os.replace(path, kept)
    return kept


def write_new(path: Path, content: bytes) -> None:
    """Write a file whole under a name that must not exist yet: FileExistsError rather than
    replacing one, even when another process writes the same name at the same moment."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(content):x}.tmp")
    try:
        with tmp.open("xb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # never replaces an existing file
    finally:
        tmp.unlink(missing_ok=True)
