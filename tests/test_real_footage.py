"""Accuracy and robustness on real footage in ../shared/videos (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pytest

from gait.errors import GaitError
from gait.pipeline import AnalysisOptions, analyze_track

pytestmark = [pytest.mark.slow, pytest.mark.real]

TREADMILL = "treadmill_side_30fps.mp4"
MEASURED_CADENCE_SPM = 168.9  # ± 0.5, from raw pixels (groundtruth.json)


@pytest.fixture(scope="module")
def treadmill_result(real_track):
    return analyze_track(real_track(TREADMILL)).to_dict()


def test_treadmill_cadence_matches_measured_truth(treadmill_result):
    cadence = treadmill_result["summary"]["cadence_spm"]["value"]
    assert cadence == pytest.approx(MEASURED_CADENCE_SPM, abs=0.5)


def test_treadmill_view_and_contact_count(treadmill_result):
    assert treadmill_result["view"]["view"] == "side-left"
    duration = treadmill_result["segment_s"][1] - treadmill_result["segment_s"][0]
    expected = MEASURED_CADENCE_SPM / 60 * duration
    n = len(treadmill_result["events"])
    # every contact fully inside the clip is found, give or take one per foot at the ends
    assert expected - 3 <= n <= expected + 1


def test_treadmill_contact_time_and_duty_factor_in_literature_bands(treadmill_result):
    contact = [s["contact_time_ms"] for s in treadmill_result["steps"]
               if s["contact_time_ms"] is not None]
    assert 180 <= np.mean(contact) <= 320
    duty = treadmill_result["summary"]["duty_factor_pct"]["value"]
    assert 25 <= duty <= 48
    assert treadmill_result["summary"]["contact_time_ms"]["approximate"]  # 30 fps


@pytest.mark.parametrize("name", [
    "treadmill_side_slowmo.mp4", "walk_side_outdoor.mp4", "walk_side_normal.mp4",
    "walk_side_limping.mp4", "walk_side_turns.mp4", "walk_front_cane.mp4",
])
def test_every_clip_analyses_or_fails_with_a_clear_error(real_track, name):
    try:
        track = real_track(name)
        result = analyze_track(track).to_dict()
    except GaitError as exc:
        message = str(exc)
        assert name.split(".")[0] in message or "view" in message
        assert "\n" not in message
        return
    assert result["summary"]["cadence_spm"]["value"] > 0
    assert result["events"]


def test_slow_motion_clip_is_flagged(real_track):
    track = real_track("treadmill_side_slowmo.mp4")
    try:
        messages = analyze_track(track).to_dict()["warnings"]
    except GaitError as exc:
        messages = [str(exc)]
    assert any("slow motion" in m and "--capture-fps" in m for m in messages), messages


def test_slow_motion_clip_with_capture_fps_runs_at_a_human_cadence(real_track):
    """With the phone's slow-motion rate the clip comes back to real time.

    The shared README guesses a 2.5-3.5x slow-down, but the feet repeat
    every 6.8 s of file time at the nominal 29.97 fps (checked by eye on a
    frame sheet: the legs do not complete a stride in 2.3 s), so the clip
    is about 8x slow: a 240 fps capture. At 3x the cadence would be ~53
    steps/min, which is no human running.
    """
    track = real_track("treadmill_side_slowmo.mp4", capture_fps=240.0)
    result = analyze_track(track, options=AnalysisOptions(capture_fps=240.0)).to_dict()
    assert 130.0 <= result["summary"]["cadence_spm"]["value"] <= 220.0
    assert result["gait_mode"] == "running"
    assert not any("slow motion" in w for w in result["warnings"])
