"""A client folder that reaches outside itself, special files, and names no report can hold.

A client folder may arrive from the client (an unpacked archive, a shared drive): a link in it
must not make a report carry the consultant's own files, a FIFO or a device must not hang a
command, and a control character must be refused where it is read, not in the workbook writer.
"""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.config.brand import LOGO_PIXELS, load_brand
from smarketing_assess.config.client import load_client
from smarketing_assess.config.commentary import COMMENTARY_LIMIT, read_commentary
from smarketing_assess.core.confined import checked, client_root
from smarketing_assess.core.errors import InputError
from smarketing_assess.reading import collected
from smarketing_assess.reading.inputs import read_channels
from smarketing_assess.running.plans import read_client_plan
from smarketing_assess.ui.cli import main

SECRET = "smarketing-secret-4b1d"  # a value of the consultant's own, in a file outside the client folder


@pytest.fixture
def alarm() -> Iterator[None]:
    """A read that would wait forever (a FIFO, /dev/zero) fails the test after 20 s instead of hanging it."""
    def hung(*_: object) -> None:
        raise TimeoutError("the reader waited on a special file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _validate(client: Path, period: str = "2026-Q2") -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(client), "--period", period])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # no traceback
    return result.exit_code, result.output


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "consultant" / "notes.md"
    secret.parent.mkdir()
    secret.write_text(f"# funnel\n{SECRET}\n", encoding="utf-8")
    return secret


def test_a_commentary_linked_outside_the_client_folder_is_refused_unread(client, tmp_path):
    (client / "2026-Q2" / "commentary.md").unlink()
    (client / "2026-Q2" / "commentary.md").symlink_to(_outside(tmp_path))
    code, output = _validate(client)
    assert code == 1
    assert "2026-Q2/commentary.md: a link that leads outside its folder" in output
    assert SECRET not in output
    ran = CliRunner().invoke(main, ["run", str(client), "--period", "2026-Q2", "--reports", str(tmp_path / "r"),
                                    "--quiet"])
    assert ran.exit_code == 1 and SECRET not in ran.output and not (tmp_path / "r").exists()


def test_a_commentary_linked_to_a_system_file_is_refused_by_name(client):
    (client / "2026-Q2" / "commentary.md").unlink()
    (client / "2026-Q2" / "commentary.md").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="leads outside its folder") as info:
        read_commentary(client / "2026-Q2" / "commentary.md")
    assert "root:" not in str(info.value)  # the first line of that file: the superuser, "root:x:0:0:..."


def test_a_link_inside_the_client_folder_is_read(client):
    # a link is refused for where it leads, not for being a link: one to a file of the client folder is read
    (client / "notes").mkdir()
    (client / "2026-Q2" / "commentary.md").rename(client / "notes" / "q2.md")
    (client / "2026-Q2" / "commentary.md").symlink_to(client / "notes" / "q2.md")
    assert read_commentary(client / "2026-Q2" / "commentary.md") is not None
    assert client_root(client / "2026-Q2" / "commentary.md") == client


def test_answers_linked_to_the_environment_quote_none_of_it(client, monkeypatch):
    monkeypatch.setenv("SMARKETING_PROBE", SECRET)
    (client / "2026-Q2" / "responses.csv").unlink()
    (client / "2026-Q2" / "responses.csv").symlink_to("/proc/self/environ")
    code, output = _validate(client)
    assert code == 1 and "2026-Q2/responses.csv: a link that leads outside its folder" in output
    assert SECRET not in output and "SMARKETING_PROBE" not in output


@pytest.mark.parametrize("name", ["responses.csv", "funnel.csv", "commentary.md"])
@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-zero"])
def test_an_input_that_is_no_regular_file_is_refused_never_waited_on(client, alarm, name, kind):
    path = client / "2026-Q2" / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        message = "not a regular file (a pipe, a device or a socket)"
    elif kind == "folder":
        path.mkdir()
        message = "a folder where a file was expected"
    else:
        path.symlink_to("/dev/zero")
        message = "a link that leads outside its folder"
    code, output = _validate(client)
    # before: the FIFO, the folder and /dev/zero were taken for no file at all, and validate said all was valid
    assert code == 1 and f"2026-Q2/{name}: {message}" in output, output


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside"])
def test_a_plan_that_is_no_file_of_the_client_is_refused_never_waited_on(client, tmp_path, alarm, kind):
    plan = client / "plan.yaml"
    plan.unlink()
    if kind == "fifo":
        os.mkfifo(plan)
    else:
        plan.symlink_to("/dev/zero" if kind == "dev-zero" else _outside(tmp_path))
    with pytest.raises(InputError, match=r"not a regular file|leads outside its folder"):
        read_client_plan(client)


def test_a_stored_response_linked_outside_is_refused(client, tmp_path):
    folder = collected.folder_of(client / "2026-Q2")
    folder.mkdir()
    (folder / "web-0123456789abcdef.json").symlink_to(_outside(tmp_path))
    with pytest.raises(InputError, match="leads outside its folder") as info:
        collected.load(folder / "web-0123456789abcdef.json")
    assert SECRET not in str(info.value)  # before: the JSON error quoted the file's first characters


