"""Cramér-Rao bounds on IC / TO timing from landmark tracks with white noise.

For each noisy condition of the issue-3 grid, the foot's heel, ankle and
toe (x and y, six coordinates, each with independent Gaussian noise of SD
``noise_px`` per frame) are sampled from the synthetic runner around every
event, and the Fisher information about the event instant ``tau`` is
computed for two models of what an estimator knows:

``kink``
    Each coordinate is an unknown quadratic in time on either side of the
    event, continuous at ``tau`` (a broken stick with curvature) over a
    window of ``+-W`` seconds. Only the velocity jump at the event
    carries information: ``J = sum_c (dv_c / sigma)^2 * |P_perp H|^2`` with
    ``H`` the step at ``tau`` and ``P_perp`` the projection away from the
    nuisance columns. This is what a per-event fit can reach.
``shape``
    The shape of every coordinate around the event is known exactly (an
    ideal stride template); each event has its own offset and slope per
    coordinate. Information comes from the whole local waveform
    (``dmu/dtau = -velocity``), so this bound is lower and is only
    reachable if every stride repeats the same local motion.

The bound SD is compared with the SD an unbiased Gaussian estimator needs
for 90 % of events within one frame: ``(1 / fps) / 1.645``.

The last columns combine the best case of the two: every event placed
relative to the others with the ``shape`` bound, and the common timing of
all events located from the velocity jump pooled over the ``n`` landings
(or lift-offs) of both feet in the 10 s clip, as `gait.event_timing` pools
them (``contact`` W=100 bound divided by ``sqrt(n)``);
``P<=1f`` is the resulting chance that an event lies within one frame.
Below 90 % the condition cannot meet the issue's bar with local
information, whatever the estimator. The ``kink`` and ``contact`` models
fit quadratics over 100 ms a side, which the runner's feet do not follow
that far, so these columns are best cases, not what an estimator that
must also get the shape right can reach.

A second table does that for the template gait itself fits
(`gait.event_timing`): one shape for all landings (or lift-offs) of a
foot, each event with its own offsets, over the window and polynomial
degree `align_events` uses, the toe pinned to the belt before a lift-off
and, for lift-offs, one jump of velocity per axis shared by the heel,
ankle and toe (a rigid foot, as gait's pooled kink fits them).
``CRB`` is the bound on the pooled common timing under that model
(the model's columns are the nuisance, the true velocity the signal);
``bias`` is where `align_events` puts the common timing on exact
landmarks started at the true instants, the template's misfit;
``own`` is the RMS bound of each event's timing about the common one
(the shape known, only the event's offsets unknown); ``P(draw)`` is the
chance that one noisy clip has 90 % of its events within one frame,
its common error drawn from the bound about the bias. Least squares
does not reach the bound at 240 fps (README, "Measured accuracy"), so
this is a best case too. Where the pooled touch or the first guesses
set the common timing instead (fewer than `KINK_MIN_FRAMES` frames a
side, or `KINK_CHECKED_FRAMES` for landings) the row says so.

Run: ``PYTHONPATH=src python scripts/event_timing_bound.py``.
"""

from __future__ import annotations

from math import erf

import numpy as np
from scipy.special import erf as erf_array

from gait import event_timing
from gait.events import FOOT_RIGID_AXES, TOE_PINNED
from gait.landmarks import INDEX
from gait.synth import Camera, RunnerModel, SynthParams

#: Noisy conditions of the issue-3 grid: fps, cadence, asymmetry %, noise px.
CONDITIONS = [(30, 150, 0.0, 1.0), (30, 200, 15.0, 1.5), (60, 170, 5.0, 1.0),
              (60, 185, -10.0, 2.0), (120, 160, 10.0, 1.0), (240, 175, 15.0, 1.5)]
POINTS = ("heel", "ankle", "foot_index")
Z90 = 1.645


