"""Sub-frame timing of the feet's gait events by joint template alignment.

Every landing (or every lift-off) of the feet is seen in several landmark
coordinates at once — heel, ankle and toe, horizontally and vertically.
At the event the foot's velocity changes abruptly (it meets or leaves the
belt, starts or stops rolling, is carried backwards by the belt); away from
it the motion is smooth. Each coordinate around the event is therefore
modelled, for all landings (or lift-offs) of both feet together, as

    y_i(t) = c_i + g_f T(t - tau_i),

with ``c_i`` an offset of event ``i``, ``g_f`` a gain of its foot (the far
foot of a side view is smaller in the image) and ``T`` a shape shared by
the events: a polynomial without constant term on each side of zero
(quadratic, cubic once the window holds `CUBIC_MIN_FRAMES` frames a side),
continuous at zero but free to change slope there (the kink at the event).
Fitting ``T``, the gains and the instants ``tau_i`` alternately by least
squares on the *unfiltered* landmarks is Woody's adaptive alignment of
repeated waveforms. Each round has two steps:

1. each instant by itself against the template (the whole local waveform
   of all coordinates, weighted by each coordinate's residual variance),
   re-centred so that this step sets only the *relative* timing;
2. the common timing of all events of both feet, from one of
   - the pooled kink: the shift of all instants at which the template,
     refitted, leaves the least residual (used when the window holds
     enough frames to resolve the event, `KINK_MIN_FRAMES`); for lift-offs
     the heel, ankle and toe share one jump of velocity per axis there, as
     the points of a foot that leaves the belt turning smoothly
     (`_solve_rigid`);
   - the pooled touch: Fellin's foot-height method on the contact point's
     heights from all events at once, extrapolated to the stance level
     (`_pooled_touch_shift`; at lower frame rates);
   - for landings in between (`KINK_CHECKED_FRAMES`), the kink when it lies
     within one frame of the first guesses for every foot, else the touch;
   - for lift-offs whose pooled touch moves the first guesses by more than
     a frame, the first guesses' own common timing (`_moved_over_a_frame`).

Landmark jitter so averages over all strides instead of moving
each event to its own noisy minimum, and the window is short (about a
tenth of a second each side), so stride-to-stride variation away from the
event does not enter. What the data can support is worked out in
``scripts/event_timing_bound.py`` (Cramér-Rao bounds per condition).

References
----------
Fellin RE, Rose WC, Royer TD, Davis IS (2010). Comparison of methods for
kinematic identification of footstrike and toe-off during overground and
treadmill running. J Sci Med Sport 13(6):646-650. doi:10.1016/j.jsams.2010.03.006
Woody CD (1967). Characterization of an adaptive filter for the analysis of
variable latency neuroelectric signals. Med Biol Eng 5(6):539-553.
doi:10.1007/BF02474247
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Half-width of the fitted window around each event, seconds (at least
#: `MIN_WINDOW_FRAMES` frames).
WINDOW_S = 0.08
MIN_WINDOW_FRAMES = 3
#: Search half-width for each instant and for the common shift, seconds
#: (at least 1.5 frames).
SEARCH_S = 0.03
#: Frames per side of the window from which the pooled kink, not the pooled
#: touch, sets the common timing of landings and of lift-offs; from
#: `KINK_CHECKED_FRAMES` on, landings use the kink when it lies within one
#: frame of the first guesses for every foot (a landing's velocity jump is
#: several times a lift-off's, see scripts/event_timing_bound.py).
KINK_MIN_FRAMES = 8
KINK_CHECKED_FRAMES = 4
#: Airborne frames next to the event that the pooled touch extrapolates.
TOUCH_AIR_FRAMES = 4
#: Frames per side from which the template's sides are cubic, not quadratic.
CUBIC_MIN_FRAMES = 8
#: Groups of events the jackknife of the common timing leaves out in turn.
JACKKNIFE_GROUPS = 8
#: Error (SD, seconds) of the common timing where the pooled touch sets it, for
#: landings and for lift-offs: the RMS error of the mean event timing over 60
#: noisy synthetic runs at 30 and 60 fps (160-180 steps/min, 0.5-2 px; IC 5.2 ms,
#: TO 6.6 ms at both rates), from ``scripts/common_timing_calibration.py``.
#: The touch's root picking is too rough to jackknife, so this is measured once,
#: not per clip; real footage can do worse (docs/rendered_accuracy.md).
TOUCH_COMMON_SD_S = {True: 0.0052, False: 0.0066}


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
    fitted : ndarray of bool, shape (m,)
        Events whose window had data and whose residual is within three
        robust SDs of the trusted events' typical residual.
    common_shift_se_s : float
        Standard error of the common timing, seconds. Every refined
        instant carries this error in common, so it does not average out
        over steps. Where the pooled kink sets the timing, a grouped
        jackknife of it over the events (`_jackknife_se`); where the
        foot heights do (the pooled touch, or the first guesses' own
        timing), the calibrated `TOUCH_COMMON_SD_S` (the touch
        picks a root of a fitted quadratic, and leaving a few events out
        can make it jump by frames, which a jackknife would read as a
        huge error). NaN when neither sets it.
    """

    instants_s: np.ndarray
    rms_px: np.ndarray
    common_shift_s: float
    fitted: np.ndarray
    common_shift_se_s: float = float("nan")


