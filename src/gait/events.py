"""View detection, steady-segment selection and gait events per foot.

Events are found in two stages for each foot:

1. **Candidates** with Zeni's coordinate method: initial contact (IC) near a
   forward extreme of the heel relative to the pelvis, toe-off (TO) near a
   rearward extreme of the toe (Zeni, Richards & Higginson 2008). Extremes
   are searched with a minimum spacing from the stride period, found first
   from the autocorrelation of the foot signal.
2. **Refinement** on the foot's lowest point (the lower of heel and toe):
   contact is where it meets the belt. A broken-stick model — flat at
   ground level during stance, leaving it linearly and/or quadratically in
   swing — is fitted by least squares around each candidate, which gives
   the instant of touch-down and lift-off with sub-frame resolution (the
   heel vertical-position refinement of Fellin et al. 2010, made robust to
   landmark jitter by fitting several frames at once).
3. **Joint alignment** (`gait.event_timing`): all landings, and all
   lift-offs, of one foot are aligned to a shared template of the
   unfiltered heel, ankle and toe motion, so that landmark jitter averages
   over the strides; strides lost to tracking gaps are recovered where the
   rhythm predicts them and the template fits.

On a treadmill a foot in stance moves backwards at belt speed: a foot
whose toe keeps moving with the belt well after its toe-offs has them
timed again from the toe leaving the belt (`gait.belt_lift_off`).

References
----------
Zeni JA, Richards JG, Higginson JS (2008). Two simple methods for
determining gait events during treadmill and overground walking using
kinematic data. Gait Posture 27(4):710-714. doi:10.1016/j.gaitpost.2007.07.007
Fellin RE, Rose WC, Royer TD, Davis IS (2010). Comparison of methods for
kinematic identification of footstrike and toe-off during overground and
treadmill running. J Sci Med Sport 13(6):646-650. doi:10.1016/j.jsams.2010.03.006
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal
from scipy.stats import theilslopes

from . import landmarks as lm
from .belt_lift_off import belt_lift_offs, belt_speed_px_s, cut_short
from .clean import body_scale_px
from .errors import TooFewStepsError
from .event_timing import (AlignedEvents, align_feet, predict_missing, touch_time,
                           uses_pooled_kink)
from .identity import identity_breaks
from .rhythm import estimate_stride_period
from .track import PoseTrack

SIDES = ("left", "right")
#: Columns of the aligned foot coordinates (`_align_contacts`: heel, ankle, toe,
#: each x then y) that rest on the belt before toe-off: the toe's, whatever the
#: foot strike.
TOE_PINNED = np.repeat([False, False, True], 2)
#: Axis (0 x, 1 y) of each lift-off coordinate (heel, ankle, toe; x and y): the foot
#: pivots on its toe and leaves the belt turning smoothly, so on each axis all three
#: points change their velocity alike at toe-off (`event_timing.align_events`).
FOOT_RIGID_AXES = np.tile([0, 1], 3)
#: Residual, as a multiple of the foot's typical one, beyond which an event's
#: template alignment is void and its first timing is kept: a left/right swap
#: or a filled gap in the window leaves 15-30 times the typical residual on
#: synthetic tracks, whereas MediaPipe's far foot, aligned correctly, leaves
#: up to 3 times the near foot's (runner_side_30fps.mp4).
MISFIT_RMS_RATIO = 5.0
#: Shoulder width over torso length in the image above which a clip is seen from
#: the front or back (`detect_view`), unless the runner crosses the frame.
FRONTAL_SHOULDER_RATIO = 0.35
#: A runner whose hips travel across the image by at least this many torso
#: lengths (5th to 95th percentile of their position) while the torso's image
#: length varies by less than `CROSSING_SCALE_RATIO` (90th over 10th percentile)
#: crosses the frame at a steady distance: a side view, however far apart the
#: shoulders look (`detect_view`). From the front or back a runner moves towards
#: or away from the camera, and on a treadmill not at all: 1.2 torso lengths for
#: the walker approaching the camera in walk_front_cane.mp4, 0.1-0.3 on the
#: treadmill clips, 4.5-10.7 for the side-view walkers crossing the frame (whose
#: torsos vary by 1.09-1.32).
CROSSING_TRAVEL_TORSOS = 3.0
CROSSING_SCALE_RATIO = 1.5


@dataclass(frozen=True)
class ViewInfo:
    """Camera view of the clip.

    Attributes
    ----------
    view : str
        "side-left" (runner's left side towards the camera, facing
        image-left), "side-right", "rear" or "front".
    facing : int
        +1 if the runner faces image-right, -1 if image-left (side views);
        0 for rear/front views.
    near_side : str or None
        The leg nearer the camera in a side view ("left"/"right").
    shoulder_ratio : float
        Median shoulder width over torso length in the image (small in a
        side view, about 0.5-0.8 from the front or back).
    detected_automatically : bool
        False when the view was given by the user.
    crosses_frame : bool
        Whether the runner crosses the frame over still ground (`crosses_frame`).
    """

    view: str
    facing: int
    near_side: str | None
    shoulder_ratio: float
    detected_automatically: bool = True
    crosses_frame: bool = False

    def to_dict(self) -> dict:
        """Plain-JSON form."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class FootEvent:
    """One foot contact: initial contact and toe-off of the same stance.

    Attributes
    ----------
    foot : str
        "left" or "right".
    ic_s, to_s : float
        Initial contact and toe-off times in seconds (sub-frame); ``to_s`` is
        NaN when the toe-off was not found.
    ic_idx, to_idx : int
        Nearest sample index of each event (-1 when missing).
    confidence : float
        0-1; product of the fit quality, landmark visibility over the stance
        (frames the pose model missed count as 0) and agreement with the
        stride rhythm.
    """

    foot: str
    ic_s: float
    to_s: float
    ic_idx: int
    to_idx: int
    confidence: float

    @property
    def contact_s(self) -> float:
        """Contact (stance) time in seconds."""
        return self.to_s - self.ic_s


