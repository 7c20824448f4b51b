"""The consultancy's brand: the settings file a consultant keeps once and names from each
client's `client.yaml` (`brand: ../my-consultancy/brand.yaml`), applied to the HTML report,
the PDF and the slides.

```yaml
name: Northwind Advisory            # shown as "prepared by" on the executive page and the slides
logo: logo.png                      # optional; PNG or JPEG, beside this file, at most 1 MB
accent: "#2f5d7c"                   # headings, tiles and bars (optional)
ink: "#1f2933"                      # body text (optional)
contact: "Ana Ribeiro · ana@northwind.example · +55 11 5555 0100"   # the footer's contact line
```

Colours are `#rrggbb` only, so nothing from this file can reach a stylesheet but a colour; the
name and the contact line are text, escaped wherever they are shown. The logo's bytes are read
here once: a report embeds them and never links to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from smarketing_assess.core.confined import checked, read_bytes
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.yamlfile import grouped, load_yaml, settings_problems, yaml_lines

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}  # what HTML, PDF and slides all show
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
LOGO_LIMIT = 1024 * 1024
# a logo is a few hundred pixels a side; 4,000 x 4,000 decodes to 64 MB, the most a report embeds
LOGO_PIXELS = 16_000_000
DEFAULT_ACCENT, DEFAULT_INK = "#3e6e8e", "#1f2933"


class BrandFile(BaseModel):
    """The settings file as written."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    logo: str | None = Field(default=None, max_length=300)
    accent: Colour = DEFAULT_ACCENT
    ink: Colour = DEFAULT_INK
    contact: str | None = Field(default=None, max_length=200)


class Brand(BaseModel):
    """The brand as reports apply it, the logo's bytes read."""

    model_config = ConfigDict(frozen=True)

    name: str
    accent: str = DEFAULT_ACCENT
    ink: str = DEFAULT_INK
    contact: str | None = None
    logo: bytes | None = None
    logo_type: str | None = None  # its media type: image/png or image/jpeg


def load_brand(path: Path, root: Path | None = None) -> Brand:
    """Read a brand settings file; every problem of it (and of its logo) at once. The file must resolve
    inside `root` (the folder `client.yaml` names for it; default: its own folder), and its logo inside
    the brand file's folder."""
    path = Path(path)
    checked(path, root if root is not None else path.parent)
    if not path.is_file():
        raise InputError.single(path, say("settings.brand.missing"), expected=say("settings.brand.expected"))
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, say("settings.brand.not_mapping"), found=type(data).__name__)
    try:
        settings = BrandFile.model_validate(data)
    except ValidationError as exc:
        problems = settings_problems(exc, path, yaml_lines(path), frame="settings.field.named")
        raise InputError([_colour_hint(e, p) for e, p in zip(exc.errors(), problems, strict=True)]) from None
    logo, logo_type = None, None
    if settings.logo:
        logo_path = path.parent / settings.logo
        row = yaml_lines(path).get(("logo",))
        logo_type = LOGO_TYPES.get(logo_path.suffix.lower())
        if logo_type is None:
            raise InputError.single(path, say("settings.brand.logo_type"), row=row, found=settings.logo,
                                    expected=say("settings.brand.logo_type_expected"))
        checked(logo_path, path.parent)  # beside the brand file, never a link out of its folder
        if not logo_path.is_file():
            raise InputError.single(path, say("settings.brand.logo_missing"), row=row, found=settings.logo,
                                    expected=say("settings.brand.logo_beside", file=path.name))
        if logo_path.stat().st_size > LOGO_LIMIT:
            raise InputError.single(path, say("settings.brand.logo_large"), row=row,
                                    found=say("yaml.bytes", count=grouped(logo_path.stat().st_size)),
                                    expected=say("yaml.at_most_bytes", count=grouped(LOGO_LIMIT)))
        logo = read_bytes(logo_path, LOGO_LIMIT, path.parent)
        _pixels(logo, logo_path)
        found = _image_format(logo)
        if found != PIL_FORMATS[logo_type]:
            raise InputError.single(path, say("settings.brand.logo_other"), row=row,
                                    found=found or say("settings.brand.unreadable"),
                                    expected=say("settings.brand.logo_format", format=PIL_FORMATS[logo_type]))
    return Brand(name=settings.name, accent=settings.accent.lower(), ink=settings.ink.lower(),
                 contact=settings.contact, logo=logo, logo_type=logo_type)


def _pixels(content: bytes, path: Path) -> None:
    """Refuse a logo of more than `LOGO_PIXELS` pixels before any of it is decoded: a small file can
    unpack to gigabytes (Pillow's decompression-bomb guard, said as an input error)."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width, height = _declared_size(content)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return  # no image Pillow knows: said by the format check
    if width * height > LOGO_PIXELS:
        raise InputError.single(path, say("safety.logo_pixels"),
                                found=say("safety.pixels_found", width=grouped(width), height=grouped(height)),
                                expected=say("safety.pixels_at_most", count=grouped(LOGO_PIXELS)))


def _declared_size(content: bytes) -> tuple[int, int]:
    """The size an image declares, read with Pillow's guard off (the header only: nothing is decoded)."""
    import io

    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _image_format(content: bytes) -> str | None:
    """The format Pillow reads the bytes as (PNG, JPEG, ...), None when they are no image it knows."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def _colour_hint(error: Any, problem: Problem) -> Problem:
    """A colour not written #rrggbb is said to be no colour, with the form a colour takes."""
    if error["type"] == "string_pattern_mismatch" and error["loc"] and error["loc"][0] in ("accent", "ink"):
        return Problem(problem.file, say("settings.brand.not_colour", field=error["loc"][0]), row=problem.row,
                       found=problem.found, expected=say("settings.brand.colour"))
    return problem


def brand_of(client_dir: Path, brand: str | None) -> Brand | None:
    """The brand a client's `client.yaml` names (a path relative to the client folder), if any."""
    if not brand:
        return None
    path = Path(client_dir) / brand
    return load_brand(path, path.parent)