def _basis(u: np.ndarray, degree: int) -> np.ndarray:
    """Template columns at times `u` (s) from the event: v, ..., v**degree on each side."""
    cols = []
    for sign in (-1.0, 1.0):
        v = np.maximum(sign * u, 0.0)
        cols += [v ** k for k in range(1, degree + 1)]
    return np.column_stack(cols)


class _Windows:
    """Samples of every event's window, fixed for one round of alignment."""

    def __init__(self, t_s: np.ndarray, ys: list[np.ndarray], instants_s: np.ndarray,
                 half_s: float, gains: np.ndarray) -> None:
        self.t, self.y, self.owner = [], [], []
        # the sample times are sorted: look only at the samples near each instant
        # (one sample of margin on each side for rounding), not the whole clip
        starts = np.maximum(np.searchsorted(t_s, instants_s - half_s) - 1, 0)
        stops = np.searchsorted(t_s, instants_s + half_s, side="right") + 1
        for y, tau, gain, a, b in zip(ys, instants_s, gains, starts, stops):
            t_near, y_near = t_s[a:b], y[a:b]
            sel = (np.abs(t_near - tau) <= half_s) & np.isfinite(y_near).all(axis=1)
            self.t.append(t_near[sel])
            self.y.append(y_near[sel] / gain)
        self.usable = np.array([tt.size >= 4 for tt in self.t])

    def stacked(self, use: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.flatnonzero(use)
        t = np.concatenate([self.t[i] for i in idx])
        y = np.concatenate([self.y[i] for i in idx])
        owner = np.concatenate([np.full(self.t[i].size, j) for j, i in enumerate(idx)])
        return t, y, owner


@dataclass(frozen=True)
class _Terms:
    """What the template of each coordinate may do.

    Attributes
    ----------
    allowed : ndarray of bool, shape (2 * degree, n_coords)
        Template terms each coordinate may use (`_allowed_terms`).
    rigid_axes : ndarray of int, shape (n_coords,), or None
        Coordinates with the same value (the x or the y of every point of
        the foot) change their velocity by the same amount at the event
        (`_solve_rigid`); -1 or None: each coordinate by its own.
    """

    allowed: np.ndarray
    rigid_axes: np.ndarray | None = None


def _fit_template(win: _Windows, instants_s: np.ndarray, use: np.ndarray, degree: int,
                  terms: _Terms) -> tuple[np.ndarray, float]:
    """Shared template coefficients (p, n_coords) and the total residual sum of squares.

    The per-event offsets are removed by centring every event's samples and
    template columns on their own means (the same least-squares solution as
    fitting the offsets as columns of their own). Coefficients where
    ``terms.allowed`` (p, n_coords) is False stay zero (`_allowed_terms`);
    coordinates of one rigid axis are fitted together (`_solve_rigid`).
    """
    t, y, owner = win.stacked(use)
    tau = instants_s[use][owner]
    design = _centred_per_event(_basis(t - tau, degree), owner)
    y = _centred_per_event(y, owner)
    coef = np.zeros((design.shape[1], y.shape[1]))
    axes = np.full(y.shape[1], -1) if terms.rigid_axes is None else terms.rigid_axes
    for axis in np.unique(axes[axes >= 0]):
        coords = np.flatnonzero(axes == axis)
        coef[:, coords] = _solve_rigid(design, y[:, coords], terms.allowed[:, coords], degree)
    free = axes < 0
    for allowed in np.unique(terms.allowed[:, free].T, axis=0):
        coords = np.flatnonzero(free & (terms.allowed.T == allowed).all(axis=1))
        coef[np.ix_(allowed, coords)], *_ = np.linalg.lstsq(design[:, allowed], y[:, coords],
                                                            rcond=None)
    resid = y - design @ coef
    return coef, float(np.sum(resid ** 2))


def _centred_per_event(a: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Columns of `a` (n, k) less their mean over each event's rows (`owner`, n).

    In least squares this removes a free offset per event and column, as
    fitting the offsets as columns of their own would.
    """
    count = np.bincount(owner).astype(float)[:, None]
    means = np.stack([np.bincount(owner, weights=col) for col in a.T], axis=1) / count
    return a - means[owner]


def _solve_rigid(design: np.ndarray, y: np.ndarray, allowed: np.ndarray, degree: int
                 ) -> np.ndarray:
    """Template coefficients of coordinates whose velocities jump alike at the event.

    A foot that pivots on its toe until it leaves the belt keeps turning at
    the same rate as it lifts (no impulse acts on it then), so every point
    of it changes its velocity by what the toe's changes: on each axis the
    heel, ankle and toe share one jump of slope at the event, and only
    their curvatures differ there. Each coordinate keeps its own linear
    term through the event (``u``, a slope continuous across it) and its
    own higher terms; one column ``max(u, 0)`` with a shared coefficient
    carries the jump. With a free jump per coordinate, the heel's and
    ankle's jumps absorb part of a misplaced corner; tied to the toe's,
    they time the lift-off with it. On synthetic lift-offs at 240 fps,
    placed at their true relative timing, the pooled kink's scatter fell
    from 3.2 to 1.6 ms (40 draws), and the share of noisy draws meeting
    issue 3's bar rose from 38 to 56 of 60.

    Parameters
    ----------
    design : ndarray, shape (n, 2 * degree)
        Centred template columns (`_basis`).
    y : ndarray, shape (n, g)
        Centred samples of the g coordinates of one axis.
    allowed : ndarray of bool, shape (2 * degree, g)
        Terms each coordinate may use; both linear terms must be allowed.
    degree : int
        Polynomial degree of each side.

    Returns
    -------
    ndarray, shape (2 * degree, g)
        Coefficients on the `_basis` columns.
    """
    stacked, higher, starts = _rigid_design(design, allowed, degree)
    sol, *_ = np.linalg.lstsq(stacked, y.T.reshape(-1), rcond=None)
    coef = np.zeros((design.shape[1], y.shape[1]))
    for j in range(y.shape[1]):
        own = sol[starts[j]:starts[j] + 1 + len(higher[j])]
        # own[0] * u = -own[0] * max(-u, 0) + own[0] * max(u, 0)
        coef[0, j] = -own[0]
        coef[degree, j] = own[0] + sol[0]
        coef[higher[j], j] = own[1:]
    return coef


def _rigid_design(design: np.ndarray, allowed: np.ndarray, degree: int
                  ) -> tuple[np.ndarray, list[list[int]], np.ndarray]:
    """Design of `_solve_rigid` for g coordinates stacked one above the other.

    Parameters
    ----------
    design, allowed, degree
        As for `_solve_rigid`; `design` centred on each event's mean where
        the events' offsets are to be left out.

    Returns
    -------
    stacked : ndarray, shape (n * g, 1 + sum of the coordinates' own columns)
        Column 0 the shared jump ``max(u, 0)`` in every coordinate's rows;
        then, block-diagonal, each coordinate's own ``u`` and higher terms.
    higher : list of list of int
        The `_basis` columns of each coordinate's higher terms.
    starts : ndarray of int, shape (g,)
        Column of each coordinate's own ``u`` in `stacked`.
    """
    stance_linear, air_linear = 0, degree
    if not (allowed[stance_linear] & allowed[air_linear]).all():
        raise ValueError("a rigid coordinate needs both linear template terms")
    n, g = design.shape[0], allowed.shape[1]
    through = design[:, air_linear] - design[:, stance_linear]  # u (centred as design is)
    higher = [[k for k in np.flatnonzero(allowed[:, j]) if k not in (stance_linear, air_linear)]
              for j in range(g)]
    widths = [1 + len(h) for h in higher]
    starts = 1 + np.cumsum([0] + widths[:-1])
    stacked = np.zeros((n * g, 1 + sum(widths)))
    stacked[:, 0] = np.tile(design[:, air_linear], g)
    for j in range(g):
        rows = slice(j * n, (j + 1) * n)
        stacked[rows, starts[j]] = through
        stacked[rows, starts[j] + 1:starts[j] + widths[j]] = design[:, higher[j]]
    return stacked, higher, starts


def _allowed_terms(degree: int, n_coords: int, pinned: np.ndarray | None, landing: bool
                   ) -> np.ndarray:
    """Template terms each coordinate may use, shape (2 * degree, n_coords).

    A coordinate of a point that rests on the belt on the stance side of the
    event (`pinned`) is linear in time there: it moves with the belt, and
    may drift at a steady rate where the pose model's point creeps along the
    foot. Only the airborne side is free. Without this, a weak lift-off kink
    could be absorbed by a template whose stance side bends towards the
    shifted corner, leaving the common timing undetermined.
    """
    allowed = np.ones((2 * degree, n_coords), bool)
    if pinned is not None:
        stance_curvature = slice(degree + 1, 2 * degree) if landing else slice(1, degree)
        allowed[stance_curvature, np.asarray(pinned, bool)] = False
    return allowed


def _kink_shift(win: _Windows, instants_s: np.ndarray, use: np.ndarray, degree: int,
                terms: _Terms, offsets_s: np.ndarray, *, coarse: int = 5) -> float:
    """Common shift of the instants with the least template residual (the pooled kink).

    Searched on every `coarse`-th offset first, then on all offsets around
    the best coarse one, and refined by a parabola.
    """
    def rss(idx: np.ndarray) -> np.ndarray:
        return np.array([_fit_template(win, instants_s + offsets_s[i], use, degree, terms)[1]
                         for i in idx])

    rough = np.arange(0, offsets_s.size, coarse)
    best = rough[int(np.argmin(rss(rough)))]
    fine = np.arange(max(best - coarse, 0), min(best + coarse, offsets_s.size - 1) + 1)
    return _parabolic_min(offsets_s[fine], rss(fine))


def _event_cost(tt: np.ndarray, yy: np.ndarray, shape: np.ndarray, trial_s: np.ndarray,
                weights: np.ndarray, degree: int) -> np.ndarray:
    """Weighted residual sum of squares of one event for each trial instant (offset free)."""
    u = (tt[None, :] - trial_s[:, None]).ravel()
    model = (_basis(u, degree) @ shape).reshape(trial_s.size, tt.size, -1)
    resid = yy[None] - model
    resid -= resid.mean(axis=1, keepdims=True)
    return np.sum(resid ** 2 * weights, axis=(1, 2))


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


def _pooled_touch_shift(t_s: np.ndarray, heights_px: list[np.ndarray], instants_s: np.ndarray,
                        use: np.ndarray, *, landing: bool, fs: float, rounds: int = 3) -> float:
    """Common shift putting the contact point's pooled touch-down (or lift-off) at zero.

    Fellin's foot-height method pooled over all aligned events: the
    contact point is whichever column of `heights_px` (heights above the
    resting lines) lies lower on the stance side; its samples from every
    event, on a time axis relative to each instant, are levelled by the
    pooled stance level, and a quadratic in the time spent in the air,
    fitted to the airborne samples within `TOUCH_AIR_FRAMES` frames, is
    extrapolated to the level.
    """
    dt = 1.0 / fs
    reach = (TOUCH_AIR_FRAMES + 2) * dt
    sign = 1.0 if landing else -1.0
    idx = np.flatnonzero(use)
    best, best_level = None, np.inf
    for j in range(heights_px[0].shape[1]):
        u = [t_s[np.abs(t_s - instants_s[i]) <= reach] - instants_s[i] for i in idx]
        h = [heights_px[i][np.abs(t_s - instants_s[i]) <= reach, j] for i in idx]
        u, h = np.concatenate(u), np.concatenate(h)
        ok = np.isfinite(h)
        u, h = u[ok], h[ok]
        stance = (sign * u > 0) & (sign * u <= 2 * dt)
        level = float(np.mean(h[stance])) if stance.any() else np.inf
        if level < best_level:
            best, best_level = (u, h), level
    if best is None:
        return 0.0
    u, h = best
    shift = 0.0
    for _ in range(rounds):
        air_s = -sign * (u - shift)
        level = np.median(h[(air_s < -dt) & (air_s >= -(TOUCH_AIR_FRAMES + 1) * dt)])
        sel = (air_s > 0) & (air_s <= TOUCH_AIR_FRAMES * dt)
        if sel.sum() < 4 or not np.isfinite(level):
            return shift
        coef = np.polyfit(air_s[sel] / dt, h[sel] - level, 2)
        roots = np.roots(coef)
        roots = roots[np.isreal(roots)].real
        roots = roots[np.abs(roots) <= 2.0]
        if roots.size == 0:
            return shift
        step = float(roots[np.argmin(np.abs(roots))]) * dt
        shift -= sign * step
        if abs(step) < 1e-4:
            break
    return shift


def align_events(t_s: np.ndarray, y_px: np.ndarray, first_s: np.ndarray, *, fs: float,
                 use_kink: bool, trusted: np.ndarray | None = None, iterations: int = 4,
                 heights_px: np.ndarray | None = None, landing: bool = True,
                 group: np.ndarray | None = None, pinned: np.ndarray | None = None,
                 rigid_axes: np.ndarray | None = None,
                 group_scale: np.ndarray | None = None) -> AlignedEvents:
    """Refine the instants of one foot's repeated events jointly.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Sample times in seconds.
    y_px : ndarray, shape (n, k), or list of m such arrays
        Unfiltered landmark coordinates in pixels (e.g. heel, ankle and toe,
        x and y); NaN where missing. A list gives each event its own
        coordinates (e.g. the landings of both feet, each seen in its own
        foot's landmarks, aligned to one template).
    first_s : ndarray, shape (m,)
        First estimates of the instants (all landings or all lift-offs of
        one foot, or of both), seconds.
    fs : float
        Sampling rate in Hz.
    use_kink : bool
        Whether the pooled kink sets the common timing; else the pooled
        touch of `heights_px` or, without heights, the median of the first
        guesses.
    trusted : ndarray of bool, shape (m,), optional
        Events whose first estimate comes from a detection (default all);
        the others (e.g. predicted from the stride rhythm) are aligned but
        shape neither the template nor the common timing.
    iterations : int
        Rounds of per-event alignment and common shift.
    heights_px : ndarray, shape (n, j), or list of m such arrays, optional
        Heights in pixels of the candidate contact points (heel, toe) above
        their resting lines, for the pooled touch (per event as `y_px`).
    landing : bool
        True for initial contacts (stance after the event), False for
        toe-offs (stance before it).
    group : ndarray of int, shape (m,), optional
        Group of each event (e.g. 0 for the left foot, 1 for the right).
        Groups share the template up to one gain per group, fitted with
        it: the far foot of a side view moves fewer pixels (perspective),
        and a template without the gain would shift its events (a kink of
        unequal slopes, scaled, is best matched off its corner). Default:
        one group.
    group_scale : ndarray, shape (groups,), optional
        The groups' gains, measured elsewhere and kept fixed instead of
        fitted. Fitted, a gain is pinned down on a treadmill by the belt,
        which carries every stance foot backwards at its group's image
        speed; on still ground that trend is gone, gain and timing trade
        off against each other, and from first guesses a frame apart the
        two feet's gains swung by ±15 % from round to round, leaving the
        feet up to 14 ms apart (synthetic runners crossing the frame, 30 fps,
        0.5 px noise; `gait.events.crossing_scale` measures the gains there).
    pinned : ndarray of bool, shape (k,), optional
        Coordinates of a point resting on the belt on the stance side of the
        event (e.g. the toe before toe-off): their template is linear there
        (`_allowed_terms`). Default: none.
    rigid_axes : ndarray of int, shape (k,), optional
        Axis of each coordinate (e.g. 0 for x, 1 for y) for the points of a
        rigid foot that leaves the belt turning smoothly: coordinates of
        one axis share one jump of velocity at the event (`_solve_rigid`);
        -1 leaves a coordinate free. Only the pooled kink (the common
        timing) is fitted so; each event is aligned to a template whose
        coordinates are free, since a pose model's foot points do not move
        as one body (on a rendered runner MediaPipe's heel rose 20-30 ms
        early): aligned to the rigid shape, the toe-offs of the 240 fps
        rendered runners fell from 85 and 92 % within tolerance to 23 and 8 %.
        Default: every coordinate free.

    Returns
    -------
    AlignedEvents
    """
    dt = 1.0 / fs
    half = max(WINDOW_S, MIN_WINDOW_FRAMES * dt)
    search = max(SEARCH_S, 1.5 * dt)
    degree = 3 if half * fs >= CUBIC_MIN_FRAMES else 2
    first = np.asarray(first_s, float)
    ys = _per_event(y_px, first.size)
    allowed = _allowed_terms(degree, ys[0].shape[1], pinned, landing)
    shape_terms = _Terms(allowed)
    kink_terms = _Terms(allowed, None if rigid_axes is None else np.asarray(rigid_axes, int))
    heights = None if heights_px is None else _per_event(heights_px, first.size)
    instants = first.copy()
    rms = np.full(first.size, np.nan)
    n_grid = 2 * max(int(np.ceil(search / (dt / 20))), 10) + 1
    offsets = np.linspace(-search, search, n_grid)
    group = np.zeros(first.size, int) if group is None else np.asarray(group, int)
    fixed_gains = group_scale is not None
    gains = (np.asarray(group_scale, float).reshape(-1, 1) if fixed_gains
             else np.ones((group.max() + 1, 1)))
    win = _Windows(t_s, ys, instants, half, gains[group])
    trusted = np.ones(first.size, bool) if trusted is None else np.asarray(trusted, bool)
    use = win.usable & trusted
    if use.sum() < 3:
        return AlignedEvents(instants, rms, 0.0, np.zeros(first.size, bool))

    def common_shift(subset: np.ndarray, instants: np.ndarray, win: _Windows) -> float:
        if use_kink:
            return _kink_shift(win, instants, subset, degree, kink_terms, offsets)
        if heights is not None:
            return _pooled_touch_shift(t_s, heights, instants, subset, landing=landing, fs=fs)
        return float(np.median(first[subset] - instants[subset]))

    for _ in range(iterations):
        # 1. each instant against the template, keeping the common timing
        win = _Windows(t_s, ys, instants, half, gains[group])
        shape, _ = _fit_template(win, instants, use, degree, shape_terms)
        if not fixed_gains:
            gains *= _group_gains(win, instants, use, shape, degree, group)
        var = _coordinate_variance(win, instants, use, shape, degree)
        moved = np.zeros(first.size)
        for i in np.flatnonzero(win.usable):
            trial = instants[i] + offsets
            cost = _event_cost(win.t[i], win.y[i], shape, trial, 1.0 / var, degree)
            moved[i] = _parabolic_min(trial, cost) - instants[i]
        instants = np.where(win.usable, instants + moved - np.median(moved[use]), instants)
        fitted = _inliers(win, instants, shape, degree, win.usable & trusted, win.usable)
        use = fitted & trusted
        # 2. common shift: where the pooled data put the template's kink when the
        #    window resolves it, else the pooled touch or the median of the first guesses
        if use_kink:
            win = _Windows(t_s, ys, instants, half, gains[group])
        instants = np.where(win.usable, instants + common_shift(use, instants, win), instants)
    for i in np.flatnonzero(win.usable):
        resid = win.y[i] - _basis(win.t[i] - instants[i], degree) @ shape
        resid -= resid.mean(axis=0)
        rms[i] = float(np.sqrt(np.mean(resid ** 2)))
    if use_kink:  # a least-squares minimum; the touch's root picking is too rough to jackknife
        win = _Windows(t_s, ys, instants, half, gains[group])
        se = _jackknife_se(lambda subset: common_shift(subset, instants, win), use,
                           np.arange(first.size) % JACKKNIFE_GROUPS)
    else:  # the pooled touch, or the first guesses' own timing, both from the foot heights
        se = TOUCH_COMMON_SD_S[landing]
    return AlignedEvents(instants, rms, float(np.median(instants[use] - first[use])), fitted, se)


def _jackknife_se(statistic, use: np.ndarray, block: np.ndarray) -> float:
    """Grouped (delete-a-group) jackknife standard error of `statistic(use)`.

    Parameters
    ----------
    statistic : callable
        Maps a boolean mask of the events to use to a float.
    use : ndarray of bool, shape (m,)
        Events the full estimate uses.
    block : ndarray of int, shape (m,)
        Group of each event; each group in turn is left out (events in
        time order dealt round-robin, so every group spans the clip).

    Returns
    -------
    float
        sqrt((g − 1)/g · Σ (θ₍ᵢ₎ − θ̄)²) over the g groups that leave at
        least three events (Efron & Tibshirani 1993, ch. 11); NaN with
        fewer than two such groups.
    """
    estimates = []
    for b in np.unique(block[use]):
        keep = use & (block != b)
        if keep.sum() >= 3:
            estimates.append(statistic(keep))
    g = len(estimates)
    if g < 2:
        return float("nan")
    est = np.asarray(estimates)
    return float(np.sqrt((g - 1) / g * np.sum((est - est.mean()) ** 2)))


def _group_gains(win: _Windows, instants_s: np.ndarray, use: np.ndarray, shape: np.ndarray,
                 degree: int, group: np.ndarray) -> np.ndarray:
    """Least-squares gain of each group's windows on the template, shape (groups, 1).

    One gain for all coordinates of a group (a perspective scale): a gain
    per coordinate, fitted to noisy windows, moved the feet apart by up to
    3 points of step-time asymmetry on synthetic tracks. The result
    multiplies the gains with which `win` was built and is normalised to a
    geometric mean of one over the groups, so the template keeps the scale
    of the data.
    """
    n_groups = group.max() + 1
    num = np.zeros((n_groups, shape.shape[1]))
    den = np.zeros_like(num)
    for i in np.flatnonzero(use):
        model = _basis(win.t[i] - instants_s[i], degree) @ shape
        model -= model.mean(axis=0)
        y = win.y[i] - win.y[i].mean(axis=0)
        num[group[i]] += np.sum(y * model, axis=0)
        den[group[i]] += np.sum(model ** 2, axis=0)
    num, den = num.sum(axis=1, keepdims=True), den.sum(axis=1, keepdims=True)
    gain = np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)
    gain = np.clip(gain, 0.5, 2.0)
    return gain / np.exp(np.mean(np.log(gain), axis=0))


def _per_event(arrays: np.ndarray | list[np.ndarray], m: int) -> list[np.ndarray]:
    """One array per event: `arrays` itself for every event, or the given list."""
    if isinstance(arrays, np.ndarray):
        return [arrays] * m
    if len(arrays) != m:
        raise ValueError(f"{len(arrays)} coordinate arrays for {m} events")
    return list(arrays)


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
             reference: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Usable events whose residual is within three robust SDs of the reference events'."""
    rms = np.full(instants_s.size, np.nan)
    for i in np.flatnonzero(usable):
        r = win.y[i] - _basis(win.t[i] - instants_s[i], degree) @ shape
        rms[i] = float(np.sqrt(np.mean((r - r.mean(axis=0)) ** 2)))
    med = np.nanmedian(rms[reference])
    mad = 1.4826 * np.nanmedian(np.abs(rms[reference] - med))
    keep = usable & (rms <= med + 3 * mad + 1e-9)
    return keep if (keep & reference).sum() >= 3 else usable.copy()


def align_feet(t_s: np.ndarray, y_px: dict[str, np.ndarray], first_s: dict[str, np.ndarray], *,
               fs: float, landing: bool, trusted: dict[str, np.ndarray],
               heights_px: dict[str, np.ndarray] | None = None,
               pinned: np.ndarray | None = None,
               rigid_axes: np.ndarray | None = None,
               scale: dict[str, float] | None = None) -> dict[str, AlignedEvents]:
    """`align_events` on the landings (or lift-offs) of all feet together.

    The feet share one template, each with its own gain (`align_events`,
    ``group``), and one common timing from the pooled data of all feet:
    the pooled kink when the window holds at least `KINK_MIN_FRAMES` frames
    per side; for landings with at least `KINK_CHECKED_FRAMES`, when the
    kink lies within one frame of the first guesses; otherwise the pooled
    touch of `heights_px` (`_pooled_touch_shift`). Lift-offs keep the common
    timing of their first guesses when the pooled touch would move it by more
    than a frame: a foot leaves the belt almost tangentially, so extrapolating
    its height to the stance level is ill-conditioned, and where the pose
    model's toe climbs through stance the pooled touch kept drifting (on
    rendered runners lift-offs within tolerance rose from 7-67 % to 93-100 %
    at 30 fps). Landings keep the pooled touch: the foot arrives at speed,
    and on the same runners it corrected first guesses that were 40 ms early.
    Landings fall back from the pooled kink to the pooled touch, and
    lift-offs to their first guesses, when the kink moves the common timing
    beyond the per-event search (`_moved_too_far`). A left-right difference
    (step-time asymmetry) therefore comes only from aligning each event to
    the same template. Timing each foot on its own left each foot's common
    timing free to err by itself, which moved the step-time asymmetry by
    up to 6 points on noisy synthetic tracks (30 fps) and by 17 points on
    MediaPipe landmarks of a symmetric runner (runner_side_30fps.mp4), whose
    far foot is seen less well.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
    y_px, first_s, trusted, heights_px : dict
        Per foot: coordinates (n, k), first instants (m,), trusted mask (m,),
        contact-point heights (n, j), as in `align_events`.
    fs : float
        Sampling rate in Hz.
    landing : bool
        True for initial contacts, False for toe-offs.
    pinned : ndarray of bool, shape (k,), optional
        Coordinates resting on the belt on the stance side, as in `align_events`.
    rigid_axes : ndarray of int, shape (k,), optional
        Axes of the coordinates of a rigid foot, as in `align_events`.
    scale : dict of float, optional
        Per foot, a fixed gain (`align_events`, ``group_scale``); by
        default each foot's gain is fitted.

    Returns
    -------
    dict of AlignedEvents
    """
    frames = _window_frames(fs)
    kink = uses_pooled_kink(fs, landing=landing)
    out = _align_jointly(t_s, y_px, first_s, fs=fs, use_kink=kink, trusted=trusted,
                         heights_px=heights_px, landing=landing, pinned=pinned,
                         rigid_axes=rigid_axes, scale=scale)
    # a landings' kink is trusted within a frame of the first guesses where the window
    # is short, within the per-event search where it is long (lift-offs: below)
    checked = _moved_over_a_frame if frames < KINK_MIN_FRAMES else _moved_too_far_kink
    if kink and landing and checked(out, fs):
        kink = False
        out = _align_jointly(t_s, y_px, first_s, fs=fs, use_kink=False, trusted=trusted,
                             heights_px=heights_px, landing=landing, pinned=pinned,
                             rigid_axes=rigid_axes, scale=scale)
    if not landing and _moved_too_far(out, fs, kink):
        out = _align_jointly(t_s, y_px, first_s, fs=fs, use_kink=False, trusted=trusted,
                             heights_px=None, landing=landing, pinned=pinned,
                             rigid_axes=rigid_axes, scale=scale)
    return out


def _window_frames(fs: float) -> float:
    """Frames on each side of an event in the fitted window."""
    return max(WINDOW_S, MIN_WINDOW_FRAMES / fs) * fs


def uses_pooled_kink(fs: float, *, landing: bool) -> bool:
    """Whether `align_feet` first tries the pooled kink for the events' common timing.

    From `KINK_MIN_FRAMES` frames a side of the window (100 fps), and for
    landings from `KINK_CHECKED_FRAMES` (50 fps). Otherwise landings take the
    pooled touch, and lift-offs keep the common timing of their first guesses
    wherever the pooled touch would move it by more than a frame.

    Parameters
    ----------
    fs : float
        Sampling rate in Hz.
    landing : bool
        True for initial contacts, False for toe-offs.

    Returns
    -------
    bool
    """
    frames = _window_frames(fs)
    return frames >= KINK_MIN_FRAMES or (landing and frames >= KINK_CHECKED_FRAMES)


def _moved_too_far(aligned: dict[str, AlignedEvents], fs: float, kink: bool) -> bool:
    """Whether a pooled timing overturned the first guesses' common timing.

    The pooled touch may move it by at most a frame (`_moved_over_a_frame`).
    The pooled kink, a least-squares fit of the whole pooled waveform, may
    move it further at high frame rates, but not beyond the per-event search
    (`SEARCH_S`): on MediaPipe's rendered runners at 120 fps, with one foot
    left out, the near foot's lift-offs alone put it 55 ms early, and at
    240 fps the landings' kink drifted 60-100 ms late over its rounds.
    """
    return _moved_too_far_kink(aligned, fs) if kink else _moved_over_a_frame(aligned, fs)


def _moved_too_far_kink(aligned: dict[str, AlignedEvents], fs: float) -> bool:
    """Whether the pooled kink moved the common timing beyond the per-event search."""
    return any(abs(a.common_shift_s) > max(SEARCH_S, 1.0 / fs) for a in aligned.values())


def _moved_over_a_frame(aligned: dict[str, AlignedEvents], fs: float) -> bool:
    """Whether the pooled common timing moved the first guesses by more than a frame.

    The first guesses are timed from the same foot heights, event by event;
    pooling them should refine their common timing, not overturn it. On
    synthetic tracks the pooled touch moves it by a fraction of a frame
    (at most 7 ms at 30 fps); on MediaPipe's rendered runners it moved the
    lift-offs by 30-45 ms at 30 fps in the first round and did not settle
    in the next (the toe climbs through stance, so the stance level it
    extrapolates to keeps moving; docs/rendered_accuracy.md).

    Parameters
    ----------
    aligned : dict of AlignedEvents
        Per foot, as `_align_jointly` returns.
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    bool
    """
    return any(abs(a.common_shift_s) > 1.0 / fs for a in aligned.values())


def _align_jointly(t_s: np.ndarray, y_px: dict[str, np.ndarray], first_s: dict[str, np.ndarray],
                   *, fs: float, use_kink: bool, trusted: dict[str, np.ndarray],
                   heights_px: dict[str, np.ndarray] | None, landing: bool,
                   pinned: np.ndarray | None, rigid_axes: np.ndarray | None,
                   scale: dict[str, float] | None) -> dict[str, AlignedEvents]:
    """`align_events` on the events of all feet at once, one group per foot, split by foot."""
    feet = list(y_px)
    owner = np.concatenate([np.full(np.size(first_s[f]), k) for k, f in enumerate(feet)])
    ys = [y_px[feet[k]] for k in owner]
    heights = None if heights_px is None else [heights_px[feet[k]] for k in owner]
    joint = align_events(t_s, ys, np.concatenate([first_s[f] for f in feet]), fs=fs,
                         use_kink=use_kink, trusted=np.concatenate([trusted[f] for f in feet]),
                         heights_px=heights, landing=landing, group=owner, pinned=pinned,
                         rigid_axes=rigid_axes,
                         group_scale=None if scale is None else np.array([scale[f] for f in feet]))
    return {f: AlignedEvents(joint.instants_s[owner == k], joint.rms_px[owner == k],
                             joint.common_shift_s, joint.fitted[owner == k],
                             joint.common_shift_se_s)
            for k, f in enumerate(feet)}


def touch_time(t: np.ndarray, h: np.ndarray, edge: int, step: int, *, max_frames: int = 3
               ) -> float:
    """Instant the foot reaches the belt, extrapolated from the swing side.

    `edge` is the last sample still in contact and ``edge + step`` the
    first one in the air (``step=-1`` looks back from stance to the landing,
    ``+1`` forward to the lift-off). Up to four airborne samples next to the
    edge are fitted with a quadratic in time and extrapolated to zero height
    (the stance level): a foot that lands at a steady vertical speed and one
    that touches down tangentially are both timed without the bias of a
    threshold. The result is kept between the first airborne sample and
    `max_frames` samples into the stance side.
    """
    air = [edge + step * k for k in range(1, 5) if 0 <= edge + step * k < t.size]
    air = [i for i in air if np.isfinite(h[i])]
    t_air = t[air[0]] if air else t[edge]
    inner = edge - step * (max_frames - 1)
    t_limit = t[int(np.clip(inner, 0, t.size - 1))]
    lo, hi = sorted((t_air, t_limit))
    if len(air) < 2:
        return float(t[edge])
    tt, hh = t[air] - t_air, h[air]
    coef = np.polyfit(tt, hh, 2 if len(air) >= 3 else 1)
    roots = np.roots(coef)
    roots = roots[np.isreal(roots)].real + t_air
    roots = roots[(roots >= lo - 1e-9) & (roots <= hi + 1e-9)]
    if roots.size:
        # the root nearest the airborne side is where the descent meets the belt
        return float(roots[np.argmin(np.abs(roots - t_air))])
    if coef.size == 3 and coef[0] > 0:  # closest approach without touching: the vertex
        return float(np.clip(t_air - coef[1] / (2 * coef[0]), lo, hi))
    return float(t[edge])


def predict_missing(instants_s: np.ndarray, *, period_s: float,
                    t_range_s: tuple[float, float]) -> np.ndarray:
    """Instants where the stride rhythm expects an event that was not detected.

    Parameters
    ----------
    instants_s : ndarray, shape (m,)
        Detected instants of one foot's events, seconds.
    period_s : float
        Stride period in seconds.
    t_range_s : (float, float)
        First and last sample time; predictions stay inside it.

    Returns
    -------
    ndarray
        Evenly spaced instants filling every interval longer than 1.5
        periods between detections, and whole periods before the first
        and after the last detection, sorted.
    """
    inst = np.sort(np.asarray(instants_s, float))
    if inst.size == 0:
        return inst
    out = []
    for a, b in zip(inst[:-1], inst[1:]):
        n = int(round((b - a) / period_s))
        if (b - a) > 1.5 * period_s and n >= 2:
            out += list(a + (b - a) * np.arange(1, n) / n)
    k = inst[0] - period_s
    while k > t_range_s[0]:
        out.append(k)
        k -= period_s
    k = inst[-1] + period_s
    while k < t_range_s[1]:
        out.append(k)
        k += period_s
    return np.sort(np.array(out, float))
