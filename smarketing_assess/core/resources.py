"""Where the data files shipped with the package live.

In a checkout, `templates/` and `notebooks/` sit beside the package; a wheel carries
copies inside the package (see `tool.hatch.build` in pyproject.toml). Both are found.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the '{name}' folder of smarketing-assess is missing next to {_PACKAGE}")


def templates_dir() -> Path:
    return _find("templates")


def examples_dir() -> Path:
    return _find("examples")


def notebooks_dir() -> Path:
    return _find("notebooks")
