"""Files read from a client folder stay inside it.

A client folder may arrive from the client (an unpacked archive, a shared drive), so a name in it
may be a symbolic link to a file of the consultant's (`commentary.md` -> a file of passwords) or a
special file that never ends (a FIFO, a device). Every reader of a client's files asks `checked`
first: the file must resolve inside its folder (the client folder, or the folder `client.yaml`
names for the brand) and be a regular file. Anything else is refused by its name: its target is
never read, opened or quoted, and a FIFO is never waited on (only its status is looked at).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.yamlfile import grouped

CLIENT_FILE = "client.yaml"


def client_root(path: Path) -> Path:
    """The folder a file of a client must stay inside: the nearest folder above it that holds
    `client.yaml` (the client folder), else the file's own folder."""
    path = Path(path)
    # the folders above as named (`acme` for `acme/2026-Q1/x.csv`), then those above the first, by name:
    # no link is followed here (a link is judged by where it leads, in `checked`)
    above = [*path.parents, *Path(os.path.abspath(path.parents[-1])).parents]
    for folder in above:
        if (folder / CLIENT_FILE).is_file():
            return folder
    return path.parent


def checked(path: Path, root: Path | None = None) -> Path:
    """`path` when it is a regular file resolving inside `root` (default: `client_root`), else an
    InputError naming it. A path that does not exist is returned as it is: whether a missing file
    is an error is the reader's to say."""
    path = Path(path)
    if not os.path.lexists(path):
        return path
    folder = root if root is not None else client_root(path)
    base, target = Path(os.path.realpath(folder)), Path(os.path.realpath(path))
    if target != base and base not in target.parents:
        raise InputError.single(path, say("safety.outside"), expected=say("safety.inside", folder=str(folder)))
    try:
        mode = os.stat(target).st_mode  # the status only: nothing is opened
    except OSError:
        return path  # a link to nowhere: missing, as the reader says
    if stat.S_ISDIR(mode):
        raise InputError.single(path, say("safety.folder"), expected=say("safety.regular_file"))
    if not stat.S_ISREG(mode):
        raise InputError.single(path, say("safety.special"), expected=say("safety.regular_file"))
    return path


def present(path: Path) -> bool:
    """Whether there is anything under the name, a link to nowhere and a special file included (which
    `Path.is_file` would call absent, so that a reader skipped it without a word)."""
    return os.path.lexists(path)


def read_bytes(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of a regular file inside `root` (see `checked`), read only when at most `limit`
    bytes; an InputError naming the file and the limit otherwise. At most `limit + 1` bytes are
    ever read, whatever the file claims."""
    checked(path, root)
    # opened without waiting (a FIFO put in its place since the check opens at once) and checked again as opened
    with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
        status = os.fstat(fh.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise InputError.single(path, say("safety.special"), expected=say("safety.regular_file"))
        size = status.st_size
        raw = fh.read(limit + 1) if size <= limit else b""
    if size > limit or len(raw) > limit:
        shown = max(size, len(raw))
        raise InputError.single(path, say("safety.too_large"), found=say("yaml.bytes", count=grouped(shown)),
                                expected=say("yaml.at_most_bytes", count=grouped(limit)))
    return raw
