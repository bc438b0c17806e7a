"""Smallest detectable change, before/after comparison, comparison report and trend figure."""

from __future__ import annotations

import copy
import io
import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from history_results import synthetic_result, with_video_hash

from gait.errors import InvalidOptionError, OutputExistsError
from gait.history import HistoryStore
from gait.history.compare import NOT_COMPARED, REAL, WITHIN, compare_results
from gait.history.compare_report import (KeyFramePair, comparison_html,
                                         write_comparison_report)
from gait.history.sdc import (IQR_PER_SD, MEDIAN_SE_FACTOR, Z_95, metric_estimate,
                              smallest_detectable_change)
from gait.history.trend import trend_figure_png

SPEED_BOUND_ROWS = ("cadence_spm", "step_length_m", "contact_time_ms", "flight_time_ms",
                    "duty_factor_pct")


@pytest.fixture(scope="module")
def base() -> dict:
    return synthetic_result(170.0, seed=1)


def _shifted(result: dict, metric: str, delta: float) -> dict:
    out = copy.deepcopy(result)
    out["summary"][metric]["value"] += delta
    return out


# ------------------------------------------------------------------------ SDC


def test_sdc_is_1_96_root_sum_of_squared_session_errors(base):
    other = synthetic_result(170.0, seed=2)
    key = "vertical_oscillation_cm"

    def se(r):
        s = r["summary"][key]
        sd = (s["q3"] - s["q1"]) / IQR_PER_SD
        return math.hypot(MEDIAN_SE_FACTOR * sd / math.sqrt(s["n"]), s["expected_error"])

    expected = Z_95 * math.hypot(se(base), se(other))
    assert smallest_detectable_change(metric_estimate(base, key),
                                      metric_estimate(other, key)) == pytest.approx(expected)
    assert compare_results(base, other).row(key).sdc == pytest.approx(expected)


def test_cadence_se_comes_from_stride_times_and_step_length_follows_cadence(base):
    stride_ms = np.array([s["stride_time_ms"] for s in base["steps"]
                          if s["stride_time_ms"] is not None], float)
    q1, q3 = np.percentile(120000.0 / stride_ms, [25, 75])
    sd = (q3 - q1) / IQR_PER_SD
    cadence = metric_estimate(base, "cadence_spm")
    assert cadence.n == stride_ms.size
    assert cadence.se == pytest.approx(math.hypot(
        MEDIAN_SE_FACTOR * sd / math.sqrt(stride_ms.size),
        base["summary"]["cadence_spm"]["expected_error"]))
    step = metric_estimate(base, "step_length_m")
    assert step.se / step.value == pytest.approx(cadence.se / cadence.value)


@pytest.mark.parametrize("metric", ["cadence_spm", "vertical_oscillation_cm", "trunk_lean_deg"])
def test_a_change_just_below_the_sdc_is_not_real_and_just_above_is(base, metric):
    sdc = compare_results(base, base).row(metric).sdc
    assert math.isfinite(sdc) and sdc > 0
    below = compare_results(base, _shifted(base, metric, 0.97 * sdc)).row(metric)
    above = compare_results(base, _shifted(base, metric, -1.03 * sdc)).row(metric)
    assert below.status == WITHIN and below.sdc == pytest.approx(sdc)
    assert above.status == REAL and above.change == pytest.approx(-1.03 * sdc)


def test_published_floor_sets_the_sdc_of_2d_angles(base):
    row = compare_results(base, base).row("knee_flexion_ic_deg")
    statistical = smallest_detectable_change(metric_estimate(base, "knee_flexion_ic_deg"),
                                             metric_estimate(base, "knee_flexion_ic_deg"))
    assert statistical < 2.3  # clean synthetic landmarks: the floor must be what decides
    assert row.sdc == 2.3 and row.sdc_floor_source == "dingenen2018"
    assert compare_results(base, _shifted(base, "knee_flexion_ic_deg", 2.2)).row(
        "knee_flexion_ic_deg").status == WITHIN


def test_overstride_sdc_is_at_least_one_frame_of_belt_travel(base):
    row = compare_results(base, base).row("overstride_cm")
    belt_cm_per_frame = 100 * (10 / 3.6) / 60
    assert row.sdc == pytest.approx(belt_cm_per_frame)
    assert row.sdc_floor_source == "ic_timing"


# ------------------------------------------------------------------------ comparisons


def test_the_same_runner_filmed_twice_shows_no_real_change(base):
    c = compare_results(base, synthetic_result(170.0, seed=2))
    assert c.same_speed and c.speed_note == ""
    assert [r.key for r in c.rows if r.status == REAL] == []


def test_eight_percent_more_cadence_is_a_real_change_and_unchanged_metrics_are_not(base):
    c = compare_results(base, synthetic_result(170.0 * 1.08, seed=3))
    assert c.row("cadence_spm").status == REAL
    assert c.row("cadence_spm").change == pytest.approx(13.6, abs=0.5)
    assert c.row("step_length_m").status == REAL
    # the synthetic runner keeps these; they must not be called changed
    for key in ("trunk_lean_deg", "vertical_oscillation_cm", "overstride_cm"):
        assert c.row(key).status == WITHIN, key
    # 60 fps: contact timing and timing asymmetry are never called changed
    for key in ("contact_time_ms", "asymmetry.step_time_ms"):
        assert c.row(key).status == NOT_COMPARED


