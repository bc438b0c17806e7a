"""Step times of both feet from the phase lag between the two heels' vertical motion.

Each heel traces the same vertical pattern once per stride; the right heel's
pattern leads the left's by the right-to-left step time. Cross-correlating the
two (detrended) heel signals gives that lag, and the reverse lag the other step, from
every frame of the clip, not from a handful of event instants, so the step-time
asymmetry does not depend on how sharply a pose model shows each contact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import interpolate

from ..track import PoseTrack
from .events import heel_height_signal_px


@dataclass(frozen=True)
class PhaseStepTimes:
    """Step times from the heels' phase lag.

    Attributes
    ----------
    left_step_s, right_step_s : float
        Mean left step (right IC to left IC) and right step, seconds.
    symmetry_index_pct : float
        (left − right) / (0.5 (left + right)) × 100.
    expected_error_pct : float
        Standard error of the symmetry index from its spread over blocks of
        two strides (NaN with fewer than three blocks).
    n_blocks : int
    cadence_spm : float
        120 / (left + right step) in steps per minute.
    cadence_error_spm : float
        Standard error of the cadence from its spread over the blocks (NaN
        with fewer than three blocks).
    """

    left_step_s: float
    right_step_s: float
    symmetry_index_pct: float
    expected_error_pct: float
    n_blocks: int
    cadence_spm: float
    cadence_error_spm: float


def _linear_detrend(y: np.ndarray) -> np.ndarray:
    """`y` minus its least-squares straight line (a runner walking towards the camera
    drifts down the image); a running mean would bias the lag at the clip's ends."""
    ok = np.isfinite(y)
    out = np.full_like(y, np.nan)
    if ok.sum() >= 2:
        x = np.flatnonzero(ok)
        coef = np.polyfit(x, y[ok], 1)
        out[ok] = y[ok] - np.polyval(coef, x)
    return out


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation over the samples where both are finite (NaN if undefined)."""
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() <= 3:
        return float("nan")
    x, y = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    denom = np.sqrt(np.dot(x, x) * np.dot(y, y))
    return float(np.dot(x, y) / denom) if denom > 0 else float("nan")


def _lag_s(a: np.ndarray, b: np.ndarray, *, fs: float, period_s: float) -> float:
    """Lag in seconds (0.2 to 0.8 of a stride) by which `a` follows `b`.

    The best whole-sample lag is refined within one sample either side on a grid
    of 1/20 and then 1/200 sample, shifting `b` by cubic-spline interpolation (a
    parabola through three correlation values is biased by several per cent
    of a frame, which matters at 30 fps).
    """
    lags = np.arange(max(int(0.2 * period_s * fs), 1), int(0.8 * period_s * fs) + 2)
    cc = np.array([_corr(a[k:], b[:-k]) for k in lags])
    if not np.isfinite(cc).any():
        return float("nan")
    k0 = int(lags[int(np.nanargmax(cc))])
    n = b.size
    idx = np.arange(n)
    ok = np.isfinite(b)
    if ok.sum() < 4:
        return k0 / fs
    spline = interpolate.CubicSpline(idx[ok], b[ok], extrapolate=False)
    best = float(k0)
    for half, step in ((1.0, 0.05), (0.05, 0.005)):  # coarse, then fine
        grid = np.arange(best - half, best + half + 1e-9, step)
        # b delayed by `lag` samples
        cc = np.array([_corr(a, spline(idx - lag)) for lag in grid])
        if np.isfinite(cc).any():
            best = float(grid[int(np.nanargmax(cc))])
    return best / fs


def phase_step_times(track: PoseTrack, *, segment: tuple[int, int],
                     period_s: float) -> PhaseStepTimes:
    """Left and right step times from the cross-correlation of the heels' vertical motion.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered rear- or front-view track.
    segment : (start, stop)
        Sample range.
    period_s : float
        Approximate stride period in seconds (bounds the lag search; the
        step times themselves come from the two lags).

    Returns
    -------
    PhaseStepTimes
    """
    start, stop = segment
    fs = track.fps
    left = _linear_detrend(heel_height_signal_px(track, "left")[start:stop])
    right = _linear_detrend(heel_height_signal_px(track, "right")[start:stop])
    left_s, right_s = _steps(left, right, fs=fs, period_s=period_s)
    block = int(round(2 * period_s * fs))
    sis, cads = [], []
    for b0 in range(0, left.size - block - int(period_s * fs), block):
        b1 = b0 + block + int(period_s * fs)  # room for the lag
        lb, rb = _steps(left[b0:b1], right[b0:b1], fs=fs, period_s=period_s)
        if np.isfinite(lb) and np.isfinite(rb):
            sis.append(_si(lb, rb))
            cads.append(120.0 / (lb + rb))
    return PhaseStepTimes(left_s, right_s, _si(left_s, right_s), _standard_error(sis), len(sis),
                          120.0 / (left_s + right_s), _standard_error(cads))


def _standard_error(values: list[float]) -> float:
    """Robust standard error of the mean of block estimates (NaN below three blocks)."""
    if len(values) < 3:
        return float("nan")
    v = np.asarray(values)
    return 1.4826 * float(np.median(np.abs(v - np.median(v)))) / np.sqrt(v.size)


def _steps(left: np.ndarray, right: np.ndarray, *, fs: float, period_s: float
           ) -> tuple[float, float]:
    """(left step, right step) in seconds: the lag of the left heel's pattern behind the
    right's, and of the right's behind the left's (their sum is the stride)."""
    return (_lag_s(left, right, fs=fs, period_s=period_s),
            _lag_s(right, left, fs=fs, period_s=period_s))


def _si(left_s: float, right_s: float) -> float:
    return 100.0 * (left_s - right_s) / (0.5 * (left_s + right_s))
