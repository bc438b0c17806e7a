"""Cleaning of pose tracks: left/right swap repair, outliers, gaps, low-pass.

Side-view pose estimation confuses the legs: the far leg's knee, ankle, heel
and toe jump to the near leg or trade labels with it for a few frames. This
module repairs those label swaps, rejects isolated outliers, fills gaps
and low-pass filters every landmark, and records what it changed. Short gaps
are interpolated; gaps too long for that, up to half a stride, take the
course of the same landmark one stride earlier and later.

References
----------
Stenum J, Rossi C, Roemmich RT (2021). Two-dimensional video-based analysis
of human gait using pose estimation. PLoS Comput Biol 17(4):e1008935
(manual left/right correction of side-view OpenPose tracks).
Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed.,
ch. 2 (low-pass filtering of kinematic data; zero-lag Butterworth).
Howarth SJ, Callaghan JP (2010). Quantitative assessment of the accuracy for
three interpolation techniques in kinematic analysis of human movement.
Comput Methods Biomech Biomed Engin 13(6):847-855 (interpolation error grows
quickly with gap length).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import interpolate, signal

from .errors import TooFewStepsError
from .landmarks import LEFT_HIP, LEG, RIGHT_HIP
from .rhythm import estimate_stride_period
from .track import PoseTrack

#: Groups of leg landmarks whose left/right labels are checked for swaps, each
#: on its own: the knees, and the feet (ankle, heel, toe), which pose models
#: often move to the other leg without the knee.
_SWAP_GROUPS = (
    (np.array(LEG["left"][1:2]), np.array(LEG["right"][1:2])),
    (np.array(LEG["left"][2:]), np.array(LEG["right"][2:])),
)
#: Longest gap bridged from the neighbouring strides, in stride periods.
#: Blanking whole frames of the real treadmill clip (30 fps, 0.71 s stride;
#: scripts/dropout_recovery.py, docs/gap_filling.md), the events inside
#: blanks of 4-8 frames came back within a frame of the undamaged analysis
#: for 78-85 % (none were found before); past half a stride the share fell,
#: to 65 % for 10 frames, 53 % for 12 and 25 % for 14.
MAX_STRIDE_GAP_STRIDES = 0.5
#: Frames each side of a gap, at least, whose offset from the donor strides
#: sets the level of the bridged course (about 0.1 s).
_OFFSET_CONTEXT_S = 0.1


@dataclass(frozen=True)
class CleaningReport:
    """What `clean_track` changed.

    Attributes
    ----------
    swapped_frames : int
        Frames whose left/right leg labels were exchanged back.
    swap_segments : int
        Number of separate runs of swapped frames.
    outliers_removed : int
        Landmark samples rejected as outliers (per coordinate pair).
    samples_filled : int
        Landmark samples filled, by interpolation across short gaps or from
        the neighbouring strides across longer ones.
    samples_filled_from_strides : int
        Of those, the samples filled from the neighbouring strides
        (`fill_gaps_from_strides`).
    samples_missing : int
        Landmark samples still missing (gaps longer than half a stride, or
        at the ends of the clip).
    lowpass_hz : float
        Cut-off frequency of the zero-lag low-pass filter in Hz.
    noise_px : float
        Robust estimate of the landmark jitter (median absolute deviation of
        the high-pass residual of the feet, scaled to a standard deviation)
        in pixels, before filtering.
    """

    swapped_frames: int
    swap_segments: int
    outliers_removed: int
    samples_filled: int
    samples_filled_from_strides: int
    samples_missing: int
    lowpass_hz: float
    noise_px: float

    def to_dict(self) -> dict:
        """Plain-JSON form."""
        return dict(self.__dict__)


def _running_median(values: np.ndarray, half: int) -> np.ndarray:
    """Running median over ``2 * half + 1`` samples along axis 0, ignoring NaN."""
    n = values.shape[0]
    padded = np.concatenate([np.full((half,) + values.shape[1:], np.nan), values,
                             np.full((half,) + values.shape[1:], np.nan)])
    windows = np.stack([padded[i:i + n] for i in range(2 * half + 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        return np.nanmedian(windows, axis=0)


def _body_travel_px(xy_px: np.ndarray, *, fs: float, window_s: float = 1.0) -> np.ndarray:
    """The body's slow travel across the image, shape (n_frames, 2), pixels.

    x is a running median (`window_s`, about two strides at a jog) of the
    hips' midpoint, interpolated over frames without a person; y is zero.
    On a treadmill it is nearly constant; for a runner crossing the frame it
    follows the crossing and not the steps.
    """
    hips_x = 0.5 * (xy_px[:, LEFT_HIP, 0] + xy_px[:, RIGHT_HIP, 0])
    slow = _running_median(hips_x, max(int(round(window_s * fs / 2)), 1))
    out = np.zeros((xy_px.shape[0], 2))
    ok = np.isfinite(slow)
    if ok.any():
        out[:, 0] = np.interp(np.arange(slow.size), np.flatnonzero(ok), slow[ok])
    return out


def repair_leg_swaps(xy_px: np.ndarray, *, fs: float, window_s: float = 0.25,
                     n_passes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Undo left/right label swaps of the legs.

    For the knees and, separately, the feet (ankle, heel, toe), each frame is
    either kept as labelled or has the left and right points exchanged,
    whichever puts them closer to a running median of each side's trajectory
    (window `window_s`). Swaps shorter than half the window are outvoted by
    the frames around them; the medians are recomputed after each pass.
    Positions are taken relative to the body's travel across the image
    (`_body_travel_px`): a runner crossing the frame moves the swing foot
    twice as fast as the body, and against the image a 9-frame median at
    30 fps then spanned so much of the swing that it settled on the other
    foot and left 3-frame swaps in place (synthetic runners crossing the
    frame); on a treadmill the body stays put and nothing changes.

    Parameters
    ----------
    xy_px : ndarray, shape (n_frames, 33, 2)
        Landmarks in pixels; NaN where missing.
    fs : float
        Sampling rate in Hz.
    window_s : float
        Width of the running-median reference in seconds; about a third of
        a running stride, so a swap of up to ~4 frames at 30 fps is repaired.
    n_passes : int
        Number of relabel-and-recompute passes.

    Returns
    -------
    repaired : ndarray, shape (n_frames, 33, 2)
        Landmarks with swapped frames relabelled.
    swapped : ndarray of bool, shape (n_frames,)
        True where any group's labels were exchanged in that frame.
    """
    half = max(int(round(window_s * fs / 2)), 1)
    repaired = xy_px.copy()
    swapped = np.zeros(xy_px.shape[0], dtype=bool)
    travel = _body_travel_px(xy_px, fs=fs)[:, None, :]
    for left_idx, right_idx in _SWAP_GROUPS:
        group_swapped = np.zeros(xy_px.shape[0], dtype=bool)
        for _ in range(n_passes):
            left, right = repaired[:, left_idx], repaired[:, right_idx]
            rel_left, rel_right = left - travel, right - travel
            ref_left, ref_right = _running_median(rel_left, half), _running_median(rel_right, half)
            keep = np.nansum((rel_left - ref_left) ** 2 + (rel_right - ref_right) ** 2,
                             axis=(1, 2))
            swap = np.nansum((rel_right - ref_left) ** 2 + (rel_left - ref_right) ** 2,
                             axis=(1, 2))
            flip = swap < 0.5 * keep
            if not flip.any():
                break
            repaired[np.ix_(flip, left_idx)] = right[flip]
            repaired[np.ix_(flip, right_idx)] = left[flip]
            group_swapped ^= flip
        swapped |= group_swapped
    return repaired, swapped