def test_different_belt_speeds_are_stated_and_block_cadence_and_step_length(base):
    faster = synthetic_result(170.0 * 1.08, seed=4, belt_speed_kmh=11.0)
    c = compare_results(base, faster)
    assert not c.same_speed
    assert "10.0 km/h before, 11.0 km/h after" in c.speed_note
    for key in SPEED_BOUND_ROWS:
        row = c.row(key)
        assert row.status == NOT_COMPARED and "belt speed" in row.reason, key
    assert math.isfinite(c.row("cadence_spm").change)  # shown, just not called real
    page = comparison_html(c)
    assert page.index("10.0 km/h before, 11.0 km/h after") < page.index("What changed")
    assert 'class="warn"' in page


def test_unknown_belt_speed_blocks_speed_bound_metrics(base):
    unscaled = synthetic_result(170.0 * 1.08, seed=3, belt_speed_kmh=None)
    c = compare_results(base, unscaled, after_name="clip B")
    assert not c.same_speed and "not given for clip B" in c.speed_note
    assert c.row("cadence_spm").status == NOT_COMPARED


def test_timing_asymmetry_change_is_called_real_only_at_120_fps():
    kwargs = dict(fps=120.0, duration_s=6.0)
    c = compare_results(synthetic_result(170.0, seed=5, **kwargs),
                        synthetic_result(170.0, seed=6, asymmetry_pct=10.0, **kwargs))
    row = c.row("asymmetry.step_time_ms")
    assert row.change == pytest.approx(10.0, abs=2.5)
    assert row.status == REAL
    steady = compare_results(synthetic_result(170.0, seed=5, **kwargs),
                             synthetic_result(170.0, seed=7, **kwargs))
    assert steady.row("asymmetry.step_time_ms").status == WITHIN
    assert steady.row("contact_time_ms").status == WITHIN


# ------------------------------------------------------------------------ report files


def _png(width: int, height: int, level: int) -> bytes:
    ok, buf = cv2.imencode(".png", np.full((height, width, 3), level, np.uint8))
    assert ok
    return buf.tobytes()


def test_comparison_report_writes_html_pdf_json_and_refuses_to_overwrite(base, tmp_path):
    from pypdf import PdfReader

    c = compare_results(base, synthetic_result(170.0 * 1.08, seed=3),
                        before_name="#1 baseline", after_name="#2 after")
    frames = [KeyFramePair("left", _png(120, 200, 90), _png(100, 210, 160)),
              KeyFramePair("right", _png(120, 200, 90), None)]
    paths = write_comparison_report(tmp_path, c, frames, subtitle="Ann · #1 → #2")
    page = paths["comparison.html"].read_text()
    for text in ("Before/after comparison", "Both sessions at 10.0 km/h", "Real changes: Cadence",
                 "SDC (95 %)", "Key frames at initial contact", "right foot, after: no frame",
                 "Dingenen"):
        assert text in page, text
    assert page.count("data:image/png;base64,") == 3
    pdf_text = "".join(p.extract_text() for p in PdfReader(paths["comparison.pdf"]).pages)
    for text in ("Before/after comparison", "real change", "within SDC", "Cadence", "Dingenen"):
        assert text in pdf_text, text
    assert '"schema": "gait.comparison/1"' in paths["comparison.json"].read_text()
    with pytest.raises(OutputExistsError):
        write_comparison_report(tmp_path, c)
    write_comparison_report(tmp_path, c, overwrite=True, key_frame_note="videos not found")
    assert "videos not found" in paths["comparison.html"].read_text()


def test_comparison_report_into_a_file_is_refused_before_writing(base, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine")
    c = compare_results(base, base)
    with pytest.raises(InvalidOptionError, match=f"{afile}: is a file, not a folder"):
        write_comparison_report(afile, c)
    assert afile.read_text() == "mine"


def test_interrupted_comparison_report_leaves_no_temporary_file(base, tmp_path, monkeypatch):
    from reportlab.platypus import SimpleDocTemplate

    def interrupted(doc, *args, **kwargs):
        Path(doc.filename).write_bytes(b"%PDF half")  # as if stopped mid-way
        raise KeyboardInterrupt

    monkeypatch.setattr(SimpleDocTemplate, "build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_comparison_report(tmp_path, compare_results(base, base))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comparison.html"]


def test_trend_figure_is_a_png_of_every_session(base):
    with HistoryStore() as store:
        store.record("Ann", base, session_date="2026-01-05")
        store.record("Ann", with_video_hash(synthetic_result(170.0 * 1.08, seed=3), "a" * 64),
                     session_date="2026-02-10")
        store.record("Ann", with_video_hash(
            synthetic_result(170.0 * 1.08, seed=4, belt_speed_kmh=11.0), "b" * 64),
            session_date="2026-02-24")
        sessions = store.sessions("Ann")
    png = trend_figure_png(sessions, athlete="Ann")
    image = cv2.imdecode(np.frombuffer(io.BytesIO(png).getvalue(), np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[0] > 600 and image.shape[1] > 800
    single = trend_figure_png(sessions[:1], athlete="Ann")
    assert single[:8] == b"\x89PNG\r\n\x1a\n"


def test_trend_sessions_of_one_day_get_their_own_places_in_date_order(base):
    from gait.history.trend import session_axis

    with HistoryStore() as store:
        store.record("Ann", base, session_date="2026-03-02")  # after the cue, same day ...
        store.record("Ann", with_video_hash(synthetic_result(170.0 * 1.08, seed=3), "a" * 64),
                     session_date="2026-03-02")
        store.record("Ann", with_video_hash(synthetic_result(170.0, seed=4), "b" * 64),
                     session_date="2026-01-10")  # ... and an earlier baseline recorded last
        sessions = store.sessions("Ann")
    ordered, labels = session_axis(sessions)
    assert [s.id for s in ordered] == [3, 1, 2]
    assert labels == ["#3\n2026-01-10", "#1\n2026-03-02", "#2\n2026-03-02"]