def _coords_px(model: RunnerModel, camera: Camera, t_s: np.ndarray, side: str) -> np.ndarray:
    """(len(t_s), 6) pixel coordinates of heel, ankle, toe of one foot."""
    world = model.landmarks_m(t_s)
    xy = camera.project(world)
    return np.concatenate([xy[:, INDEX[f"{side}_{p}"]] for p in POINTS], axis=1)


def velocity_jump_px_s(model: RunnerModel, camera: Camera, t_event_s: float, side: str,
                       *, eps_s: float = 1e-5) -> np.ndarray:
    """Velocity after minus before the event per coordinate, px/s, shape (6,)."""
    t = t_event_s + np.array([-2 * eps_s, -eps_s, eps_s, 2 * eps_s])
    c = _coords_px(model, camera, t, side)
    return (c[3] - c[2]) / eps_s - (c[1] - c[0]) / eps_s


def _residual_norm2(columns: np.ndarray, target: np.ndarray) -> float:
    """|target - projection of target on span(columns)|^2."""
    coef, *_ = np.linalg.lstsq(columns, target, rcond=None)
    r = target - columns @ coef
    return float(r @ r)


def kink_info_per_unit(fps: float, window_s: float, phase: float) -> float:
    """|P_perp H|^2 for samples at spacing 1/fps, event at `phase` of a frame after a sample."""
    dt = 1.0 / fps
    k = np.arange(-int(np.ceil(window_s / dt)) - 1, int(np.ceil(window_s / dt)) + 2)
    u = (k - phase) * dt  # sample time minus tau
    u = u[np.abs(u) <= window_s]
    left, right = np.minimum(u, 0.0), np.maximum(u, 0.0)
    cols = np.column_stack([np.ones_like(u), left, left ** 2, right, right ** 2])
    return _residual_norm2(cols, (u > 0).astype(float))


def kink_bound_s(dv_px_s: np.ndarray, sigma_px: float, fps: float, window_s: float) -> float:
    """CRB SD of tau for the ``kink`` model, averaged (in variance) over sub-frame phase."""
    var = [sigma_px ** 2 / (np.sum(dv_px_s ** 2) * kink_info_per_unit(fps, window_s, ph))
           for ph in np.linspace(0.05, 0.95, 10)]
    return float(np.sqrt(np.mean(var)))


def _one_sided(model: RunnerModel, camera: Camera, t_event_s: float, side: str,
               *, eps_s: float = 1e-4) -> tuple[np.ndarray, ...]:
    """Velocity and half-acceleration of each coordinate just before and after the event."""
    k = np.arange(1, 4) * eps_s
    before = _coords_px(model, camera, t_event_s - k, side)
    after = _coords_px(model, camera, t_event_s + k, side)
    at = _coords_px(model, camera, np.array([t_event_s]), side)[0]
    out = []
    for pts, sgn in ((before, -1.0), (after, 1.0)):
        u = sgn * k
        cols = np.column_stack([u, u ** 2])
        coef = np.linalg.lstsq(cols, pts - at, rcond=None)[0]
        out += [coef[0], coef[1]]
    return tuple(out)  # b_before, q_before, b_after, q_after