@dataclass(frozen=True)
class GaitEvents:
    """All detected contacts of a clip plus how they were found.

    Attributes
    ----------
    contacts : tuple of FootEvent
        Sorted by initial-contact time.
    view : ViewInfo
    segment_s : tuple of float
        (start, end) of the steady segment analysed, in seconds.
    stride_period_s : float
        Stride period from the autocorrelation of the foot signals.
    notes : tuple of str
        Diagnostics for the provenance log and the report.
    common_timing_se_s : tuple of float
        Standard error, seconds, that all initial contacts and all toe-offs
        share (the error of their common timing,
        `event_timing.AlignedEvents.common_shift_se_s`): it does not
        average out over steps, so an interval from an IC to a TO (contact
        and flight time, duty factor) carries it in its summary. NaN when
        not estimated.
    belt_timed_feet : tuple of str
        Feet whose toe-offs were timed from the toe leaving the belt because
        their stances, timed from foot height, ended where the pose model
        lost the foot mid-stance (`gait.belt_lift_off`).
    """

    contacts: tuple[FootEvent, ...]
    view: ViewInfo
    segment_s: tuple[float, float]
    stride_period_s: float
    notes: tuple[str, ...] = field(default_factory=tuple)
    common_timing_se_s: tuple[float, float] = (float("nan"), float("nan"))
    belt_timed_feet: tuple[str, ...] = ()

    def for_foot(self, foot: str) -> tuple[FootEvent, ...]:
        """Contacts of one foot, in time order."""
        return tuple(c for c in self.contacts if c.foot == foot)


# --------------------------------------------------------------------------- view


def _midpoint(track: PoseTrack, a: int, b: int) -> np.ndarray:
    return 0.5 * (track.xy_px[:, a] + track.xy_px[:, b])