def test_the_brand_and_its_logo_stay_inside_the_folder_client_yaml_names(client, tmp_path):
    brand = client / "consultancy" / "brand.yaml"
    load_brand(brand)  # as shipped: read
    # a logo that is a link to another folder (even of the client) leaves the brand's folder
    (client / "consultancy" / "logo.png").rename(client / "logo.png")
    (client / "consultancy" / "logo.png").symlink_to(client / "logo.png")
    with pytest.raises(InputError, match="leads outside its folder"):
        load_brand(brand)
    # the brand file itself a link out of the folder client.yaml names for it
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    brand.rename(outside / "brand.yaml")
    brand.symlink_to(outside / "brand.yaml")
    code, output = _validate(client)
    assert code == 1 and "consultancy/brand.yaml: a link that leads outside its folder" in output


def test_checked_passes_a_missing_file_to_its_reader(tmp_path):
    assert checked(tmp_path / "absent.csv") == tmp_path / "absent.csv"


def test_a_commentary_over_the_limit_is_refused_before_it_is_read(client):
    path = client / "2026-Q2" / "commentary.md"
    path.write_bytes(b"x" * (COMMENTARY_LIMIT + 1))  # 1,048,577 bytes: one over 1 MiB
    with pytest.raises(InputError, match="too large") as info:
        read_commentary(path)
    problem = info.value.problems[0]
    assert problem.found == "1,048,577 bytes" and problem.expected == "at most 1,048,576 bytes"
    path.write_bytes(b"x" * COMMENTARY_LIMIT)  # at the limit: read
    assert read_commentary(path) is not None


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")  # one bit a pixel, and blank: a few KB however large
    return out.getvalue()


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (5_000, 4_000)])
def test_a_logo_of_too_many_pixels_is_an_input_error_naming_the_limit(client, width, height):
    # 20,000 x 20,000 = 400 M pixels, past Pillow's own guard (a traceback before); 5,000 x 4,000 = 20 M,
    # past the logo's 16 M (accepted before, decoded to tens of MB in every report)
    logo = client / "consultancy" / "logo.png"
    logo.write_bytes(_png(width, height))
    assert logo.stat().st_size < 1024 * 1024
    with pytest.raises(InputError, match="too many pixels") as info:
        load_brand(client / "consultancy" / "brand.yaml")
    problem = info.value.problems[0]
    assert problem.file.endswith("logo.png")
    assert problem.found == f"{width:,} × {height:,} pixels"
    assert problem.expected == f"at most {LOGO_PIXELS:,} pixels (width × height)" == \
        "at most 16,000,000 pixels (width × height)"


def test_a_logo_at_the_pixel_limit_is_read(client):
    (client / "consultancy" / "logo.png").write_bytes(_png(4_000, 4_000))  # 16,000,000 pixels: the limit
    assert load_brand(client / "consultancy" / "brand.yaml").logo is not None


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_in_a_channel_name_is_refused_with_its_row(client, character):
    path = client / "2026-Q2" / "channels.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "Web" + character + "inar" + lines[2][lines[2].index(";"):]  # the second channel, row 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_channels(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.found) == (3, "channel", "Web" + character + "inar")
    assert "control character" in problem.message and problem.expected == "text without control characters"
    code, output = _validate(client)
    assert code == 1 and "row 3, column 'channel': holds a control character" in output


@pytest.mark.parametrize("escape", ["\\0", "\\v", "\\e"])
def test_a_control_character_in_the_client_name_is_refused(client, escape):
    path = client / "client.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Brightline Sensors",
                                                             f'name: "Brightline{escape}Sensors"'), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_client(path)
    problem = info.value.problems[0]
    assert problem.message.startswith("field 'name': holds a control character")
    assert problem.expected == "text without control characters"
    code, output = _validate(client)
    assert code == 1 and output.count("holds a control character") == 1  # client.yaml's problem listed once


def test_a_control_character_in_a_plan_owner_is_refused_with_its_line(client):
    path = client / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), start=1) if "person: Inês Babineaux" in ln)
    path.write_text(text.replace("person: Inês Babineaux", 'person: "Inês\\0Babineaux"'), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_client_plan(client)
    problem = info.value.problems[0]
    assert problem.row == line and "holds a control character" in problem.message
    assert problem.expected == "text without control characters"


def test_a_300_character_slug_is_refused_by_validate_with_the_limit(client):
    path = client / "client.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "slug: " + "a" * 300 + "\n", encoding="utf-8")
    code, output = _validate(client, "2026-Q1")
    assert code == 1 and "field 'slug': must have at most 60 characters" in output
    path.write_text(path.read_text(encoding="utf-8").replace("a" * 300, "a" * 60), encoding="utf-8")
    assert load_client(path).client_slug == "a" * 60


def test_validate_lists_a_client_yaml_problem_once(client):
    path = client / "client.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("currency: EUR", "currency: EURO"), encoding="utf-8")
    code, output = _validate(client)
    # before: twice, as "client.yaml" and as ".../client/client.yaml"
    assert code == 1 and output.count("must be a three-letter ISO 4217 code") == 1
    assert "1 problem above" in output


@pytest.mark.parametrize("kind", ["missing", "fifo", "outside"])
def test_a_client_folder_without_a_readable_client_yaml_is_invalid_input(client, tmp_path, alarm, kind):
    path = client / "client.yaml"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "outside":
        path.symlink_to(_outside(tmp_path))
    code, output = _validate(client)
    assert code == 1, output  # invalid input, as documented; before: 2, a usage error
    assert "client.yaml" in output and SECRET not in output


def test_a_folder_that_is_no_client_is_still_a_usage_error(tmp_path):
    (tmp_path / "photos").mkdir()
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "photos")])
    assert result.exit_code == 2 and "is not a client folder" in result.output
