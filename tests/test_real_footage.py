"""Accuracy and robustness on real footage in ../shared/videos (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pytest

from gait.errors import GaitError
from gait.pipeline import analyze_track

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
