"""Sub-frame timing of one foot's gait events by joint template alignment.

Every landing (or every lift-off) of one foot is seen in several landmark
coordinates at once — heel, ankle and toe, horizontally and vertically.
At the event the foot's velocity changes abruptly (it meets or leaves the
belt, starts or stops rolling, is carried backwards by the belt); away from
it the motion is smooth. Each coordinate around the event is therefore
modelled, for all events of the foot together, as

    y_i(t) = c_i + T(t - tau_i),

with ``c_i`` an offset of event ``i`` and ``T`` a shape shared by the
events: a cubic regression spline on each side of zero, continuous at zero
but free to change slope there (the kink at the event). Fitting ``T`` and
the instants ``tau_i`` alternately by least squares on the *unfiltered*
landmarks is Woody's adaptive alignment of repeated waveforms, with the
template's kink pinning the absolute instant:

1. a common shift of all instants, chosen by the total residual of the
   template refitted at each trial shift (the data's pooled kink),
2. each instant by itself, against the fixed template (the whole local
   waveform of all coordinates, weighted by each coordinate's residual
   variance).

The relative timing of events comes from the whole local motion and the
absolute timing from the velocity jump pooled over all events, so landmark
jitter averages out instead of moving each event to its own noisy minimum.
The window is short (about a tenth of a second each side), so genuine
stride-to-stride variation away from the event does not enter.

References
----------
Woody CD (1967). Characterization of an adaptive filter for the analysis of
variable latency neuroelectric signals. Med Biol Eng 5(6):539-553.
doi:10.1007/BF02474247
"""

from __future__ import annotations

from dataclasses import dataclass

import os

import numpy as np

#: Half-width of the fitted window around each event, seconds (at least
#: `MIN_WINDOW_FRAMES` frames).
WINDOW_S = 0.08
MIN_WINDOW_FRAMES = 3
#: Search half-width for each instant and for the common shift, seconds
#: (at least 1.5 frames).
SEARCH_S = 0.03
#: Frames per side of the window from which the pooled kink, not the first
#: guesses, sets the common timing of landings and of lift-offs.
KINK_MIN_FRAMES_IC = 4
KINK_MIN_FRAMES_TO = 8
#: Frames per side from which the template's sides are cubic, not quadratic.
CUBIC_MIN_FRAMES = 8


@dataclass(frozen=True)
class AlignedEvents:
    """Result of `align_events`.

    Attributes
    ----------
    instants_s : ndarray, shape (m,)
        Refined instants in seconds (the first guess where an event could
        not be fitted).
    rms_px : ndarray, shape (m,)
        Each event's RMS residual over its window, pixels (NaN where not
        fitted).
    common_shift_s : float
        Total common shift applied to the first guesses, seconds.
    """

    instants_s: np.ndarray
    rms_px: np.ndarray
    common_shift_s: float


def _basis(u: np.ndarray, degree: int) -> np.ndarray:
    """Template columns at times `u` (s) from the event: v, ..., v**degree on each side."""
    cols = []
    for sign in (-1.0, 1.0):
        v = np.maximum(sign * u, 0.0)
        cols += [v ** k for k in range(1, degree + 1)]
    return np.column_stack(cols)


