"""`compare_results`: metric-by-metric change between two sessions, called real only above the SDC.

Rules (each row of the comparison says which one decided it):

- A change is *real* only when its size exceeds the smallest detectable
  change of that metric for those two clips (`gait.history.sdc`).
- Cadence, step length, contact time, flight time and duty factor change
  with running speed, so they are only compared at the same belt speed
  (both known, within `SAME_SPEED_REL_TOL`); otherwise the change is shown
  but never called real, and the comparison states the mismatch first
  (Petersen et al. 2015: cadence conditions must be compared at the same
  speed).
- Contact time, flight time and duty factor come from event timing, which
  below 120 fps is approximate (heel strike mistimed by about 30 ms at
  30 Hz, by an amount that changes with the runner's kinematics); changes in
  them are only called real when both clips are at 120 fps or more.
- Timing-based left/right asymmetry below 120 fps is not a finding in a
  single result (`gait.metrics.Asymmetry.detectable`), so a change in it is
  not one either.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..metrics import TIMING_MIN_FPS
from ..units import KMH_PER_MS
from .sdc import (PUBLISHED_SDD_FLOOR, Estimate, asymmetry_estimate, ic_timing_floor_cm,
                  is_real_change, metric_estimate, smallest_detectable_change)

#: Belt speeds within this relative difference count as the same speed.
SAME_SPEED_REL_TOL = 0.005
#: Frame rates within this relative difference count as the same.
SAME_FPS_REL_TOL = 0.02

#: Metrics that change with running speed: compared only at the same belt speed.
SPEED_BOUND = ("cadence_spm", "step_length_m", "contact_time_ms", "flight_time_ms",
               "duty_factor_pct")
#: Metrics timed from gait events (frame-rate dependent bias below 120 fps).
TIMING = ("contact_time_ms", "flight_time_ms", "duty_factor_pct")

#: (key, label, decimals) of each summary metric compared, in table order.
SUMMARY_ROWS = (
    ("cadence_spm", "Cadence", 1),
    ("step_length_m", "Step length", 3),
    ("contact_time_ms", "Contact time", 0),
    ("flight_time_ms", "Flight time", 0),
    ("duty_factor_pct", "Duty factor", 1),
    ("overstride_cm", "Overstride (heel ahead of hip)", 1),
    ("shin_angle_deg", "Shin angle at contact", 1),
    ("knee_flexion_ic_deg", "Knee flexion at contact", 1),
    ("foot_strike_angle_deg", "Foot angle at contact", 1),
    ("trunk_lean_deg", "Trunk lean", 1),
    ("vertical_oscillation_cm", "Vertical oscillation", 1),
)
#: (key, label) of each bilateral metric whose symmetry index is compared.
ASYMMETRY_ROWS = (
    ("step_time_ms", "Step-time asymmetry"),
    ("contact_time_ms", "Contact-time asymmetry"),
)

#: `MetricChange.sdc_floor_source` when the initial-contact timing floor set the SDC.
IC_TIMING_FLOOR = "ic_timing"

REAL = "real change"
WITHIN = "within SDC"
NOT_COMPARED = "not compared"


@dataclass(frozen=True)
class MetricChange:
    """One metric's change between two sessions.

    Attributes
    ----------
    key : str
        Summary key, or ``"asymmetry.<metric>"`` for a symmetry index.
    label, unit : str
    decimals : int
        Decimals to print values with.
    before, after, change : float
        Values and ``after − before`` (NaN when not measured).
    change_pct : float
        ``100 · change / |before|`` (NaN for symmetry indices and angles near 0).
    sdc : float
        Smallest detectable change, same unit (NaN when not computable).
    sdc_floor_source : str or None
        What set the SDC when a floor did: an evidence key of
        `PUBLISHED_SDD_FLOOR`, or `IC_TIMING_FLOOR`.
    status : str
        `REAL`, `WITHIN` or `NOT_COMPARED`.
    reason : str
        Why not compared, or a caveat ("" when none).
    approximate : bool
        Either session marks the metric approximate.
    """

    key: str
    label: str
    unit: str
    decimals: int
    before: float
    after: float
    change: float
    change_pct: float
    sdc: float
    sdc_floor_source: str | None
    status: str
    reason: str
    approximate: bool

    def to_dict(self) -> dict:
        """JSON-ready dict (NaN becomes None)."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in asdict(self).items()}


@dataclass(frozen=True)
class SessionFacts:
    """What the comparison needs to say about each session.

    Attributes
    ----------
    name : str
        How the session is called in the report ("#3 before retraining, 2026-03-01").
    belt_speed_kmh : float or None
    fps : float
        Analysed frame rate (real time) in Hz.
    n_steps : int
    view : str
    source : str
        Video file name.
    """

    name: str
    belt_speed_kmh: float | None
    fps: float
    n_steps: int
    view: str
    source: str


@dataclass(frozen=True)
class Comparison:
    """Before/after comparison of two results.

    Attributes
    ----------
    before, after : SessionFacts
    same_speed : bool
        Both belt speeds known and equal (within `SAME_SPEED_REL_TOL`).
    speed_note : str
        Prominent statement of a speed mismatch ("" when the speeds match).
    rows : tuple of MetricChange
    notes : tuple of str
        Other caveats (frame rates, camera side).
    """

    before: SessionFacts
    after: SessionFacts
    same_speed: bool
    speed_note: str
    rows: tuple[MetricChange, ...]
    notes: tuple[str, ...]

    def row(self, key: str) -> MetricChange:
        """The row of one metric key."""
        return next(r for r in self.rows if r.key == key)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"before": asdict(self.before), "after": asdict(self.after),
                "same_speed": self.same_speed, "speed_note": self.speed_note,
                "rows": [r.to_dict() for r in self.rows], "notes": list(self.notes)}


