"""`GaitResult`: everything a report needs, as schema-versioned JSON and CSV."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

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
        """Write the per-step table as CSV (empty cells where not measured)."""
        path = Path(path)
        with replacing(path) as tmp, tmp.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(STEP_COLUMNS)
            for row in _clean(self.steps):
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in STEP_COLUMNS])
        return path

    @classmethod
    def load_json(cls, path: str | Path) -> "GaitResult":
        """Read a ``results.json`` written by `save_json`."""
        data = json.loads(Path(path).read_text())
        if data.get("schema") != RESULT_SCHEMA:
            raise ValueError(f"{path}: result schema {data.get('schema')!r} is not "
                             f"{RESULT_SCHEMA!r}")
        return cls(**data)
