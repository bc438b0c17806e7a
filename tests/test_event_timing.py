"""Which common timing `gait.event_timing.align_feet` keeps (its fallbacks)."""

from __future__ import annotations

import numpy as np
import pytest

import gait.event_timing as et


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