def reject_outliers(values: np.ndarray, *, fs: float, window_s: float = 0.2,
                    n_sigmas: float = 4.0, floor: float = 0.0) -> np.ndarray:
    """Hampel filter: mark samples far from their running median as missing.

    Parameters
    ----------
    values : ndarray, shape (n_frames,)
        One coordinate over time; NaN where missing.
    fs : float
        Sampling rate in Hz.
    window_s : float
        Full width of the running window in seconds.
    n_sigmas : float
        Rejection threshold in robust standard deviations (1.4826 × MAD).
    floor : float
        Smallest deviation (same unit as `values`) that may be rejected, so
        that near-constant stretches do not reject ordinary jitter.

    Returns
    -------
    ndarray of bool, shape (n_frames,)
        True for samples judged to be outliers.
    """
    half = max(int(round(window_s * fs / 2)), 2)
    padded = np.pad(np.asarray(values, dtype=float), half, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    enough = (np.isfinite(windows).sum(axis=1) >= 5) & np.isfinite(values)
    outlier = np.zeros(values.size, dtype=bool)
    if not enough.any():
        return outlier
    win = windows[enough]
    med = _row_nanmedian(win)
    mad = 1.4826 * _row_nanmedian(np.abs(win - med[:, None]))
    outlier[enough] = np.abs(values[enough] - med) > np.maximum(n_sigmas * mad, floor)
    return outlier


def _row_nanmedian(rows: np.ndarray) -> np.ndarray:
    """Median of the finite values of each row (each row has at least one).

    Sorting puts NaN last, so the middle of the first k finite values is
    picked directly; much faster than `np.nanmedian` for many short rows.
    """
    ordered = np.sort(rows, axis=1)
    k = np.isfinite(rows).sum(axis=1)
    lo = np.take_along_axis(ordered, ((k - 1) // 2)[:, None], axis=1)[:, 0]
    hi = np.take_along_axis(ordered, (k // 2)[:, None], axis=1)[:, 0]
    return 0.5 * (lo + hi)


def fill_gaps(values: np.ndarray, t_s: np.ndarray, *, max_gap_s: float) -> np.ndarray:
    """Fill interior runs of NaN no longer than `max_gap_s` (shape-preserving cubic).

    Parameters
    ----------
    values : ndarray, shape (n_frames,)
    t_s : ndarray, shape (n_frames,)
        Sample times in seconds.
    max_gap_s : float
        Longest gap, in seconds between the samples either side, to bridge.

    Returns
    -------
    ndarray, shape (n_frames,)
        A copy with the short gaps filled; longer gaps and the ends stay NaN.
    """
    out = values.copy()
    ok = np.isfinite(values)
    if ok.sum() < 2 or ok.all():
        return out
    interp = interpolate.PchipInterpolator(t_s[ok], values[ok], extrapolate=False)
    idx = np.flatnonzero(~ok)
    good = np.flatnonzero(ok)
    for run in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1):
        lo, hi = run[0] - 1, run[-1] + 1
        if lo < good[0] or hi > good[-1]:
            continue
        if t_s[hi] - t_s[lo] <= max_gap_s:
            out[run] = interp(t_s[run])
    return out


def fill_gaps_from_strides(values: np.ndarray, *, period_frames: float, min_gap_frames: float,
                           max_gap_frames: float, context_frames: int) -> np.ndarray:
    """Fill gaps with the course of the same point one stride earlier and later.

    Gait repeats itself stride after stride, so a gap too long to
    interpolate is bridged with the mean of the point's positions one stride
    period before and after (each donor read by shape-preserving cubic
    interpolation between measured frames only), raised or lowered by an
    offset that runs linearly from its mean over the frames before the gap
    to its mean over the frames after it. A gap is left as it is where a
    frame of it has neither donor, or where either side has no frames to set
    the offset.

    Parameters
    ----------
    values : ndarray, shape (n_frames, k)
        One point's coordinates (for instance x and y in pixels), NaN where
        missing; a frame counts as measured when all k are finite.
    period_frames : float
        Stride period in frames (need not be whole).
    min_gap_frames, max_gap_frames : float
        Only gaps whose measured frames either side lie more than
        `min_gap_frames` and at most `max_gap_frames` apart are filled.
    context_frames : int
        Frames each side of a gap over which its offset is averaged.

    Returns
    -------
    ndarray, shape (n_frames, k)
        A copy with those gaps filled.
    """
    out = values.copy()
    n = values.shape[0]
    measured = np.isfinite(values).all(axis=1)
    idx = np.flatnonzero(~measured)
    if idx.size == 0 or measured.sum() < 2:
        return out
    frames = np.flatnonzero(measured)
    course = [interpolate.PchipInterpolator(frames, values[measured, j], extrapolate=False)
              for j in range(values.shape[1])]

    def donor(at: np.ndarray) -> np.ndarray:
        """Mean of the valid donors at frames `at`, shape (len(at), k); NaN where none."""
        found = []
        for shift in (-period_frames, period_frames):
            pos = at + shift
            lo, hi = np.floor(pos).astype(int), np.ceil(pos).astype(int)
            inside = (lo >= 0) & (hi < n)
            valid = inside & measured[np.clip(lo, 0, n - 1)] & measured[np.clip(hi, 0, n - 1)]
            d = np.column_stack([c(pos) for c in course])
            d[~valid] = np.nan
            found.append(d)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # no donor: stays NaN
            return np.nanmean(found, axis=0)

    for run in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1):
        lo, hi = run[0] - 1, run[-1] + 1
        if lo < 0 or hi >= n or not min_gap_frames < hi - lo <= max_gap_frames:
            continue
        fill = donor(run.astype(float))
        if not np.isfinite(fill).all():
            continue
        offsets = []
        for side in (np.arange(lo - context_frames + 1, lo + 1),
                     np.arange(hi, hi + context_frames)):
            side = side[(side >= 0) & (side < n)]
            side = side[measured[side]]
            resid = values[side] - donor(side.astype(float))
            resid = resid[np.isfinite(resid).all(axis=1)]
            offsets.append(resid.mean(axis=0) if resid.size else None)
        if offsets[0] is None or offsets[1] is None:
            continue
        w = ((run - lo) / (hi - lo))[:, None]
        out[run] = fill + (1 - w) * offsets[0] + w * offsets[1]
    return out


def lowpass(values: np.ndarray, *, fs: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-lag Butterworth low-pass filter applied to each finite run.

    Parameters
    ----------
    values : ndarray, shape (n_frames,)
    fs : float
        Sampling rate in Hz.
    cutoff_hz : float
        Cut-off frequency in Hz; at or above the Nyquist frequency the signal
        is returned unchanged.
    order : int
        Filter order of one pass (forward-backward doubles it).

    Returns
    -------
    ndarray, shape (n_frames,)
    """
    out = values.copy()
    if cutoff_hz >= 0.5 * fs:
        return out
    sos = _butter_lowpass_sos(order, cutoff_hz, fs)
    ok = np.isfinite(values)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return out
    for run in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1):
        if run.size > 3 * (2 * order + 1):
            out[run] = signal.sosfiltfilt(sos, values[run])
    return out


@functools.lru_cache(maxsize=32)
def _butter_lowpass_sos(order: int, cutoff_hz: float, fs: float) -> np.ndarray:
    """Butterworth low-pass sections, designed once per (order, cut-off Hz, rate Hz)."""
    return signal.butter(order, cutoff_hz, fs=fs, output="sos")


def body_scale_px(xy_px: np.ndarray) -> float:
    """Median hip-to-ankle distance in pixels (a size for relative thresholds)."""
    lengths = []
    for side in ("left", "right"):
        hip, _, ankle = LEG[side][:3]
        lengths.append(np.linalg.norm(xy_px[:, hip] - xy_px[:, ankle], axis=1))
    lengths = np.concatenate(lengths)
    lengths = lengths[np.isfinite(lengths)]
    return float(np.median(lengths)) if lengths.size else float("nan")


def estimate_noise_px(xy_px: np.ndarray, *, fs: float, cutoff_hz: float) -> float:
    """Robust jitter of the foot landmarks in pixels.

    The residual between the raw and the low-passed heel and toe
    coordinates is taken as noise; its median absolute deviation is scaled
    to a standard deviation (× 1.4826).
    """
    residuals = []
    for side in ("left", "right"):
        for lm in LEG[side][3:]:
            for c in range(2):
                raw = xy_px[:, lm, c]
                smooth = lowpass(raw, fs=fs, cutoff_hz=cutoff_hz)
                r = raw - smooth
                residuals.append(r[np.isfinite(r)])
    r = np.concatenate(residuals) if residuals else np.array([])
    if r.size == 0:
        return float("nan")
    return float(1.4826 * np.median(np.abs(r - np.median(r))))


def _stride_period_s(xy_px: np.ndarray, *, fs: float) -> float:
    """Stride period in seconds from both ankles' positions ahead of the hip.

    Read over the tracked span, from the first frame in which both ankles
    are found to the last: a runner crossing the frame is out of view
    before and after it. Gaps inside the span are bridged linearly for this
    estimate only. NaN when an ankle is missing in half the span's frames or
    more, or the span is too short to hold a stride.
    """
    both = np.isfinite(xy_px[:, [LEG[side][2] for side in ("left", "right")], 0]).all(axis=1)
    if not both.any():
        return float("nan")
    first, last = np.flatnonzero(both)[[0, -1]]
    span = xy_px[first:last + 1]
    ahead = []
    for side in ("left", "right"):
        hip, _, ankle = LEG[side][:3]
        u = span[:, ankle, 0] - span[:, hip, 0]
        ok = np.isfinite(u)
        if ok.sum() <= u.size / 2:
            return float("nan")
        frames = np.arange(u.size)
        ahead.append(np.interp(frames, frames[ok], u[ok]))
    try:
        return estimate_stride_period(np.column_stack(ahead), fs=fs)
    except TooFewStepsError:
        return float("nan")


def clean_track(track: PoseTrack, *, lowpass_hz: float | None = 10.0, max_gap_s: float = 0.15,
                outlier_window_s: float = 0.2, repair_swaps: bool = True
                ) -> tuple[PoseTrack, CleaningReport]:
    """Repair, fill and filter a pose track.

    Steps, in order: leg label-swap repair (`repair_leg_swaps`), outlier
    rejection on every coordinate (`reject_outliers`, threshold at least 4 %
    of the hip-to-ankle length), gap filling (gaps longer than `max_gap_s`
    and up to half a stride from the neighbouring strides,
    `fill_gaps_from_strides`; shorter ones by interpolation, `fill_gaps`)
    and zero-lag low-pass filtering (`lowpass`).

    Parameters
    ----------
    track : PoseTrack
        Raw landmarks.
    lowpass_hz : float or None
        Low-pass cut-off in Hz (None: no filtering). 10 Hz keeps the content of running
        kinematics (stride frequency about 1.4 Hz, harmonics to about 8 Hz)
        while removing frame-to-frame jitter; it is capped at 0.4 × the
        sampling rate.
    max_gap_s : float
        Longest gap in seconds that is bridged by interpolation; longer ones
        are bridged from the neighbouring strides.
    outlier_window_s : float
        Width of the outlier filter's running window in seconds.
    repair_swaps : bool
        Whether to repair left/right leg label swaps.

    Returns
    -------
    PoseTrack
        The cleaned track (a new object; the input is not modified).
    CleaningReport
        What was changed.
    """
    filtered, _, report = clean_track_both(
        track, lowpass_hz=lowpass_hz, max_gap_s=max_gap_s, outlier_window_s=outlier_window_s,
        repair_swaps=repair_swaps)
    return filtered, report


def clean_track_both(track: PoseTrack, *, lowpass_hz: float | None = 10.0,
                     max_gap_s: float = 0.15, outlier_window_s: float = 0.2,
                     repair_swaps: bool = True
                     ) -> tuple[PoseTrack, PoseTrack, CleaningReport]:
    """`clean_track` with and without the low-pass filter, repaired once.

    Event timing wants the unfiltered coordinates (a filter rounds off the
    kink of a landing) and everything else the filtered ones; both share
    the same swap repair, outlier rejection and gap filling.

    Parameters
    ----------
    track : PoseTrack
        Raw landmarks.
    lowpass_hz, max_gap_s, outlier_window_s, repair_swaps
        As in `clean_track`.

    Returns
    -------
    filtered : PoseTrack
        Repaired, filled and low-pass filtered (with `lowpass_hz` None, the
        unfiltered track itself).
    unfiltered : PoseTrack
        Repaired and filled only.
    CleaningReport
        What was changed (the filtered track's report).
    """
    fs = track.fps
    cutoff = min(lowpass_hz, 0.4 * fs) if lowpass_hz is not None else 0.4 * fs
    xy = track.xy_px.copy()
    swapped = np.zeros(track.n_frames, dtype=bool)
    if repair_swaps:
        xy, swapped = repair_leg_swaps(xy, fs=fs)
    noise = estimate_noise_px(xy, fs=fs, cutoff_hz=cutoff)
    scale = body_scale_px(xy)
    floor = 0.04 * scale if np.isfinite(scale) else 0.0

    n_out = 0
    for lm in range(xy.shape[1]):
        bad = np.zeros(track.n_frames, dtype=bool)
        for c in range(2):
            bad |= reject_outliers(xy[:, lm, c], fs=fs, window_s=outlier_window_s, floor=floor)
        n_out += int(bad.sum())
        xy[bad, lm] = np.nan

    before = np.isfinite(xy[..., 0])
    period_frames = _stride_period_s(xy, fs=fs) * fs
    if np.isfinite(period_frames):
        for lm in range(xy.shape[1]):
            xy[:, lm] = fill_gaps_from_strides(
                xy[:, lm], period_frames=period_frames, min_gap_frames=max_gap_s * fs,
                max_gap_frames=MAX_STRIDE_GAP_STRIDES * period_frames,
                context_frames=max(3, round(_OFFSET_CONTEXT_S * fs)))
    n_from_strides = int((np.isfinite(xy[..., 0]) & ~before).sum())
    for lm in range(xy.shape[1]):
        for c in range(2):
            xy[:, lm, c] = fill_gaps(xy[:, lm, c], track.t_s, max_gap_s=max_gap_s)
    n_fill = int((np.isfinite(xy[..., 0]) & ~before).sum())
    missing = int((~np.isfinite(xy[..., 0])).sum())
    segments = int(np.sum(np.diff(swapped.astype(int)) == 1) + int(swapped[0]))
    report = CleaningReport(
        swapped_frames=int(swapped.sum()), swap_segments=segments, outliers_removed=n_out,
        samples_filled=n_fill, samples_filled_from_strides=n_from_strides,
        samples_missing=missing,
        lowpass_hz=float(cutoff) if lowpass_hz is not None else float("nan"), noise_px=noise,
    )
    repairs = (f"max_gap_s={max_gap_s:g}, repair_swaps={repair_swaps}): "
               f"{report.swapped_frames} swapped frames, {n_out} outliers, {n_fill} filled "
               f"({n_from_strides} from neighbouring strides)")
    unfiltered = track.with_changes(f"clean_track(lowpass_hz=None, {repairs}", xy_px=xy)
    if lowpass_hz is None:
        return unfiltered, unfiltered, report
    smooth = np.empty_like(xy)
    for lm in range(xy.shape[1]):
        for c in range(2):
            smooth[:, lm, c] = lowpass(xy[:, lm, c], fs=fs, cutoff_hz=cutoff)
    filtered = track.with_changes(f"clean_track(lowpass_hz={cutoff:g}, {repairs}", xy_px=smooth)
    return filtered, unfiltered, report


__all__ = [
    "CleaningReport", "clean_track", "clean_track_both", "repair_leg_swaps", "reject_outliers",
    "fill_gaps", "fill_gaps_from_strides", "lowpass", "estimate_noise_px",
]
