"""Track cleaning: swap repair, outliers, gaps, low-pass filter."""

from __future__ import annotations

import numpy as np
import pytest

from gait import landmarks as lm
from gait.clean import clean_track, fill_gaps, lowpass, reject_outliers, repair_leg_swaps
from gait.synth import SynthParams, synthetic_track


def test_swap_repair_restores_true_labels():
    clean, _ = synthetic_track(SynthParams(fps=60, duration_s=6))
    swapped, truth = synthetic_track(SynthParams(fps=60, duration_s=6), swap_runs=6,
                                     swap_max_frames=4)
    assert truth["swap_frames"], "the synthetic track should contain swaps"
    repaired, flags = repair_leg_swaps(swapped.xy_px, fs=60)
    feet = [lm.LEFT_ANKLE, lm.RIGHT_ANKLE, lm.LEFT_HEEL, lm.RIGHT_HEEL,
            lm.LEFT_FOOT_INDEX, lm.RIGHT_FOOT_INDEX]
    wrong_before = np.any(np.abs(swapped.xy_px[:, feet] - clean.xy_px[:, feet]) > 1e-6, axis=(1, 2))
    wrong_after = np.any(np.abs(repaired[:, feet] - clean.xy_px[:, feet]) > 1e-6, axis=(1, 2))
    assert wrong_before.sum() == len(truth["swap_frames"])
    # frames where the two feet nearly coincide (legs crossing) cannot be told apart and do not matter
    apart = np.linalg.norm(clean.xy_px[:, lm.LEFT_HEEL] - clean.xy_px[:, lm.RIGHT_HEEL], axis=1) > 10
    assert not np.any(wrong_after & apart)
    assert flags.sum() >= 1


def test_swap_repair_leaves_a_clean_track_alone():
    clean, _ = synthetic_track(SynthParams(fps=30, duration_s=6))
    repaired, flags = repair_leg_swaps(clean.xy_px, fs=30)
    assert not flags.any()
    np.testing.assert_array_equal(repaired, clean.xy_px)


def test_outlier_is_rejected_and_ordinary_jitter_kept():
    rng = np.random.default_rng(0)
    x = np.sin(np.linspace(0, 6, 120)) * 50 + rng.normal(0, 1, 120)
    x[40] += 80
    bad = reject_outliers(x, fs=30, floor=5)
    assert bad[40]
    assert bad.sum() == 1


def test_fill_gaps_bridges_short_gaps_only():
    t = np.arange(100) / 50
    x = np.sin(2 * np.pi * t)
    y = x.copy()
    y[10:14] = np.nan   # 0.1 s gap: bridged
    y[50:70] = np.nan   # 0.42 s gap: left open
    filled = fill_gaps(y, t, max_gap_s=0.15)
    np.testing.assert_allclose(filled[10:14], x[10:14], atol=0.05)
    assert np.isnan(filled[50:70]).all()


def test_lowpass_removes_high_frequency_and_keeps_low():
    fs = 120.0
    t = np.arange(0, 5, 1 / fs)
    slow = np.sin(2 * np.pi * 1.4 * t)
    fast = 0.5 * np.sin(2 * np.pi * 30 * t)
    out = lowpass(slow + fast, fs=fs, cutoff_hz=10.0)
    core = slice(60, -60)
    np.testing.assert_allclose(out[core], slow[core], atol=0.02)


def test_clean_track_reports_changes_and_keeps_input():
    track, _ = synthetic_track(SynthParams(fps=60, duration_s=6, noise_px=1.0),
                               dropout_frac=0.05, swap_runs=3)
    before = track.xy_px.copy()
    cleaned, report = clean_track(track, lowpass_hz=10.0)
    np.testing.assert_array_equal(track.xy_px, before)
    assert report.samples_filled > 0
    assert report.noise_px == pytest.approx(1.0, rel=0.5)
    assert "clean_track" in cleaned.log[-1]
