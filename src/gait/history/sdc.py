"""Smallest detectable change (SDC) of a metric between two sessions.

A difference between two sessions is called a *real change* only when it is
larger than what measuring the same runner twice would produce by chance.
gait computes that threshold for each pair of clips from what the two
results themselves carry:

1. **Per-session standard error** of a metric's headline value (the median
   over the analysed steps)::

       SE = sqrt( (1.253 · SD_steps / sqrt(n))²  +  expected_error² )

   - ``SD_steps`` is the step-to-step spread, estimated robustly as
     IQR / 1.349 from the result's summary (``q1``, ``q3``); it holds the
     runner's own stride-to-stride variability *and* the random part of the
     measurement (frame quantisation, landmark jitter). 1.253 · SD / sqrt(n)
     is the standard error of a median of ``n`` roughly normal values.
   - Cadence is a whole-clip estimate with no per-step IQR in the summary;
     its spread is taken from the per-*stride* cadences
     ``120000 / stride_time_ms`` of the step table (``n`` strides). Strides,
     not steps: in a side view the far foot's contacts can be timed a frame
     or more off, which makes single step times alternate long/short by a
     bias that is not sampling noise and cancels over a stride.
   - Step and stride length measured from the belt speed are
     ``speed × 60 / cadence``, so their relative SE is cadence's:
     ``SE = length · SE_cadence / cadence`` (with a height-based scale the
     per-step IQR is used as for other metrics).
   - ``expected_error`` is the result's own one-SD error of the headline
     value from the frame rate and tracking noise (`gait.metrics`:
     frame period / sqrt(12) and half a frame of jitter per event, landmark
     noise over the segment length for angles and lengths), already divided
     by sqrt(n), plus the parts that do not average over steps: for contact
     time, flight time and duty factor the error of the events' common
     timing, for vertical oscillation the pose model's amplitude error. The
     random part of it is also inside ``SD_steps``, so adding both counts it
     twice: deliberately, this errs towards *not* calling a change real (it
     inflates the SDC by at most sqrt(2)). Left out is the summary's
     ``pose_error``, the pose model's error in the angles and overstride at
     contact: it follows how the runner is filmed (facing, framing), so
     sessions filmed alike share it, and the published between-session
     floors below cover camera re-positioning.

2. **SDC at 95 % confidence** of a difference of two independent sessions::

       SDC95 = 1.96 · sqrt(SE_A² + SE_B²)

   so frame rate (through ``expected_error`` and the per-step spread) and
   step count (through sqrt(n)) of *both* clips enter, as they should.

3. **Published floor for 2D joint angles.** Two clips cannot see
   between-day sources of difference (camera re-positioning, marker-free
   landmark placement, day-to-day biological variation). For the angles
   with a published between-session smallest detectable difference from 2D
   video (Dingenen et al. 2018, Phys Ther Sport 33:40-47, running-science
   §4.4: knee flexion 2.3-3.8°, tibia (shin) inclination 2.2-4.8°, foot
   inclination 1.3-2.3°) the SDC is at least the *lower* end of that range
   (`PUBLISHED_SDD_FLOOR`). Metrics without a published figure get the
   statistical SDC only, and the report says which floor, if any, applied.

4. **Initial-contact timing floor for overstride.** Overstride is read at
   the instant of initial contact, which video finds to about ±1 frame
   (running-science §6.3, Fellin 2010), a shift that can differ between
   sessions and that no within-clip spread reveals. The foot then moves with
   the belt, so the SDC of overstride is at least belt speed × the longer
   frame period of the two clips (9 cm at 10 km/h and 30 fps, 2.3 cm at
   120 fps; `ic_timing_floor_cm`).

Left/right asymmetry (symmetry index, SI = (L − R) / mean × 100 %) uses the
per-side summaries: ``SE_SI = 100 · sqrt(SE_L² + SE_R²) / mean(L, R)`` with
each side's SE as in step 1, then step 2.

What this SDC is not: it is not a test-retest MDC from a reliability study
of gait itself (none exists yet); for cadence and step length it reflects
within-clip variability and frame timing only, so day-to-day variation in
how a runner runs is not in it. A change that exceeds it is measurable; a
clinician still judges whether it matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Two-sided 95 % normal quantile.
Z_95 = 1.96
#: IQR of a normal distribution in standard deviations.
IQR_PER_SD = 1.349
#: Standard error of a median of n normal values is this × SD / sqrt(n).
MEDIAN_SE_FACTOR = 1.253

#: Lower end of the published between-session SDD of 2D video angles, in degrees,
#: and its source key in `gait.evidence.SOURCES` (running-science.md §4.4).
PUBLISHED_SDD_FLOOR: dict[str, tuple[float, str]] = {
    "knee_flexion_ic_deg": (2.3, "dingenen2018"),
    "shin_angle_deg": (2.2, "dingenen2018"),
    "foot_strike_angle_deg": (1.3, "dingenen2018"),
}


@dataclass(frozen=True)
class Estimate:
    """One session's value of a metric with its standard error.

    Attributes
    ----------
    value : float
        Headline value (NaN when not measured).
    se : float
        Standard error of `value`, same unit (see the module notes).
    n : int
        Steps (or strides) it rests on.
    unit : str
    approximate : bool
        The result marks the value approximate (e.g. contact time < 120 fps).
    """

    value: float
    se: float
    n: int
    unit: str
    approximate: bool = False

    @property
    def measured(self) -> bool:
        """True when both the value and its SE are finite."""
        return math.isfinite(self.value) and math.isfinite(self.se) and self.n > 0


def _float(value) -> float:
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _median_se(sd: float, n: int, summary: dict) -> float:
    """SE of a summary's median: sampling and its expected error less the pose model's part."""
    sampling = MEDIAN_SE_FACTOR * sd / math.sqrt(n) if n > 0 else float("nan")
    ee, pose = _float(summary.get("expected_error")), _float(summary.get("pose_error"))
    ee = ee if math.isfinite(ee) else 0.0
    pose = pose if math.isfinite(pose) else 0.0
    return float(math.hypot(sampling, math.sqrt(max(ee ** 2 - pose ** 2, 0.0))))


def _stride_cadence_sd_spm(result: dict) -> tuple[float, int]:
    """Robust SD of per-stride cadence 120000 / stride_time_ms and the number of strides."""
    stride_ms = np.array([_float(s.get("stride_time_ms")) for s in result.get("steps") or []])
    stride_ms = stride_ms[np.isfinite(stride_ms) & (stride_ms > 0)]
    if stride_ms.size < 2:
        return float("nan"), int(stride_ms.size)
    q1, q3 = np.percentile(120000.0 / stride_ms, [25, 75])
    return float((q3 - q1) / IQR_PER_SD), int(stride_ms.size)


def _length_from_belt_speed(result: dict) -> bool:
    return bool((result.get("options") or {}).get("belt_speed_ms"))


def metric_estimate(result: dict, metric: str) -> Estimate:
    """A metric's headline value and standard error in one result.

    Parameters
    ----------
    result : dict
        A ``results.json`` dict (``GaitResult.to_dict()``).
    metric : str
        A key of ``result["summary"]``, e.g. ``"cadence_spm"``.

    Returns
    -------
    Estimate
        NaN value and SE when the metric is absent or not measured.
    """
    s = (result.get("summary") or {}).get(metric) or {}
    value, n = _float(s.get("value")), int(s.get("n") or 0)
    unit, approximate = str(s.get("unit") or ""), bool(s.get("approximate"))
    if metric in ("step_length_m", "stride_length_m") and _length_from_belt_speed(result):
        cadence = metric_estimate(result, "cadence_spm")
        return Estimate(value, abs(value) * cadence.se / cadence.value, cadence.n, unit,
                        approximate)
    if metric == "cadence_spm":
        sd, n_strides = _stride_cadence_sd_spm(result)
        n = n_strides or n
    else:
        sd = (_float(s.get("q3")) - _float(s.get("q1"))) / IQR_PER_SD
    se = _median_se(sd, n, s)
    return Estimate(value, se, n, unit, approximate)


def asymmetry_estimate(result: dict, metric: str) -> Estimate:
    """Signed symmetry index of a bilateral metric, in %, with its standard error.

    Parameters
    ----------
    result : dict
        A ``results.json`` dict.
    metric : str
        A key of ``result["asymmetry"]``, e.g. ``"step_time_ms"``.

    Returns
    -------
    Estimate
        ``value`` = (L − R) / mean × 100 (positive: left larger), ``se`` from
        the per-side summaries (module notes), ``n`` = steps of both sides.
    """
    a = (result.get("asymmetry") or {}).get(metric) or {}
    sides = [((result.get("per_side") or {}).get(side) or {}).get(metric) or {}
             for side in ("left", "right")]
    se_sides = []
    for s in sides:
        sd = (_float(s.get("q3")) - _float(s.get("q1"))) / IQR_PER_SD
        se_sides.append(_median_se(sd, int(s.get("n") or 0), s))
    mean = 0.5 * (_float(a.get("left")) + _float(a.get("right")))
    se = 100.0 * math.hypot(*se_sides) / abs(mean) if mean else float("nan")
    n = int(a.get("n_left") or 0) + int(a.get("n_right") or 0)
    return Estimate(_float(a.get("symmetry_index_pct")), float(se), n, "%",
                    bool(a.get("approximate")))


def ic_timing_floor_cm(before: dict, after: dict) -> float:
    """Overstride SDC floor: belt speed × the longer frame period of two results, in cm.

    Returns
    -------
    float
        0 when a belt speed or frame rate is missing (no floor can be given).
    """
    speeds = [_float((r.get("options") or {}).get("belt_speed_ms")) for r in (before, after)]
    fps = [_float((r.get("pose") or {}).get("fps")) for r in (before, after)]
    if not all(math.isfinite(v) and v > 0 for v in speeds + fps):
        return 0.0
    return 100.0 * max(speeds) / min(fps)


def smallest_detectable_change(before: Estimate, after: Estimate, *,
                               floor: float = 0.0) -> float:
    """SDC95 = max(1.96 · sqrt(SE_before² + SE_after²), floor), in the metric's unit.

    Parameters
    ----------
    before, after : Estimate
    floor : float
        Published between-session SDD to respect (see `PUBLISHED_SDD_FLOOR`).

    Returns
    -------
    float
        NaN when either session lacks the metric.
    """
    if not (before.measured and after.measured):
        return float("nan")
    return max(Z_95 * math.hypot(before.se, after.se), floor)


def is_real_change(change: float, sdc: float) -> bool:
    """True when ``|change|`` exceeds a finite SDC (strictly)."""
    return math.isfinite(change) and math.isfinite(sdc) and abs(change) > sdc