class _Windows:
    """Samples of every event's window, fixed for one round of alignment."""

    def __init__(self, t_s: np.ndarray, y: np.ndarray, instants_s: np.ndarray,
                 half_s: float) -> None:
        self.t, self.y, self.owner = [], [], []
        for i, tau in enumerate(instants_s):
            sel = (np.abs(t_s - tau) <= half_s) & np.isfinite(y).all(axis=1)
            self.t.append(t_s[sel])
            self.y.append(y[sel])
        self.usable = np.array([tt.size >= 4 for tt in self.t])

    def stacked(self, use: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.flatnonzero(use)
        t = np.concatenate([self.t[i] for i in idx])
        y = np.concatenate([self.y[i] for i in idx])
        owner = np.concatenate([np.full(self.t[i].size, j) for j, i in enumerate(idx)])
        return t, y, owner


def _fit_template(win: _Windows, instants_s: np.ndarray, use: np.ndarray, degree: int
                  ) -> tuple[np.ndarray, float]:
    """Shared spline coefficients (p, n_coords) and the total residual sum of squares."""
    t, y, owner = win.stacked(use)
    tau = instants_s[use][owner]
    design = np.hstack([_basis(t - tau, degree), np.eye(int(use.sum()))[owner]])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return coef[: design.shape[1] - int(use.sum())], float(np.sum(resid ** 2))


def _event_cost(tt: np.ndarray, yy: np.ndarray, shape: np.ndarray, trial_s: np.ndarray,
                weights: np.ndarray, degree: int) -> np.ndarray:
    """Weighted residual sum of squares of one event for each trial instant (offset free)."""
    cost = np.empty(trial_s.size)
    for k, tau in enumerate(trial_s):
        resid = yy - _basis(tt - tau, degree) @ shape
        resid -= resid.mean(axis=0)
        cost[k] = float(np.sum(resid ** 2 * weights))
    return cost


def _parabolic_min(grid: np.ndarray, cost: np.ndarray) -> float:
    """Grid point of least cost, refined by a parabola through its neighbours."""
    j = int(np.argmin(cost))
    best = float(grid[j])
    if 0 < j < grid.size - 1:
        a, b, c = cost[j - 1], cost[j], cost[j + 1]
        curv = a - 2 * b + c
        if curv > 0:
            best += float(np.clip(0.5 * (a - c) / curv, -0.5, 0.5)) * float(grid[1] - grid[0])
    return best


def _kink_shift(offsets_s: np.ndarray, rss: np.ndarray, *, n_obs: int, n_par: int
                ) -> tuple[float, float]:
    """Least-residual common shift and its standard error from the curvature of `rss`.

    With Gaussian noise of variance ``s2 = rss_min / (n_obs - n_par)`` the
    log-likelihood is ``-rss / (2 s2)``, so the shift's variance is
    ``2 s2 / rss''``; a flat or concave curve gives an infinite error.
    """
    best = _parabolic_min(offsets_s, rss)
    j = int(np.argmin(rss))
    step = float(offsets_s[1] - offsets_s[0])
    lo, hi = max(j - 3, 0), min(j + 3, rss.size - 1)
    if hi - lo < 2:
        return best, np.inf
    coef = np.polyfit(offsets_s[lo:hi + 1] - offsets_s[j], rss[lo:hi + 1], 2)
    s2 = float(rss[j]) / max(n_obs - n_par, 1)
    curv = 2 * coef[0]
    if curv <= 0 or step <= 0:
        return best, np.inf
    return best, float(np.sqrt(2 * s2 / curv))


def _touch_shift(t_s: np.ndarray, heights_px: np.ndarray, instants_s: np.ndarray,
                 use: np.ndarray, *, landing: bool, half_s: float, offsets_s: np.ndarray
                 ) -> float:
    """Common shift of the instants that best puts the contact point's touch at zero.

    The contact point is whichever of the candidate points (columns of
    `heights_px`, heights above their resting lines) lies lower on the
    stance side of the events. Its heights from all events, on a time axis
    relative to each instant, are modelled as a shared level on the stance
    side and that level plus a quadratic in the time spent in the air on
    the other side (Fellin's heel-height method, pooled over all events).
    Returns the shift in `offsets_s` with the least residual.
    """
    sign = 1.0 if landing else -1.0  # stance is after a landing, before a lift-off
    pooled = []
    for col in heights_px.T:
        win = _Windows(t_s, col[:, None], instants_s, half_s + float(np.max(offsets_s)))
        t, h, owner = win.stacked(use & win.usable)
        idx = np.flatnonzero(use & win.usable)
        pooled.append((t - instants_s[idx][owner], h[:, 0]))
    stance_level = [np.mean(h[(sign * u > 0) & (np.abs(u) <= half_s)]) for u, h in pooled]
    u, h = pooled[int(np.argmin(stance_level))]
    rss = []
    for d in offsets_s:
        v = u - d
        near = np.abs(v) <= half_s
        air = np.maximum(-sign * v[near], 0.0)
        design = np.column_stack([np.ones(air.size), air, air ** 2])
        coef, *_ = np.linalg.lstsq(design, h[near], rcond=None)
        r = h[near] - design @ coef
        rss.append(float(r @ r) / max(near.sum(), 1))
    return _parabolic_min(offsets_s, np.array(rss))


def align_events(t_s: np.ndarray, y_px: np.ndarray, first_s: np.ndarray, *, fs: float,
                 heights_px: np.ndarray, landing: bool, iterations: int = 4) -> AlignedEvents:
    """Refine the instants of one foot's repeated events jointly.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Sample times in seconds.
    y_px : ndarray, shape (n, k)
        Unfiltered landmark coordinates in pixels (e.g. heel, ankle and toe,
        x and y); NaN where missing.
    first_s : ndarray, shape (m,)
        First estimates of the instants (all landings or all lift-offs of
        one foot), seconds.
    fs : float
        Sampling rate in Hz.
    iterations : int
        Rounds of template fit, common shift and per-event alignment.

    Returns
    -------
    AlignedEvents
    """
    dt = 1.0 / fs
    half = max(WINDOW_S, MIN_WINDOW_FRAMES * dt)
    search = max(SEARCH_S, 1.5 * dt)
    degree = 3 if half * fs >= CUBIC_MIN_FRAMES else 2
    first = np.asarray(first_s, float)
    instants = first.copy()
    rms = np.full(first.size, np.nan)
    n_grid = 2 * max(int(np.ceil(search / (dt / 20))), 10) + 1
    offsets = np.linspace(-search, search, n_grid)
    win = _Windows(t_s, y_px, instants, half)
    use = win.usable.copy()
    if use.sum() < 3:
        return AlignedEvents(instants, rms, 0.0)
    resolved = half * fs >= (KINK_MIN_FRAMES_IC if landing else KINK_MIN_FRAMES_TO)
    for _ in range(iterations):
        # 1. each instant against the template, keeping the common timing
        win = _Windows(t_s, y_px, instants, half)
        shape, _ = _fit_template(win, instants, use, degree)
        var = _coordinate_variance(win, instants, use, shape, degree)
        moved = np.zeros(first.size)
        for i in np.flatnonzero(win.usable):
            trial = instants[i] + offsets
            cost = _event_cost(win.t[i], win.y[i], shape, trial, 1.0 / var, degree)
            moved[i] = _parabolic_min(trial, cost) - instants[i]
        instants = np.where(win.usable, instants + moved - np.median(moved[use]), instants)
        use = _inliers(win, instants, shape, degree, win.usable)
        # 2. common shift: the first guesses' median, weighed against where the
        #    pooled data put the template's kink, by their standard errors
        lag = first[use] - instants[use]
        guess = float(np.median(lag))
        guess_se = 1.4826 * float(np.median(np.abs(lag - guess))) * 1.25 / np.sqrt(lag.size)
        shift = guess
        if resolved:
            win = _Windows(t_s, y_px, instants, half)
            rss = np.array([_fit_template(win, instants + d, use, degree)[1] for d in offsets])
            n_obs = sum(win.t[i].size for i in np.flatnonzero(use)) * y_px.shape[1]
            kink, kink_se = _kink_shift(offsets, rss, n_obs=n_obs,
                                        n_par=2 * degree * y_px.shape[1] + int(use.sum()))
            shift = kink
            if os.environ.get("GAIT_DEBUG"):
                print(f"landing={landing} kink {kink*1e3:.1f}±{kink_se*1e3:.1f} guess {guess*1e3:.1f}±{guess_se*1e3:.1f}")
        instants = np.where(win.usable, instants + shift, instants)
    for i in np.flatnonzero(win.usable):
        resid = win.y[i] - _basis(win.t[i] - instants[i], degree) @ shape
        resid -= resid.mean(axis=0)
        rms[i] = float(np.sqrt(np.mean(resid ** 2)))
    return AlignedEvents(instants, rms, float(np.median(instants[use] - first[use])))


def _coordinate_variance(win: _Windows, instants_s: np.ndarray, use: np.ndarray,
                         shape: np.ndarray, degree: int) -> np.ndarray:
    """Residual variance of each coordinate about the template, px² (floored)."""
    res = []
    for i in np.flatnonzero(use):
        r = win.y[i] - _basis(win.t[i] - instants_s[i], degree) @ shape
        res.append(r - r.mean(axis=0))
    res = np.concatenate(res)
    var = np.mean(res ** 2, axis=0)
    return np.maximum(var, 1e-2 * np.max(var) + 1e-9)


def _inliers(win: _Windows, instants_s: np.ndarray, shape: np.ndarray, degree: int,
             usable: np.ndarray) -> np.ndarray:
    """Events whose residual is within three robust SDs of the typical one."""
    rms = np.full(instants_s.size, np.nan)
    for i in np.flatnonzero(usable):
        r = win.y[i] - _basis(win.t[i] - instants_s[i], degree) @ shape
        rms[i] = float(np.sqrt(np.mean((r - r.mean(axis=0)) ** 2)))
    med = np.nanmedian(rms[usable])
    mad = 1.4826 * np.nanmedian(np.abs(rms[usable] - med))
    keep = usable & (rms <= med + 3 * mad + 1e-9)
    return keep if keep.sum() >= 3 else usable.copy()