def contact_bound_s(model: RunnerModel, camera: Camera, t_event_s: float, side: str, *,
                    landing: bool, sigma_px: float, fps: float, window_s: float) -> float:
    """CRB SD of tau for the ``contact`` model.

    As ``kink``, but the contact point obeys the stance physics on its
    stance side: the heel (landing) or toe (lift-off) rests at a known
    ground level (vertical: no nuisance on that side, and the level at the
    event is known) and moves at the known belt speed (horizontal: only an
    offset is unknown).
    """
    b_l, q_l, b_r, q_r = _one_sided(model, camera, t_event_s, side)
    contact = POINTS.index("heel" if landing else "foot_index")
    dt = 1.0 / fps
    var = []
    for ph in np.linspace(0.05, 0.95, 10):
        k = np.arange(-int(np.ceil(window_s / dt)) - 1, int(np.ceil(window_s / dt)) + 2)
        u = (k - ph) * dt
        u = u[np.abs(u) <= window_s]
        lo, hi = np.minimum(u, 0.0), np.maximum(u, 0.0)
        info = 0.0
        for c in range(6):
            deriv = -np.where(u < 0, b_l[c] + 2 * q_l[c] * u, b_r[c] + 2 * q_r[c] * u)
            stance_lo = landing is False  # stance before a lift-off, after a landing
            cols = []
            if c == 2 * contact + 1:  # vertical coordinate of the contact point
                cols = [hi, hi ** 2] if stance_lo else [lo, lo ** 2]
            elif c == 2 * contact:  # horizontal: stance side a line of known slope
                cols = [np.ones_like(u)] + ([hi, hi ** 2] if stance_lo else [lo, lo ** 2])
            else:
                cols = [np.ones_like(u), lo, lo ** 2, hi, hi ** 2]
            info += _residual_norm2(np.column_stack(cols), deriv) / sigma_px ** 2
        var.append(1.0 / info)
    return float(np.sqrt(np.mean(var)))


def _fmt(ms: float, width: int) -> str:
    """Bound in ms, or "-" where the window holds too few samples to fit the model."""
    return f"{ms:{width}.1f}" if ms < 1e4 else f"{'-':>{width}}"


def shape_bound_s(model: RunnerModel, camera: Camera, t_event_s: float, side: str,
                  sigma_px: float, fps: float, window_s: float) -> float:
    """CRB SD of tau for the ``shape`` model (known waveform, offset+slope per coordinate)."""
    dt = 1.0 / fps
    var = []
    for ph in np.linspace(0.05, 0.95, 10):
        u = (np.arange(-int(window_s / dt), int(window_s / dt) + 1) + ph) * dt
        t = t_event_s + u
        h = 1e-5
        vel = (_coords_px(model, camera, t + h, side) - _coords_px(model, camera, t - h, side)
               ) / (2 * h)
        cols = np.column_stack([np.ones_like(u), u])
        info = sum(_residual_norm2(cols, vel[:, c]) for c in range(vel.shape[1])) / sigma_px ** 2
        var.append(1.0 / info)
    return float(np.sqrt(np.mean(var)))


