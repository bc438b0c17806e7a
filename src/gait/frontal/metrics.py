"""Frontal-plane metrics per step and per side from a rear or front view.

Conventions
-----------
- Each row belongs to the *stance* foot of one contact.
- Lateral coordinates are positive towards the runner's right (image right
  from behind, image left from the front).
- Contralateral pelvic drop (CPD): peak angle of the hip line during the
  step that starts at this foot's initial contact, measured from the pelvis
  line at initial contact (`gait.frontal.tilt`, which removes camera roll),
  positive when the *other* hip is lower.
- Step width: lateral distance between consecutive heel positions at
  mid-stance, right heel minus left heel (negative: the feet cross).
  Foot-to-midline: the heel's lateral distance from the mid-pelvis at
  mid-stance, positive on its own side; negative is a crossover step.
- Knee frontal-plane projection angle (FPPA): 180° minus the image angle
  hip-knee-ankle, positive when the knee lies medial to the hip-ankle line
  (valgus), peak over the first part of stance.
- Lateral trunk lean: mid-hip → mid-shoulder line from the image vertical
  (roll removed), positive towards the stance side, peak over the stance.
- Heel whip: largest lateral excursion of the heel in the 0.3 stride after
  heel rise relative to where it rose, positive medial; only where the heel
  is visible (visibility ≥ 0.5).
- Distances are in cm when the runner's height is given (pixel scale from
  the frontal leg length, thigh 0.245 + shank 0.246 of height, Winter
  2009), else in % of leg length.

References
----------
Dingenen B, Barton C, Janssen T, Benoit A, Malliaras P (2018). Test-retest
reliability of two-dimensional video assessment of frontal plane dynamic
knee valgus, hip adduction and pelvic drop... Phys Ther Sport 33:40-47.
doi:10.1016/j.ptsp.2018.06.009
Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import landmarks as lm
from ..events import GaitEvents
from ..metrics import LEG_FRACTION_OF_HEIGHT, TIMING_MIN_FPS, Asymmetry, Summary, summarise, \
    symmetry_index_pct
from ..track import PoseTrack
from .phase import PhaseStepTimes
from .tilt import TiltCheck, line_angle_deg

SIDES = ("left", "right")
SIDE_SIGN = {"left": -1.0, "right": 1.0}

#: Measured on gait's rendered rear-view clips (docs/rear_view_accuracy.md,
#: scripts/rear_pose_check.py, tests/test_frontal_video.py).
PELVIC_DROP_POSE_NOTE = (
    "likely an underestimate: on gait's rendered clips of known pelvic drop MediaPipe's hip "
    "landmarks followed only about 15 % of the true tilt, so gait read 1-3° whatever the truth "
    "(1.2°/0.8° for none, 2.2°/1.0° for 7°/3°, 3.0°/1.0° for 15°/15°) and the larger side could "
    "come out wrong; a small value does not rule out pelvic drop, so confirm by eye")
STEP_WIDTH_POSE_NOTE = (
    "on rendered clips MediaPipe's heels read 12 cm stances 3-6 % narrow but an 8 cm stance as "
    "10 cm (+26 %): a narrow stance may read wide")

#: Frontal measures that gait's pose model cannot deliver, with the reason: they
#: are computed (results.json) but never reported as a finding or a difference.
NOT_ASSESSABLE = {
    "pelvic_drop_deg": (
        "gait's pose model cannot measure it: its hip landmarks followed only about 15 % of a "
        "known pelvic tilt (rendered clips, docs/rear_view_accuracy.md) and read 1-3° whatever "
        "the truth; judge pelvic drop by eye on the rear video"),
}

HEEL_VISIBLE = 0.5


@dataclass(frozen=True)
class FrontalMetrics:
    """Everything measured from one rear- or front-view clip.

    Attributes
    ----------
    steps : tuple of dict
        One row per contact (stance foot), NaN where not measured.
    summary, per_side : dict
        `gait.metrics.Summary` per metric, over both feet and per stance foot.
    asymmetry : dict of str to Asymmetry
        Step time and pelvic drop, left versus right.
    tilt : TiltCheck
    scale : dict
        ``px_per_m`` (NaN without height), ``method``, ``leg_length_px``.
    length_unit : str
        "cm" or "pct_leg": the suffix of the length metrics.
    warnings : tuple of str
    """

    steps: tuple[dict, ...]
    summary: dict[str, Summary]
    per_side: dict[str, dict[str, Summary]]
    asymmetry: dict[str, Asymmetry]
    tilt: TiltCheck
    scale: dict
    length_unit: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


def frontal_leg_length_px(track: PoseTrack) -> float:
    """Thigh plus shank length in pixels, from their 95th-percentile image lengths.

    From behind, a segment is foreshortened whenever it swings out of the
    frontal plane; it shows its full length when it passes the vertical, so
    a high percentile over the clip is taken (mean of both legs).
    """
    out = []
    for side in SIDES:
        hip, knee, ankle = lm.LEG[side][:3]
        thigh = np.linalg.norm(track.xy_px[:, hip] - track.xy_px[:, knee], axis=1)
        shank = np.linalg.norm(track.xy_px[:, knee] - track.xy_px[:, ankle], axis=1)
        if np.isfinite(thigh).any() and np.isfinite(shank).any():
            out.append(np.nanpercentile(thigh, 95) + np.nanpercentile(shank, 95))
    return float(np.mean(out)) if out else float("nan")


def level_image_px(xy_px: np.ndarray, *, roll_deg: float, size_px: tuple[int, int]
                   ) -> np.ndarray:
    """Image points turned by ``-roll_deg`` about the image centre (a rolled camera levelled).

    Parameters
    ----------
    xy_px : ndarray, shape (..., 2)
    roll_deg : float
        Camera roll: a level line appears rising to the image right by this angle.
    size_px : (width, height)

    Returns
    -------
    ndarray, shape (..., 2)
    """
    r = np.radians(roll_deg)
    c = np.array([size_px[0] / 2, size_px[1] / 2])
    dx, dy = xy_px[..., 0] - c[0], xy_px[..., 1] - c[1]
    return np.stack([c[0] + np.cos(r) * dx - np.sin(r) * dy,
                     c[1] + np.sin(r) * dx + np.cos(r) * dy], axis=-1)


def _interp(track: PoseTrack, values: np.ndarray, t_s: float) -> float:
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return float("nan")
    return float(np.interp(t_s, track.t_s[ok], values[ok]))


def _peak(t: np.ndarray, values: np.ndarray, t0: float, t1: float) -> float:
    """Largest value on [t0, t1], refined by a parabola through the top three samples."""
    sel = np.flatnonzero((t >= t0) & (t <= t1))
    if sel.size == 0 or not np.isfinite(values[sel]).any():
        return float("nan")
    k = sel[int(np.nanargmax(values[sel]))]
    if 0 < k < values.size - 1 and np.isfinite(values[k - 1:k + 2]).all():
        a, b, c = values[k - 1], values[k], values[k + 1]
        denom = a - 2 * b + c
        if denom < 0:
            return float(b - 0.125 * (a - c) ** 2 / denom)
    return float(values[k])


def _knee_fppa_deg(track: PoseTrack, side: str, lat_sign: float) -> np.ndarray:
    """Signed knee frontal-plane projection angle per frame, positive valgus (knee medial)."""
    hip, knee, ankle = (track.xy_px[:, i] for i in lm.LEG[side][:3])
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    angle = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    # lateral offset of the knee from the hip-ankle line, in lateral (runner's right) units
    d = ankle - hip
    cross = d[:, 0] * (knee[:, 1] - hip[:, 1]) - d[:, 1] * (knee[:, 0] - hip[:, 0])
    # for a downward hip->ankle line, cross < 0 means the knee lies at larger image x
    knee_right_px = -cross * np.sign(d[:, 1])
    medial = -SIDE_SIGN[side] * lat_sign * knee_right_px
    return np.where(medial >= 0, angle, -angle)


def compute_frontal_metrics(track: PoseTrack, events: GaitEvents, heel_rise_s: dict, *,
                            tilt: TiltCheck, phase: PhaseStepTimes,
                            height_m: float | None = None,
                            noise_px: float = float("nan")) -> FrontalMetrics:
    """Per-step frontal metrics, summaries per side and left/right asymmetries.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered rear- or front-view track.
    events : GaitEvents
        From `gait.frontal.events.detect_frontal_events`.
    heel_rise_s : dict
        Heel-rise times per foot, seconds (same source).
    tilt : TiltCheck
        Level references (`gait.frontal.tilt.check_tilt`).
    phase : PhaseStepTimes
        Step times from the heels' phase lag (`gait.frontal.phase`): the
        step-time asymmetry is taken from it.
    height_m : float, optional
        Runner's height; gives distances in cm.
    noise_px : float
        Landmark jitter in pixels, for the expected errors.

    Returns
    -------
    FrontalMetrics
    """
    lat_sign = -1.0 if events.view.view == "front" else 1.0
    roll = tilt.roll_deg if np.isfinite(tilt.roll_deg) else 0.0
    # lateral measures from an image turned level (the roll undone about the image centre)
    xy, t = level_image_px(track.xy_px, roll_deg=roll, size_px=track.size_px), track.t_s
    T = events.stride_period_s
    leg_px = frontal_leg_length_px(track)
    if height_m:
        px_per_m = leg_px / (LEG_FRACTION_OF_HEIGHT * height_m)
        scale = {"px_per_m": px_per_m, "method": "body height", "leg_length_px": leg_px}
        to_len, length_unit = (lambda px: 100.0 * px / px_per_m), "cm"
    else:
        scale = {"px_per_m": float("nan"), "method": "none", "leg_length_px": leg_px}
        to_len, length_unit = (lambda px: 100.0 * px / leg_px), "pct_leg"

    raw = track.xy_px
    hip_angle = line_angle_deg(raw[:, lm.LEFT_HIP], raw[:, lm.RIGHT_HIP]) - tilt.pelvis_level_deg
    mid_hip = 0.5 * (xy[:, lm.LEFT_HIP] + xy[:, lm.RIGHT_HIP])
    mid_sh = 0.5 * (xy[:, lm.LEFT_SHOULDER] + xy[:, lm.RIGHT_SHOULDER])
    d = mid_sh - mid_hip
    trunk_image_deg = np.degrees(np.arctan2(d[:, 0], -d[:, 1]))
    fppa = {s: _knee_fppa_deg(track, s, lat_sign) for s in SIDES}
    heel_x = {s: xy[:, lm.LEG[s][3], 0] for s in SIDES}
    heel_vis = {s: track.visibility[:, lm.LEG[s][3]] for s in SIDES}

    contacts = list(events.contacts)
    rows = []
    mid_stance: dict[int, float] = {}
    for i, c in enumerate(contacts):
        sign = SIDE_SIGN[c.foot]
        prev = contacts[i - 1] if i > 0 else None
        nxt_other = next((o for o in contacts[i + 1:] if o.foot != c.foot), None)
        same_prev = [o for o in contacts[:i] if o.foot == c.foot]
        step_s = c.ic_s - prev.ic_s if prev is not None and prev.foot != c.foot else np.nan
        if step_s > 0.8 * T:
            step_s = np.nan
        stride_s = c.ic_s - same_prev[-1].ic_s if same_prev else np.nan
        if stride_s > 1.6 * T:
            stride_s = np.nan
        step_end = nxt_other.ic_s if nxt_other is not None and nxt_other.ic_s - c.ic_s < 0.8 * T \
            else c.ic_s + 0.5 * T
        rises = heel_rise_s[c.foot]
        rise = rises[(rises > c.ic_s) & (rises < c.ic_s + 0.6 * T)]
        rise_s = float(rise[0]) if rise.size else float("nan")
        t_mid = 0.5 * (c.ic_s + rise_s) if np.isfinite(rise_s) else c.ic_s + 0.15 * T
        mid_stance[i] = t_mid
        stance_end = rise_s if np.isfinite(rise_s) else c.ic_s + 0.3 * T
        # contralateral drop: the other hip lower; hip_angle > 0 means the left hip is lower
        drop = _peak(t, sign * hip_angle, c.ic_s, step_end)
        foot_lat = lat_sign * (_interp(track, heel_x[c.foot], t_mid)
                               - _interp(track, mid_hip[:, 0], t_mid))
        width_px = np.nan
        if prev is not None and prev.foot != c.foot and np.isfinite(step_s):
            x_this = _interp(track, heel_x[c.foot], t_mid)
            x_prev = _interp(track, heel_x[prev.foot], mid_stance[i - 1])
            width_px = lat_sign * sign * (x_this - x_prev)
        whip_px = np.nan
        if np.isfinite(rise_s):
            sel = (t >= rise_s) & (t <= rise_s + 0.3 * T)
            vis = heel_vis[c.foot][sel]
            if sel.any() and np.nanmean(vis) >= HEEL_VISIBLE:
                lat = lat_sign * (heel_x[c.foot][sel] - _interp(track, heel_x[c.foot], rise_s))
                medial = -sign * lat
                if np.isfinite(medial).any():
                    whip_px = float(medial[np.nanargmax(np.abs(medial))])
        rows.append({
            "index": i, "foot": c.foot, "ic_s": c.ic_s, "ic_idx": c.ic_idx,
            "heel_rise_s": rise_s, "confidence": c.confidence,
            "step_time_ms": 1000 * step_s, "stride_time_ms": 1000 * stride_s,
            "pelvic_drop_deg": drop,
            "knee_fppa_deg": _peak(t, fppa[c.foot], c.ic_s, stance_end),
            "lateral_trunk_lean_deg": _peak(t, sign * lat_sign * trunk_image_deg, c.ic_s,
                                            stance_end),
            f"step_width_{length_unit}": to_len(width_px),
            f"foot_to_midline_{length_unit}": to_len(sign * foot_lat),
            f"heel_whip_{length_unit}": to_len(whip_px),
        })

    noise = noise_px if np.isfinite(noise_px) else 2.0
    hip_w = float(np.nanmedian(np.linalg.norm(xy[:, lm.LEFT_HIP] - xy[:, lm.RIGHT_HIP], axis=1)))
    sh_w = float(np.nanmedian(np.linalg.norm(d, axis=1)))
    fps = track.fps
    event_ms = float(np.hypot(1000 / fps / np.sqrt(12), 0.5 * 1000 / fps))
    errors = {
        "step_time_ms": np.sqrt(2) * event_ms, "stride_time_ms": np.sqrt(2) * event_ms,
        "pelvic_drop_deg": float(np.degrees(np.sqrt(2) * noise / hip_w)),
        "knee_fppa_deg": float(np.degrees(np.sqrt(6) * noise / (0.5 * leg_px))),
        "lateral_trunk_lean_deg": float(np.degrees(np.sqrt(2) * noise / sh_w)),
        f"step_width_{length_unit}": float(to_len(np.sqrt(2) * noise)),
        f"foot_to_midline_{length_unit}": float(to_len(np.sqrt(2) * noise)),
        f"heel_whip_{length_unit}": float(to_len(np.sqrt(2) * noise)),
    }
    # Events are timed to a fraction of a frame here, so the frame-quantisation model above
    # is too pessimistic: with enough steps, use the measured spread of step and stride times
    # about each side's median (it also holds the runner's own step-to-step variability).
    for name in ("step_time_ms", "stride_time_ms"):
        resid = []
        for side in SIDES:
            v = np.array([r[name] for r in rows if r["foot"] == side], dtype=float)
            v = v[np.isfinite(v)]
            if v.size >= 4:
                resid.append(v - np.median(v))
        if len(resid) == 2:
            pooled = np.concatenate(resid)
            errors[name] = max(1.4826 * float(np.median(np.abs(pooled))), 1.0)
    units = {k: ("ms" if k.endswith("_ms") else "deg" if k.endswith("_deg") else
                 "cm" if length_unit == "cm" else "% leg length") for k in errors}
    timing_approx = fps < TIMING_MIN_FPS
    notes = {k: "" for k in errors}
    if length_unit == "cm":
        for k in errors:
            if k.endswith("_cm"):
                notes[k] = "scaled from body height (approximate)"
    # what gait's own validation on rendered clips showed (tests/test_frontal_video.py)
    notes["pelvic_drop_deg"] = PELVIC_DROP_POSE_NOTE
    notes[f"step_width_{length_unit}"] = "; ".join(
        n for n in (notes[f"step_width_{length_unit}"], STEP_WIDTH_POSE_NOTE) if n)
    summary, per_side = {}, {"left": {}, "right": {}}
    for name in errors:
        approx = (name.endswith("_ms") and timing_approx or name.endswith("_cm")
                  or name == "pelvic_drop_deg")
        note = notes[name] or (f"filmed at {fps:.0f} fps: events timed to about "
                               f"±{event_ms:.0f} ms" if approx else "")
        summary[name] = summarise([r[name] for r in rows], units[name], errors[name], approx,
                                  note)
        for side in SIDES:
            per_side[side][name] = summarise([r[name] for r in rows if r["foot"] == side],
                                             units[name], errors[name], approx, note)
    asymmetry = {"step_time_ms": _phase_asymmetry(phase, per_side, summary)}
    for name in ("pelvic_drop_deg", "knee_fppa_deg", "lateral_trunk_lean_deg"):
        left, right = per_side["left"][name], per_side["right"][name]
        if left.n == 0 or right.n == 0:
            continue
        diff = left.trimmed_mean - right.trimmed_mean
        diff_err = float(np.hypot(left.expected_error, right.expected_error))
        asymmetry[name] = Asymmetry(
            left.trimmed_mean, right.trimmed_mean,
            symmetry_index_pct(left.trimmed_mean, right.trimmed_mean), diff,
            "equal" if diff == 0 else ("left" if diff > 0 else "right"),
            bool(abs(diff) > 2.0 * diff_err) and name not in NOT_ASSESSABLE, left.n, right.n,
            left.unit, approximate=left.approximate or right.approximate or name in NOT_ASSESSABLE,
            note=NOT_ASSESSABLE.get(name, left.note))
    warnings = list(tilt.warnings)
    n_min = min(per_side["left"]["pelvic_drop_deg"].n, per_side["right"]["pelvic_drop_deg"].n)
    if n_min < 7:
        warnings.append(f"only {n_min} steps on one side: frontal angles need at least 7 steps "
                        "per side for a stable mean; film a longer clip")
    return FrontalMetrics(tuple(rows), summary, per_side, asymmetry, tilt, scale, length_unit,
                          tuple(warnings))


def _phase_asymmetry(phase: PhaseStepTimes, per_side: dict, summary: dict) -> Asymmetry:
    """Step-time asymmetry from the heels' phase lag, with the contacts' result in the note."""
    left_ms, right_ms = 1000 * phase.left_step_s, 1000 * phase.right_step_s
    diff = left_ms - right_ms
    err = phase.expected_error_pct
    ev_l, ev_r = (per_side[s]["step_time_ms"].trimmed_mean for s in SIDES)
    return Asymmetry(
        left_ms, right_ms, phase.symmetry_index_pct, diff,
        "equal" if diff == 0 else ("left" if diff > 0 else "right"),
        bool(np.isfinite(err) and abs(phase.symmetry_index_pct) > 2.0 * err),
        per_side["left"]["step_time_ms"].n, per_side["right"]["step_time_ms"].n, "ms",
        approximate=not np.isfinite(err),
        note=(f"from the phase lag between the two heels' vertical motion over the whole clip "
              f"({_spread_text(err, phase.n_blocks)}); the single contacts give "
              f"{symmetry_index_pct(ev_l, ev_r):+.1f} %"))


def _spread_text(error_pct: float, n_blocks: int) -> str:
    """How sure the phase-lag symmetry index is, from its two-stride blocks."""
    blocks = f"{n_blocks} two-stride block{'' if n_blocks == 1 else 's'}"
    if np.isfinite(error_pct):
        return f"±{error_pct:.1f} % from {blocks}"
    return f"error unknown from {blocks}; a clip with more strides gives it"


def frontal_cadence(events: GaitEvents) -> tuple[float, float]:
    """Cadence in steps/min and its standard error from the ICs of both feet.

    Each foot's IC times are regressed on the stride number (slope = stride
    time); the two slopes are combined weighted by their variances.
    """
    slopes, ses = [], []
    for foot in SIDES:
        ic = np.array([c.ic_s for c in events.for_foot(foot)])
        if ic.size < 3:
            continue
        cycle = np.round((ic - ic[0]) / events.stride_period_s)
        coef, cov = np.polyfit(cycle, ic, 1, cov=True)
        slopes.append(coef[0])
        ses.append(np.sqrt(max(cov[0, 0], 0.0)))
    if not slopes:
        stride = events.stride_period_s
        return 120.0 / stride, float("nan")
    w = 1.0 / np.square(np.maximum(ses, 1e-6))
    stride = float(np.sum(w * slopes) / np.sum(w))
    se = float(1.0 / np.sqrt(np.sum(w)))
    return 120.0 / stride, 120.0 * se / stride ** 2
