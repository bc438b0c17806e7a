"""Reading the upload form: text fields to `AnalysisOptions` keywords and checklist answers.

Every field arrives as text; each bad value gives one clear sentence naming
the field, so the page can show it beside the form.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from ..errors import InvalidOptionError
from ..frame_region import parse_region
from ..pipeline import BELT_SPEED_RANGE_MS, MAX_CAPTURE_FPS, AnalysisOptions, speed_to_ms
from ..report import RunnerInputs
from ..units import KMH_PER_MS

VIEW_CHOICES = (("auto", "Detect automatically"), ("side", "Side (either direction)"),
                ("side-left", "Side, running to the left"),
                ("side-right", "Side, running to the right"))
SPEED_UNITS = (("kmh", "km/h"), ("mph", "mph"))
#: Parts of the frame a page offers for tracking the runner (``--region`` on the command
#: line takes any): value LEFT,TOP,RIGHT,BOTTOM in fractions of the frame, "" the whole frame.
REGION_CHOICES = (("", "Whole frame"), ("0,0,0.5,1", "Left half"),
                  ("0.25,0,0.75,1", "Middle half"), ("0.5,0,1,1", "Right half"),
                  ("0,0.4,1,1", "Lower 60 %"))
MAX_LABEL_CHARS = 80
#: The largest text field of the upload and re-analysis forms, in bytes (the video aside).
MAX_FIELD_BYTES = 64 * 1024


@dataclass(frozen=True)
class UploadForm:
    """The parsed upload form."""

    options: dict
    checklist: dict
    label: str


#: A plain decimal number, with a point or a comma (``10.5``, ``10,5``).
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
#: Digits grouped in thousands (``1,000``): a comma that may or may not be decimal.
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")


def _number(text: str | None, field: str, *, low: float, high: float,
            unit: str = "") -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    if _GROUPED.fullmatch(text):
        raise InvalidOptionError(f"{field}: {text!r} could be read two ways; write it without "
                                 "a thousands separator (1000), or with a point for decimals")
    if not _DECIMAL.fullmatch(text):
        raise InvalidOptionError(f"{field}: expected a number, got {text!r}")
    value = float(text.replace(",", "."))
    if not (math.isfinite(value) and low <= value <= high):
        unit = f" {unit}" if unit else ""
        raise InvalidOptionError(f"{field}: {value:g}{unit} is outside {low:g}-{high:g}{unit}")
    return value


def _belt_speed_limits(unit: str) -> tuple[float, float]:
    """The accepted belt speeds in `unit`, to 0.1 and inside the analysis's own range."""
    per_ms = 1.0 / speed_to_ms(1.0, unit)  # e.g. 3.6 km/h per m/s
    low, high = (round(v * per_ms * 10, 6) for v in BELT_SPEED_RANGE_MS)
    return math.ceil(low) / 10, math.floor(high) / 10


