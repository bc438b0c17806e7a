"""Track cleaning: swap repair, outliers, gaps, low-pass filter."""

from __future__ import annotations

import numpy as np
import pytest

from gait import landmarks as lm
from gait.clean import (clean_track, clean_track_both, fill_gaps, fill_gaps_from_strides, lowpass,
                        reject_outliers, repair_leg_swaps)
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


def _swaps_left(params: SynthParams) -> tuple[int, int]:
    """Swapped frames with the runner in the frame and the heels apart, and how many the
    repair leaves wrong, for six runs of 1-3 swapped frames."""
    clean, _ = synthetic_track(params)
    swapped, truth = synthetic_track(params, swap_runs=6, swap_max_frames=3)
    repaired, _ = repair_leg_swaps(swapped.xy_px, fs=params.fps)
    feet = [lm.LEFT_ANKLE, lm.RIGHT_ANKLE, lm.LEFT_HEEL, lm.RIGHT_HEEL,
            lm.LEFT_FOOT_INDEX, lm.RIGHT_FOOT_INDEX]
    wrong = np.any(np.abs(repaired[:, feet] - clean.xy_px[:, feet]) > 1e-6, axis=(1, 2))
    heels_apart = np.linalg.norm(clean.xy_px[:, lm.LEFT_HEEL] - clean.xy_px[:, lm.RIGHT_HEEL],
                                 axis=1) > 10
    in_frame = np.all((clean.xy_px[..., 0] >= 0) & (clean.xy_px[..., 0] < params.width_px), axis=1)
    counted = heels_apart & in_frame
    was_swapped = np.isin(np.arange(clean.n_frames), truth["swap_frames"])
    return int(np.sum(was_swapped & counted)), int(np.sum(wrong & counted))


def test_swap_repair_works_as_well_on_a_runner_crossing_the_frame():
    """Crossing the frame, the swing foot moves across the image twice as fast as the body:
    against the image, a 9-frame median at 30 fps left 14 of 44 swapped frames wrong over
    ten runners, against 24 of 107 on a treadmill; relative to the body's travel 6 of 44."""
    crossing = dict(overground=True, width_px=1920, height_px=540, body_height_frac=0.7,
                    camera_distance_m=8.0)
    treadmill, overground = np.zeros(2), np.zeros(2)
    for seed in range(10):
        treadmill += _swaps_left(SynthParams(duration_s=6.0, fps=30, cadence_spm=170, seed=seed))
        overground += _swaps_left(SynthParams(**crossing, duration_s=6.0, fps=30, cadence_spm=170,
                                              seed=seed))
    assert overground[1] / overground[0] <= treadmill[1] / treadmill[0]


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


def _periodic_course(n_frames: int, period_frames: float, drift_px_per_frame: float) -> np.ndarray:
    """x and y of a point repeating every `period_frames`, x drifting (overground), (n, 2)."""
    phase = 2 * np.pi * np.arange(n_frames) / period_frames
    x = 40 * np.sin(phase) + 12 * np.sin(2 * phase + 0.5) + drift_px_per_frame * np.arange(n_frames)
    y = 25 * np.cos(phase) + 8 * np.abs(np.sin(phase))  # a kink each half period, like a landing
    return np.column_stack([x, y])


@pytest.mark.parametrize("drift", [0.0, 6.0])
def test_fill_from_strides_recovers_a_gap_interpolation_cannot(drift):
    period = 22.7  # frames: a 0.76 s stride at 30 fps, not a whole number of frames
    truth = _periodic_course(200, period, drift)
    gappy = truth.copy()
    gappy[100:108] = np.nan  # 8 frames: a third of the stride
    filled = fill_gaps_from_strides(gappy, period_frames=period, min_gap_frames=4,
                                    max_gap_frames=0.5 * period, context_frames=3)
    # the donors are read between frames: at the kink (slope change 4.4 px/frame) the
    # cubic reading errs by up to about a quarter frame of it, 1 px
    assert np.abs(filled[100:108] - truth[100:108]).max() < 1.0
    assert np.array_equal(filled[~np.isnan(gappy[:, 0])], truth[~np.isnan(gappy[:, 0])])
    interpolated = np.column_stack([fill_gaps(gappy[:, c], np.arange(200.0), max_gap_s=9)
                                    for c in range(2)])
    assert np.abs(interpolated[100:108] - truth[100:108]).max() > 10


def test_fill_from_strides_leaves_gaps_it_cannot_bridge():
    period = 22.7
    gappy = _periodic_course(120, period, 0.0)
    gappy[10:16] = np.nan        # no stride before it, and the one after it is missing too
    gappy[10 + 23:16 + 23] = np.nan
    gappy[60:62] = np.nan        # short: left to interpolation
    gappy[80:93] = np.nan        # longer than half a stride
    filled = fill_gaps_from_strides(gappy, period_frames=period, min_gap_frames=4,
                                    max_gap_frames=0.5 * period, context_frames=3)
    for gap in (slice(10, 16), slice(33, 39), slice(60, 62), slice(80, 93)):
        assert np.isnan(filled[gap]).all()


def test_clean_track_bridges_a_long_dropout_from_the_neighbouring_strides():
    params = SynthParams(fps=30, cadence_spm=170, duration_s=6, seed=3)
    truth, _ = synthetic_track(params)
    xy, vis = truth.xy_px.copy(), truth.visibility.copy()
    xy[75:83] = np.nan  # the pose model lost the runner for 0.27 s
    vis[75:83] = np.nan
    cleaned, report = clean_track(truth.with_changes("dropout", xy_px=xy, visibility=vis),
                                  lowpass_hz=None)
    assert report.samples_filled_from_strides == 8 * lm.N_LANDMARKS
    assert report.samples_filled == 8 * lm.N_LANDMARKS
    assert report.samples_missing == 0
    feet = [lm.LEFT_HEEL, lm.RIGHT_HEEL, lm.LEFT_FOOT_INDEX, lm.RIGHT_FOOT_INDEX]
    assert np.abs(cleaned.xy_px[75:83, feet] - truth.xy_px[75:83, feet]).max() < 0.5


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


def test_clean_track_both_repairs_once_and_filters_one_copy():
    track, _ = synthetic_track(SynthParams(fps=60, duration_s=6, noise_px=1.5),
                               dropout_frac=0.05, swap_runs=3)
    filtered, unfiltered, report = clean_track_both(track, lowpass_hz=8.0)
    alone, alone_report = clean_track(track, lowpass_hz=8.0)
    raw, _ = clean_track(track, lowpass_hz=None)
    np.testing.assert_array_equal(filtered.xy_px, alone.xy_px)
    np.testing.assert_array_equal(unfiltered.xy_px, raw.xy_px)
    assert report == alone_report
    # the filter removed the jitter from one copy only
    def roughness(xy):  # px: frame-to-frame change of velocity, mostly jitter at 60 fps
        return np.nanmedian(np.abs(np.diff(xy[:, lm.LEFT_HEEL, 1], n=2)))

    assert roughness(filtered.xy_px) < 0.5 * roughness(unfiltered.xy_px)
