"""The client profile `client.yaml`: one typed, validated object built at the boundary."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.spreadsheet import no_control
from smarketing_assess.core.yamlfile import load_yaml, settings_problems

_CURRENCY = re.compile(r"^[A-Z]{3}$")
SLUG_LIMIT = 60  # characters of a client's slug, given or derived (see `slugify`)

# at least one unit of the currency, and no more than a trillion: beyond that it is a typo
PositiveMoney = Annotated[float, Field(ge=1, le=1e12, allow_inf_nan=False)]


class ClientProfile(BaseModel):
    """Who the client is and what the SLA calculator needs to work back from the revenue goal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    # Lower-case ASCII letters, digits and hyphens; derived from the name when absent. It names the client's
    # report folders, so it is no longer than a derived one (a 300-character name is no file name).
    slug: str | None = Field(default=None, min_length=1, max_length=SLUG_LIMIT)
    language: str = "en"
    # ISO 4217 code, e.g. EUR, BRL, USD.
    currency: str
    # New-business revenue the client wants to close in the next quarter.
    revenue_goal: PositiveMoney
    # Average revenue of one won deal, in the same currency.
    average_deal_size: PositiveMoney
    sales_reps: int = Field(ge=1, le=100_000)
    working_days_per_month: float = Field(default=21, gt=0, le=31)
    # Hours within which sales commits to a first contact attempt on every handed-over lead.
    followup_sla_hours: float = Field(default=24, gt=0, le=24 * 31)
    # Contact attempts sales commits to before a lead is sent back to marketing.
    contact_attempts: int = Field(default=6, ge=1, le=50)
    # Team breakdowns with fewer respondents are withheld; None uses the question bank's rule.
    anonymity_threshold: int | None = Field(default=None, ge=1, le=1000)
    industry: str | None = Field(default=None, max_length=200)
    # The consultancy's brand settings file, relative to the client folder (see config.brand).
    brand: str | None = Field(default=None, min_length=1, max_length=300)
    # Paper of the PDF reports; unset: Letter where the currency's country prints on it, else A4.
    paper: Literal["A4", "Letter"] | None = None

    _plain_text = field_validator("name", "industry")(no_control)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        v = v.strip().upper()
        if not _CURRENCY.match(v):
            raise ValueError(say("settings.client.currency"))
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        from smarketing_assess.core.console import language_code

        return language_code(v)

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v):
            raise ValueError(say("settings.client.slug"))
        return v

    @property
    def client_slug(self) -> str:
        """The client's folder-safe name: `slug` when given, else one derived from `name`."""
        return self.slug or slugify(self.name)


# currencies of countries whose offices print on US Letter (the United States, Canada, Mexico,
# Chile, Colombia, the Philippines); everywhere else A4
LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN", "CLP", "COP", "PHP"})


def paper_of(client: ClientProfile) -> str:
    """The paper a client's PDF reports are laid out for: its setting, else its currency's."""
    return client.paper or ("Letter" if client.currency in LETTER_CURRENCIES else "A4")


def slugify(text: str) -> str:
    """A safe folder name: lower-case ASCII letters, digits and hyphens, never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_LIMIT].strip("-") or "client"


def load_client(path: Path) -> ClientProfile:
    """Read `client.yaml`; every invalid or unknown field is reported at once."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, say("settings.client.not_mapping"), found=type(data).__name__)
    return profile_of(data, path)


def profile_of(data: dict[str, Any], path: Path) -> ClientProfile:
    """A client profile from its fields, as `client.yaml` at `path` would give it: every invalid field
    at once, then a revenue goal below one average deal (a quarter's goal that one deal would meet is a
    figure misread or mistyped, such as 900.000 read as nine hundred)."""
    try:
        profile = ClientProfile.model_validate(data)
    except ValidationError as exc:
        raise InputError(settings_problems(exc, path)) from None
    if profile.revenue_goal < profile.average_deal_size:
        raise InputError.single(path, say("settings.field.frame", field="revenue_goal",
                                          message=say("settings.client.goal_below_deal")),
                                found=_amount(profile.revenue_goal, profile.currency),
                                expected=say("settings.client.goal_expected",
                                             deal=_amount(profile.average_deal_size, profile.currency)))
    return profile


def _amount(value: float, currency: str) -> str:
    """An amount with its cents and currency code, in the console language's marks (900.00 BRL,
    900,00 BRL): the settings layer formats without the reports' locale library, which the model,
    importing it, may not reach."""
    whole, cents = f"{value:,.2f}".split(".")
    group, decimal = say("settings.client.group_mark"), say("settings.client.decimal_mark")
    return f"{whole.replace(',', group)}{decimal}{cents} {currency}"
