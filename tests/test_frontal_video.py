"""Rear-view clips through MediaPipe: rendered synthetic truth (slow) and real footage (real)."""

from __future__ import annotations

import dataclasses
import csv
import json
from pathlib import Path

import numpy as np
import pytest

from gait.cli import main
from gait.errors import GaitError
from gait.identity import identity_breaks
from gait.pipeline import analyze_track
from gait.synth import SynthParams, render_video

#: Tolerances of issue 5.
PELVIC_DROP_TOL_DEG = 1.5
STEP_WIDTH_TOL_REL = 0.10
ASYMMETRY_TOL_PP = 1.5

REAR = SynthParams(view="rear", width_px=480, height_px=640, fps=30.0, duration_s=8.0,
                   step_time_asymmetry_pct=-6.0, pelvic_drop_left_deg=7.0,
                   pelvic_drop_right_deg=3.0, step_width_m=0.12, seed=3)
SIDE = SynthParams(fps=30.0, duration_s=8.0, step_time_asymmetry_pct=-6.0, seed=3)


@pytest.fixture(scope="session")
def combined_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    """`gait analyze side.mp4 --rear rear.mp4` on rendered clips, once per session."""
    folder = tmp_path_factory.mktemp("rear_video")
    side, rear = folder / "side.mp4", folder / "rear.mp4"
    render_video(side, SIDE)
    truth = render_video(rear, REAR)
    out = folder / "out"
    code = main(["analyze", str(side), "--rear", str(rear), "-o", str(out), "--height-cm",
                 f"{REAR.height_m * 100:g}", "--quiet", "--no-overlay",
                 "--cache-dir", str(folder / "cache")])
    assert code == 0
    return json.loads((out / "results.json").read_text()), truth, out


@pytest.mark.slow
def test_combined_run_writes_one_assessment_with_frontal_findings(combined_run):
    result, truth, out = combined_run
    assert result["view"]["view"].startswith("side")
    assert result["frontal"]["view"] == "rear"
    assert result["frontal"]["cadence_match"]["match"], result["frontal"]["cadence_match"]
    assert (out / "pose_track_rear.npz").is_file() and (out / "pose_track.npz").is_file()
    with (out / "steps_rear.csv").open(newline="") as fh:
        rear_rows = list(csv.DictReader(fh))
    assert len(rear_rows) == len(result["frontal"]["steps"])
    assert "step_width_cm" in rear_rows[0] and "pelvic_drop_deg" not in rear_rows[0]
    with (out / "steps.csv").open(newline="") as fh:
        assert "contact_time_ms" in next(csv.reader(fh))  # the side clip's table
    assert result["frontal"]["video"]["file"] == "rear.mp4"
    html = (out / "report.html").read_text()
    assert 'id="frontal"' in html and "Contralateral pelvic drop" in html


@pytest.mark.slow
def test_rendered_rear_cadence_step_width_and_asymmetry(combined_run):
    result, truth, _ = combined_run
    f = result["frontal"]
    cadence_err = f["cadence_spm"]["value"] - truth["cadence_spm"]
    width_rel = f["summary"]["step_width_cm"]["value"] / (100 * truth["step_width_m"]) - 1
    si_err = f["asymmetry"]["step_time_ms"]["symmetry_index_pct"] - truth["step_time_asymmetry_pct"]
    print(f"rendered rear through MediaPipe: cadence error {cadence_err:+.2f} steps/min, "
          f"step width error {100 * width_rel:+.1f} %, step-time SI error {si_err:+.2f} pp")
    assert abs(cadence_err) <= 0.5
    assert abs(width_rel) <= STEP_WIDTH_TOL_REL
    assert abs(si_err) <= ASYMMETRY_TOL_PP


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "MediaPipe's hip landmarks carry little of the rendered pelvic drop: against the same clip "
    "rendered without drop their hip line follows about 17 % of the true tilt, and gait reads "
    "2.2° (left stance) and 1.0° (right stance) for a true 7° and 3° (1.2°/0.8° with no drop); "
    "on exact landmarks the method is within 0.2° (tests/test_frontal.py); "
    "docs/rear_view_accuracy.md"))
def test_rendered_rear_pelvic_drop(combined_run):
    result, truth, _ = combined_run
    f = result["frontal"]
    for side in ("left", "right"):
        measured = f["per_side"][side]["pelvic_drop_deg"]["trimmed_mean"]
        print(f"rendered pelvic drop {side} stance: {measured:.2f} deg, truth "
              f"{truth[f'pelvic_drop_{side}_deg']:.1f}")
        assert abs(measured - truth[f"pelvic_drop_{side}_deg"]) <= PELVIC_DROP_TOL_DEG


NARROW = SynthParams(view="rear", width_px=480, height_px=640, fps=30.0, duration_s=8.0,
                     step_time_asymmetry_pct=6.0, pelvic_drop_left_deg=4.0,
                     pelvic_drop_right_deg=8.0, step_width_m=0.08, seed=5)


@pytest.fixture(scope="session")
def narrow_rear(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """A second rendered rear clip (narrow 8 cm step width), analysed once per session."""
    from gait.pipeline import AnalysisOptions, analyze

    folder = tmp_path_factory.mktemp("rear_narrow")
    truth = render_video(folder / "narrow.mp4", NARROW)
    result, _ = analyze(folder / "narrow.mp4", options=AnalysisOptions(height_m=NARROW.height_m),
                        cache_dir=folder / "cache", progress=False)
    return result.to_dict(), truth


@pytest.mark.slow
def test_rendered_narrow_rear_cadence_and_asymmetry(narrow_rear):
    result, truth = narrow_rear
    f = result["frontal"]
    cadence_err = f["cadence_spm"]["value"] - truth["cadence_spm"]
    si_err = f["asymmetry"]["step_time_ms"]["symmetry_index_pct"] - truth["step_time_asymmetry_pct"]
    print(f"narrow rendered rear: cadence error {cadence_err:+.2f} steps/min, step-time SI "
          f"error {si_err:+.2f} pp")
    assert abs(cadence_err) <= 0.5
    assert abs(si_err) <= ASYMMETRY_TOL_PP


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "MediaPipe places the heels of a narrow 8 cm stance about 10 cm apart (+26 %) on this clip "
    "(its heel gap drifts from +24 % early to -24 % late in the true stance), while 12 cm stances "
    "come out 3-6 % narrow; on exact landmarks the method is within 5 %; "
    "docs/rear_view_accuracy.md"))