def _clip_coords(model: RunnerModel, camera: Camera, fps: float, duration_s: float
                 ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Frame times, exact coordinates (n, 6) per foot and their velocities, px/s."""
    t = np.arange(int(duration_s * fps)) / fps
    h = 1e-5
    coords = {side: _coords_px(model, camera, t, side) for side in ("left", "right")}
    vel = {side: (_coords_px(model, camera, t + h, side) - _coords_px(model, camera, t - h, side))
           / (2 * h) for side in coords}
    return t, coords, vel


def _rigid_axis_info(basis: np.ndarray, owner: np.ndarray, signal: np.ndarray,
                     allowed: np.ndarray, degree: int) -> float:
    """Information (unit noise) about the shift from the g coordinates of one rigid axis.

    The nuisance is `event_timing._solve_rigid`'s model (`_rigid_design`):
    one shared column ``max(u, 0)`` (the common jump of slope), and per
    coordinate its own ``u`` and other allowed terms; each coordinate's
    offset per event is left out by centring every event's samples
    (`owner`) on their mean, as gait does.
    """
    centred = event_timing._centred_per_event
    stacked, _, _ = event_timing._rigid_design(centred(basis, owner), allowed, degree)
    return _residual_norm2(stacked, centred(signal, owner).T.reshape(-1))


def template_bound(model: RunnerModel, camera: Camera, params: SynthParams, *, landing: bool
                   ) -> tuple[float, float, np.ndarray] | None:
    """Bounds and bias of gait's template timing (s); None where the kink is not used.

    The Fisher information about a shift shared by every event is summed
    over both feet and the six coordinates: the true velocity at each
    sample in the window (the signal, ``dmu/dtau = -velocity``) less its
    projection on the template's columns that coordinate may use
    (`event_timing._allowed_terms`) and on one offset per event; for
    lift-offs, on the rigid foot's columns (`_rigid_axis_info`), as
    gait's pooled kink fits them. Each foot gets its own template here
    (gait shares one up to a gain), which costs a handful of columns
    against thousands of samples. Each event's own timing relative to the
    others is bounded with the shape known (pooled from all events) and
    only its offsets unknown.

    Returns
    -------
    tuple or None
        CRB SD of the common timing, its noise-free bias (`align_events`
        on exact landmarks started at the true instants) and each event's
        CRB SD relative to the others, all in seconds.
    """
    fps = params.fps
    frames = max(event_timing.WINDOW_S, event_timing.MIN_WINDOW_FRAMES / fps) * fps
    needed = event_timing.KINK_CHECKED_FRAMES if landing else event_timing.KINK_MIN_FRAMES
    if frames < needed:
        return None
    half = frames / fps
    degree = 3 if frames >= event_timing.CUBIC_MIN_FRAMES else 2
    pinned, rigid = (None, None) if landing else (TOE_PINNED, FOOT_RIGID_AXES)
    allowed = event_timing._allowed_terms(degree, 6, pinned, landing)
    t, coords, vel = _clip_coords(model, camera, fps, params.duration_s)
    key = "ic_s" if landing else "to_s"
    events = model.events(t[0] + half, t[-1] - half)
    info, own = 0.0, []
    for side in coords:
        instants = np.array([e[key] for e in events if e["foot"] == side])
        near = [np.flatnonzero(np.abs(t - tau) <= half) for tau in instants]
        u = np.concatenate([t[k] - tau for k, tau in zip(near, instants)])
        owner = np.concatenate([np.full(k.size, j) for j, k in enumerate(near)])
        basis = event_timing._basis(u, degree)
        signal = np.concatenate([vel[side][k] for k in near])
        if rigid is None:  # each event's offset left out by centring, as gait does
            centred = event_timing._centred_per_event
            for c in range(6):
                info += _residual_norm2(centred(basis[:, allowed[:, c]], owner),
                                        centred(signal[:, [c]], owner)[:, 0]) / params.noise_px ** 2
        else:
            for axis in np.unique(rigid):
                cols = np.flatnonzero(rigid == axis)
                info += _rigid_axis_info(basis, owner, signal[:, cols], allowed[:, cols],
                                         degree) / params.noise_px ** 2
        for k in near:
            centred = vel[side][k] - vel[side][k].mean(axis=0)
            own.append(params.noise_px / np.sqrt(np.sum(centred ** 2)))
    first = np.array([e[key] for e in events])
    feet = np.array([e["foot"] for e in events])
    aligned = event_timing.align_events(
        t, [coords[f] for f in feet], first, fs=fps, use_kink=True, landing=landing,
        group=(feet == "right").astype(int), pinned=pinned, rigid_axes=rigid)
    bias = float(np.median(aligned.instants_s - first))
    return float(1.0 / np.sqrt(info)), bias, np.array(own)


def chance_draw_meets_bar(fps: float, sd_s: float, bias_s: float, own_s: np.ndarray) -> float:
    """Chance that one clip has 90 % of its events within one frame.

    The common error of a clip is drawn from N(`bias_s`, `sd_s`); given it,
    each event lands within the frame with its own Gaussian error of SD
    `own_s`, and the clip meets the bar where the expected share is 90 %.
    """
    frame = 1.0 / fps
    common = bias_s + sd_s * np.linspace(-5, 5, 2001)
    z = np.sqrt(2) * own_s[None, :]
    share = 0.5 * np.mean(erf_array((frame - common[:, None]) / z)
                          + erf_array((frame + common[:, None]) / z), axis=1)
    weight = np.exp(-0.5 * np.linspace(-5, 5, 2001) ** 2)
    return float(np.sum(weight * (share >= 0.9)) / np.sum(weight))


def print_template_table() -> None:
    """The bounds and bias of gait's own template on each condition."""
    print("\nGait's template (pooled kink), ms: CRB of the common timing and its noise-free bias;"
          " 'own' = RMS bound of each event about it; P(draw) = chance that a clip meets the bar")
    print(f"{'fps':>4} {'spm':>4} {'px':>4} | {'event':>5} {'CRB':>5} {'bias':>6} {'own':>5}"
          f" {'P(draw)':>8}")
    for fps, cad, asym, noise in CONDITIONS:
        params = SynthParams(fps=fps, cadence_spm=cad, step_time_asymmetry_pct=asym,
                             noise_px=noise, duty_factor=0.33, duration_s=10, seed=7)
        model, camera = RunnerModel(params), Camera.for_params(params)
        for name in ("IC", "TO"):
            found = template_bound(model, camera, params, landing=name == "IC")
            if found is None:
                print(f"{fps:4d} {cad:4d} {noise:4.1f} | {name:>5}   (pooled touch or first "
                      "guesses set the common timing)")
                continue
            sd, bias, own = found
            p_draw = chance_draw_meets_bar(fps, sd, bias, own)
            print(f"{fps:4d} {cad:4d} {noise:4.1f} | {name:>5} {sd * 1e3:5.2f} {bias * 1e3:+6.2f}"
                  f" {np.sqrt(np.mean(own ** 2)) * 1e3:5.2f} {p_draw:8.0%}")


def main() -> None:
    print("Cramér-Rao bound SD (ms) on event timing; 'need' = SD for 90 % within one frame")
    print(f"{'fps':>4} {'spm':>4} {'px':>4} {'need':>5} | {'event':>5} {'|dv| px/s':>28} | "
          f"{'kink W=100':>10} {'contact W=50':>12} {'contact W=100':>13} {'shape W=50':>10} | "
          f"{'pooled':>6} {'total':>5} {'P<=1f':>6}")
    for fps, cad, asym, noise in CONDITIONS:
        params = SynthParams(fps=fps, cadence_spm=cad, step_time_asymmetry_pct=asym,
                             noise_px=noise, duty_factor=0.33, duration_s=10, seed=7)
        model, camera = RunnerModel(params), Camera.for_params(params)
        ev = model.events(0.0, params.duration_s)
        need = 1e3 / fps / Z90
        for name, key in (("IC", "ic_s"), ("TO", "to_s")):
            e = next(e for e in ev if e["foot"] == "left")
            dv = velocity_jump_px_s(model, camera, e[key], "left")
            c50, c100 = (contact_bound_s(model, camera, e[key], "left", landing=name == "IC",
                                         sigma_px=noise, fps=fps, window_s=w) * 1e3
                         for w in (0.05, 0.10))
            b100 = kink_bound_s(dv, noise, fps, 0.10) * 1e3
            s50 = shape_bound_s(model, camera, e[key], "left", noise, fps, 0.05) * 1e3
            n_events = params.duration_s * cad / 60.0  # both feet
            pooled = c100 / np.sqrt(n_events)
            total = float(np.hypot(s50, pooled))
            p_frame = float(erf(1e3 / fps / total / np.sqrt(2)))
            dv_txt = " ".join(f"{abs(v):4.0f}" for v in dv)
            print(f"{fps:4d} {cad:4d} {noise:4.1f} {need:5.1f} | {name:>5} {dv_txt:>28} | "
                  f"{_fmt(b100, 10)} {_fmt(c50, 12)} {_fmt(c100, 13)} {_fmt(s50, 10)} | {pooled:6.1f} {total:5.1f} "
                  f"{p_frame:6.0%}")


if __name__ == "__main__":
    main()
    print_template_table()
