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
                     "templates/report/smarketing/report.css", "templates/report/sections/executive.html.j2"):
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


def test_a_client_from_init_to_report_with_the_wheel_alone_and_the_package_untouched(tmp_path):
    """The consultant's path without a checkout: the wheel's files only (on PYTHONPATH, ahead of
    any other copy), in a working folder of their own."""
    import hashlib
    import shutil

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    site = tmp_path / "site"
    with zipfile.ZipFile(next((tmp_path / "dist").glob("*.whl"))) as zf:
        zf.extractall(site)
    package = site / "smarketing_assess"

    def digest() -> dict[str, str]:
        return {str(p.relative_to(package)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(package.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}

    before = digest()
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def cli(*args: str, stdin: str = "") -> str:
        done = subprocess.run([sys.executable, "-m", "smarketing_assess", *args], cwd=work, env=env, input=stdin,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    cli("init", "acme", "--period", "2026-Q1", stdin="Acme\nEUR\nen\n400000\n15000\n5\n")
    for name in ("responses.csv", "funnel.csv", "channels.csv"):  # the client's files, filled in
        shutil.copy(package / "examples" / "brightline-sensors" / "2026-Q1" / name, work / "acme" / "2026-Q1" / name)
    assert "all inputs are valid" in cli("validate", "acme", "--period", "2026-Q1")
    cli("questionnaire", "export", "--format", "xlsx", "-o", "questionnaire.xlsx")
    report = cli("run", "acme", "--period", "2026-Q1", "--quiet").strip().splitlines()[-1]
    assert report == str(Path("reports") / "acme" / "2026-Q1" / "report.html") and (work / report).is_file()
    # the workshop notebooks opened on the bundled example save nothing into the package
    code = ("from smarketing_assess.ui.form import Workshop; from smarketing_assess.ui.plan_editor import PlanEditor;"
            "w = Workshop(); w.form.fields = {}; w.form.check = lambda: {'mc_frequency': 'weekly'};"
            "print(w.save()); e = PlanEditor(); print(e.save())")
    out = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["None", "None"]
    assert digest() == before