def test_rendered_narrow_rear_step_width(narrow_rear):
    result, truth = narrow_rear
    width = result["frontal"]["summary"]["step_width_cm"]["value"]
    print(f"narrow rendered rear: step width {width:.1f} cm, "
          f"truth {100 * truth['step_width_m']:.1f}")
    assert abs(width / (100 * truth["step_width_m"]) - 1) <= STEP_WIDTH_TOL_REL


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "MediaPipe's hips follow little of the rendered pelvic drop: gait reads 1.7° and 0.2° for a "
    "true 4° (left stance) and 8° (right stance) on this clip, the larger side wrong; on exact "
    "landmarks 4.1° and 7.85°; docs/rear_view_accuracy.md"))
def test_rendered_narrow_rear_pelvic_drop(narrow_rear):
    result, truth = narrow_rear
    for side in ("left", "right"):
        measured = result["frontal"]["per_side"][side]["pelvic_drop_deg"]["trimmed_mean"]
        print(f"narrow rendered pelvic drop {side} stance: {measured:.2f} deg, truth "
              f"{truth[f'pelvic_drop_{side}_deg']:.1f}")
        assert abs(measured - truth[f"pelvic_drop_{side}_deg"]) <= PELVIC_DROP_TOL_DEG


#: `REAR` with the pelvis held level: the same run, legs and timing (docs/rear_view_accuracy.md).
REAR_LEVEL = dataclasses.replace(REAR, pelvic_drop_left_deg=0.0, pelvic_drop_right_deg=0.0)


@pytest.fixture(scope="session")
def level_rear(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """`REAR` rendered without pelvic drop, analysed once per session."""
    from gait.pipeline import AnalysisOptions, analyze

    folder = tmp_path_factory.mktemp("rear_level")
    truth = render_video(folder / "level.mp4", REAR_LEVEL)
    result, _ = analyze(folder / "level.mp4",
                        options=AnalysisOptions(height_m=REAR_LEVEL.height_m),
                        cache_dir=folder / "cache", progress=False)
    return result.to_dict(), truth


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "the step-time asymmetry through MediaPipe carries a clip-dependent error of 2-3 pp at "
    "30 fps: +2.3 pp on this clip, which differs from the passing REAR clip (-0.0 pp) only in "
    "its level pelvis (+2.1 pp on a 16 s version, so systematic); MediaPipe loses the swing heel "
    "from behind; docs/rear_view_accuracy.md"))
def test_rendered_level_rear_asymmetry(level_rear):
    result, truth = level_rear
    f = result["frontal"]
    si_err = f["asymmetry"]["step_time_ms"]["symmetry_index_pct"] - truth["step_time_asymmetry_pct"]
    print(f"level-pelvis rendered rear: step-time SI error {si_err:+.2f} pp")
    assert abs(si_err) <= ASYMMETRY_TOL_PP


@pytest.mark.slow
def test_rendered_level_rear_pelvic_drop_reads_small_and_symmetric(level_rear):
    """With the pelvis level, MediaPipe's leg-swing pattern alone must not read as pelvic drop."""
    result, _ = level_rear
    f = result["frontal"]
    for side in ("left", "right"):
        measured = f["per_side"][side]["pelvic_drop_deg"]["trimmed_mean"]
        print(f"level-pelvis rendered rear, {side} stance: pelvic drop {measured:.2f} deg")
        assert abs(measured) <= PELVIC_DROP_TOL_DEG
    assert not f["asymmetry"]["pelvic_drop_deg"]["detectable"]


@pytest.mark.slow
@pytest.mark.real
def test_frontal_cane_clip_is_analysed_on_the_right_person(real_track):
    """A man walking towards the camera with a cane, other people in the background."""
    track = real_track("walk_front_cane.mp4")
    assert not identity_breaks(track).any()
    hip = 0.5 * (track.xy_px[:, 23] + track.xy_px[:, 24])
    shoulder = 0.5 * (track.xy_px[:, 11] + track.xy_px[:, 12])
    torso_frac = np.nanmedian(np.linalg.norm(shoulder - hip, axis=1)) / track.size_px[1]
    # the walker nearest the camera (torso about a fifth of the frame), not a seated bystander
    assert torso_frac > 0.15
    try:
        result = analyze_track(track).to_dict()
    except GaitError as exc:
        assert "\n" not in str(exc) and "walk_front_cane" in str(exc)
        return
    assert result["view"]["view"] == "front"
    assert result["gait_mode"] == "walking"
    assert 70 <= result["summary"]["cadence_spm"]["value"] <= 130
    assert result["frontal"]["summary"]["pelvic_drop_deg"]["n"] >= 4
    assert any("at least 7 steps" in w for w in result["warnings"])
    assert any("20 s or more of steady walking" in w for w in result["warnings"])
    assert all("running" not in w for w in result["warnings"]), result["warnings"]
    note = result["asymmetry"]["step_time_ms"]["note"]
    assert "nan" not in note and "two-stride block" in note
