"""What the report notebooks call in their first cell: the report object, built from the
stored assessment when the runner hands one over, or from the client folder when the
notebook is run on its own (by papermill's own command line, or opened in JupyterLab).

Empty parameters mean the bundled example client and its latest quarter.
"""

from __future__ import annotations

import json
from pathlib import Path

from smarketing_assess.config.client import load_client
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import notebook_target, periods
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.core.storage import write_text_atomic
from smarketing_assess.model.assessment import Assessment, to_json
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.progress import ProgressReport
from smarketing_assess.running import store
from smarketing_assess.running.pipeline import assess


def baseline_report(client_dir: str | Path = "", period: str = "", assessment: str | Path = "",
                    reports_dir: str | Path = "", language: str = "", output_dir: str | Path = "") -> BaselineReport:
    """The baseline report of one quarter.

    `assessment`: the quarter's assessment.json (empty: the quarter is assessed from the client
    folder now, and written into `output_dir` when one is given). `reports_dir`: where earlier
    quarters' reports are, for the "since last quarter" section (empty, or a quarter without a
    current stored assessment: that quarter is assessed from its inputs, and the section says so).
    """
    folder, quarter = notebook_target(client_dir, period)
    if assessment:
        current: Assessment = store.read_stored(Path(assessment))[0]
    else:
        current = assess(folder, quarter)
        if output_dir:
            write_text_atomic(Path(output_dir) / store.ASSESSMENT, to_json(current))
    earlier = [p for p in periods(folder) if p < quarter]
    if not earlier:
        return BaselineReport(current, language or None)
    try:
        before = store.quarter(folder, earlier[-1], Path(reports_dir) if reports_dir else None, current.client.slug)
    except InputError as exc:
        return BaselineReport(current, language or None, previous_error=(str(earlier[-1]), exc.summary))
    return BaselineReport(current, language or None, previous=before.assessment, previous_origin=before.origin)


def progress_report(client_dir: str | Path = "", reports_dir: str | Path = "", language: str = "",
                    quarters: str | Path = "") -> ProgressReport:
    """The progress report over every quarter of a client.

    `quarters`: a list of the quarters' assessment files and where each came from, as
    `run_progress` writes it after computing what was missing. Without it: the stored
    assessments under `reports_dir` where current, the other quarters assessed from the client
    folder now (the report names them)."""
    if quarters:
        listed = json.loads(Path(quarters).read_text(encoding="utf-8"))
        history = [store.Quarter(store.read_stored(Path(q["assessment"]))[0], q["origin"], Path(q["assessment"]))
                   for q in listed]
        return ProgressReport(history, language or None)
    folder = Path(client_dir) if client_dir else examples_dir() / "brightline-sensors"
    client = load_client(folder / "client.yaml")
    history = store.client_history(folder, Path(reports_dir) if reports_dir else None, client.client_slug)
    return ProgressReport(history, language or None)
