"""The installed package finds its templates and example without the source checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_templates_and_example_and_finds_them(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    for required in ("templates/questionnaire.yaml", "templates/goals.yaml", "templates/benchmarks.yaml",
                     "templates/texts.yaml", "examples/brightline-sensors/client.yaml",
                     "notebooks/baseline_report.ipynb", "templates/report/smarketing/index.html.j2",
                     "templates/report/smarketing/report.css", "templates/report/sections/summary.html.j2"):
        assert f"smarketing_assess/{required}" in names
    code = ("from smarketing_assess.core.resources import templates_dir, examples_dir;"
            "from smarketing_assess.config.questionnaire import load_question_bank;"
            "print(templates_dir()); print(examples_dir()); print(len(load_question_bank().questions))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == str(site / "smarketing_assess" / "templates")
    assert out[1] == str(site / "smarketing_assess" / "examples")
    assert int(out[2]) > 0