def parse_upload_form(fields: dict[str, str | None]) -> UploadForm:
    """Turn the upload form's text fields into analysis options and checklist answers.

    Parameters
    ----------
    fields : dict
        ``belt_speed``, ``speed_unit``, ``height_cm``, ``capture_fps``,
        ``view``, ``region`` (LEFT,TOP,RIGHT,BOTTOM fractions, see
        `REGION_CHOICES`), ``label`` and the checklist answers ``weekly_distance_km``,
        ``pain_0_10``, ``pain_settled_next_morning`` ("yes"/"no"),
        ``two_week_distance_increase_pct``, ``strength_sessions_per_week``
        (missing or empty means not given).

    Raises
    ------
    InvalidOptionError
        A value is not a number, out of range, or not a listed choice.
    """
    unit = fields.get("speed_unit") or "kmh"
    if unit not in dict(SPEED_UNITS):
        raise InvalidOptionError(f"speed unit must be km/h or mph, got {unit!r}")
    low, high = _belt_speed_limits(unit)
    speed = _number(fields.get("belt_speed"), "Belt speed", low=low, high=high,
                    unit=dict(SPEED_UNITS)[unit])
    height_cm = _number(fields.get("height_cm"), "Height", low=80, high=250, unit="cm")
    capture_fps = _number(fields.get("capture_fps"), "Capture frame rate", low=1,
                          high=MAX_CAPTURE_FPS, unit="fps")
    view = fields.get("view") or "auto"
    if view not in dict(VIEW_CHOICES):
        raise InvalidOptionError(f"view must be one of {', '.join(dict(VIEW_CHOICES))}; "
                                 f"got {view!r}")
    region_text = (fields.get("region") or "").strip()
    options = AnalysisOptions(
        belt_speed_ms=speed_to_ms(speed, unit) if speed is not None else None,
        height_m=height_cm / 100 if height_cm is not None else None,
        capture_fps=capture_fps, view=view,
        region=parse_region(region_text) if region_text else None)
    settled = fields.get("pain_settled_next_morning") or ""
    if settled not in ("", "yes", "no"):
        raise InvalidOptionError(f"pain settled by the next morning: answer yes or no, got "
                                 f"{settled!r}")
    strength = _number(fields.get("strength_sessions_per_week"), "Strength sessions a week",
                       low=0, high=21)
    if strength is not None and strength != int(strength):
        raise InvalidOptionError(f"Strength sessions a week: a whole number, got {strength:g}")
    inputs = RunnerInputs(
        weekly_distance_km=_number(fields.get("weekly_distance_km"), "Weekly distance",
                                   low=0, high=500),
        pain_0_10=_number(fields.get("pain_0_10"), "Pain", low=0, high=10),
        pain_settled_next_morning={"": None, "yes": True, "no": False}[settled],
        two_week_distance_increase_pct=_number(
            fields.get("two_week_distance_increase_pct"), "Distance increase over two weeks",
            low=-100, high=1000),
        strength_sessions_per_week=None if strength is None else int(strength))
    checklist = {k: v for k, v in asdict(inputs).items() if v is not None}
    label = " ".join((fields.get("label") or "").split())[:MAX_LABEL_CHARS]
    return UploadForm(
        options={"belt_speed_ms": options.belt_speed_ms, "height_m": options.height_m,
                 "capture_fps": options.capture_fps, "view": options.view,
                 "region": None if options.region is None else list(options.region)},
        checklist=checklist, label=label)


def region_value(region) -> str:
    """The form's text for a stored region: ``"0,0.4,1,1"``, "" for the whole frame."""
    return "" if not region else ",".join(f"{v:g}" for v in region)


def region_choices(current: str) -> tuple[tuple[str, str], ...]:
    """`REGION_CHOICES`, with `current` added when it is none of them (set on the command line)."""
    if current in dict(REGION_CHOICES):
        return REGION_CHOICES
    return (*REGION_CHOICES, (current, f"As before: {current}"))


def _decimal_text(value: float, decimals: int) -> str:
    """`value` to at most `decimals` places, without trailing zeros (``10``, ``10.5``)."""
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def form_values(parsed: UploadForm) -> dict[str, str]:
    """The form's text fields that give `parsed` again: to fill in the form for a re-analysis.

    The inverse of `parse_upload_form`: a belt speed is given in km/h (to
    0.001 km/h), a height in cm; answers not given stay empty.

    Parameters
    ----------
    parsed : UploadForm
        A job's stored options, checklist answers and label.

    Returns
    -------
    dict of str to str
        Field name to text, as `parse_upload_form` reads them.
    """
    options, checklist = parsed.options, parsed.checklist
    speed_ms, height_m = options.get("belt_speed_ms"), options.get("height_m")
    capture_fps = options.get("capture_fps")
    values = {
        "belt_speed": "" if speed_ms is None else _decimal_text(speed_ms * KMH_PER_MS, 3),
        "speed_unit": "kmh",
        "height_cm": "" if height_m is None else _decimal_text(height_m * 100, 1),
        "capture_fps": "" if capture_fps is None else _decimal_text(capture_fps, 3),
        "view": options.get("view") or "auto",
        "region": region_value(options.get("region")),
        "label": parsed.label,
        "pain_settled_next_morning": {None: "", True: "yes", False: "no"}[
            checklist.get("pain_settled_next_morning")],
    }
    for name in ("weekly_distance_km", "pain_0_10", "two_week_distance_increase_pct",
                 "strength_sessions_per_week"):
        value = checklist.get(name)
        values[name] = "" if value is None else _decimal_text(value, 3)
    return values
