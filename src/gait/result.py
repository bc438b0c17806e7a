"""`GaitResult`: everything a report needs, as schema-versioned JSON and CSV."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .number_text import fixed
from .output_paths import replacing

RESULT_SCHEMA = "gait.result/1"

#: Columns of the per-step CSV, in order.
STEP_COLUMNS = (
    "index", "foot", "ic_s", "to_s", "ic_idx", "to_idx", "confidence", "step_time_ms",
    "stride_time_ms", "contact_time_ms", "flight_time_ms", "duty_factor_pct", "step_length_m",
    "stride_length_m", "overstride_cm", "overstride_pct_leg", "shin_angle_deg",
    "knee_flexion_ic_deg", "peak_knee_flexion_stance_deg", "foot_strike_angle_deg",
    "vertical_oscillation_cm", "vertical_oscillation_pct_leg", "trunk_lean_deg",
)

#: Decimals of the CSV's numbers by column-name ending: 0.1 ms for event times,
#: 0.1 ms for durations, 1 mm for lengths, 0.01 for angles, percentages, cm and
#: steps/min; far below every metric's measurement error. results.json keeps
#: full precision.
CSV_DECIMALS = (("_idx", 0), ("_s", 4), ("_ms", 1), ("_m", 3), ("_cm", 2), ("_deg", 2),
                ("_pct", 2), ("_pct_leg", 2), ("_spm", 2), ("confidence", 3), ("index", 0))


def csv_decimals(column: str) -> int | None:
    """Decimals `save_steps_csv` writes for `column` (None: written as is, e.g. ``foot``)."""
    for ending, decimals in CSV_DECIMALS:
        if column.endswith(ending):
            return decimals
    return None


def _csv_cell(value, decimals: int | None) -> str:
    if value is None:
        return ""
    if decimals is None or isinstance(value, str):
        return str(value)
    return fixed(value, decimals)


def frontal_step_columns(frontal: dict) -> tuple[str, ...]:
    """CSV columns of a rear/front view's steps, in the order the analysis gives them.

    Measures listed in ``frontal["not_assessable"]`` (pelvic drop through
    MediaPipe) are left out: a spreadsheet cannot carry the reason.
    """
    keys = dict.fromkeys(k for row in frontal.get("steps", ()) for k in row)
    return tuple(k for k in keys if k not in frontal.get("not_assessable", {}))


def _write_csv(path: Path, rows: list[dict], columns: tuple[str, ...]) -> Path:
    decimals = [csv_decimals(c) for c in columns]
    with replacing(path) as tmp, tmp.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in _clean(rows):
            writer.writerow([_csv_cell(row.get(c), d) for c, d in zip(columns, decimals)])
    return path


def _clean(value):
    """JSON-safe copy: NaN/inf become None, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Path):
        return str(value)
    return value


@dataclass(frozen=True)
class GaitResult:
    """The measured result of one clip (see README "Outputs" for every field)."""

    schema: str
    gait_version: str
    created_utc: str
    source: str
    video: dict
    options: dict
    pose: dict
    cleaning: dict
    view: dict
    segment_s: list
    gait_mode: str
    events: list
    steps: list
    summary: dict
    per_side: dict
    asymmetry: dict
    scale: dict
    cadence_check: dict
    warnings: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    #: Rear/front-view findings (`gait.frontal`); empty when no such view was analysed.
    frontal: dict = field(default_factory=dict)
    #: The foot whose stances the pose model cut short (`gait.events.short_stance_foot`):
    #: its toe-offs are not measured, and contact timing comes from the other foot.
    lost_foot: str | None = None

    @property
    def stance_surface(self) -> str:
        """What a foot in stance stands on, as the report words it: "ground" when the
        person crosses the frame over still ground, else "belt" (a treadmill)."""
        return "ground" if self.view.get("crosses_frame") else "belt"

    def to_dict(self) -> dict:
        """JSON-safe dictionary."""
        return _clean(asdict(self))

    def save_json(self, path: str | Path) -> Path:
        """Write ``results.json`` atomically and return its path."""
        path = Path(path)
        with replacing(path) as tmp:
            tmp.write_text(json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n")
        return path

    def save_steps_csv(self, path: str | Path) -> Path:
        """Write the per-step table as CSV (empty cells where not measured).

        A side view has the columns `STEP_COLUMNS`; a rear or front view its
        frontal measures (`frontal_step_columns`). Numbers are rounded to the
        resolution `csv_decimals` gives per column (for spreadsheets;
        results.json keeps full precision).
        """
        frontal_view = bool(self.frontal) and self.view.get("view") in ("rear", "front")
        columns = frontal_step_columns(self.frontal) if frontal_view else STEP_COLUMNS
        return _write_csv(Path(path), self.steps, columns)

    def save_rear_steps_csv(self, path: str | Path) -> Path | None:
        """Write the rear (or front) clip's per-step table of a side + rear assessment.

        Returns None, writing nothing, when the result has no second clip.
        """
        if not self.frontal or self.view.get("view") in ("rear", "front"):
            return None
        return _write_csv(Path(path), self.frontal["steps"], frontal_step_columns(self.frontal))

    @classmethod
    def load_json(cls, path: str | Path) -> "GaitResult":
        """Read a ``results.json`` written by `save_json`."""
        data = json.loads(Path(path).read_text())
        if data.get("schema") != RESULT_SCHEMA:
            raise ValueError(f"{path}: result schema {data.get('schema')!r} is not "
                             f"{RESULT_SCHEMA!r}")
        return cls(**data)
