"""The client profile: validation with clear errors, and safe slugs."""

from __future__ import annotations

import pytest

from smarketing_assess.config.client import load_client, slugify
from smarketing_assess.core.errors import InputError

VALID = """\
name: Acme Ltda
currency: brl
revenue_goal: 300000
average_deal_size: 12000
sales_reps: 4
"""


def test_minimal_profile_gets_documented_defaults(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text(VALID, encoding="utf-8")
    c = load_client(path)
    assert c.currency == "BRL"
    assert (c.language, c.working_days_per_month, c.followup_sla_hours, c.contact_attempts) == ("en", 21, 24, 6)
    assert c.client_slug == "acme-ltda"


def test_every_invalid_field_is_reported(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: X\ncurrency: euro\nrevenue_goal: -5\nsales_reps: 0\ncolour: blue\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_client(path)
    text = str(info.value)
    for field in ("currency", "revenue_goal", "sales_reps", "average_deal_size", "colour"):
        assert f"field '{field}'" in text
    assert "'euro'" in text  # what was found
    assert "is not a known field" in text
    assert str(path) in text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Brightline Sensors", "brightline-sensors"),
        ("São João Peças", "sao-joao-pecas"),
        ("../../etc/passwd", "etc-passwd"),
        ('<script>alert(1)</script> & "Sons"', "script-alert-1-script-sons"),
        ("!!!", "client"),
    ],
)
def test_slug_is_lower_case_ascii_letters_digits_and_hyphens(name, slug):
    assert slugify(name) == slug
