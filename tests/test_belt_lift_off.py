"""Toe-off from the toe leaving the belt (`gait.belt_lift_off`), on exact signals."""

from __future__ import annotations

import numpy as np
import pytest

from gait.belt_lift_off import belt_lift_offs, belt_speed_px_s, cut_short

STRIDE_S = 0.72
CONTACT_S = 0.267
BELT_PX_S = -600.0  # the belt carries the toe backwards in the image
LEAVE_PX_S = 150.0  # toe's forward speed relative to the belt as it leaves, px/s
SWING_PX_S2 = 6000.0  # its forward acceleration relative to the belt in early swing, px/s^2


def _toe(fps: float, *, belt_px_s: float = BELT_PX_S, phase_s: float = 0.0123,
         n_strides: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A toe's forward image position, px: on the belt from each IC to its TO, then a swing
    that leaves the belt with `LEAVE_PX_S` and accelerates; returns t, x, true IC, true TO."""
    t = np.arange(int(n_strides * STRIDE_S * fps)) / fps
    ic = phase_s + STRIDE_S * np.arange(n_strides - 1)
    to = ic + CONTACT_S
    swing_s = STRIDE_S - CONTACT_S
    reach_px = LEAVE_PX_S * swing_s + SWING_PX_S2 * swing_s ** 2  # forward travel per swing
    rel = np.zeros_like(t)  # position relative to the belt, px
    for j, (a, b) in enumerate(zip(ic, to)):
        rel[t >= a] = j * reach_px
        after = (t > b) & (t < a + STRIDE_S)
        u = t[after] - b
        rel[after] += LEAVE_PX_S * u + SWING_PX_S2 * u ** 2
    rel[t >= ic[-1] + STRIDE_S] = len(ic) * reach_px
    return t, rel + belt_px_s * t, ic, to


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_lift_off_recovered_exactly_on_an_exact_toe(fps):
    t, x, ic, to = _toe(fps)
    speed = belt_speed_px_s(t, x, ic, to)
    assert speed == pytest.approx(BELT_PX_S, rel=1e-9)
    found = belt_lift_offs(t, x, ic, end_s=ic + STRIDE_S, speed_px_s=speed, fs=fps)
    np.testing.assert_allclose(found, to, atol=1e-6)


@pytest.mark.parametrize("fps, late_ms", [(120.0, 1000 / 120), (240.0, 15.0)])
@pytest.mark.parametrize("phase_s", [0.0, 0.003, 0.0123])
def test_lift_off_at_high_frame_rates_is_a_first_guess_never_early(fps, late_ms, phase_s):
    """The rise is judged once it exceeds a quarter of the belt's travel over 40 ms, and, as
    for any touch of the belt, extrapolated back at most three frames: at 120 fps that still
    reaches the lift-off within a frame, at 240 fps it stops 2-3 frames late (measured
    9.7-13.5 ms). `gait.event_timing` then times the lift-offs jointly."""
    t, x, ic, to = _toe(fps, phase_s=phase_s)
    found = belt_lift_offs(t, x, ic, end_s=ic + STRIDE_S,
                           speed_px_s=belt_speed_px_s(t, x, ic, to), fs=fps)
    late = 1000 * (found - to)
    assert late.min() > -1e-6 and late.max() < late_ms


def test_mid_stance_jump_of_the_toe_changes_nothing():
    """MediaPipe throws the far toe forward for a few frames in mid-stance."""
    fps = 240.0
    t, x, ic, to = _toe(fps)
    jumped = x.copy()
    for a in ic:
        jumped[(t > a + 0.10) & (t < a + 0.15)] += 50.0
    speed = belt_speed_px_s(t, jumped, ic, to)
    assert speed == pytest.approx(BELT_PX_S, rel=0.01)
    clean = belt_lift_offs(t, x, ic, end_s=ic + STRIDE_S, speed_px_s=BELT_PX_S, fs=fps)
    found = belt_lift_offs(t, jumped, ic, end_s=ic + STRIDE_S, speed_px_s=speed, fs=fps)
    np.testing.assert_allclose(found, clean, atol=0.5 / fps)


def test_still_ground_overground():
    """Off a treadmill the toe stands still in stance: the same cue with zero speed."""
    fps = 120.0
    t, x, ic, to = _toe(fps, belt_px_s=0.0)
    speed = belt_speed_px_s(t, x, ic, to)
    assert speed == pytest.approx(0.0, abs=1e-9)
    found = belt_lift_offs(t, x, ic, end_s=ic + STRIDE_S, speed_px_s=speed, fs=fps)
    np.testing.assert_allclose(found, to, atol=1e-6)


def test_untracked_swing_gives_no_lift_off():
    fps = 60.0
    t, x, ic, to = _toe(fps)
    x[(t > to[2]) & (t < to[2] + 0.05)] = np.nan
    found = belt_lift_offs(t, x, ic, end_s=ic + STRIDE_S, speed_px_s=BELT_PX_S, fs=fps)
    assert np.isnan(found[2]) and np.isfinite(np.delete(found, 2)).all()


def test_cut_short_when_the_toe_stays_on_the_belt_after_the_toe_offs():
    ic = np.arange(5) * STRIDE_S
    true_to = ic + CONTACT_S
    early = ic + 0.14  # stances ended where the pose model lost the foot
    assert cut_short(true_to, ic, early)
    # a toe-off found a little early, as the belt cue's scatter allows, is not cut short
    assert not cut_short(true_to, ic, true_to - 0.06)
    assert not cut_short(true_to, ic, true_to + 0.02)
    assert not cut_short(np.full(5, np.nan), ic, early)
