"""Walking: telling walking from running, and gait events of a walker.

Gait type
---------
A walker always has at least one foot on the ground and both feet down
for a while in every step (double support); a runner has a flight phase
in every step. So the gait is walking when, over the analysed segment,
the two feet together spend more time in double support than in flight,
which is the same as the mean duty factor of the feet exceeding 50 %
(duty_L + duty_R - 1 = double support - flight, as fractions of time).

Stance is found here without the running event detector, from the one
property every stance has, on a treadmill or overground: the foot stands
still on the ground. Its horizontal image velocity equals the ground's —
zero for a fixed camera filming overground walking, minus the belt speed
on a treadmill. The ground's image velocity is found as the most common
horizontal velocity of the heels and toes (each foot rests on the ground
for a third to two thirds of the time at one constant velocity, while in
swing its velocity sweeps a wide range). A foot counts as resting while
its heel or its toe moves at the ground's velocity within a fraction of
the feet's swing speed; this is the heel/toe sagittal-velocity criterion
of Ghoussayni et al. (2004), made relative to the ground's velocity so
that it holds on a treadmill as well.

Walking events
--------------
Each resting run of a foot is one stance. The heel has its footprint
where it rests in early stance, the toe where it rests in late stance.
Initial contact (IC) is the instant the first of them arrives at its
footprint (the heel in a heel strike, the forefoot in a toe strike);
toe-off (TO) the instant the last of them leaves it (normally the toe).
Each instant is timed with sub-frame resolution on the unfiltered
landmarks: the point's distance from its footprint (in the ground's frame)
is followed from the stance outwards until it clearly exceeds the
landmark jitter, and a hinge (at rest, then rising linearly and
quadratically) fitted by least squares around that edge gives the
instant it left (or reached) rest. Double support (both feet down) is
allowed, and contact time exceeds step time, as in every walk.

What real footage needs besides: a stance is timed only after a swing
of its foot was tracked (not in the frames where the pose model locks
on); one that runs into the clip's end keeps its IC without a TO; a break
in a rest after which the foot is back on the same footprint is a
tracking glitch, not a swing; and a "stance" less than 70 % of a stride
ahead of the same foot's previous footprint is the other foot wearing
this foot's labels (a swing foot passing behind the stance foot), so it
is dropped.

References
----------
Ghoussayni S, Stevens C, Durham S, Ewins D (2004). Assessment and
validation of a simple automated method for the detection of gait events
and intervals. Gait Posture 20(3):266-272. doi:10.1016/j.gaitpost.2003.10.001
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import landmarks as lm
from .errors import TooFewStepsError
from .events import (SIDES, FootEvent, GaitEvents, ViewInfo, clip_stride_period_s, detect_events,
                     require_two_per_foot, stance_visibility, true_runs)
from .track import PoseTrack

#: A foot rests while its heel or toe moves at the ground's velocity within this
#: fraction of the feet's swing speed (95th percentile of the speed over the ground).
REST_SPEED_FRACTION = 0.15
#: A walking stance lasts more than half the stride; one shorter than this fraction
#: of it is a foot lost or mislabelled (as where it passes behind furniture).
MIN_STANCE_FRACTION = 0.4
#: A break in a rest is a swing only if the foot lands this fraction of its fore-aft
#: range relative to the pelvis (about three quarters of a stride) away.
MIN_SWING_TRAVEL = 0.3
#: A resting run longer than this fraction of the stride is two stances run together
#: (a lost swing): its toe-off is left unknown.
MAX_STANCE_FRACTION = 0.85
#: Stances whose landmarks scatter in stance by more than (1 - this) x 10 % of the
#: foot's fore-aft travel are dropped (confidence below this).
MIN_QUALITY = 0.25
#: A foot lands at least this fraction of the median stride ahead of its previous
#: footprint; a closer "footprint" is the other foot with this foot's labels.
MIN_STRIDE_FRACTION = 0.7
#: Seconds of samples on each side of an event used to time it (at least 2-3 samples).
EDGE_WINDOW_S = 0.06
#: A stance counts only with this fraction of the stride (and at least 3 samples) of
#: swing tracked before it; its toe-off needs `EDGE_WINDOW_S` of swing after it.
MIN_SWING_FRACTION = 0.15
#: Resting runs shorter than this fraction of the stride are jitter, and so are
#: interruptions of a rest shorter than it.
MIN_RUN_FRACTION = 0.08


@dataclass(frozen=True)
class GaitType:
    """Walking or running, and the evidence for it.

    Attributes
    ----------
    mode : str
        "walking" or "running".
    duty_factor : float
        Mean over both feet of the fraction of the segment each foot rests
        on the ground (0-1).
    double_support : float
        Fraction of the segment with both feet resting (0-1).
    flight : float
        Fraction of the segment with neither foot resting (0-1).
    ground_speed_px_s : float
        Horizontal image velocity of the ground in pixels per second,
        signed along the direction of travel (0 overground with a fixed
        camera, minus the belt speed on a treadmill).
    event_duty_factor : float
        Median contact time over stride time of the walking events (0-1),
        when they were detected (NaN otherwise).
    """

    mode: str
    duty_factor: float
    double_support: float
    flight: float
    ground_speed_px_s: float
    event_duty_factor: float = float("nan")

    def note(self) -> str:
        """One line for the provenance log."""
        checked = (f"; walking events give a duty factor of {100 * self.event_duty_factor:.0f} %"
                   if np.isfinite(self.event_duty_factor) else "")
        return (f"gait type {self.mode}: feet resting {100 * self.duty_factor:.0f} % of the "
                f"time each, double support {100 * self.double_support:.0f} %, flight "
                f"{100 * self.flight:.0f} % of the time{checked}; ground moves "
                f"{self.ground_speed_px_s:+.0f} px/s in the image")


@dataclass(frozen=True)
class _RestState:
    """Per-foot resting masks over a segment and what they were found with."""

    t_s: np.ndarray
    rest: dict[str, np.ndarray]
    known: dict[str, np.ndarray]
    ground_px_s: dict[str, float]
    stride_period_s: float


def ground_velocity_px_s(velocities: np.ndarray, *, bin_px_s: float) -> float:
    """Most common value of horizontal velocities: the ground's image velocity.

    Parameters
    ----------
    velocities : ndarray
        Horizontal velocities of the foot points in pixels per second (any
        shape; NaN ignored).
    bin_px_s : float
        Histogram bin width in pixels per second.

    Returns
    -------
    float
        Median of the velocities within one bin of the fullest histogram
        bin (smoothed over three bins); NaN when no velocity is finite.
    """
    v = np.asarray(velocities, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0 or not bin_px_s > 0:
        return float("nan")
    edges = np.arange(v.min() - bin_px_s, v.max() + 2 * bin_px_s, bin_px_s)
    counts, _ = np.histogram(v, bins=edges)
    smooth = np.convolve(counts, np.ones(3), mode="same")
    centre = 0.5 * (edges[:-1] + edges[1:])[int(np.argmax(smooth))]
    near = v[np.abs(v - centre) <= 1.5 * bin_px_s]
    return float(np.median(near))


def _forward_x(track: PoseTrack, index: int, facing: int, start: int, stop: int) -> np.ndarray:
    return facing * track.xy_px[start:stop, index, 0]


def _rest_state(track: PoseTrack, *, view: ViewInfo, segment: tuple[int, int]) -> _RestState:
    """Where each foot rests on the ground within `segment` (filtered track)."""
    start, stop = segment
    t = track.t_s[start:stop]
    period = clip_stride_period_s(track, view=view, segment=segment)
    vel = {}
    for foot in SIDES:
        _, _, _, heel, toe = lm.LEG[foot]
        vel[foot] = np.column_stack([
            np.gradient(_forward_x(track, point, view.facing, start, stop), t)
            for point in (heel, toe)])
    min_run = max(int(round(MIN_RUN_FRACTION * period / np.median(np.diff(t)))), 1)
    rest, known, v_ground = {}, {}, {}
    for foot in SIDES:
        # each foot's own ground velocity: perspective scales the near and far leg's planes
        spread = np.nanpercentile(np.abs(vel[foot] - np.nanmedian(vel[foot])), 95)
        v_ground[foot] = ground_velocity_px_s(vel[foot], bin_px_s=0.05 * spread)
        swing_speed = np.nanpercentile(np.abs(vel[foot] - v_ground[foot]), 95)
        slow = np.abs(vel[foot] - v_ground[foot]) < REST_SPEED_FRACTION * swing_speed
        known[foot] = np.isfinite(vel[foot]).any(axis=1)
        mask = slow.any(axis=1)
        mask = _close_runs(mask, max_len=min_run, value=False)  # jitter interrupting a rest
        mask = _close_runs(mask, max_len=min_run, value=True)  # jitter faking a rest
        _, _, _, heel, toe = lm.LEG[foot]
        foot_fwd = 0.5 * (_forward_x(track, heel, view.facing, start, stop)
                          + _forward_x(track, toe, view.facing, start, stop))
        rest[foot] = _join_rests(mask, foot_fwd - v_ground[foot] * (t - t[0]),
                                 min_travel_px=MIN_SWING_TRAVEL * _stride_travel_px(track, foot,
                                                                                   view, segment))
    return _RestState(t, rest, known, v_ground, period)


def _stride_travel_px(track: PoseTrack, foot: str, view: ViewInfo, segment: tuple[int, int]
                      ) -> float:
    """Fore-aft range of the heel relative to the pelvis (5th-95th percentile), in pixels."""
    start, stop = segment
    hips = track.xy_px[start:stop][:, [lm.LEFT_HIP, lm.RIGHT_HIP], 0]
    pelvis = 0.5 * (hips[:, 0] + hips[:, 1])
    rel = view.facing * (track.xy_px[start:stop, lm.LEG[foot][3], 0] - pelvis)
    return float(np.nanpercentile(rel, 95) - np.nanpercentile(rel, 5))


def _join_rests(mask: np.ndarray, fwd_px: np.ndarray, *, min_travel_px: float) -> np.ndarray:
    """Join resting runs that the foot did not leave its footprint between.

    A swing carries the foot a stride forward; a break in a rest after which
    the foot is back within `min_travel_px` of where it was (a tracking
    glitch, or the labels of the feet swapped for a moment) is no swing.
    `fwd_px` is the foot's forward position in the ground's frame.
    """
    out = mask.copy()
    runs = true_runs(mask)
    for (_, end), (nxt, _) in zip(runs[:-1], runs[1:]):
        before, after = fwd_px[max(end - 3, 0):end], fwd_px[nxt:nxt + 3]
        before, after = before[np.isfinite(before)], after[np.isfinite(after)]
        if before.size and after.size and abs(np.median(after) - np.median(before)) < min_travel_px:
            out[end:nxt] = True
    return out


def _close_runs(mask: np.ndarray, *, max_len: int, value: bool) -> np.ndarray:
    """`mask` with interior runs of `value` no longer than `max_len` samples flipped."""
    out = mask.copy()
    for a, b in true_runs(mask == value):
        if a > 0 and b < mask.size and b - a <= max_len:  # interior and short
            out[a:b] = not value
    return out


def classify_gait(track: PoseTrack, *, view: ViewInfo, segment: tuple[int, int]) -> GaitType:
    """Walking or running from the time the feet rest on the ground.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, low-pass filtered side-view track.
    view : ViewInfo
        Side view (gives the direction of travel).
    segment : (start, stop)
        Sample range analysed, `stop` exclusive.

    Returns
    -------
    GaitType
        "walking" when the mean duty factor of the feet exceeds 50 %
        (double support outlasts flight), else "running".
    """
    state = _rest_state(track, view=view, segment=segment)
    both_known = state.known["left"] & state.known["right"]
    if not both_known.any():
        raise TooFewStepsError(f"{track.source or 'clip'}: the feet are not tracked in the "
                               "analysed segment; film the whole body side-on, feet included")
    left, right = state.rest["left"][both_known], state.rest["right"][both_known]
    duty = 0.5 * (left.mean() + right.mean())
    return GaitType("walking" if duty > 0.5 else "running", float(duty),
                    float((left & right).mean()), float((~left & ~right).mean()),
                    float(np.mean(list(state.ground_px_s.values()))))


def detect_gait_events(track: PoseTrack, *, raw: PoseTrack | None = None, view: ViewInfo,
                       segment: tuple[int, int]) -> tuple[GaitType, GaitEvents]:
    """Gait type and events: walking events for a walker, `gait.events` for a runner.

    `classify_gait` screens the clip. The resting fraction it measures
    reads a few points high (the slow end of each swing counts as rest),
    so a clip it calls walking is checked with the walking events: their
    median contact time over stride time must exceed 50 % as well, else the
    clip is a (slow) run and goes to the running detector.

    Parameters
    ----------
    track, raw, view, segment
        As for `detect_walking_events`.

    Returns
    -------
    GaitType, GaitEvents

    Raises
    ------
    TooFewStepsError
        Too few contacts for the detector of the gait found.
    """
    gait = classify_gait(track, view=view, segment=segment)
    if gait.mode == "walking":
        events = detect_walking_events(track, raw=raw, view=view, segment=segment)
        contact = [c.contact_s for c in events.contacts if np.isfinite(c.contact_s)]
        duty = float(np.median(contact)) / events.stride_period_s if contact else float("nan")
        gait = replace(gait, event_duty_factor=duty)
        if not duty <= 0.5:  # NaN (no whole stance) keeps the screening's answer
            return gait, events
        gait = replace(gait, mode="running")
    return gait, detect_events(track, raw=raw, view=view, segment=segment)


def detect_walking_events(track: PoseTrack, *, raw: PoseTrack | None = None, view: ViewInfo,
                          segment: tuple[int, int]) -> GaitEvents:
    """Initial contact and toe-off of each foot of a walker (overground or treadmill).

    Parameters
    ----------
    track : PoseTrack
        Cleaned, low-pass filtered side-view track (finds the stances).
    raw : PoseTrack, optional
        The same track cleaned but not filtered (times the events);
        defaults to `track`.
    view : ViewInfo
        A side view.
    segment : (start, stop)
        Sample range analysed, `stop` exclusive.

    Returns
    -------
    GaitEvents
        One contact per stance that starts inside the segment after a
        tracked swing; ``to_s`` is NaN (``to_idx`` -1) when the stance runs
        into the segment's end.

    Raises
    ------
    TooFewStepsError
        Fewer than two contacts of a foot were found.
    """
    raw = track if raw is None else raw
    start, stop = segment
    state = _rest_state(track, view=view, segment=segment)
    t = state.t_s
    notes = [f"walking events: stride period from autocorrelation "
             f"{state.stride_period_s * 1000:.0f} ms, ground moves "
             f"{np.mean(list(state.ground_px_s.values())):+.0f} px/s"]
    contacts: list[FootEvent] = []
    footprints: list[float] = []  # forward heel position of each contact, ground frame, px
    min_swing = max(int(round(MIN_SWING_FRACTION * state.stride_period_s / np.median(np.diff(t)))),
                    3)
    min_after = max(int(np.ceil(EDGE_WINDOW_S / np.median(np.diff(t)))), 3)  # to time a TO
    for foot in SIDES:
        _, _, _, heel, toe = lm.LEG[foot]
        ground = state.ground_px_s[foot]
        heel_d = _FootPoint(raw, heel, view.facing, segment, ground)
        toe_d = _FootPoint(raw, toe, view.facing, segment, ground)
        travel = np.ptp(np.nan_to_num(heel_d.xy[:, 0], nan=np.nanmedian(heel_d.xy[:, 0])))
        rest = state.rest[foot]
        n_found = 0
        for a, b in true_runs(rest):
            # a stance is timed only with a swing tracked before it (not a few frames before
            # the pose locks on); without one after it (the clip ends) it has no toe-off
            if _moving_before(rest, a) < min_swing:
                continue
            has_to = _moving_after(rest, b) >= min_after
            # the heel rests early in stance, the toe late: each has its own footprint
            early = slice(a, a + max(2, (b - a) // 3))
            late = slice(b - max(2, (b - a) // 3), b)
            # first contact by whichever lands first (heel or forefoot strike), last by the
            # one that leaves last (normally the toe)
            n_heel, n_toe = len(heel_d.thresholds_px), len(toe_d.thresholds_px)
            ic_s = np.fmin(heel_d.arrival_s(t, a, early), toe_d.arrival_s(t, a, late))
            to_s = np.fmax(toe_d.departure_s(t, b - 1, late),
                           heel_d.departure_s(t, b - 1, early)) if has_to else np.nan
            if not np.isfinite(ic_s) or (has_to and not (
                    to_s - ic_s >= MIN_STANCE_FRACTION * state.stride_period_s)):
                continue
            if to_s - ic_s > MAX_STANCE_FRACTION * state.stride_period_s:
                to_s, has_to = np.nan, False  # two stances run together: the toe-off is unknown
            i0 = int(np.clip(np.searchsorted(t, ic_s), 0, t.size - 1))
            i1 = int(np.clip(np.searchsorted(t, to_s), 0, t.size - 1)) if has_to else t.size - 1
            v = stance_visibility(track, foot, start + i0, start + i1)
            if np.isnan(v):
                continue  # never seen: the stance lies in a gap that cleaning bridged
            jitter = max(heel_d.thresholds_px[n_heel:] + toe_d.thresholds_px[n_toe:])
            quality = float(np.clip(1.0 - jitter / (0.1 * travel), 0.0, 1.0)) if travel else 0.0
            if quality < MIN_QUALITY:
                continue  # the foot's landmarks scatter too much in stance to time it
            contacts.append(FootEvent(foot, float(ic_s), float(to_s), start + i0,
                                      start + i1 if has_to else -1,
                                      float(np.clip(quality * v, 0.0, 1.0))))
            footprints.append(float(np.nanmedian(heel_d.xy[early, 0])))
            n_found += 1
        notes.append(f"{foot} foot: {n_found} stances; median jitter threshold heel "
                     f"{np.median(heel_d.thresholds_px or [np.nan]):.1f} px, toe "
                     f"{np.median(toe_d.thresholds_px or [np.nan]):.1f} px")
    contacts, dropped = _drop_short_strides(contacts, footprints,
                                            period_s=state.stride_period_s)
    if dropped:
        notes.append(f"dropped {dropped} contact(s) less than {MIN_STRIDE_FRACTION:.0%} of the "
                     "median stride from the same foot's previous footprint (feet mislabelled)")
    contacts.sort(key=lambda c: c.ic_s)
    require_two_per_foot(contacts, source=track.source, span_s=t[-1] - t[0],
                         found="complete stances", where="of usable video",
                         hint="film at least three strides side-on with both feet in view")
    return GaitEvents(tuple(contacts), view, (float(t[0]), float(t[-1])),
                      state.stride_period_s, tuple(notes))


class _FootPoint:
    """One foot landmark over a segment, in the frame of the ground.

    ``xy`` holds the unfiltered (forward, down) positions in pixels with the
    ground's motion removed.
    """

    def __init__(self, raw: PoseTrack, index: int, facing: int, segment: tuple[int, int],
                 ground_px_s: float) -> None:
        start, stop = segment
        t = raw.t_s[start:stop]
        fwd = _forward_x(raw, index, facing, start, stop) - ground_px_s * (t - t[0])
        self.xy = np.column_stack([fwd, raw.xy_px[start:stop, index, 1]])
        self.thresholds_px: list[float] = []

    def _distance(self, rest: slice) -> tuple[np.ndarray, float, float]:
        """Distance from the footprint, jitter threshold and rest level, in pixels.

        The footprint is the median position over `rest`; the rest level the
        median distance over `rest`; the threshold three times that (for
        Gaussian jitter about 3.5 standard deviations of one coordinate),
        and at least 1 px.
        """
        footprint = np.nanmedian(self.xy[rest], axis=0)
        d = np.hypot(*(self.xy - footprint).T)
        floor = float(np.nanmedian(d[rest]))
        threshold = float(max(3.0 * floor, 1.0))
        self.thresholds_px.append(threshold)
        return d, threshold, floor

    def arrival_s(self, t: np.ndarray, first_rest: int, rest: slice) -> float:
        """Instant the point reaches its footprint (median position over `rest`)."""
        d, threshold, floor = self._distance(rest)
        return _edge_time(t, d, first_rest, -1, threshold, floor)

    def departure_s(self, t: np.ndarray, last_rest: int, rest: slice) -> float:
        """Instant the point leaves its footprint (median position over `rest`)."""
        d, threshold, floor = self._distance(rest)
        return _edge_time(t, d, last_rest, +1, threshold, floor)


def _edge_time(t: np.ndarray, d: np.ndarray, anchor: int, step: int, threshold: float,
               floor: float, *, window_s: float = EDGE_WINDOW_S) -> float:
    """Sub-frame instant a point's distance `d` from its footprint leaves its rest level.

    From `anchor` (a resting sample; moved into the rest while it is
    beyond `threshold`) walk in direction `step` (-1 back to the arrival,
    +1 on to the departure) until two samples in a row lie beyond
    `threshold`. Around that edge a hinge is fitted by least squares: the
    rest level `floor` up to the event, then ``floor + a·τ + b·τ²`` (a, b ≥
    0) with τ the time since the event, over the samples up to
    2 × `window_s` on the resting side and `window_s` (at least two
    samples; only those within six thresholds of rest beyond the second)
    on the moving side. The event time is searched on a grid of 1/50 of
    the sampling interval from `window_s` (at least two samples) inside the
    rest to the first moving sample, so that a point that leaves its rest
    slowly is not timed late by the jitter threshold. NaN when the walk
    meets missing data or the segment's end first.
    """
    i = anchor
    while d[i] > threshold and 0 <= i - step < d.size and np.isfinite(d[i - step]):
        i -= step  # the resting run may start (or end) while the point still moves a little
    while True:
        j, k = i + step, i + 2 * step
        if not (0 <= k < d.size) or not (np.isfinite(d[j]) and np.isfinite(d[k])):
            return float("nan")
        if d[j] > threshold and d[k] > threshold:
            break
        i = j
    sample_s = float(np.median(np.diff(t)))
    reach = max(int(np.ceil(window_s / sample_s)), 2)
    resting = [i - step * m for m in range(2 * reach + 1) if 0 <= i - step * m < d.size]
    moving = [i + step * m for m in range(1, reach + 3) if 0 <= i + step * m < d.size]
    moving = moving[:2] + [m for m in moving[2:] if d[m] <= 6.0 * threshold]
    idx = np.array([m for m in resting + moving if np.isfinite(d[m])])
    tt, excess = t[idx], d[idx] - floor
    lo, hi = sorted((t[resting[min(reach, len(resting) - 1)]], t[moving[0]]))
    dt = sample_s / 50.0
    best_t, best_cost = t[i], np.inf
    for t0 in np.arange(lo, hi + 0.5 * dt, dt):
        tau = np.maximum(step * (tt - t0), 0.0)
        cost = _hinge_cost(tau, excess)
        if cost < best_cost:
            best_t, best_cost = float(t0), cost
    return best_t


def _hinge_cost(tau: np.ndarray, excess: np.ndarray) -> float:
    """Least residual of ``excess ≈ a·tau + b·tau²`` with a, b ≥ 0."""
    design = np.column_stack([tau, tau ** 2])
    best = float(np.sum(excess ** 2))  # a = b = 0
    for cols in ([0], [1], [0, 1]):
        coef, *_ = np.linalg.lstsq(design[:, cols], excess, rcond=None)
        if np.all(coef >= 0):
            best = min(best, float(np.sum((excess - design[:, cols] @ coef) ** 2)))
    return best


def _drop_short_strides(contacts: list[FootEvent], footprints: list[float], *,
                        period_s: float) -> tuple[list[FootEvent], int]:
    """Drop contacts whose footprint is too close to the same foot's previous one.

    In a steady walk each foot lands a stride ahead of where it last stood.
    A contact less than `MIN_STRIDE_FRACTION` of the median stride (over
    both feet, per stride elapsed) ahead of the same foot's previous
    footprint is the other foot's stance with this foot's labels on it (a
    swing foot passing behind the stance foot), not a step.
    """
    pairs = []  # (index, travel per stride)
    for foot in SIDES:
        idx = [i for i, c in enumerate(contacts) if c.foot == foot]
        for prev, cur in zip(idx[:-1], idx[1:]):
            strides = max(round((contacts[cur].ic_s - contacts[prev].ic_s) / period_s), 1)
            pairs.append((cur, (footprints[cur] - footprints[prev]) / strides))
    if len(pairs) < 2:
        return contacts, 0
    median = float(np.median([p for _, p in pairs]))
    bad = {i for i, p in pairs if p < MIN_STRIDE_FRACTION * median}
    return [c for i, c in enumerate(contacts) if i not in bad], len(bad)


def _moving_before(rest: np.ndarray, start: int) -> int:
    """Number of samples not at rest immediately before index `start`."""
    before = np.flatnonzero(rest[:start])
    return start - (int(before[-1]) + 1 if before.size else 0)


def _moving_after(rest: np.ndarray, stop: int) -> int:
    """Number of samples not at rest from index `stop` on, up to the next rest."""
    after = np.flatnonzero(rest[stop:])
    return int(after[0]) if after.size else rest.size - stop
