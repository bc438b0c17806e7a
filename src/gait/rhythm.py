"""Stride period of a periodic gait signal, from its autocorrelation.

Used to time strides (`gait.events`, `gait.frontal.events`) and to bridge
long tracking gaps with the course of the neighbouring strides
(`gait.clean`).
"""

from __future__ import annotations

import numpy as np

from .errors import TooFewStepsError


def estimate_stride_period(u: np.ndarray, *, fs: float, min_s: float = 0.45,
                           max_s: float = 10.0) -> float:
    """Stride period in seconds from the autocorrelation of a foot signal.

    Parameters
    ----------
    u : ndarray, shape (n,) or (n, k)
        One or more finite, periodic signals (e.g. foot-minus-pelvis
        positions of each foot); their autocorrelations are summed.
    fs : float
        Sampling rate in Hz.
    min_s, max_s : float
        Range of stride periods searched, in seconds (running about 0.6-0.8
        s, walking about 0.9-1.3 s; up to 10 s so that slow-motion clips
        played at real-time rate are still measured and can be flagged).

    Returns
    -------
    float
        The lag of the highest autocorrelation peak in range, refined by
        parabolic interpolation.
    """
    u = np.atleast_2d(u.T).T
    acf = np.zeros(u.shape[0])
    for col in u.T:
        x = col - np.mean(col)
        full = np.correlate(x, x, mode="full")[x.size - 1:]
        acf += full / (full[0] if full[0] > 0 else 1.0)
    lo, hi = int(min_s * fs), min(int(max_s * fs), acf.size - 2)
    # a slow signal's autocorrelation is still high at short lags: search only
    # beyond its first zero crossing, where the first true period peak lies
    below = np.flatnonzero(acf[1:] < 0)
    if below.size:
        lo = max(lo, int(below[0]) + 1)
    if hi <= lo:
        raise TooFewStepsError(
            f"the steady part of the clip is {u.shape[0] / fs:.1f} s long, too short to "
            "find one stride; film at least 10 s of running")
    k = lo + int(np.argmax(acf[lo:hi + 1]))
    if 0 < k < acf.size - 1:
        a, b, c = acf[k - 1], acf[k], acf[k + 1]
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom != 0 else 0.0
    else:
        shift = 0.0
    return (k + float(np.clip(shift, -0.5, 0.5))) / fs


__all__ = ["estimate_stride_period"]
