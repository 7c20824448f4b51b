"""Files written whole, never half, with earlier versions kept; files named by checksum.

Every stage that writes (reports, derived inputs, collected answers) goes through these,
so that a crash or a full disk never leaves a half-written file in place. Nothing here
needs pandas.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
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
    tmp = _staged(path, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's umask, read without changing it (Linux), else by setting it back at once."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode every file the toolkit writes gets: what the umask allows, as for any new file."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """The mode every folder the toolkit makes gets: what the umask allows."""
    return 0o777 & ~umask()


def _staged(path: Path, content: str | bytes) -> Path:
    """`content` (text, written as UTF-8, or bytes) written and synced to a temporary file beside
    `path` (removed again on failure); the file has the umask's mode, not the private one
    temporary files are created with."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_files_together(contents: Mapping[Path, str | bytes], replace: Iterable[Path] = ()) -> list[Path]:
    """Write several files as one change: every file is first written in full beside its place,
    and only when all are written are they moved in (the ones in `replace` first kept as
    `.previous-N`). A full disk or any other failure while writing leaves every file as it was.
    Returns the files kept aside."""
    staged: dict[Path, Path] = {}
    try:
        for path, content in contents.items():
            staged[path] = _staged(path, content)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    kept = [k for k in (keep_previous(p) for p in replace) if k is not None]
    for path, tmp in staged.items():  # renames within one folder: no space needed, nothing half-written
        os.replace(tmp, path)
    return kept


def leftovers(folder: Path, older_than: float = 3600.0) -> list[Path]:
    """Remove what a run killed halfway left in `folder` (hidden `.<name>.*.tmp` files and hidden
    work folders older than `older_than` seconds: no live run is that old); the paths removed."""
    import shutil
    import time

    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    cutoff = time.time() - older_than
    for p in folder.iterdir():
        if not p.name.startswith(".") or p.name in (".used",) or p.stat().st_mtime > cutoff:
            continue
        if p.is_file() and p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)
            removed.append(p)
        elif p.is_dir() and re.match(r"\.(progress|review|\d{4}-Q[1-4])\.", p.name):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


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


# Where reports land: light enough for the command line to ask before the kernel starts (the running
# stage imports the model; asking it first would load pandas before the kernel, not beside it).
REPORTS = "reports"  # the folder every report is written under, beside the client folders


def default_reports(client_dir: Path) -> Path:
    """Where a client's reports go when no folder is given: `reports/` beside the client folder (in its
    parent), the same whether the command runs there, in the client folder or in one of its quarters, so
    that nothing is written among the client's data. The example shipped with the toolkit is never
    written beside: its reports go to `reports/` in the current folder, as `demo` writes them."""
    from smarketing_assess.core.resources import examples_dir

    folder = Path(client_dir)
    try:
        if folder.resolve().is_relative_to(examples_dir().resolve()):
            return Path(REPORTS)
    except FileNotFoundError:  # no example installed
        pass
    if folder.name in ("", ".."):  # `.` or a path ending in `..`: its parent is named only when resolved
        return folder.resolve().parent / REPORTS
    return folder.parent / REPORTS
