"""Per-step metrics, summaries with spread and expected error, asymmetry.

Conventions
-----------
- Cadence is in steps per minute; a stride is two steps.
- A *step* belongs to the foot whose initial contact ends it: the left step
  runs from a right IC to the next left IC.
- Angles are in degrees in the image plane of a side view; "forward" is the
  running direction. Shin angle: knee→ankle line from vertical, positive
  when the ankle is ahead of the knee. Knee flexion: 180° minus the
  hip-knee-ankle angle. Trunk lean: mid-hip→mid-shoulder line from vertical,
  positive forward. Foot-strike angle: heel→toe line at IC relative to the
  same foot's line when flat in mid-stance, positive toe-up.
- Vertical oscillation of a step: peak-to-peak of the step-frequency
  harmonic of the shoulders' height over the stride centred on the
  step (`gait.oscillation`); robust to landmark jitter and to where the
  contacts fall.
- Symmetry index (Robinson type): SI = (L − R) / (0.5 (L + R)) × 100 %; the
  sign says which side is larger (positive: left).

References
----------
Robinson RO, Herzog W, Nigg BM (1987). Use of force platform variables to
quantify the effects of chiropractic manipulation on gait symmetry. J
Manipulative Physiol Ther 10(4):172-176.
Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed.
(segment lengths as fractions of body height: thigh 0.245 H, shank 0.246 H).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np
from scipy import stats

from . import landmarks as lm
from . import oscillation
from .events import SHORT_STANCE_RATIO, GaitEvents, short_stance_foot
from .track import PoseTrack

#: Hip-joint-to-ankle length as a fraction of body height (Winter 2009: thigh 0.245 + shank 0.246).
LEG_FRACTION_OF_HEIGHT = 0.491
#: Frame rate below which timing metrics are marked approximate (running-science.md §4.3, §6.3).
TIMING_MIN_FPS = 120.0

TIMING_METRICS = ("contact_time_ms", "flight_time_ms", "duty_factor_pct", "step_time_ms")


@dataclass(frozen=True)
class Summary:
    """Summary of one metric over the analysed steps.

    Attributes
    ----------
    value : float
        Median over steps (the headline number).
    trimmed_mean : float
        Mean of the middle 60 % of the per-step values: less robust than the
        median but averages out the frame quantisation of timing metrics,
        so left/right comparisons use it.
    q1, q3 : float
        Interquartile range of the per-step values (cadence: of each stride's
        120000 / stride time in ms; NaN with fewer than four strides).
    n : int
        Number of steps (or strides) used.
    expected_error : float
        Expected measurement error of `value` (one standard deviation, same
        unit), from the frame rate, tracking noise and number of steps, and
        the errors that do not average out over steps (`pose_error`, the
        events' common timing, the scale).
    unit : str
    approximate : bool
        True when the measurement cannot support the precision a clinician
        might assume (e.g. contact time below 120 fps, length from a
        body-height scale).
    note : str
        Why it is approximate, or how it was measured.
    pose_error : float
        The part of `expected_error` that is the pose model's own error in
        contact timing or at contact (`POSE_MODEL_ERROR`, for a walker
        `WALKING_POSE_MODEL_ERROR`), same unit; 0 where none is known. It
        depends on how the runner is filmed (which way they face, framing),
        so two sessions filmed alike share most of it and a before/after
        comparison leaves it out (`gait.history.sdc`).
    """

    value: float
    trimmed_mean: float
    q1: float
    q3: float
    n: int
    expected_error: float
    unit: str
    approximate: bool = False
    note: str = ""
    pose_error: float = 0.0

    def to_dict(self) -> dict:
        """Plain-JSON form (NaN becomes None)."""
        return {k: _json_number(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Asymmetry:
    """Left/right comparison of one bilateral metric.

    Attributes
    ----------
    left, right : float
        Trimmed means (middle 60 %) per side.
    symmetry_index_pct : float
        (L − R) / (0.5 (L + R)) × 100; positive when the left value is
        larger. For angles (which can be near zero) see `difference`.
    difference : float
        L − R in the metric's unit.
    larger_side : str
        "left", "right" or "equal".
    detectable : bool
        Whether |difference| exceeds twice the expected error of a
        difference of two per-side averages (so it can be called a real
        asymmetry). Always False for timing-based metrics below 120 fps: in a
        side view the far foot is partly hidden and its events can be biased
        by more than a frame, which no spread over steps reveals.
    n_left, n_right : int
    unit : str
    approximate : bool
        True when the comparison cannot be trusted to the precision shown.
    note : str
        Why it is approximate.
    difference_error : float
        Expected error (one SD) of `difference`, in the metric's unit: the
        one `detectable` is judged against, the pose model's near/far bias
        included (step time and length). NaN where not worked out.
    """

    left: float
    right: float
    symmetry_index_pct: float
    difference: float
    larger_side: str
    detectable: bool
    n_left: int
    n_right: int
    unit: str
    approximate: bool = False
    note: str = ""
    difference_error: float = float("nan")

    def to_dict(self) -> dict:
        """Plain-JSON form (NaN becomes None)."""
        return {k: _json_number(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Scale:
    """How pixels were converted to metres.

    Attributes
    ----------
    px_per_m : float
        Pixels per metre in the runner's plane (NaN if unknown).
    method : str
        "belt speed", "body height" or "none".
    leg_length_px : float
        Hip-to-ankle length of the near leg in pixels.
    rel_error : float
        Relative error (one SD) of `px_per_m`, shared by every length in
        metres or cm measured in the image (`SCALE_POSE_REL_ERROR` and, for
        the belt-speed scale, the standard error of the median stance
        speed); NaN without a scale.
    """

    px_per_m: float
    method: str
    leg_length_px: float
    rel_error: float = float("nan")

    def to_dict(self) -> dict:
        """Plain-JSON form."""
        return {k: _json_number(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class GaitMetrics:
    """Everything measured from one clip's events.

    Attributes
    ----------
    steps : tuple of dict
        One row per contact: foot, times, per-step metrics (NaN if n/a).
    summary : dict of str to Summary
        Over both feet.
    per_side : dict of str to dict of str to Summary
        ``per_side["left"]["contact_time_ms"]`` etc.
    asymmetry : dict of str to Asymmetry
        For every bilateral metric.
    scale : Scale
    cadence_check : dict
        Cadence from the foot signals' spectrum and from the contact times,
        for the provenance.
    warnings : tuple of str
    lost_foot : str or None
        The foot whose stances the pose model cut short (`short_stance_foot`):
        contact time, flight time and duty factor come from the other foot.
    crossing_run : bool
        A runner crossing the frame over still ground (`ViewInfo.crosses_frame`,
        running): its errors are stated to at least `CROSSING_ERRORS`.
    """

    steps: tuple[dict, ...]
    summary: dict[str, Summary]
    per_side: dict[str, dict[str, Summary]]
    asymmetry: dict[str, Asymmetry]
    scale: Scale
    cadence_check: dict
    warnings: tuple[str, ...] = field(default_factory=tuple)
    lost_foot: str | None = None
    crossing_run: bool = False


def _json_number(v):
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


# ------------------------------------------------------------------ geometry


def _mid(track: PoseTrack, a: int, b: int) -> np.ndarray:
    return 0.5 * (track.xy_px[:, a] + track.xy_px[:, b])


def _interp_point(track: PoseTrack, index: int, t_s: float) -> np.ndarray:
    """Landmark position (x, y) in pixels at a sub-frame time."""
    return np.array([np.interp(t_s, track.t_s, track.xy_px[:, index, c]) for c in range(2)])


def shin_angle_deg(knee: np.ndarray, ankle: np.ndarray, facing: int) -> float:
    """Shank angle from vertical in degrees, positive when the ankle is ahead of the knee."""
    d = ankle - knee
    return float(np.degrees(np.arctan2(facing * d[0], d[1])))


def joint_flexion_deg(proximal: np.ndarray, joint: np.ndarray, distal: np.ndarray) -> float:
    """180° minus the angle at `joint` between the two segments (0 = straight)."""
    a, b = proximal - joint, distal - joint
    cos = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def trunk_lean_deg(hip_mid: np.ndarray, shoulder_mid: np.ndarray, facing: int) -> np.ndarray:
    """Trunk angle from vertical in degrees, positive leaning forward; any shape (..., 2)."""
    d = shoulder_mid - hip_mid
    return np.degrees(np.arctan2(facing * d[..., 0], -d[..., 1]))


def foot_angle_deg(heel: np.ndarray, toe: np.ndarray, facing: int) -> np.ndarray:
    """Heel→toe line angle from the image horizontal, positive toe-up; shape (..., 2)."""
    d = toe - heel
    return np.degrees(np.arctan2(-d[..., 1], facing * d[..., 0]))


# --------------------------------------------------------------------- scale


def leg_length_px(track: PoseTrack, side: str) -> float:
    """Median thigh plus median shank length of one leg in pixels."""
    hip, knee, ankle = lm.LEG[side][:3]
    thigh = np.linalg.norm(track.xy_px[:, hip] - track.xy_px[:, knee], axis=1)
    shank = np.linalg.norm(track.xy_px[:, knee] - track.xy_px[:, ankle], axis=1)
    return float(np.nanmedian(thigh) + np.nanmedian(shank))


def stance_speeds_px_s(track: PoseTrack, events: GaitEvents, foot: str) -> np.ndarray:
    """Backward speed of a foot in mid-stance, one per contact, in pixels per second.

    On a treadmill a foot in stance moves backwards at belt speed, so each
    value is belt speed in pixels per second (for that foot's depth plane):
    the displacement of the heel-toe midpoint from a quarter to three
    quarters of the contact, over that time.
    """
    _, _, ankle, heel, toe = lm.LEG[foot]
    speeds = []
    for c in events.for_foot(foot):
        if not np.isfinite(c.to_s):
            continue
        a, b = c.ic_s + 0.25 * c.contact_s, c.to_s - 0.25 * c.contact_s
        pa = 0.5 * (_interp_point(track, heel, a) + _interp_point(track, toe, a))
        pb = 0.5 * (_interp_point(track, heel, b) + _interp_point(track, toe, b))
        if b > a:
            speeds.append(-events.view.facing * (pb[0] - pa[0]) / (b - a))
    speeds = np.array(speeds, dtype=float)
    return speeds[np.isfinite(speeds)]


#: How step and stride length are got without a belt speed (they are approximate).
SPEED_FROM_IMAGE_NOTE = ("speed over the ground from the image (pelvis, and on a treadmill the "
                         "stance foot) ÷ the body-height scale (approximate)")
#: Relative error (one SD) of the pelvis's mean forward speed in the image as the
#: runner's speed in the near leg's plane: the hips lie half a pelvis width
#: (about 0.1 m) behind that plane, 1-3 % of a 3-10 m camera distance.
PELVIS_SPEED_REL_ERROR = 0.03


def travel_speed_px_s(track: PoseTrack, events: GaitEvents) -> tuple[float, float]:
    """The runner's speed over the ground in the image, and its error, pixels per second.

    The stance foot rests on the ground, so the runner moves over the ground
    at the pelvis's mean forward speed plus the near foot's backward speed
    in stance: on a treadmill the pelvis stays put and the foot moves back at
    belt speed. A runner crossing the frame (`ViewInfo.crosses_frame`) runs
    over still ground, so the pelvis's speed alone is taken: the stance
    foot's measured speed there is the pose model's drift, not the ground's
    (on the twenty rendered runners and walkers crossing the frame of
    ``scripts/overground_accuracy.py`` and docs/rendered_accuracy.md it put
    the body-height stride length −11 to +11 % off, +7 to +11 % on every
    left-facing walker; without it +1.7 to +4.5 %). Used for step length
    when only a body height is given.

    Returns
    -------
    (float, float)
        Speed and its expected error (one SD: `SCALE_POSE_REL_ERROR` "belt
        speed" of the foot's part, `PELVIS_SPEED_REL_ERROR` of the pelvis's
        part); NaN when the pelvis is not tracked, or on a treadmill when
        the near foot has no complete stance.
    """
    t = track.t_s
    inside = (t >= events.segment_s[0]) & (t <= events.segment_s[1])
    hip_x = 0.5 * (track.xy_px[:, lm.LEFT_HIP, 0] + track.xy_px[:, lm.RIGHT_HIP, 0])
    ok = inside & np.isfinite(hip_x)
    if ok.sum() < 2:
        return float("nan"), float("nan")
    foot = 0.0
    if not events.view.crosses_frame:
        stance = stance_speeds_px_s(track, events, events.view.near_side or "left")
        if stance.size == 0:
            return float("nan"), float("nan")
        foot = float(np.median(stance))
    pelvis = events.view.facing * float(np.polyfit(t[ok], hip_x[ok], 1)[0])
    error = float(np.hypot(SCALE_POSE_REL_ERROR["belt speed"] * abs(foot),
                           PELVIS_SPEED_REL_ERROR * abs(pelvis)))
    return pelvis + foot, error


#: Relative error (one SD) of each scale from the pose model, measured on
#: rendered runners against the exact landmarks of the same clips (the bundled
#: samples and ``scripts/rendered_accuracy.py --render``). Belt speed, thirteen
#: clips at 30-240 fps (``scripts/belt_scale_check.py``): MediaPipe's stance foot
#: moves 4-23 % slower than the belt in the image, so the scale reads low by 9.0 %
#: on average (SD 5.1 %, RMS 10.3 %) and every length high. A Theil-Sen slope
#: instead is no better: of the toe +2.7 % on average but from -25 to +15 % (SD
#: 9.7 %, RMS 9.7 %), of the heel, ankle or midpoint lower still (RMS 14.7-21.9 %).
#: Body height, nine clips: MediaPipe's hip-to-ankle length reads 4.7-5.3 % short
#: (RMS 4.7 %); a runner's own leg-to-height ratio adds to that.
SCALE_POSE_REL_ERROR = {"belt speed": 0.10, "body height": 0.05}
#: Relative difference of the belt-speed and body-height scales, when both
#: can be computed, above which the report warns.
SCALE_DISAGREEMENT = 0.10


def estimate_scale(track: PoseTrack, events: GaitEvents, *, belt_speed_ms: float | None,
                   height_m: float | None) -> Scale:
    """Pixels per metre from belt speed (preferred) or body height.

    With belt speed, the near foot's median backward speed in mid-stance
    (pixels per second) divided by the belt speed (m/s) gives pixels per
    metre in the plane of the near leg. With body height only, the near
    leg's hip-to-ankle length in pixels is divided by 0.491 × height
    (Winter 2009), which is approximate (MediaPipe's hip landmark is not the
    hip joint centre). `Scale.rel_error` holds the scale's error.
    """
    near = events.view.near_side or "left"
    leg_px = leg_length_px(track, near)
    if belt_speed_ms:
        speeds = stance_speeds_px_s(track, events, near)
        v_px = float(np.median(speeds)) if speeds.size else float("nan")
        if np.isfinite(v_px) and v_px > 0:
            q1, q3 = np.percentile(speeds, [25, 75])
            se_rel = 1.253 * (q3 - q1) / 1.349 / np.sqrt(speeds.size) / v_px
            return Scale(v_px / belt_speed_ms, "belt speed", leg_px,
                         float(np.hypot(se_rel, SCALE_POSE_REL_ERROR["belt speed"])))
    if height_m:
        return Scale(leg_px / (LEG_FRACTION_OF_HEIGHT * height_m), "body height", leg_px,
                     SCALE_POSE_REL_ERROR["body height"])
    return Scale(float("nan"), "none", leg_px)


def scale_disagreement(scale: Scale, height_m: float | None) -> float:
    """Relative difference of a belt-speed scale from the body-height scale.

    (belt − height) / height; NaN unless `scale` comes from the belt speed
    and a body height is given.
    """
    if scale.method != "belt speed" or not height_m:
        return float("nan")
    by_height = scale.leg_length_px / (LEG_FRACTION_OF_HEIGHT * height_m)
    return float(scale.px_per_m / by_height - 1.0)


# ------------------------------------------------------------------- cadence


def spectral_stride_frequency_hz(track: PoseTrack, events: GaitEvents, *,
                                 n_harmonics: int = 4) -> float:
    """Stride frequency in Hz by a harmonic least-squares fit of the feet's motion.

    The horizontal positions of both heels, toes and ankles relative to the
    pelvis over the analysed segment are each modelled as an offset, a
    linear drift and a Fourier series of `n_harmonics` harmonics of one
    common stride frequency f (amplitudes free per signal). The f that
    leaves the least residual is searched on a 0.002 Hz grid within ±25 %
    of the autocorrelation's stride frequency (which keeps it off the
    sub-harmonic f/2, whose series contains every harmonic of f and so fits
    at least as well) and refined on a 0.00005 Hz grid around the best. Unlike a periodogram peak, this
    nonlinear least-squares estimate is not biased by spectral leakage of a
    clip that holds a non-integer number of strides, and it uses every
    frame, so single contacts' timing jitter barely matters.

    References
    ----------
    Quinn BG, Hannan EJ (2001). The Estimation and Tracking of Frequency.
    Cambridge University Press, ch. 4 (least-squares frequency estimation).
    """
    t0, t1 = events.segment_s
    sel = (track.t_s >= t0) & (track.t_s <= t1)
    step = max(int(track.fps // 60), 1)  # 60 Hz is ample for 4 harmonics of ≤ 2.5 Hz
    sel = np.flatnonzero(sel)[::step]
    t = track.t_s[sel] - t0
    pelvis = _mid(track, lm.LEFT_HIP, lm.RIGHT_HIP)[sel, 0]
    signals = []
    for foot in ("left", "right"):
        for index in lm.LEG[foot][2:]:
            u = track.xy_px[sel, index, 0] - pelvis
            ok = np.isfinite(u)
            if ok.sum() >= 10:
                signals.append(np.interp(t, t[ok], u[ok]))
    data = np.array(signals).T  # (n_samples, n_signals)

    def residual(f: float) -> float:
        cols = [np.ones_like(t), t]
        for h in range(1, n_harmonics + 1):
            cols += [np.cos(2 * np.pi * h * f * t), np.sin(2 * np.pi * h * f * t)]
        design = np.column_stack(cols)
        coef, *_ = np.linalg.lstsq(design, data, rcond=None)
        return float(np.sum((data - design @ coef) ** 2))

    f0 = 1.0 / events.stride_period_s
    coarse = np.arange(0.75 * f0, 1.25 * f0, 0.002)
    best = coarse[int(np.argmin([residual(f) for f in coarse]))]
    fine = np.arange(best - 0.003, best + 0.003, 0.00005)
    return float(fine[int(np.argmin([residual(f) for f in fine]))])


def _event_stride_time_s(events: GaitEvents) -> tuple[float, float, int]:
    """Mean stride time from each foot's IC times (slope vs cycle number).

    Returns (stride time s, standard error s, number of contacts used).
    Where neither foot has three contacts (a short clip: two a foot), the
    contacts of both feet are fitted against their step number instead, so a
    left/right difference in step time shows in the standard error rather
    than the cross-check going missing.
    """
    slopes, ses, n = [], [], 0
    for foot in ("left", "right"):
        ic = np.array([c.ic_s for c in events.for_foot(foot)])
        if ic.size < 3:
            continue
        slope, se = _ic_slope_s(ic, events.stride_period_s)
        slopes.append(slope)
        ses.append(se)
        n += ic.size
    if not slopes:
        ic = np.sort([c.ic_s for c in events.contacts])
        if ic.size < 3:
            return float("nan"), float("nan"), 0
        step_s, step_se = _ic_slope_s(ic, 0.5 * events.stride_period_s)
        return 2.0 * step_s, 2.0 * step_se, int(ic.size)
    w = 1.0 / np.square(np.maximum(ses, 1e-9))
    return float(np.sum(w * slopes) / np.sum(w)), float(1.0 / np.sqrt(np.sum(w))), n


def _ic_slope_s(ic_s: np.ndarray, period_s: float) -> tuple[float, float]:
    """Period (s) and its standard error (s) of contacts `ic_s` a whole number of
    `period_s` apart, from a straight-line fit against their cycle number."""
    cycle = np.round((ic_s - ic_s[0]) / period_s)
    coef, cov = np.polyfit(cycle, ic_s, 1, cov=True)
    return float(coef[0]), float(np.sqrt(cov[0, 0]))


# ------------------------------------------------------------------ per step


def _step_rows(track: PoseTrack, events: GaitEvents, scale: Scale,
               speed_ms: float | None, step_hz: float, *, walking: bool = False
               ) -> list[dict]:
    facing = events.view.facing
    contacts = list(events.contacts)
    vo_px = oscillation.step_oscillation_px(track, np.array([c.ic_s for c in contacts]), step_hz)
    hip_mid = _mid(track, lm.LEFT_HIP, lm.RIGHT_HIP)
    sh_mid = _mid(track, lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER)
    px_per_cm = scale.px_per_m / 100.0
    leg_px = scale.leg_length_px
    flat_angle = {}
    for foot in ("left", "right"):
        _, _, _, heel, toe = lm.LEG[foot]
        mids = [c.ic_s + 0.5 * c.contact_s for c in events.for_foot(foot)]
        angles = [foot_angle_deg(_interp_point(track, heel, m), _interp_point(track, toe, m),
                                 facing) for m in mids]
        flat_angle[foot] = float(np.median(angles)) if angles else float("nan")

    rows = []
    for i, c in enumerate(contacts):
        hip, knee, ankle, heel, toe = lm.LEG[c.foot]
        prev = contacts[i - 1] if i > 0 else None
        nxt = contacts[i + 1] if i + 1 < len(contacts) else None
        same_prev = [o for o in contacts[:i] if o.foot == c.foot]
        step_s = (c.ic_s - prev.ic_s) if prev is not None and prev.foot != c.foot else np.nan
        stride_s = (c.ic_s - same_prev[-1].ic_s) if same_prev else np.nan
        if stride_s > 1.6 * events.stride_period_s:  # a contact was missed in between
            stride_s = np.nan
        if step_s > 0.8 * events.stride_period_s:
            step_s = np.nan
        flight_s = (nxt.ic_s - c.to_s) if nxt is not None and nxt.foot != c.foot else np.nan
        if walking:  # a walker has double support, never flight
            flight_s = np.nan
        p = {name: _interp_point(track, idx, c.ic_s)
             for name, idx in (("hip", hip), ("knee", knee), ("ankle", ankle), ("heel", heel),
                               ("toe", toe))}
        pelvis = np.array([np.interp(c.ic_s, track.t_s, hip_mid[:, k]) for k in range(2)])
        overstride_px = facing * (p["heel"][0] - pelvis[0])
        i0, i1 = np.searchsorted(track.t_s, [c.ic_s, c.to_s])
        knee_flex = [joint_flexion_deg(track.xy_px[j, hip], track.xy_px[j, knee],
                                       track.xy_px[j, ankle]) for j in range(i0, max(i1, i0 + 1))
                     ] if np.isfinite(c.to_s) else []  # stance without toe-off: no peak
        strike = float(foot_angle_deg(p["heel"], p["toe"], facing)) - flat_angle[c.foot]
        rows.append({
            "index": i, "foot": c.foot, "ic_s": c.ic_s, "to_s": c.to_s,
            "ic_idx": c.ic_idx, "to_idx": c.to_idx, "confidence": c.confidence,
            "step_time_ms": 1000 * step_s,
            "stride_time_ms": 1000 * stride_s,
            "contact_time_ms": 1000 * c.contact_s,
            "flight_time_ms": 1000 * flight_s,
            "duty_factor_pct": 100 * c.contact_s / stride_s if np.isfinite(stride_s) else np.nan,
            "step_length_m": speed_ms * step_s if speed_ms else np.nan,
            "stride_length_m": speed_ms * stride_s if speed_ms else np.nan,
            "overstride_cm": overstride_px / px_per_cm if np.isfinite(px_per_cm) else np.nan,
            "overstride_pct_leg": 100 * overstride_px / leg_px,
            "shin_angle_deg": shin_angle_deg(p["knee"], p["ankle"], facing),
            "knee_flexion_ic_deg": joint_flexion_deg(p["hip"], p["knee"], p["ankle"]),
            "peak_knee_flexion_stance_deg": _finite_max(knee_flex),
            "foot_strike_angle_deg": strike,
            "vertical_oscillation_cm": vo_px[i] / px_per_cm if np.isfinite(px_per_cm) else np.nan,
            "vertical_oscillation_pct_leg": 100 * vo_px[i] / leg_px,
            "trunk_lean_deg": float(trunk_lean_deg(
                np.array([np.interp(c.ic_s, track.t_s, hip_mid[:, k]) for k in range(2)]),
                np.array([np.interp(c.ic_s, track.t_s, sh_mid[:, k]) for k in range(2)]),
                facing)),
        })
    return rows


def _finite_max(values: list[float]) -> float:
    """Largest finite value, NaN if there is none."""
    finite = [v for v in values if np.isfinite(v)]
    return float(max(finite)) if finite else float("nan")


def foot_strike_pattern(angle_deg: float) -> str:
    """Rear-, mid- or forefoot strike from the foot-strike angle.

    Thresholds of Altman & Davis (2012, Gait Posture 35:298): above 8°
    rearfoot, −1.6° to 8° midfoot, below −1.6° forefoot. The evidence file
    marks these cut-offs as not verified against the paper; the report says
    so.
    """
    if not np.isfinite(angle_deg):
        return "unknown"
    if angle_deg > 8.0:
        return "rearfoot"
    if angle_deg >= -1.6:
        return "midfoot"
    return "forefoot"


# ----------------------------------------------------------------- summaries


def _expected_errors(fps: float, noise_px: float, leg_px: float, px_per_m: float
                     ) -> dict[str, float]:
    """Expected per-step measurement error (one SD) of each metric.

    Event timing: a uniform quantisation error over one frame (SD = frame
    period / √12) plus an allowance of half a frame for the landmark
    jitter, combined in quadrature. Angles: landmark jitter over a segment
    of half the leg length, in degrees. Lengths: jitter over the scale.
    """
    period_ms = 1000.0 / fps
    event_ms = float(np.hypot(period_ms / np.sqrt(12.0), 0.5 * period_ms))
    noise = noise_px if np.isfinite(noise_px) else 2.0
    angle_deg = float(np.degrees(np.sqrt(2) * noise / (0.5 * leg_px)))
    cm = 100 * noise / px_per_m if np.isfinite(px_per_m) else np.nan
    return {
        "event_ms": event_ms, "time_diff_ms": np.sqrt(2) * event_ms, "angle_deg": angle_deg,
        "length_cm": cm, "length_pct_leg": 100 * noise / leg_px,
    }


_UNITS = {
    "step_time_ms": "ms", "stride_time_ms": "ms", "contact_time_ms": "ms",
    "flight_time_ms": "ms", "duty_factor_pct": "%", "step_length_m": "m",
    "stride_length_m": "m", "overstride_cm": "cm", "overstride_pct_leg": "% leg length",
    "shin_angle_deg": "deg", "knee_flexion_ic_deg": "deg",
    "peak_knee_flexion_stance_deg": "deg", "foot_strike_angle_deg": "deg",
    "vertical_oscillation_cm": "cm", "vertical_oscillation_pct_leg": "% leg length",
    "trunk_lean_deg": "deg",
}

#: Bilateral metrics computed from event times (their asymmetry needs ≥ 120 fps).
TIMING_BASED_ASYMMETRY = ("step_time_ms", "stride_time_ms", "contact_time_ms", "flight_time_ms",
                           "duty_factor_pct", "step_length_m", "stride_length_m")


def not_assessable_reason(asymmetry_key: str, note: str = "") -> str:
    """Short verdict for a left/right difference that is not a finding.

    Step and stride timing need 120 fps or more, and a treadmill rather than a
    runner crossing the frame (`note` is then `CROSSING_ASYMMETRY_NOTE`);
    contact, flight and duty factor (which need the far foot's toe-off),
    angles and positions need each leg filmed from its own side.
    """
    if note == CROSSING_ASYMMETRY_NOTE:
        return CROSSING_VERDICT
    if asymmetry_key in TIMING_BASED_ASYMMETRY and asymmetry_key not in IC_TO_INTERVALS:
        return "not assessable at this frame rate"
    return "not assessable from one side view"


#: Vertical oscillation in both units (`gait.oscillation`).
VO_METRICS = ("vertical_oscillation_cm", "vertical_oscillation_pct_leg")
BILATERAL = tuple(k for k in _UNITS if k not in ("trunk_lean_deg", *VO_METRICS))
#: Bilateral metrics whose sides are compared by a symmetry index (durations, lengths and the
#: duty factor: positive amounts). The others (angles, overstride) can be near zero or change
#: sign, where a ratio means nothing (a shin angle of -3.6° against -0.4° is an index of
#: +161 %): they are compared by their left - right difference in their own unit.
SYMMETRY_INDEX_METRICS = ("step_time_ms", "stride_time_ms", "contact_time_ms", "flight_time_ms",
                          "duty_factor_pct", "step_length_m", "stride_length_m")


def _per_step_error(name: str, err: dict[str, float], stride_ms: float,
                    speed_ms: float | None) -> float:
    if name.endswith("_ms"):
        return err["time_diff_ms"]
    if name == "duty_factor_pct":
        return 100 * err["time_diff_ms"] / stride_ms
    if name in ("step_length_m", "stride_length_m"):
        return (speed_ms or np.nan) * err["time_diff_ms"] / 1000
    if name.endswith("_deg"):
        return err["angle_deg"]
    if name.endswith("_cm"):
        return err["length_cm"]
    return err["length_pct_leg"]


def summarise(values, unit: str, per_step_err: float, approximate: bool, note: str,
              shared_err: float = 0.0) -> Summary:
    """Median, trimmed mean, IQR and expected error of per-step values.

    Parameters
    ----------
    values : array_like
        One value per step; NaN entries are ignored.
    unit : str
    per_step_err : float
        Expected error of a single step's value, in `unit`.
    approximate : bool
    note : str
    shared_err : float
        Error, in `unit`, that every step's value shares (it does not
        average out); added in quadrature. NaN counts as zero.

    Returns
    -------
    Summary
        ``expected_error`` is that of the median, 1.25 · `per_step_err` / √n,
        combined in quadrature with `shared_err`; an empty summary marked
        "not measured" when no value is finite.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return Summary(float("nan"), float("nan"), float("nan"), float("nan"), 0, float("nan"),
                       unit, True, "not measured")
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    trimmed = float(stats.trim_mean(v, 0.2))
    # SD of a median ≈ 1.25 σ / √n for roughly normal errors
    shared = shared_err if np.isfinite(shared_err) else 0.0
    return Summary(float(med), trimmed, float(q1), float(q3), int(v.size),
                   float(np.hypot(1.25 * per_step_err / np.sqrt(v.size), shared)), unit,
                   approximate, note)


#: Metrics that are intervals from an initial contact to a toe-off or back (the
#: common timing of the ICs and of the TOs does not cancel in them).
IC_TO_INTERVALS = ("contact_time_ms", "flight_time_ms", "duty_factor_pct")


#: The pose model's error (one SD, per foot) in contact timing and in the angles
#: and positions read at contact: MediaPipe's median minus the median on the
#: exact landmarks, RMS over both feet of nine rendered runners
#: (``scripts/rendered_accuracy.py --render``: 30, 60 and 120 fps, facing either
#: way, two frame sizes; ``scripts/pose_error_calibration.py``). Measured 20.6 ms
#: contact time, 18.4 ms flight time, 2.9 % duty factor, 2.2 % of leg length
#: overstride, 2.1° shin angle, 1.0° knee flexion at contact, 3.5° peak knee
#: flexion, 3.9° foot-strike angle, 0.4° trunk lean; rounded up (timing to the
#: ms, angles and lengths to the half unit). The far leg and the facing
#: direction set its sign (overstride reads +3 % leg for the far foot facing
#: left, -2 % facing right), so it does not average out over steps. A foot the
#: pose model lost mid-stance (`gait.events.short_stance_foot`) is left out of
#: the timing, as the summaries leave it out. Overstride in cm takes the same
#: share of the clip's leg length.
POSE_MODEL_ERROR = {"contact_time_ms": 21.0, "flight_time_ms": 19.0, "duty_factor_pct": 3.0,
                    "overstride_pct_leg": 2.5, "shin_angle_deg": 2.5, "knee_flexion_ic_deg": 1.0,
                    "peak_knee_flexion_stance_deg": 3.5, "foot_strike_angle_deg": 4.0,
                    "trunk_lean_deg": 0.5}
#: The same for walkers, over both feet of eight rendered treadmill walkers (``gait synth
#: --gait walking``: 110 steps/min, 4.5 km/h, duty factor 0.62, 30 and 60 fps, both facing
#: directions, seeds 1 and 2): the larger of the RMS of MediaPipe's median minus the median
#: on the exact landmarks (``scripts/pose_error_calibration.py``) and minus the truth (where
#: the truth file has the value: gait's own reading of a knee landing nearly straight is
#: biased too), and at least the runners'. Measured against the exact landmarks / the truth:
#: contact time 32.8 / 28.2 ms (every foot +3 to +86 ms: MediaPipe's lift-offs late), duty
#: factor 2.8 / 2.4 %, overstride 1.4 / 2.6 % of leg length, shin angle 2.6 / 3.6°, knee
#: flexion at contact 3.1 / 4.7° (every foot reads it more bent), peak knee flexion 5.4°,
#: foot-strike angle 4.6°, trunk lean 0.8 / 0.9°; rounded up as above. A walker has no
#: flight.
WALKING_POSE_MODEL_ERROR = {"contact_time_ms": 33.0, "duty_factor_pct": 3.0,
                            "overstride_pct_leg": 3.0, "shin_angle_deg": 4.0,
                            "knee_flexion_ic_deg": 5.0, "peak_knee_flexion_stance_deg": 5.5,
                            "foot_strike_angle_deg": 5.0, "trunk_lean_deg": 1.0}


def _pose_error(name: str, scale: Scale, gait_mode: str) -> float:
    """The pose model's error of metric `name` in its own unit (0 when none is known):
    `POSE_MODEL_ERROR`, or `WALKING_POSE_MODEL_ERROR` for a walker."""
    errors = WALKING_POSE_MODEL_ERROR if gait_mode == "walking" else POSE_MODEL_ERROR
    if name == "overstride_cm":
        leg_cm = 100.0 * scale.leg_length_px / scale.px_per_m
        return errors["overstride_pct_leg"] / 100.0 * leg_cm
    return errors.get(name, 0.0)


def _with_pose_error(s: Summary, error: float) -> Summary:
    """`s` with the pose model's error at contact added in quadrature and recorded."""
    if s.n == 0 or not error > 0:
        return s
    return replace(s, expected_error=float(np.hypot(s.expected_error, error)), pose_error=error)


#: Left-minus-right step time difference (ms, one SD) that the pose model adds:
#: twice the RMS difference of its near and far foot's mean landing error (each
#: foot's landings shifted by δ lengthen one step and shorten the other by δ),
#: 11.1 ms over nine rendered runners at 30-120 fps (``scripts/rendered_accuracy.py
#: --render``: near minus far landing bias 1.8-21.9 ms); 10.5 ms over all thirteen
#: at 30-240 fps (1.3-21.9 ms); 0.0 ms on the exact landmarks of the eleven --render clips.
#: The near foot's landings read later than the far foot's on all thirteen (mean
#: 8.6 ms, SD 6.3 ms), but that is one rendered runner and no real clip here has
#: per-foot truth, so no correction is applied and the RMS is stated instead.
POSE_STEP_DIFFERENCE_MS = 22.0


#: Cadence error (steps/min, one SD) of a runner crossing the frame: the RMS error over
#: the ten rendered crossing runners of ``scripts/overground_accuracy.py`` (30-240 fps,
#: −3.4 to +2.1 steps/min, about 2.7 s of running in view), through MediaPipe. Rendered
#: treadmill clips cut into 2.7 s pieces read 0.19 steps/min RMS, within their stated
#: error, so the excess is the crossing's (leg-label swaps that last, few strides).
CROSSING_CADENCE_ERROR_SPM = 1.7
#: Metrics of a runner crossing the frame whose stated error fell short on the same ten
#: runs: (RMS error there, range of the errors), in the metric's unit; against the truth,
#: or for peak knee flexion in stance and the foot-strike angle (which the renderer's truth
#: lacks) against gait's reading of the same clips' exact landmarks. Gait had stated
#: contact time 23-32 ms, flight time 22-32 ms, duty factor 3.4-5.0 points, overstride
#: 2.2-2.4 cm (2.5-2.6 % of leg length), knee flexion at contact 1.2-1.5°, shin angle
#: 2.6-2.8°, peak knee flexion 3.6-3.7° and foot-strike angle 4.1-4.2°: a toe-off given to
#: the wrong foot or timed 300 ms late moves the contact intervals, and landings up to 40 ms
#: early, seen obliquely near the frame's edges, the angles and the overstride. Such a
#: runner states at least the RMS error (``scripts/overground_accuracy.py`` prints these
#: numbers). On the rendered treadmill clips every one of them reads within its stated
#: error (RMS 0.4-0.9 of it).
CROSSING_ERRORS = {
    "contact_time_ms": (60.0, "−68 to +160"), "flight_time_ms": (32.0, "−57 to +24"),
    "duty_factor_pct": (6.5, "−12.7 to +8.0"), "overstride_cm": (4.3, "−5.7 to +7.8"),
    "overstride_pct_leg": (5.5, "−5.8 to +9.9"), "knee_flexion_ic_deg": (3.8, "−8.1 to +4.1"),
    "shin_angle_deg": (3.1, "−5.5 to +4.1"),
    "peak_knee_flexion_stance_deg": (10.5, "−4.9 to +22.2"),
    "foot_strike_angle_deg": (9.7, "−6.8 to +23.7"),
}


def crossing_note(name: str) -> str:
    """Why metric `name` of a runner crossing the frame is approximate (`CROSSING_ERRORS`)."""
    rms, errors = CROSSING_ERRORS[name]
    return (f"runner crossing the frame: on rendered runners crossing the frame this read "
            f"{errors} {_UNITS[name]} off (RMS {rms:g})")


#: Verdict on a timing-based left/right difference of a runner crossing the frame.
CROSSING_VERDICT = "not assessable for a runner crossing the frame"
#: Why a runner crossing the frame has no timing-based left/right finding: the same ten
#: runs read the step-time SI of a symmetric runner −29 to +20 points off (RMS 16).
CROSSING_ASYMMETRY_NOTE = (
    "runner crossing the frame: on rendered runners crossing the frame the pose model put the "
    "step-time asymmetry of a symmetric runner up to 29 points off (legs' labels swapped for "
    "several frames, few steps), so this left/right difference is not a finding; film on a "
    "treadmill at 120 fps or more to compare sides")


def _pose_step_difference(name: str, speed_ms: float | None) -> float:
    """`POSE_STEP_DIFFERENCE_MS` in the unit of a step-based asymmetry (0 for strides)."""
    if name == "step_time_ms":
        return POSE_STEP_DIFFERENCE_MS
    if name == "step_length_m" and speed_ms:
        return speed_ms * POSE_STEP_DIFFERENCE_MS / 1000.0
    return 0.0


def _shared_timing_error(name: str, common_se_s: tuple[float, float], stride_ms: float) -> float:
    """Error every step's value of `name` shares through the events' common timing.

    Step and stride times are IC-to-IC intervals, in which it cancels; an
    IC-to-TO interval carries the common errors of both event types
    (`GaitEvents.common_timing_se_s`) in quadrature. Returns ms, or % of
    the stride for the duty factor; 0 for every other metric.
    """
    if name not in IC_TO_INTERVALS:
        return 0.0
    ms = 1000.0 * float(np.hypot(*common_se_s))
    return 100.0 * ms / stride_ms if name == "duty_factor_pct" else ms


def symmetry_index_pct(left: float, right: float) -> float:
    """Robinson symmetry index (L − R) / (0.5 (L + R)) × 100, signed (positive: left larger)."""
    mean = 0.5 * (left + right)
    return float(100.0 * (left - right) / mean) if mean != 0 else float("nan")


def compute_metrics(track: PoseTrack, events: GaitEvents, *, belt_speed_ms: float | None = None,
                    height_m: float | None = None, noise_px: float = float("nan"),
                    gait_mode: str = "running") -> GaitMetrics:
    """Per-step table, summaries, per-side summaries and asymmetries.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered track the events were found on.
    events : GaitEvents
    belt_speed_ms : float, optional
        Treadmill belt speed in m/s; gives step and stride length (speed ×
        time) and the pixel scale.
    height_m : float, optional
        Runner's height in metres; pixel scale when no belt speed is given,
        and then step and stride length from the runner's speed over the
        ground in the image (`travel_speed_px_s`), marked approximate.
    noise_px : float
        Landmark jitter in pixels (from cleaning), for the expected errors.
    gait_mode : {"running", "walking"}
        From `gait.walking.classify_gait`; walking has no flight time.

    Returns
    -------
    GaitMetrics
    """
    scale = estimate_scale(track, events, belt_speed_ms=belt_speed_ms, height_m=height_m)
    speed_ms, speed_rel_error = belt_speed_ms, 0.0
    if not belt_speed_ms and scale.method == "body height":
        speed_px_s, speed_err_px_s = travel_speed_px_s(track, events)
        if np.isfinite(speed_px_s) and speed_px_s > 0:
            speed_ms = speed_px_s / scale.px_per_m
            speed_rel_error = float(np.hypot(speed_err_px_s / speed_px_s, scale.rel_error))
    stride_f_hz = spectral_stride_frequency_hz(track, events)
    rows = _step_rows(track, events, scale, speed_ms, 2.0 * stride_f_hz,
                      walking=gait_mode == "walking")
    stride_ev_s, stride_ev_se, n_ev = _event_stride_time_s(events)
    cadence_spec = 120.0 * stride_f_hz
    cadence_ev = 120.0 / stride_ev_s if np.isfinite(stride_ev_s) else float("nan")
    warnings: list[str] = []
    fps = track.fps
    err = _expected_errors(fps, noise_px, scale.leg_length_px, scale.px_per_m)
    # Measured event jitter: each stride time is the difference of two IC times, so the robust
    # spread of stride times over √2 bounds the per-event error from above (it also holds the
    # runner's own stride-to-stride variability). Use it when it exceeds the model's estimate.
    strides = np.array([r["stride_time_ms"] for r in rows], dtype=float)
    strides = strides[np.isfinite(strides)]
    if strides.size >= 4:
        jitter_ms = 1.4826 * float(np.median(np.abs(strides - np.median(strides)))) / np.sqrt(2)
        if jitter_ms > err["event_ms"]:
            err["event_ms"], err["time_diff_ms"] = jitter_ms, float(np.sqrt(2) * jitter_ms)
    duration_s = events.segment_s[1] - events.segment_s[0]
    # spectral peak: resolution-limited error ~ 1/(duration) Hz spread, in practice far smaller;
    # use the agreement with the event-based estimate as the honest error.
    cad_err = float(np.hypot(abs(cadence_spec - cadence_ev) if np.isfinite(cadence_ev) else 0.0,
                             120.0 * stride_ev_se / stride_ev_s ** 2 * (1 / np.sqrt(2))
                             if np.isfinite(stride_ev_se) else 0.0))
    crossing_run = events.view.crosses_frame and gait_mode == "running"
    if crossing_run:
        cad_err = max(cad_err, CROSSING_CADENCE_ERROR_SPM)
    stride_cadences = 120000.0 / strides  # steps/min of each stride, for the spread
    q1, q3 = (np.percentile(stride_cadences, [25, 75]) if stride_cadences.size >= 4
              else (np.nan, np.nan))
    summary: dict[str, Summary] = {
        "cadence_spm": Summary(cadence_spec, cadence_spec, float(q1), float(q3), len(rows),
                               cad_err,
                               "steps/min", False,
                               f"stride frequency of the foot motion over {duration_s:.1f} s; "
                               f"counting contacts gives {cadence_ev:.1f}"),
    }
    if np.isfinite(cadence_ev) and abs(cadence_spec - cadence_ev) > 0.02 * cadence_spec:
        warnings.append(
            f"cadence from the foot motion ({cadence_spec:.1f}) and from counted contacts "
            f"({cadence_ev:.1f} steps/min) differ by more than 2 %: contacts may be missed")
    disagreement = scale_disagreement(scale, height_m)
    if abs(disagreement) > SCALE_DISAGREEMENT:
        warnings.append(
            f"the scale from the belt speed is {100 * disagreement:+.0f} % off the one from body "
            f"height: lengths in cm (overstride, vertical oscillation) are uncertain by about "
            f"that much; check the belt speed and height, and that the camera is square to the "
            f"belt")
    timing_approx = fps < TIMING_MIN_FPS
    stride_ms = 1000 * 2 * 60 / cadence_spec
    cut = short_stance_foot({f: [r["contact_time_ms"] for r in rows if r["foot"] == f]
                             for f in ("left", "right")})
    if cut is not None:
        kept = "left" if cut == "right" else "right"
        cut_note = (f"from the {kept} foot only: the pose model lost the {cut} foot during its "
                    "stances, which read far shorter")
        warnings.append(
            f"the {cut} foot's contacts read under {SHORT_STANCE_RATIO:.0%} as long as the "
            f"{kept} foot's: the pose model lost it mid-stance (in a side view, usually the far "
            f"foot as the near leg swings past). Contact time, flight time and duty factor are "
            f"from the {kept} foot only; film the other side to measure the {cut} foot")
    belt_note = ""
    if events.belt_timed_feet:
        feet = " and ".join(events.belt_timed_feet)
        lost = "foot" if len(events.belt_timed_feet) == 1 else "feet"
        belt_note = (f"{feet} toe-offs timed from the toe leaving the belt (the pose model lost "
                     f"the {lost} mid-stance, so foot height ended the stances early; on rendered "
                     "runners such toe-offs were 8-14 ms off on average)")
    per_side: dict[str, dict[str, Summary]] = {"left": {}, "right": {}}
    for name, unit in _UNITS.items():
        approx, note = False, ""
        if name in TIMING_METRICS and timing_approx:
            approx, note = True, (f"filmed at {fps:.0f} fps: each event is timed to about "
                                  f"±{err['event_ms']:.0f} ms; 120 fps or more is needed for "
                                  "precise contact timing")
        if name.endswith(("_cm",)) and scale.method == "body height":
            approx, note = True, "scaled from body height (approximate)"
        if name in ("step_length_m", "stride_length_m") and speed_rel_error:
            approx, note = True, SPEED_FROM_IMAGE_NOTE
        pse = _per_step_error(name, err, stride_ms, speed_ms)
        shared = _shared_timing_error(name, events.common_timing_se_s, stride_ms)
        from_feet = ("left", "right")
        if name in IC_TO_INTERVALS and cut is not None:
            approx, note, from_feet = True, f"{note}; {cut_note}" if note else cut_note, (kept,)
        elif name in IC_TO_INTERVALS and belt_note:
            approx, note = True, f"{note}; {belt_note}" if note else belt_note
        values = np.array([r[name] for r in rows if r["foot"] in from_feet], dtype=float)
        summary[name] = _with_systematic_errors(
            summarise(values, unit, pse, approx, note, shared), name, scale=scale, fps=fps,
            noise_px=noise_px, step_hz=2.0 * stride_f_hz, gait_mode=gait_mode)
        if crossing_run and name in CROSSING_ERRORS:
            rough = summary[name]
            summary[name] = replace(
                rough, approximate=True, expected_error=max(rough.expected_error,
                                                            CROSSING_ERRORS[name][0]),
                note=f"{rough.note}; {crossing_note(name)}" if rough.note
                else crossing_note(name))
        for side in ("left", "right"):
            side_vals = np.array([r[name] for r in rows if r["foot"] == side], dtype=float)
            side_approx = approx or (name in IC_TO_INTERVALS and side == cut)
            per_side[side][name] = _with_systematic_errors(
                summarise(side_vals, unit, pse, side_approx, note, shared), name, scale=scale,
                fps=fps, noise_px=noise_px, step_hz=2.0 * stride_f_hz, gait_mode=gait_mode)
    if speed_ms:
        # the mean step and stride over the clip follow from cadence, which is measured far more
        # precisely than any single step: speed × 60 / cadence (running-science.md §6.4, §7)
        how = ("belt speed × 60 / cadence" if belt_speed_ms else
               f"{SPEED_FROM_IMAGE_NOTE}: {speed_ms:.2f} m/s × 60 / cadence")
        for name, steps_per in (("step_length_m", 1), ("stride_length_m", 2)):
            per_step = summary[name]
            mean_len = speed_ms * 60.0 * steps_per / cadence_spec
            rel_err = float(np.hypot(cad_err / cadence_spec, speed_rel_error))
            summary[name] = replace(per_step, value=mean_len, expected_error=mean_len * rel_err,
                                    note=f"{how}; IQR from single steps")
    summary["vertical_ratio_pct"] = _vertical_ratio(summary, belt_speed_ms)

    asym = {}
    for name in BILATERAL:
        left, right = per_side["left"][name], per_side["right"][name]
        if left.n == 0 or right.n == 0:
            continue
        diff = left.trimmed_mean - right.trimmed_mean
        # both feet share the common timing, so its error cancels in their difference
        shared = _shared_timing_error(name, events.common_timing_se_s, stride_ms)
        diff_err = float(np.sqrt(max(left.expected_error ** 2 + right.expected_error ** 2
                                     - 2 * shared ** 2, 0.0)))
        if name in IC_TO_INTERVALS:
            unreliable = True
            why = ("measured from one side: the pose model sees the far foot's toe-off poorly "
                   "(on rendered runners it lost the far foot mid-stance at 60-120 fps, and the "
                   "feet's toe-offs differed by up to 50 ms), so this left/right difference is "
                   "not a finding; film each side to compare the feet")
        elif name in TIMING_BASED_ASYMMETRY:
            unreliable = timing_approx or crossing_run
            why = CROSSING_ASYMMETRY_NOTE if crossing_run else (
                f"filmed at {fps:.0f} fps from one side: the far foot's contacts can be timed "
                "a frame or more off, so this left/right difference is not a finding; film "
                "at 120 fps or more to compare sides")
            # the pose model times the near and far foot's landings with different biases
            diff_err = float(np.hypot(diff_err, _pose_step_difference(name, speed_ms)))
        else:
            unreliable = True
            why = ("measured from one side: the far leg is partly hidden and the pose model "
                   "places its joints with a bias (Young et al. 2023), so this left/right "
                   "difference is not a finding; film each side to compare angles")
        asym[name] = Asymmetry(
            left.trimmed_mean, right.trimmed_mean,
            symmetry_index_pct(left.trimmed_mean, right.trimmed_mean), diff,
            "equal" if diff == 0 else ("left" if diff > 0 else "right"),
            bool(abs(diff) > 2.0 * diff_err) and not unreliable, left.n, right.n, left.unit,
            approximate=unreliable or left.approximate or right.approximate,
            note=why if unreliable else left.note, difference_error=diff_err)
    cadence_check = {"spectral_spm": cadence_spec, "from_contacts_spm": cadence_ev,
                     "contacts_used": n_ev}
    return GaitMetrics(tuple(rows), summary, per_side, asym, scale, cadence_check,
                       tuple(warnings), lost_foot=cut, crossing_run=crossing_run)


def _with_systematic_errors(s: Summary, name: str, *, scale: Scale, fps: float,
                            noise_px: float, step_hz: float, gait_mode: str) -> Summary:
    """Summary `s` of metric `name` with the errors that do not average out over steps.

    Vertical oscillation gets its own expected error (`_vo_summary`), and in
    % of leg length the error of the pose model's leg length; lengths in cm
    the scale's relative error; every metric the pose model's error for its
    gait (`_pose_error`).
    """
    if name in VO_METRICS:
        px_per_unit = (scale.px_per_m / 100.0 if name == "vertical_oscillation_cm"
                       else scale.leg_length_px / 100.0)
        s = _vo_summary(s, fps, noise_px, step_hz, px_per_unit, gait_mode)
    if name == "vertical_oscillation_pct_leg":
        # divided by the pose model's leg length, which reads about 5 % short
        s = _with_scale_error(s, SCALE_POSE_REL_ERROR["body height"])
    if name.endswith("_cm"):
        s = _with_scale_error(s, scale.rel_error)
    return _with_pose_error(s, _pose_error(name, scale, gait_mode))


def _with_scale_error(s: Summary, rel_error: float) -> Summary:
    """`s` with the scale's relative error of its value added in quadrature (a length in cm)."""
    if s.n == 0 or not np.isfinite(rel_error):
        return s
    return replace(s, expected_error=float(np.hypot(s.expected_error, rel_error * abs(s.value))))


def _vo_summary(s: Summary, fps: float, noise_px: float, step_hz: float,
                px_per_unit: float, gait_mode: str) -> Summary:
    """A vertical-oscillation summary with its own expected error and method note."""
    if s.n == 0:
        return s
    error = oscillation.summary_error(s.value, s.n, noise_px, fps, step_hz, px_per_unit,
                                      gait_mode)
    how = "step-frequency harmonic of the shoulders' height, one stride per step"
    return replace(s, expected_error=error, note=f"{s.note}; {how}" if s.note else how)


def _vertical_ratio(summary: dict[str, Summary], belt_speed_ms: float | None) -> Summary:
    """Vertical oscillation over step length in % (Garmin's "vertical ratio")."""
    vo, sl = summary["vertical_oscillation_cm"], summary["step_length_m"]
    if not (np.isfinite(vo.value) and np.isfinite(sl.value) and belt_speed_ms):
        return Summary(float("nan"), float("nan"), float("nan"), float("nan"), 0, float("nan"),
                       "%", True, "needs belt speed")
    value = vo.value / (100 * sl.value) * 100
    rel = np.hypot(vo.expected_error / vo.value if vo.value else 0,
                   sl.expected_error / sl.value if sl.value else 0)
    return Summary(float(value), float(value), float(value), float(value), min(vo.n, sl.n),
                   float(value * rel),
                   "%", vo.approximate, "vertical oscillation ÷ step length")
