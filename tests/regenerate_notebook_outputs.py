"""Regenerate the stored outputs that nbval checks, on purpose (never run by the tests).

    python tests/regenerate_notebook_outputs.py

Executes each notebook with its default parameters, keeps the outputs of the cells
marked `# NBVAL_CHECK_OUTPUT` (the stable ones), and clears the rest, so the committed
notebooks stay small and their checked outputs are exactly what the code produces now.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def regenerate(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if "NBVAL_CHECK_OUTPUT" not in cell.source:
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)  # the widgets' live state: not an output to check
    nbformat.write(nb, path)
    print(f"regenerated {path}")


if __name__ == "__main__":
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        regenerate(notebook)
