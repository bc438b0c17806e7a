"""Reading the upload form: text fields to `AnalysisOptions` keywords and checklist answers.

Every field arrives as text; each bad value gives one clear sentence naming
the field, so the page can show it beside the form.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..errors import InvalidOptionError
from ..pipeline import AnalysisOptions, speed_to_ms
from ..report import RunnerInputs

VIEW_CHOICES = (("auto", "Detect automatically"), ("side", "Side (either direction)"),
                ("side-left", "Side, running to the left"),
                ("side-right", "Side, running to the right"))
SPEED_UNITS = (("kmh", "km/h"), ("mph", "mph"))
MAX_LABEL_CHARS = 80


@dataclass(frozen=True)
class UploadForm:
    """The parsed upload form."""

    options: dict
    checklist: dict
    label: str


def _number(text: str | None, field: str, *, low: float, high: float) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidOptionError(f"{field}: expected a number, got {text!r}") from None
    if not (math.isfinite(value) and low <= value <= high):
        raise InvalidOptionError(f"{field}: {value:g} is outside {low:g}-{high:g}")
    return value


def parse_upload_form(fields: dict[str, str | None]) -> UploadForm:
    """Turn the upload form's text fields into analysis options and checklist answers.

    Parameters
    ----------
    fields : dict
        ``belt_speed``, ``speed_unit``, ``height_cm``, ``capture_fps``,
        ``view``, ``label`` and the checklist answers ``weekly_distance_km``,
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
    speed = _number(fields.get("belt_speed"), "Belt speed", low=1, high=43)
    height_cm = _number(fields.get("height_cm"), "Height", low=80, high=250)
    capture_fps = _number(fields.get("capture_fps"), "Capture frame rate", low=1, high=2000)
    view = fields.get("view") or "auto"
    if view not in dict(VIEW_CHOICES):
        raise InvalidOptionError(f"view must be one of {', '.join(dict(VIEW_CHOICES))}; "
                                 f"got {view!r}")
    options = AnalysisOptions(
        belt_speed_ms=speed_to_ms(speed, unit) if speed is not None else None,
        height_m=height_cm / 100 if height_cm is not None else None,
        capture_fps=capture_fps, view=view)
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
                 "capture_fps": options.capture_fps, "view": options.view},
        checklist=checklist, label=label)