def detect_view(track: PoseTrack, *, view: str = "auto") -> ViewInfo:
    """Detect the camera view and the runner's facing direction.

    A side view shows the shoulders almost on top of each other: the ratio
    of shoulder width to torso length stays below `FRONTAL_SHOULDER_RATIO`.
    The runner faces the side where the nose is, relative to the ears. A
    runner facing image-left turns the left side to the camera
    ("side-left"). From the front the left shoulder appears on the image's
    right; from behind, on its left.
    Only frames with the shoulders and hips inside the image count (all
    frames if there are none): a runner crossing the frame overground is
    seen obliquely, shoulders apart, while far off to the side, where the
    pose model (or the synthetic camera) may still place the body. Through a
    wide-angle lens the runner is seen obliquely over much of the frame
    itself (a 96° lens 4 m away: shoulder ratio 0.40), so a runner who
    crosses the frame (`crosses_frame`) is taken as a side view whatever
    the ratio.

    Parameters
    ----------
    track : PoseTrack
    view : {"auto", "side", "side-left", "side-right", "rear", "front"}
        "auto" detects everything; "side" fixes a side view and detects the
        facing; the others are taken as given.

    Returns
    -------
    ViewInfo
    """
    torso_pts = track.xy_px[:, [lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER, lm.LEFT_HIP, lm.RIGHT_HIP]]
    in_image = _inside_image(torso_pts, track.size_px).all(axis=1)
    xy = np.where(in_image[:, None, None], track.xy_px, np.nan) if in_image.any() else track.xy_px
    sh_l, sh_r = xy[:, lm.LEFT_SHOULDER], xy[:, lm.RIGHT_SHOULDER]
    mid_sh = 0.5 * (sh_l + sh_r)
    mid_hip = 0.5 * (xy[:, lm.LEFT_HIP] + xy[:, lm.RIGHT_HIP])
    torso = np.linalg.norm(mid_sh - mid_hip, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(sh_l[:, 0] - sh_r[:, 0]) / torso
    ratio_med = float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")

    ears = 0.5 * (xy[:, lm.INDEX["left_ear"]] + xy[:, lm.INDEX["right_ear"]])
    nose_ahead = np.nanmedian(xy[:, lm.NOSE, 0] - ears[:, 0])
    toe_ahead = np.nanmedian(np.concatenate([
        xy[:, lm.LEFT_FOOT_INDEX, 0] - xy[:, lm.LEFT_HEEL, 0],
        xy[:, lm.RIGHT_FOOT_INDEX, 0] - xy[:, lm.RIGHT_HEEL, 0]]))
    cue = nose_ahead if np.isfinite(nose_ahead) and abs(nose_ahead) > 1e-6 else toe_ahead
    facing = 1 if cue > 0 else -1

    auto = view == "auto"
    crossing = crosses_frame(mid_hip[:, 0], torso)
    if view in ("auto", "side"):
        if (view == "auto" and np.isfinite(ratio_med) and ratio_med > FRONTAL_SHOULDER_RATIO
                and not crossing):
            left_on_right = np.nanmedian(sh_l[:, 0] - sh_r[:, 0]) > 0
            return ViewInfo("front" if left_on_right else "rear", 0, None, ratio_med, True)
        view = "side-left" if facing < 0 else "side-right"
    elif view in ("rear", "front"):
        return ViewInfo(view, 0, None, ratio_med, False)
    else:
        facing = -1 if view == "side-left" else 1
    near = "left" if view == "side-left" else "right"
    return ViewInfo(view, facing, near, ratio_med, auto, crossing)


def crosses_frame(hip_x_px: np.ndarray, torso_px: np.ndarray) -> bool:
    """Whether the runner crosses the frame at a steady distance from the camera.

    True when the mid-hip point travels across the image by at least
    `CROSSING_TRAVEL_TORSOS` torso lengths (between the 5th and 95th
    percentiles of its image x) while the torso's image length varies by
    less than `CROSSING_SCALE_RATIO` (90th over 10th percentile): moving
    across the image without coming closer or going away.

    Parameters
    ----------
    hip_x_px : ndarray, shape (n_frames,)
        Image x of the midpoint of the hips, pixels; NaN where missing (e.g.
        frames with the torso outside the image).
    torso_px : ndarray, shape (n_frames,)
        Image distance from the mid-hip to the mid-shoulder point, pixels.

    Returns
    -------
    bool
    """
    ok = np.isfinite(hip_x_px) & np.isfinite(torso_px) & (torso_px > 0)
    if ok.sum() < 2:
        return False
    travel_px = np.subtract(*np.percentile(hip_x_px[ok], [95, 5]))
    scale = np.divide(*np.percentile(torso_px[ok], [90, 10]))
    return bool(travel_px >= CROSSING_TRAVEL_TORSOS * np.median(torso_px[ok])
                and scale < CROSSING_SCALE_RATIO)


def select_steady_segment(track: PoseTrack, *, min_duration_s: float = 2.0,
                          margin_px: float = 2.0, max_gap_s: float = 0.5,
                          breaks: np.ndarray | None = None) -> tuple[int, int]:
    """Longest run of frames where the whole runner is tracked and in frame.

    The segment never spans a jump of the pose model from one person to
    another (`gait.identity.identity_breaks`). Frames count as usable when
    the hips, knees, ankles, heels and toes are all present and inside the
    image (with `margin_px`), the runner faces the same way as in the clip
    overall (turns are cut out) and the pelvis does not travel backwards,
    against that facing, faster than `BACKWARD_SPEED_LEGS_S` (walking or
    stepping backwards overground; on a treadmill the pelvis only drifts).
    Short losses of tracking (runs of at most `max_gap_s` with leg points missing
    but none outside the image) between usable frames stay in the segment:
    events in them are lost, the rest of the clip is not.

    Parameters
    ----------
    track : PoseTrack
        A cleaned track.
    min_duration_s : float
        Shortest acceptable segment in seconds.
    margin_px : float
        Landmarks closer than this to the image border count as leaving it.
    max_gap_s : float
        Longest loss of tracking, in seconds, kept inside a segment.
    breaks : ndarray of bool, shape (n_frames,), optional
        `identity_breaks` of the unfiltered track (low-pass filtering
        spreads a jump over several frames); of `track` when omitted.

    Returns
    -------
    (start, stop) : tuple of int
        Sample indices, `stop` exclusive.

    Raises
    ------
    TooFewStepsError
        No usable stretch of at least `min_duration_s` exists.
    """
    legs = np.array(lm.LEG["left"] + lm.LEG["right"])
    pts = track.xy_px[:, legs]
    finite = np.isfinite(pts).all(axis=2)
    in_frame = _inside_image(pts, track.size_px, margin_px=margin_px)
    inside = (finite & in_frame).all(axis=1)
    # a short loss of tracking between tracked frames does not end the segment
    lost_in_frame = ~finite.all(axis=1) & (in_frame | ~finite).all(axis=1)
    inside |= _short_runs(lost_in_frame, track.t_s, max_s=max_gap_s) & _between(inside)
    ears = _midpoint(track, lm.INDEX["left_ear"], lm.INDEX["right_ear"])
    facing_frame = np.sign(track.xy_px[:, lm.NOSE, 0] - ears[:, 0])
    overall = np.sign(np.nansum(facing_frame))
    if overall != 0:
        # a turn shows as the nose crossing to the other side for a while
        same = signal.medfilt(np.nan_to_num(facing_frame * overall, nan=1.0), 9) > 0
        inside &= same & ~_moving_backwards(track, facing=int(overall))
    breaks = identity_breaks(track) if breaks is None else breaks
    start, stop = longest_run(inside, breaks=breaks)
    duration = track.t_s[stop - 1] - track.t_s[start] if stop > start else 0.0
    if duration < min_duration_s:
        raise TooFewStepsError(
            f"{track.source or 'clip'}: the person's legs are fully tracked and in frame for "
            f"only {np.floor(duration * 10) / 10:.1f} s at a stretch (need "
            f"{min_duration_s:.1f} s); film the whole body side-on, feet included, for at least "
            "10 s"
        )
    return start, stop


def _inside_image(points_px: np.ndarray, size_px: tuple[int, int], *, margin_px: float = 0.0
                  ) -> np.ndarray:
    """Whether points (shape (..., 2), px) lie inside a ``(width, height)`` image.

    Points closer than `margin_px` to the border, and missing ones, count as outside.
    """
    w, h = size_px
    x, y = points_px[..., 0], points_px[..., 1]
    with np.errstate(invalid="ignore"):
        return (x > margin_px) & (x < w - margin_px) & (y > margin_px) & (y < h - margin_px)


#: Pelvis speed against the facing direction, in hip-to-ankle lengths per
#: second (averaged over `BACKWARD_WINDOW_S`), above which a frame shows
#: backward travel (`select_steady_segment`). A treadmill runner drifts by a
#: fraction of that; walking backwards overground is about 1-2.
BACKWARD_SPEED_LEGS_S = 0.5
BACKWARD_WINDOW_S = 1.0


def _moving_backwards(track: PoseTrack, *, facing: int) -> np.ndarray:
    """Frames whose pelvis travels against `facing` faster than `BACKWARD_SPEED_LEGS_S`."""
    pelvis_x = _midpoint(track, lm.LEFT_HIP, lm.RIGHT_HIP)[:, 0]
    leg_px = body_scale_px(track.xy_px)
    # only where both hips are seen in the image: outside it the pose model guesses
    ok = _inside_image(track.xy_px[:, [lm.LEFT_HIP, lm.RIGHT_HIP]], track.size_px).all(axis=1)
    if ok.sum() < 2 or not np.isfinite(leg_px):
        return np.zeros(track.n_frames, dtype=bool)
    # travel over the window centred on each frame, from the interpolated pelvis path
    x = np.interp(track.t_s, track.t_s[ok], pelvis_x[ok])
    half = BACKWARD_WINDOW_S / 2
    ahead = np.interp(track.t_s + half, track.t_s, x)
    behind = np.interp(track.t_s - half, track.t_s, x)
    span = np.minimum(track.t_s + half, track.t_s[-1]) - np.maximum(track.t_s - half, track.t_s[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = facing * (ahead - behind) / span / leg_px
    return speed < -BACKWARD_SPEED_LEGS_S


def true_runs(mask: np.ndarray, *, breaks: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the runs of True in a boolean array.

    A run also ends before any sample where `breaks` is True.
    """
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    cuts = np.diff(idx) > 1
    if breaks is not None:
        cuts |= breaks[idx[1:]]
    return [(int(r[0]), int(r[-1]) + 1) for r in np.split(idx, np.flatnonzero(cuts) + 1)]


def longest_run(mask: np.ndarray, *, breaks: np.ndarray | None = None) -> tuple[int, int]:
    """(start, stop) of the first longest run of True in `mask`; (0, 0) if none.

    Parameters
    ----------
    mask : ndarray of bool, shape (n,)
    breaks : ndarray of bool, shape (n,), optional
        A run ends before any sample where this is True.
    """
    return max(true_runs(mask, breaks=breaks), key=lambda r: r[1] - r[0], default=(0, 0))


def _short_runs(mask: np.ndarray, t_s: np.ndarray, *, max_s: float) -> np.ndarray:
    """`mask` with runs longer than `max_s` seconds (start to end sample) cleared."""
    out = np.zeros_like(mask)
    for a, b in true_runs(mask):
        if t_s[b - 1] - t_s[a] <= max_s:
            out[a:b] = True
    return out


def _between(good: np.ndarray) -> np.ndarray:
    """True where some earlier and some later sample is `good`."""
    before = np.maximum.accumulate(good)
    after = np.maximum.accumulate(good[::-1])[::-1]
    return before & after


# ------------------------------------------------------------------------ events


def _ground_line(x: np.ndarray, y: np.ndarray, *, fraction: float = 0.15) -> tuple[float, float]:
    """Image line ``y = a + b·x`` of a foot point when it rests on the belt.

    The lowest `fraction` of the point's samples (largest image y) are taken
    as resting on the belt and fitted by least squares, refitted once
    without samples more than 2.5 robust SDs away; the slope absorbs camera
    roll and perspective.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    low = y >= np.quantile(y, 1.0 - fraction)
    if low.sum() < 3 or np.ptp(x[low]) < 1e-6:
        return float(np.median(y[low])), 0.0
    b, a = np.polyfit(x[low], y[low], 1)
    resid = y[low] - (a + b * x[low])
    keep = np.abs(resid) <= 2.5 * 1.4826 * np.median(np.abs(resid)) + 1e-9
    if keep.sum() >= 3:
        b, a = np.polyfit(x[low][keep], y[low][keep], 1)
    return float(a), float(b)


def row_mean(values: np.ndarray) -> np.ndarray:
    """Mean of each row ignoring NaN; NaN for rows with no finite value."""
    finite = np.isfinite(values)
    count = finite.sum(axis=1)
    total = np.where(finite, values, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _foot_signals(track: PoseTrack, foot: str, facing: int) -> dict[str, np.ndarray]:
    """Per-foot signals in pixels.

    ``heel_fwd``/``toe_fwd``: heel and toe position ahead of the pelvis
    along the running direction; ``height``: height of the foot above the
    belt, the smaller of the heel's and the toe's heights above their own
    resting lines (each point rests at its own image height: the heel
    landmark sits above the sole).
    """
    _, _, _, heel, toe = lm.LEG[foot]
    pelvis_x = _midpoint(track, lm.LEFT_HIP, lm.RIGHT_HIP)[:, 0]
    xy = track.xy_px
    heights = []
    for point in (heel, toe):
        a, b = _ground_line(xy[:, point, 0], xy[:, point, 1])
        heights.append(a + b * xy[:, point, 0] - xy[:, point, 1])
    return {
        "heel_fwd": facing * (xy[:, heel, 0] - pelvis_x),
        "toe_fwd": facing * (xy[:, toe, 0] - pelvis_x),
        "height": np.fmin(heights[0], heights[1]),
    }


def detect_events(track: PoseTrack, *, raw: PoseTrack | None = None, view: ViewInfo | None = None,
                  segment: tuple[int, int] | None = None) -> GaitEvents:
    """Initial contact and toe-off of each foot in a side-view track.

    Parameters
    ----------
    track : PoseTrack
        Cleaned and low-pass filtered track (finds candidates).
    raw : PoseTrack, optional
        The same track cleaned but not low-pass filtered; the sub-frame
        refinement fits it so that filtering does not round off the corner
        at touch-down. Defaults to `track`.
    view : ViewInfo, optional
        From `detect_view`; detected when omitted.
    segment : (start, stop), optional
        Sample range to analyse; `select_steady_segment` when omitted.

    Returns
    -------
    GaitEvents

    Notes
    -----
    Each stance is first timed from the unfiltered foot height
    (`_refine_contact`), then refined jointly (`_align_contacts`). For a
    runner crossing the frame (`ViewInfo.crosses_frame`) filmed below 100 fps
    the toe-offs' first guesses come from the low-pass filtered height
    instead: there the lift-offs keep the common timing of their first
    guesses (`event_timing.uses_pooled_kink`), and with only 5-8 of them in
    view, and no belt to time them against, the unfiltered guesses' scatter
    (SD about 20 ms at 60 fps with 2 px jitter) could put it a frame or more
    late. On a treadmill the unfiltered guesses stay: there the filtered ones
    put the bundled 30 fps sample's lift-offs 1.6 frames late through
    MediaPipe; and from 100 fps on, where the pooled kink times the lift-offs,
    they moved two rendered crossing runners' events 30-70 ms
    (docs/rendered_accuracy.md).

    Raises
    ------
    TooFewStepsError
        Fewer than two contacts per foot were found.
    """
    raw = track if raw is None else raw
    view = detect_view(track) if view is None else view
    if view.facing == 0:
        raise TooFewStepsError("side-view event detection needs a side view; this clip looks "
                               f"like a {view.view} view")
    start, stop = select_steady_segment(track) if segment is None else segment
    fs = track.fps
    t = track.t_s[start:stop]
    sig = {f: {k: v[start:stop] for k, v in _foot_signals(track, f, view.facing).items()}
           for f in SIDES}
    sig_raw = {f: {k: v[start:stop] for k, v in _foot_signals(raw, f, view.facing).items()}
               for f in SIDES}
    period = clip_stride_period_s(track, view=view, segment=(start, stop))

    # few lift-offs and no belt: first guesses from the low-pass filtered height where
    # their common timing is kept (see Notes)
    smooth_lift_offs = view.crosses_frame and not uses_pooled_kink(fs, landing=False)
    contacts: list[FootEvent] = []
    notes = [f"stride period from autocorrelation: {period * 1000:.0f} ms"]
    for foot in SIDES:
        s, r = sig[foot], sig_raw[foot]
        amp = np.nanpercentile(s["heel_fwd"], 95) - np.nanpercentile(s["heel_fwd"], 5)
        ic_cand, _ = signal.find_peaks(np.nan_to_num(s["heel_fwd"], nan=-np.inf),
                                       distance=max(int(0.6 * period * fs), 1),
                                       prominence=0.3 * amp)
        to_cand, _ = signal.find_peaks(np.nan_to_num(-s["toe_fwd"], nan=-np.inf),
                                       distance=max(int(0.6 * period * fs), 1),
                                       prominence=0.3 * amp)
        threshold = _contact_threshold(s["height"], r["height"])
        swing_height = np.nanpercentile(r["height"], 90)
        quality = float(np.clip(1.0 - threshold / swing_height, 0, 1)) if swing_height > 0 else 0.0
        notes.append(f"{foot} foot: contact threshold {threshold:.1f} px, "
                     f"swing height {swing_height:.0f} px")
        for k in ic_cand:
            nxt = to_cand[to_cand > k]
            if nxt.size == 0 or (t[nxt[0]] - t[k]) > 0.75 * period:
                continue
            ev = _refine_contact(t, r["height"], k, nxt[0], threshold=threshold)
            if ev is None:
                continue
            ic_s, to_s = ev
            if smooth_lift_offs:
                smooth = _refine_contact(t, s["height"], k, nxt[0], threshold=threshold)
                if smooth is not None and smooth[1] > ic_s:
                    to_s = smooth[1]
            i0 = int(np.clip(np.searchsorted(t, ic_s), 0, t.size - 1))
            i1 = int(np.clip(np.searchsorted(t, to_s), 0, t.size - 1))
            vis = stance_visibility(track, foot, start + i0, start + i1)
            if np.isnan(vis):
                continue  # never seen: the stance lies in a gap that cleaning bridged
            contacts.append(FootEvent(foot, float(ic_s), float(to_s), start + i0, start + i1,
                                      float(np.clip(quality * vis, 0, 1))))
    contacts.sort(key=lambda c: c.ic_s)
    contacts = _drop_duplicates(contacts, min_gap_s=0.5 * period)
    # the toe's image position along the running direction (not relative to the pelvis)
    toe_image = {f: view.facing * track.xy_px[start:stop, lm.LEG[f][4], 0] for f in SIDES}
    contacts, common_se, relifted = _align_contacts(contacts, raw, start=start, stop=stop,
                                                    period_s=period, toe_image_px=toe_image,
                                                    near_side=view.near_side)
    notes += [f"{foot} foot: the toe stayed on the belt well after the toe-offs found from its "
              "height (the pose model lost the foot mid-stance); toe-offs timed from the toe "
              "leaving the belt" for foot in relifted]
    contacts = _score_rhythm(contacts, period)
    require_two_per_foot(contacts, source=track.source, span_s=t[-1] - t[0],
                         found="contacts", where="of usable video",
                         hint="check that both feet are visible and the clip shows at least 10 s "
                              "of running")
    return GaitEvents(tuple(contacts), view, (float(t[0]), float(t[-1])), period, tuple(notes),
                      common_se, tuple(relifted))


#: A foot whose median stance is shorter than this share of the other foot's
#: was not followed through its stances (`short_stance_foot`).
SHORT_STANCE_RATIO = 0.6


def short_stance_foot(contact_s: dict[str, list[float]]) -> str | None:
    """The foot whose stances were cut short by the pose model, or None.

    A steady runner's two feet stay on the belt for similar times (left and
    right contact times differ by a few per cent). In a side view MediaPipe
    loses the far foot for about 0.1 s as the near leg swings past it (its
    landmarks jump towards the near foot): on rendered runners at 60 and
    120 fps the far foot's stances then ended at that moment, 150-200 ms
    early (docs/rendered_accuracy.md).

    Parameters
    ----------
    contact_s : dict
        Contact times in seconds, per foot.

    Returns
    -------
    str or None
        The foot whose median contact time is under `SHORT_STANCE_RATIO` of
        the other's.
    """
    medians = {f: float(np.median(v)) for f, v in contact_s.items() if len(v)}
    if len(medians) < 2:
        return None
    short, long_ = sorted(medians, key=medians.get)
    return short if medians[short] < SHORT_STANCE_RATIO * medians[long_] else None


def require_two_per_foot(contacts: list[FootEvent], *, source: str, span_s: float, found: str,
                         where: str, hint: str) -> None:
    """Refuse a clip with fewer than two contacts of either foot.

    Parameters
    ----------
    contacts : list of FootEvent
    source : str
        The clip's name for the message ("clip" if empty).
    span_s : float
        Length of the searched segment, in seconds.
    found, where, hint : str
        What was counted, plural ("contacts"; for one, the final s is
        dropped), where ("of usable video") and what to do about it, for the
        message.

    Raises
    ------
    TooFewStepsError
    """
    for foot in SIDES:
        n = sum(c.foot == foot for c in contacts)
        if n < 2:
            raise TooFewStepsError(
                f"{source or 'clip'}: found {n} {found if n != 1 else found[:-1]} of the {foot} "
                f"foot in {span_s:.1f} s "
                f"{where} (need at least 2 per foot); {hint}")


def clip_stride_period_s(track: PoseTrack, *, view: ViewInfo, segment: tuple[int, int]) -> float:
    """Stride period in seconds of a clip segment, from both heels' forward motion.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered track.
    view : ViewInfo
        Gives the running direction.
    segment : (start, stop)
        Sample range, `stop` exclusive.

    Returns
    -------
    float
        `estimate_stride_period` of the heel-minus-pelvis positions of both
        feet, short losses of tracking bridged by linear interpolation.
    """
    heels = _heel_signals(track, view=view, segment=segment)
    heels = heels[np.isfinite(heels).all(axis=1)]
    return estimate_stride_period(heels, fs=track.fps)


def _heel_signals(track: PoseTrack, *, view: ViewInfo, segment: tuple[int, int]) -> np.ndarray:
    """Both heels' positions ahead of the pelvis (px) over `segment`, shape (n, 2).

    Losses of tracking are bridged by linear interpolation (held constant
    beyond the first and last sample), so the rhythm keeps its phase; a heel
    with fewer than two samples stays NaN.
    """
    start, stop = segment
    heels = np.column_stack([_foot_signals(track, f, view.facing)["heel_fwd"][start:stop]
                             for f in SIDES])
    t = track.t_s[start:stop]
    for col in heels.T:
        ok = np.isfinite(col)
        if 2 <= ok.sum() < col.size:
            col[~ok] = np.interp(t[~ok], t[ok], col[ok])
    return heels


#: Windows in which `steady_rhythm_segment` measures the local stride period:
#: at least this long (seconds) and three of the segment's strides, one every
#: `RHYTHM_HOP_S` seconds.
RHYTHM_WINDOW_S = 4.0
RHYTHM_HOP_S = 0.5
#: Half-width of the band of local stride periods, as a fraction of its centre,
#: that counts as one steady rhythm. Steady treadmill running varied by at most
#: 1.1 % from window to window (the real 30 fps clip and eleven rendered
#: runners) and the real limping walker drifted by 4.5 %; walking and running
#: stride periods differ by 30-50 %.
STEADY_RHYTHM_TOL = 0.06


def steady_rhythm_segment(track: PoseTrack, *, view: ViewInfo, segment: tuple[int, int]
                          ) -> tuple[int, int]:
    """The longest part of a side view's `segment` in which the stride period stays steady.

    `steady_rhythm_run` of both heels' positions ahead of the pelvis.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered track.
    view : ViewInfo
        Gives the running direction.
    segment : (start, stop)
        Sample range from `select_steady_segment`, `stop` exclusive.

    Returns
    -------
    (start, stop) : tuple of int
    """
    return steady_rhythm_run(_heel_signals(track, view=view, segment=segment), fs=track.fps,
                             segment=segment)


def steady_rhythm_run(signals: np.ndarray, *, fs: float, segment: tuple[int, int]
                      ) -> tuple[int, int]:
    """The longest part of `segment` in which the stride period of `signals` stays steady.

    Start-up (stepping on, the belt speeding up, walking before running),
    a change of speed or a stop changes the stride period. It is measured in
    overlapping windows (`RHYTHM_WINDOW_S`, every `RHYTHM_HOP_S`), and the
    longest run of consecutive windows whose periods all lie within
    `STEADY_RHYTHM_TOL` of a common value is kept. Where the run ends inside
    the segment the cut falls at the centre of its outermost window (half a
    hop beyond it), so at most about a quarter window of the changing part
    remains; where it reaches an end of the segment, that end is kept.

    Parameters
    ----------
    signals : ndarray, shape (stop - start, k)
        Periodic foot signals over the segment (e.g. each heel's position
        ahead of the pelvis), NaN where unknown; windows with a NaN are not
        measured.
    fs : float
        Sampling rate in Hz.
    segment : (start, stop)
        Sample range the signals cover, `stop` exclusive.

    Returns
    -------
    (start, stop) : tuple of int
        `segment` itself when the rhythm is steady throughout or the segment
        holds fewer than two windows.
    """
    start, stop = segment
    finite = np.isfinite(signals).all(axis=1)
    overall = estimate_stride_period(signals[finite], fs=fs)
    win = int(round(max(RHYTHM_WINDOW_S, 3 * overall) * fs))
    hop = max(int(round(RHYTHM_HOP_S * fs)), 1)
    firsts = np.arange(0, stop - start - win + 1, hop)
    if firsts.size < 2:
        return segment
    periods = np.full(firsts.size, np.nan)
    for k, first in enumerate(firsts):
        if finite[first:first + win].all():
            periods[k] = estimate_stride_period(signals[first:first + win], fs=fs,
                                                max_s=0.5 * win / fs)
    a, b = _longest_steady_run(periods, tol=STEADY_RHYTHM_TOL)
    lo = start if a == 0 else start + int(firsts[a]) + (win - hop) // 2
    hi = stop if b == firsts.size else start + int(firsts[b - 1]) + (win + hop) // 2
    return lo, hi


def rhythm_change_note(t_s: np.ndarray, steady: tuple[int, int], segment: tuple[int, int]
                       ) -> str:
    """The warning that only the steady part `steady` of `segment` was analysed."""
    return (f"the stride rhythm changed during the clip (start-up, a change of speed or a "
            f"stop): only its steady part, {t_s[steady[0]]:.1f}-{t_s[steady[1] - 1]:.1f} s of "
            f"{t_s[segment[0]]:.1f}-{t_s[segment[1] - 1]:.1f} s, was analysed")


def _longest_steady_run(periods: np.ndarray, *, tol: float) -> tuple[int, int]:
    """(a, b): the longest run of consecutive `periods` within `tol` of one of them.

    The first such run wins a tie; NaN periods belong to no run.
    """
    best = (0, 0)
    for centre in periods[np.isfinite(periods)]:
        with np.errstate(invalid="ignore"):
            a, b = longest_run(np.abs(periods / centre - 1.0) <= tol)
        if b - a > best[1] - best[0] or (b - a == best[1] - best[0] and a < best[0]):
            best = (a, b)
    return best


def _refine_contact(t: np.ndarray, height: np.ndarray, k_ic: int, k_to: int, *,
                    threshold: float) -> tuple[float, float] | None:
    """Sub-frame IC and TO of one stance from the foot's height above the belt.

    The stance level is first taken as the median of the lower half of the
    heights between the two candidates. From the lowest sample, walk back
    until the height has exceeded that level by `threshold` for two samples
    in a row (the swing before landing) and forward likewise (the swing
    after lift-off). Landing is then timed against the level of the first
    half of the stance (heel down) and lift-off against that of the second
    half (toe down), since heel and toe landmarks rest at slightly different
    heights; the instants come from `touch_time`. Returns (ic_s, to_s) or
    None.
    """
    window = height[k_ic:k_to + 1]
    window = window[np.isfinite(window)]
    if window.size < 2:
        return None
    level = float(np.median(np.sort(window)[: max(window.size // 2, 1)]))
    rel = height - level
    anchor = k_ic + int(np.nanargmin(rel[k_ic:k_to + 1]))
    if rel[anchor] > threshold:
        return None

    def last_in_contact(step: int) -> int | None:
        i = anchor
        while 0 <= i + 2 * step < rel.size:
            a, b = rel[i + step], rel[i + 2 * step]
            if not (np.isfinite(a) and np.isfinite(b)):
                return None
            if a > threshold and b > threshold:
                return i
            i += step
        return None

    first_in, last_in = last_in_contact(-1), last_in_contact(+1)
    if first_in is None or last_in is None:
        return None
    mid = (first_in + last_in + 1) // 2
    early = height[first_in:max(mid, first_in + 1)]
    late = height[mid:last_in + 1]
    ic = touch_time(t, height - np.nanmedian(early), first_in, -1)
    to = touch_time(t, height - np.nanmedian(late), last_in, +1)
    return (ic, to) if to > ic else None


def _height_above_rest(xy_px: np.ndarray) -> np.ndarray:
    """Height in pixels of one point above its resting line (`_ground_line`), shape (n,)."""
    a, b = _ground_line(xy_px[:, 0], xy_px[:, 1])
    return a + b * xy_px[:, 0] - xy_px[:, 1]


def _rhythm_checked(ic_s: np.ndarray, to_s: np.ndarray, *, period_s: float, contact_s: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """First guesses with an implausible contact time mended from the stride rhythm.

    Where a contact lasts more than 25 % longer or shorter than the foot's
    median `contact_s`, whichever of its IC and TO lies further off the
    rhythm of the foot's other events (a whole number of `period_s` from
    them) is replaced by the other one -+ `contact_s`.
    """
    ic_s, to_s = ic_s.copy(), to_s.copy()

    def off_rhythm(x: np.ndarray, k: int) -> float:
        others = np.delete(x, k)
        phase = (x[k] - others) / period_s
        return float(np.median(np.abs(phase - np.round(phase)))) if others.size else 0.0

    for k in np.flatnonzero(np.abs((to_s - ic_s) - contact_s) > 0.25 * contact_s):
        if off_rhythm(ic_s, k) > off_rhythm(to_s, k):
            ic_s[k] = to_s[k] - contact_s
        else:
            to_s[k] = ic_s[k] + contact_s
    return ic_s, to_s


def _align_contacts(contacts: list[FootEvent], raw: PoseTrack, *, start: int, stop: int,
                    period_s: float, toe_image_px: dict[str, np.ndarray], near_side: str | None
                    ) -> tuple[list[FootEvent], tuple[float, float], list[str]]:
    """Every IC and TO instant refined jointly by `event_timing.align_feet`.

    Fits the unfiltered heel, ankle and toe (x and y) of the segment
    ``start:stop``; the landings of both feet share one template (and the
    lift-offs another), each foot with its own gain. Strides the first
    detection lost (gaps in tracking, repaired swaps) are looked for where
    the stride rhythm predicts them (`event_timing.predict_missing`) and
    kept when their landmarks fit the template as well as the detected
    ones; they get half the median confidence. A detected event whose
    landmarks do not fit the template at all (`_misfit`: a repaired swap or
    a filled gap in its window) keeps its first timing, as does a contact
    whose refined toe-off would not follow its initial contact. A foot whose
    stances the pose model cut short (`short_stance_foot`) keeps the first
    timing of its toe-offs, which are left out of the lift-off template.
    A foot whose toe stays on the belt well after its refined toe-offs
    (`belt_lift_off.cut_short`, with the belt's image speed read from the
    near foot's low-pass filtered toe `toe_image_px`) has its toe-offs timed
    again from the toe leaving the belt, and all lift-offs are aligned anew.
    A runner crossing the frame over still ground has each foot's gain
    measured from its travel across the image (`crossing_scale`), not fitted.

    Returns the contacts, the standard errors (s) of the common timing
    of the initial contacts and of the toe-offs, and the feet whose
    toe-offs were timed from the belt.
    """
    t = raw.t_s[start:stop]
    first, y, trusted, heights = {}, {}, {}, {}
    for foot in SIDES:
        mine = [c for c in contacts if c.foot == foot]
        if len(mine) < 2:
            continue
        _, _, ankle, heel, toe = lm.LEG[foot]
        y[foot] = raw.xy_px[start:stop, [heel, ankle, toe]].reshape(t.size, 6)
        heights[foot] = np.column_stack([_height_above_rest(raw.xy_px[start:stop, p])
                                         for p in (heel, toe)])
        ic0, to0 = np.array([c.ic_s for c in mine]), np.array([c.to_s for c in mine])
        extra = predict_missing(ic0, period_s=period_s, t_range_s=(t[0], t[-1]))
        contact_s = float(np.median(to0 - ic0))
        ic0, to0 = _rhythm_checked(ic0, to0, period_s=period_s, contact_s=contact_s)
        first[foot] = (np.r_[ic0, extra], np.r_[to0, extra + contact_s])
        trusted[foot] = np.r_[np.ones(ic0.size, bool), np.zeros(extra.size, bool)]
    if not first:  # no foot with two contacts: nothing to align, the caller refuses the clip
        return contacts, (float("nan"), float("nan")), []
    scale = crossing_scale(t, toe_image_px, first, trusted)
    ic = align_feet(t, y, {f: v[0] for f, v in first.items()}, fs=raw.fps, landing=True,
                    trusted=trusted, heights_px=heights, scale=scale)
    to = _align_lift_offs(t, y, first, trusted, heights, fs=raw.fps, scale=scale)
    belt_to = _belt_lift_offs(t, toe_image_px, first, trusted, near_side=near_side,
                              fs=raw.fps, period_s=period_s)
    relifted = [f for f in first
                if cut_short(belt_to[f], first[f][0],
                             to[f].instants_s if f in to else first[f][1])]
    if relifted:
        for foot in relifted:
            first[foot] = (first[foot][0], np.where(np.isfinite(belt_to[foot]), belt_to[foot],
                                                    first[foot][1]))
        to = _align_lift_offs(t, y, first, trusted, heights, fs=raw.fps, scale=scale)
    out = [c for c in contacts if c.foot not in first]
    for foot in first:
        conf = [c.confidence for c in contacts if c.foot == foot]
        confidence = np.r_[conf, np.full(first[foot][0].size - len(conf), 0.5 * np.median(conf))]
        a, b = ic[foot], to.get(foot)
        lift_s = first[foot][1] if b is None else b.instants_s
        for k, (ic_s, to_s) in enumerate(zip(a.instants_s, lift_s)):
            if not trusted[foot][k] and not (a.fitted[k] and (b is None or b.fitted[k])
                                             and t[0] < ic_s < to_s < t[-1]):
                continue
            ic_s = first[foot][0][k] if _misfit(a, k, trusted[foot]) else ic_s
            to_s = first[foot][1][k] if b is None or _misfit(b, k, trusted[foot]) else to_s
            if not to_s > ic_s:
                ic_s, to_s = first[foot][0][k], first[foot][1][k]
            i0, i1 = (start + int(np.clip(np.searchsorted(t, x), 0, t.size - 1))
                      for x in (ic_s, to_s))
            if not trusted[foot][k] and np.isnan(stance_visibility(raw, foot, i0, i1)):
                continue
            out.append(FootEvent(foot, float(ic_s), float(to_s), i0, i1, float(confidence[k])))
    common_se = tuple(next((a.common_shift_se_s for a in aligned.values()), float("nan"))
                      for aligned in (ic, to))
    return sorted(out, key=lambda c: c.ic_s), common_se, relifted


def _align_lift_offs(t: np.ndarray, y: dict[str, np.ndarray],
                     first: dict[str, tuple[np.ndarray, np.ndarray]],
                     trusted: dict[str, np.ndarray], heights: dict[str, np.ndarray], *,
                     fs: float, scale: dict[str, float] | None) -> dict[str, AlignedEvents]:
    """The feet's toe-offs refined by `event_timing.align_feet` from their first guesses.

    A foot the pose model lost mid-stance (`short_stance_foot`) lifts off
    where it was lost: its lift-offs are left out (they keep their first
    guesses) and do not shape the other foot's. `scale`: fixed gains per
    foot (`crossing_scale`), or None to fit them.
    """
    cut = short_stance_foot({f: list(v[1] - v[0]) for f, v in first.items()})
    lifting = [f for f in first if f != cut]
    return align_feet(t, {f: y[f] for f in lifting}, {f: first[f][1] for f in lifting},
                      fs=fs, landing=False, trusted={f: trusted[f] for f in lifting},
                      heights_px={f: heights[f] for f in lifting}, pinned=TOE_PINNED,
                      rigid_axes=FOOT_RIGID_AXES,
                      scale=None if scale is None else {f: scale[f] for f in lifting})


def crossing_scale(t: np.ndarray, toe_image_px: dict[str, np.ndarray],
                   first: dict[str, tuple[np.ndarray, np.ndarray]],
                   trusted: dict[str, np.ndarray]) -> dict[str, float] | None:
    """Each foot's image scale relative to the other's, for a runner crossing the frame.

    Over still ground (a fixed camera, overground running) each foot stands
    still in stance and its footprints advance across the image by one
    stride per stride; on a treadmill the stance foot moves backwards with
    the belt and the footprints stay in place. When every foot's footprints
    advance faster than the foot moves in stance, the ground is taken as
    still. Both feet then cover the same distance, so the ratio of their
    footprints' image speeds is the perspective ratio of their depths (the
    far foot is seen smaller), and `event_timing` uses it as the feet's
    gains: with no belt to pin them down, fitted gains trade off against the
    timing (`event_timing.align_events`, ``group_scale``).

    Parameters
    ----------
    t : ndarray, shape (n,)
        Sample times, seconds.
    toe_image_px : dict of ndarray, shape (n,)
        Per foot: the toe's low-pass filtered image position along the
        running direction, pixels (NaN where not tracked).
    first : dict of (ndarray, ndarray)
        Per foot: first-guess initial contacts and toe-offs, seconds.
    trusted : dict of ndarray of bool
        Per foot: which of those come from a detection.

    Returns
    -------
    dict of float or None
        Per foot, the image speed of its footprints (toe position at each
        mid-stance, against time; a Theil-Sen slope, so one stance given to
        the wrong foot does not tilt it) over the feet's geometric mean; None
        on a treadmill, where a foot has fewer than two tracked stances, or
        where the feet's footprints advance in opposite directions.
    """
    advance = {}
    for foot, (ic_s, to_s) in first.items():
        ic_s, to_s = ic_s[trusted[foot]], to_s[trusted[foot]]
        ok = np.isfinite(toe_image_px[foot])
        mid_s = 0.5 * (ic_s + to_s)
        mid_s = mid_s[(mid_s > t[0]) & (mid_s < t[-1])]
        if ok.sum() < 2 or mid_s.size < 2:
            return None
        footprint = np.interp(mid_s, t[ok], toe_image_px[foot][ok])
        advance[foot] = theilslopes(footprint, mid_s)[0]
        in_stance = belt_speed_px_s(t, toe_image_px[foot], ic_s, to_s)
        if not abs(advance[foot]) > abs(in_stance):
            return None
    speeds = np.array(list(advance.values()))
    if not (np.all(speeds > 0) or np.all(speeds < 0)):
        return None
    mean = float(np.exp(np.mean(np.log(np.abs(speeds)))))
    return {foot: float(abs(v) / mean) for foot, v in advance.items()}


def _belt_lift_offs(t: np.ndarray, toe_image_px: dict[str, np.ndarray],
                    first: dict[str, tuple[np.ndarray, np.ndarray]],
                    trusted: dict[str, np.ndarray], *, near_side: str | None, fs: float,
                    period_s: float) -> dict[str, np.ndarray]:
    """Each first-guess stance's toe-off from the toe leaving the belt (`belt_lift_off`).

    The belt's image speed comes from the detected stances of the near foot
    (of both feet when the near one is not known), whose landmarks the pose
    model follows best; each swing is searched up to the foot's next
    initial contact, at most one stride period on.
    """
    readers = [near_side] if near_side in first else list(first)
    speeds = [belt_speed_px_s(t, toe_image_px[f], first[f][0][trusted[f]], first[f][1][trusted[f]])
              for f in readers]
    speed = float(np.median(speeds)) if np.isfinite(speeds).all() else float("nan")
    out = {}
    for foot, (ic_s, _) in first.items():
        order = np.sort(ic_s)
        nxt = order[np.minimum(np.searchsorted(order, ic_s, side="right"), order.size - 1)]
        end = np.where(nxt > ic_s, np.minimum(nxt, ic_s + period_s), ic_s + period_s)
        out[foot] = belt_lift_offs(t, toe_image_px[foot], ic_s, end_s=end, speed_px_s=speed, fs=fs)
    return out


def stance_visibility(track: PoseTrack, foot: str, first: int, last: int) -> float:
    """Mean visibility (0-1) of the foot over frames `first` to `last` (a stance).

    Visibility is NaN exactly where the pose model found no person; such
    frames (gaps that cleaning filled) count as unseen, 0. NaN when the foot
    was seen in none of the frames: a stance lying wholly inside a filled
    gap is copied from the neighbouring strides, not measured.
    """
    _, _, ankle, heel, toe = lm.LEG[foot]
    per_frame = row_mean(track.visibility[first:last + 1, [ankle, heel, toe]])
    if not np.isfinite(per_frame).any():
        return float("nan")
    return float(np.nan_to_num(per_frame, nan=0.0).mean())


def _misfit(aligned: AlignedEvents, k: int, trusted: np.ndarray) -> bool:
    """Whether event `k` fits its foot's template so badly that its alignment is void.

    True when its residual exceeds `MISFIT_RMS_RATIO` times the typical
    (median) residual of the foot's detected events, or it (or every
    detected event of its foot) could not be fitted at all.
    """
    typical = aligned.rms_px[trusted]
    typical = typical[np.isfinite(typical)]
    return not (typical.size and aligned.rms_px[k] <= MISFIT_RMS_RATIO * np.median(typical))


def _contact_threshold(filtered: np.ndarray, raw: np.ndarray) -> float:
    """Height in pixels below which a foot counts as on the belt.

    Three robust standard deviations of the landmark jitter (raw minus
    low-passed height), and at least 1 px.
    """
    resid = raw - filtered
    resid = resid[np.isfinite(resid)]
    sigma = 1.4826 * np.median(np.abs(resid - np.median(resid))) if resid.size else 0.0
    return float(max(3.0 * sigma, 1.0))


def _drop_duplicates(contacts: list[FootEvent], *, min_gap_s: float) -> list[FootEvent]:
    """Keep one contact per stance: of two same-foot contacts closer than
    `min_gap_s` (two candidates refined onto one stance), the more confident."""
    kept: list[FootEvent] = []
    for c in contacts:
        clash = [k for k in kept if k.foot == c.foot and abs(k.ic_s - c.ic_s) < min_gap_s]
        if not clash:
            kept.append(c)
        elif c.confidence > clash[0].confidence:
            kept[kept.index(clash[0])] = c
    return kept


def _score_rhythm(contacts: list[FootEvent], period: float) -> list[FootEvent]:
    """Scale each contact's confidence by how well it keeps the stride rhythm."""
    out = []
    for c in contacts:
        same = [o.ic_s for o in contacts if o.foot == c.foot and o is not c]
        if same:
            gap = min(abs(abs(c.ic_s - s) - period) for s in same)
            rhythm = float(np.exp(-((gap / (0.15 * period)) ** 2)))
        else:
            rhythm = 0.5
        out.append(FootEvent(c.foot, c.ic_s, c.to_s, c.ic_idx, c.to_idx, c.confidence * rhythm))
    return out
