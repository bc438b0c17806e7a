"""How `gait.event_timing` times events jointly: which common timing `align_feet` keeps (its
fallbacks), and the rigid-foot lift-off template."""

from __future__ import annotations

import numpy as np
import pytest

import gait.event_timing as et
from gait.events import FOOT_RIGID_AXES, TOE_PINNED


def _fake_joint(kink_shift_s: float, touch_shift_s: float, calls: list):
    """Stand-in for `_align_jointly`: the pooled kink moves the common timing by
    `kink_shift_s`, the pooled touch by `touch_shift_s`, the first guesses' own timing
    not at all."""

    def joint(t_s, y_px, first_s, *, use_kink, heights_px, **_):
        shift = kink_shift_s if use_kink else (touch_shift_s if heights_px is not None else 0.0)
        calls.append("kink" if use_kink else ("touch" if heights_px is not None else "first"))
        return {f: et.AlignedEvents(v + shift, np.zeros(v.size), shift, np.ones(v.size, bool))
                for f, v in first_s.items()}

    return joint


def _align(monkeypatch, *, fs: float, landing: bool, kink_shift_s: float,
           touch_shift_s: float = 0.002) -> tuple[float, list]:
    calls: list = []
    monkeypatch.setattr(et, "_align_jointly", _fake_joint(kink_shift_s, touch_shift_s, calls))
    first = {"left": np.array([1.0, 1.7]), "right": np.array([1.35, 2.05])}
    out = et.align_feet(np.arange(0, 3, 1 / fs), {}, first, fs=fs, landing=landing,
                        trusted={f: np.ones(2, bool) for f in first},
                        heights_px={f: np.zeros((1, 2)) for f in first})
    return out["left"].common_shift_s, calls


@pytest.mark.parametrize("landing, fallback", [(True, "touch"), (False, "first")])
def test_a_kink_drifting_beyond_the_search_is_not_kept_at_240_fps(monkeypatch, landing,
                                                                  fallback):
    """At 240 fps the pooled landing kink drifted 60-100 ms late on rendered runners: landings
    fall back to the pooled touch, lift-offs to their first guesses' own timing."""
    shift, calls = _align(monkeypatch, fs=240.0, landing=landing, kink_shift_s=0.08)
    assert calls == ["kink", fallback]
    assert shift == pytest.approx(0.002 if fallback == "touch" else 0.0)


@pytest.mark.parametrize("landing", [True, False])
def test_a_kink_within_the_search_is_kept_at_240_fps(monkeypatch, landing):
    shift, calls = _align(monkeypatch, fs=240.0, landing=landing,
                          kink_shift_s=0.9 * et.SEARCH_S)
    assert calls == ["kink"] and shift == pytest.approx(0.9 * et.SEARCH_S)


def test_a_landing_kink_at_60_fps_is_kept_only_within_a_frame(monkeypatch):
    """With a short window (60 fps: under `KINK_MIN_FRAMES` a side) the landing kink is
    checked against the first guesses within one frame."""
    _, calls = _align(monkeypatch, fs=60.0, landing=True, kink_shift_s=0.9 / 60)
    assert calls == ["kink"]
    _, calls = _align(monkeypatch, fs=60.0, landing=True, kink_shift_s=1.5 / 60)
    assert calls == ["kink", "touch"]


FS = 240.0


def _rigid_lift_offs(heel_jump_px_s: float = 0.0, n: int = 12, seed: int = 0):
    """Exact heel, ankle and toe around `n` lift-offs at random sub-frame phases, px.

    The toe rests on a belt moving at -300 px/s, then leaves it with a vertical speed of
    200 px/s and bends away (cubic); heel and ankle follow it at a distance that changes
    smoothly through the lift-off (its slope continuous, its curvature not), as the
    points of a foot that leaves the belt turning steadily. `heel_jump_px_s` adds a jump
    of the heel's vertical velocity of its own, which a rigid foot cannot have.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(int(0.5 * n * FS)) / FS
    instants = 0.25 + 0.5 * np.arange(n) + rng.uniform(0, 1 / FS, n)
    y = np.full((t.size, 6), np.nan)
    for tau in instants:
        near = np.abs(t - tau) <= 0.2
        u = t[near] - tau
        air = np.maximum(u, 0.0)
        toe = np.column_stack([-300.0 * u + 2.4e3 * air ** 2 + 2e3 * air ** 3,
                               -(200.0 * air + 900.0 * air ** 2 - 3e3 * air ** 3)])
        bend = np.where(u < 0, 1.0, 1.6) * u ** 2  # curvature changes, slope does not
        heel = toe + np.column_stack([-150.0 + 80.0 * u - 300.0 * bend,
                                      -10.0 + 120.0 * u + 500.0 * bend
                                      - heel_jump_px_s * air])
        ankle = toe + np.column_stack([-110.0 + 50.0 * u - 200.0 * bend,
                                       -60.0 + 90.0 * u + 350.0 * bend])
        y[near] = np.column_stack([heel, ankle, toe]) + rng.normal(0, 50.0, 6)  # offsets
    return t, y, instants


def _template_rss(t, y, instants, rigid_axes) -> float:
    degree = 3
    terms = et._Terms(et._allowed_terms(degree, 6, TOE_PINNED, False), rigid_axes)
    win = et._Windows(t, [y] * instants.size, instants, et.WINDOW_S, np.ones((instants.size, 1)))
    return et._fit_template(win, instants, np.ones(instants.size, bool), degree, terms)[1]


def test_rigid_lift_off_template_fits_a_rigid_foot_exactly():
    t, y, instants = _rigid_lift_offs()
    assert _template_rss(t, y, instants, FOOT_RIGID_AXES) < 1e-12 * np.nansum(y ** 2)


def test_rigid_lift_off_template_ties_the_velocity_jumps():
    """A heel whose velocity jumps by itself fits the free template, not the rigid one."""
    t, y, instants = _rigid_lift_offs(heel_jump_px_s=100.0)
    assert _template_rss(t, y, instants, None) < 1e-12 * np.nansum(y ** 2)
    assert _template_rss(t, y, instants, FOOT_RIGID_AXES) > 1.0


def test_rigid_lift_offs_recovered_from_shifted_first_guesses():
    t, y, instants = _rigid_lift_offs()
    rng = np.random.default_rng(1)
    first = instants + 0.006 + rng.uniform(-0.002, 0.002, instants.size)
    out = et.align_events(t, y, first, fs=FS, use_kink=True, landing=False,
                          pinned=TOE_PINNED, rigid_axes=FOOT_RIGID_AXES)
    np.testing.assert_allclose(out.instants_s, instants, atol=1e-4)


def test_rigid_coordinates_need_both_linear_terms():
    no_jump = np.ones((6, 2), bool)
    no_jump[3] = False  # the airborne side's linear term
    with pytest.raises(ValueError, match="linear"):
        et._solve_rigid(np.ones((5, 6)), np.ones((5, 2)), no_jump, 3)


@pytest.mark.parametrize("fps, landing, kink", [
    (30, True, False), (30, False, False), (60, True, True), (60, False, False),
    (99, False, False), (100, False, True), (240, False, True)])
def test_the_pooled_kink_times_lift_offs_from_100_fps_and_landings_from_50(fps, landing, kink):
    """Eight frames a side of the 80 ms window for lift-offs, four for landings."""
    assert et.uses_pooled_kink(fps, landing=landing) == kink