def session_facts(result: dict, *, name: str | None = None) -> SessionFacts:
    """`SessionFacts` of one ``results.json`` dict."""
    speed = (result.get("options") or {}).get("belt_speed_ms")
    return SessionFacts(
        name=name or (result.get("video") or {}).get("file") or result.get("source") or "clip",
        belt_speed_kmh=float(speed) * KMH_PER_MS if speed else None,
        fps=float((result.get("pose") or {}).get("fps") or float("nan")),
        n_steps=len(result.get("steps") or []),
        view=str((result.get("view") or {}).get("view") or "unknown"),
        source=str((result.get("video") or {}).get("file") or result.get("source") or ""))


def _speed_check(before: SessionFacts, after: SessionFacts) -> tuple[bool, str]:
    a, b = before.belt_speed_kmh, after.belt_speed_kmh
    if a is None or b is None:
        missing = " and ".join(f.name for f, v in ((before, a), (after, b)) if v is None)
        return False, (f"Belt speed not given for {missing}: cadence, step length and contact "
                       "timing are compared only at a known, equal belt speed, so no change in "
                       "them is called real. Analyse again with the belt speed (--belt-speed).")
    if abs(a - b) <= SAME_SPEED_REL_TOL * 0.5 * (a + b):
        return True, ""
    return False, (f"Belt speeds differ: {a:.1f} km/h before, {b:.1f} km/h after. Cadence, "
                   "step length and contact timing change with speed, so their changes here "
                   "are not called real; compare clips filmed at the same speed.")


def _same_fps(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_FPS_REL_TOL * 0.5 * (a + b)


def _decide(before: Estimate, after: Estimate, *, floor: float,
            blockers: list[str]) -> tuple[float, float, str, str]:
    """(change, sdc, status, reason) of one metric."""
    change = after.value - before.value
    sdc = smallest_detectable_change(before, after, floor=floor)
    if not (before.measured and after.measured):
        return change, sdc, NOT_COMPARED, "not measured in both sessions"
    if blockers:
        return change, sdc, NOT_COMPARED, "; ".join(blockers)
    return change, sdc, (REAL if is_real_change(change, sdc) else WITHIN), ""


def compare_results(before: dict, after: dict, *, before_name: str | None = None,
                    after_name: str | None = None) -> Comparison:
    """Compare two results metric by metric.

    Parameters
    ----------
    before, after : dict
        ``results.json`` dicts (``GaitResult.to_dict()``); "before" is the
        reference.
    before_name, after_name : str, optional
        How to call the sessions in notes (default: the video file names).

    Returns
    -------
    Comparison
    """
    fb, fa = session_facts(before, name=before_name), session_facts(after, name=after_name)
    same_speed, speed_note = _speed_check(fb, fa)
    min_fps = min(fb.fps, fa.fps)
    fps_differ = not _same_fps(fb.fps, fa.fps)
    notes = []
    if fps_differ:
        notes.append(f"Frame rates differ ({fb.fps:.0f} vs {fa.fps:.0f} fps): the smallest "
                     "detectable change accounts for each clip's timing error.")
    if fb.view != fa.view and "unknown" not in (fb.view, fa.view):
        notes.append(f"Filmed from different sides ({fb.view} vs {fa.view}): angles measured on "
                     "the near leg come from different legs.")
    if not same_speed and speed_note.startswith("Belt speeds differ"):
        notes.append("Angles, overstride and vertical oscillation also shift with speed; read "
                     "their changes with that in mind.")

    rows = []
    for key, label, decimals in SUMMARY_ROWS:
        eb, ea = metric_estimate(before, key), metric_estimate(after, key)
        blockers = []
        if key in SPEED_BOUND and not same_speed:
            blockers.append("belt speed not the same" if speed_note.startswith("Belt speeds differ")
                            else "belt speed not given")
        if key in TIMING and min_fps < TIMING_MIN_FPS:
            blockers.append(f"contact timing below {TIMING_MIN_FPS:.0f} fps is approximate")
        floor, source = PUBLISHED_SDD_FLOOR.get(key, (0.0, None))
        if key == "overstride_cm":
            floor, source = ic_timing_floor_cm(before, after), IC_TIMING_FLOOR
        change, sdc, status, reason = _decide(eb, ea, floor=floor, blockers=blockers)
        statistical = smallest_detectable_change(eb, ea)
        floor_used = source if (source and math.isfinite(statistical) and floor > statistical) \
            else None
        pct = 100 * change / abs(eb.value) if (eb.unit not in ("deg",) and eb.value) else math.nan
        rows.append(MetricChange(key, label, eb.unit or ea.unit, decimals, eb.value, ea.value,
                                 change, pct, sdc, floor_used, status, reason,
                                 eb.approximate or ea.approximate))
    for key, label in ASYMMETRY_ROWS:
        eb, ea = asymmetry_estimate(before, key), asymmetry_estimate(after, key)
        blockers = []
        if min_fps < TIMING_MIN_FPS:
            blockers.append(f"timing asymmetry is not a finding below {TIMING_MIN_FPS:.0f} fps "
                            "(the far foot's contacts can be a frame or more off)")
        change, sdc, status, reason = _decide(eb, ea, floor=0.0, blockers=blockers)
        rows.append(MetricChange(f"asymmetry.{key}", label, "% (L−R)/mean", 1, eb.value,
                                 ea.value, change, math.nan, sdc, None, status, reason,
                                 eb.approximate or ea.approximate))
    return Comparison(fb, fa, same_speed, speed_note, tuple(rows), tuple(notes))
