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
    """The `templates/` folder of shipped data files (question bank, texts, presets); FileNotFoundError if missing."""
    return _find("templates")


def examples_dir() -> Path:
    """The `examples/` folder of bundled example clients; FileNotFoundError if missing."""
    return _find("examples")


def notebooks_dir() -> Path:
    """The `notebooks/` folder of the shipped notebooks (reports, questionnaire); FileNotFoundError if missing."""
    return _find("notebooks")
