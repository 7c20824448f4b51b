"""Any bytes in: a result, or the toolkit's own InputError naming the file; never another exception.

Every reader of a client's files and every settings loader is fed arbitrary bytes, and text
shaped like its own format with random cells. The examples are bounded and derandomized, so the
run is the same in CI each time; `HYPOTHESIS_PROFILE=deep` runs many more.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from smarketing_assess.config.ads import client_channels, load_ads_mapping  # noqa: E402
from smarketing_assess.config.client import load_client  # noqa: E402
from smarketing_assess.config.crm_mapping import load_mapping, resolve_mapping  # noqa: E402
from smarketing_assess.config.questionnaire import load_question_bank  # noqa: E402
from smarketing_assess.core.errors import InputError  # noqa: E402
from smarketing_assess.core.period import Period  # noqa: E402
from smarketing_assess.core.spreadsheet import control_character  # noqa: E402
from smarketing_assess.reading.ads import read_ads  # noqa: E402
from smarketing_assess.reading.form_tools import read_export  # noqa: E402
from smarketing_assess.reading.inputs import read_channels, read_funnel, read_responses  # noqa: E402
from smarketing_assess.running.crm import derive_crm  # noqa: E402

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BANK = load_question_bank()
WEEKLY = load_ads_mapping(Path(__file__).parent / "fixtures" / "ads" / "weekly_leads.yaml")


def _as_client_ads_yaml(path: Path) -> Path:
    """The folder of a file renamed ads.yaml, as a client folder holds it."""
    target = path.with_name("ads.yaml")
    path.replace(target)
    return path.parent
Q1 = Period.parse("2026-Q1")
GENERIC = resolve_mapping("generic")

READERS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "responses": (".csv", lambda p: read_responses(p, BANK)),
    "responses-xlsx": (".xlsx", lambda p: read_responses(p, BANK)),
    "funnel": (".csv", lambda p: read_funnel(p, Q1)),
    "channels": (".csv", read_channels),
    "form export": (".csv", lambda p: read_export(p, BANK)),
    "client.yaml": (".yaml", load_client),
    "crm mapping": (".yaml", load_mapping),
    "crm leads": (".csv", lambda p: derive_crm(GENERIC, Q1, p)),
    "ad export": (".csv", lambda p: read_ads(p, Q1)),
    "ad export pt-BR": (".csv", lambda p: read_ads(p, Q1)),
    "mapped spend export": (".csv", lambda p: read_ads(p, Q1, mapping=WEEKLY, channel="Paid search")),
    "ads mapping": (".yaml", load_ads_mapping),
    "ads channel map": (".yaml", lambda p: client_channels(_as_client_ads_yaml(p))),
}
HEADERS = {
    "responses": ["respondent_id", "team", "mc_frequency", "ld_work", "lv_estimate", "lq_accept"],
    "funnel": ["month", "visitors", "leads", "mql", "customers", "revenue", "hours_to_first_contact"],
    "channels": ["channel", "visitors", "leads", "mql", "customers", "spend", "notes"],
    "form export": ["Timestamp", "Which team do you work in?", "Roughly how many new leads does marketing generate "
                    "per month?"],
    "crm leads": ["lead_id", "created_at", "source", "mql_at", "sql_at", "first_contact_at"],
    "ad export": ["Reporting starts", "Reporting ends", "Campaign name", "Amount spent (EUR)", "Impressions",
                  "Link clicks"],
    "ad export pt-BR": ["Nome da campanha", "Dia", "Valor usado (BRL)", "Impressões", "Cliques no link", "Leads"],
    "mapped spend export": ["Week starting", "Campaign", "Budget spent", "Leads"],
}
CELLS = st.one_of(st.text(max_size=12), st.sampled_from(["", "sales", "Marketing", "2026-01", "2026-02-30", "1,5",
                                                        "1.234,5", "-3", "1e30", "NaN", "inf", "=1+1", "9" * 40,
                                                        "2026-01-05 09:00", "weekly", "4", "101", "\x00"]))


def _check(reader: str, content: bytes) -> None:
    suffix, read = READERS[reader]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        try:
            read(path)
        except InputError as exc:
            assert exc.problems and all(str(path) in p.file or p.file == "" or Path(p.file).name
                                        for p in exc.problems)


@pytest.mark.parametrize("reader", sorted(READERS))
@given(content=st.binary(max_size=3000))
def test_any_bytes(reader, content):
    _check(reader, content)


@pytest.mark.parametrize("reader", sorted(HEADERS))
@given(data=st.data())
def test_files_shaped_like_the_format_with_random_cells(reader, data):
    header = HEADERS[reader]
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(header) - 1, max_size=len(header) + 1), max_size=8))
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))

    def line(cells: list[str]) -> str:
        return delimiter.join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',;\t"\n\r') else c
                              for c in cells)

    _check(reader, ("\n".join([line(header), *(line(r) for r in rows)]) + "\n").encode("utf-8"))


@given(data=st.data())
def test_yaml_settings_shaped_like_a_client(data):
    keys = ["name", "currency", "language", "revenue_goal", "average_deal_size", "sales_reps", "slug",
            "anonymity_threshold", "followup_sla_hours"]
    values = st.one_of(CELLS, st.integers(-10**30, 10**30).map(str), st.just("[1, 2]"), st.just("{a: 1}"),
                       st.just("*x"), st.just("&x 1"))
    text = "\n".join(f"{k}: {data.draw(values)}" for k in data.draw(st.lists(st.sampled_from(keys), max_size=9)))
    _check("client.yaml", text.encode("utf-8"))


def test_a_date_that_yaml_cannot_make_is_an_input_error(tmp_path):
    # found by the fuzzing above: YAML reads 0000-00-00 as a date and fails with ValueError
    path = tmp_path / "client.yaml"
    path.write_text("name: 0000-00-00\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_client(path)


def test_an_export_row_with_a_cell_saying_utf8_is_an_input_error(tmp_path):
    # found by the fuzzing above: Arrow's message quoted the row, whose cell read "UTF8", and the
    # reader took it for an encoding error and tried again without catching the second failure
    path = tmp_path / "leads.csv"
    path.write_text("lead_id,created_at,source,mql_at,sql_at,first_contact_at\n,,,,,,UTF8\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read as CSV"):
        derive_crm(GENERIC, Q1, path)


SHAPES = ("link outside", "link to /dev/zero", "fifo", "folder")


def _shaped(folder: Path, path: Path, shape: str) -> None:
    """`path` made a name that is no file of its folder: a link out of it, a special file, a folder."""
    if shape == "link outside":
        outside = folder.parent / f"{folder.name}-outside{path.suffix}"
        outside.write_bytes(b"secret-of-the-consultant\n")
        path.symlink_to(outside)
    elif shape == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif shape == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_name_that_is_no_file_of_the_folder_is_an_input_error_never_waited_on(reader, shape):
    import signal

    def hung(*_: object) -> None:
        raise TimeoutError(f"{reader} waited on a {shape}")

    suffix, read = READERS[reader]
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with tempfile.TemporaryDirectory() as parent:
            folder = Path(parent) / "client"
            folder.mkdir()
            path = folder / f"input{suffix}"
            _shaped(folder, path, shape)
            with pytest.raises(InputError) as info:
                read(path)
            assert "secret-of-the-consultant" not in str(info.value)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


CONTROL = st.sampled_from(["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])


@given(data=st.data())
def test_a_control_character_in_a_channel_name_is_an_input_error(data):
    name = data.draw(st.text(alphabet="abc ", max_size=4)) + data.draw(CONTROL) + data.draw(st.text("xyz", max_size=4))
    text = "channel,leads,customers,spend\n" + f'"{name}",10,1,100\n'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "channels.csv"
        path.write_text(text, encoding="utf-8")
        try:
            frame, _ = read_channels(path)
        except InputError:
            return
    # read only when the character was white space at an end of the cell, stripped like a space (`\v`, `\f`)
    assert not any(control_character(c) for c in frame["channel"])


@given(data=st.data())
def test_a_control_character_in_the_client_name_is_an_input_error(data):
    escape = {"\x00": "\\0", "\x01": "\\x01", "\x0b": "\\v", "\x0c": "\\f", "\x1b": "\\e", "\x1f": "\\x1f",
              "\x7f": "\\x7f"}[data.draw(CONTROL)]
    text = (f'name: "Acme{escape}Co"\ncurrency: EUR\nrevenue_goal: 400000\naverage_deal_size: 15000\n'
            "sales_reps: 5\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "client.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="control character"):
            load_client(path)
