"""Tests of gait.batch and ``gait batch``: resume, skip, error listing, exit codes."""

from __future__ import annotations

import dataclasses
import functools
import json
import shutil

import pytest

import gait.pipeline
from gait.batch import BATCH_FAILED_EXIT_CODE, find_videos, format_report, run_batch
from gait.cli import main
from gait.errors import InvalidOptionError, OutputExistsError
from gait.pipeline import AnalysisOptions, analyze_track
from gait.synth import SynthParams, synthetic_track
from gait.video import probe_video


class FakeAnalyze:
    """Stands in for `gait.pipeline.analyze`: real probing (so bad files fail as
    they would), a synthetic pose track instead of MediaPipe, real analysis."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.progress: list[tuple[str, float]] = []

    def __call__(self, video, *, options, cache_dir, use_cache, progress, on_progress, workers):
        self.calls.append(video.name)
        info = probe_video(video, capture_fps=options.capture_fps)
        for fraction in (0.0, 0.5, 1.0):
            on_progress("pose", fraction)
            self.progress.append(("pose", fraction))
        result, track = _synthetic_analysis(options)
        video_facts = {"file": video.name, "sha256": info.content_sha256}
        return dataclasses.replace(result, video=video_facts), track


@functools.lru_cache(maxsize=None)
def _synthetic_analysis(options: AnalysisOptions):
    track, _ = synthetic_track(SynthParams(duration_s=6.0, fps=30.0))
    return analyze_track(track, options=options), track


@pytest.fixture
def folder(tmp_path, make_clip):
    """Two small valid clips, one corrupt .mp4 and a non-video file."""
    clips = tmp_path / "clips"
    clips.mkdir()
    for name in ("a.mp4", "b.avi"):
        shutil.move(make_clip(name, n_frames=12, fourcc="mp4v" if name.endswith("mp4") else "MJPG"),
                    clips / name)
    (clips / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)
    (clips / "notes.txt").write_text("not a video")
    return clips


def test_find_videos(folder):
    assert [p.name for p in find_videos(folder)] == ["a.mp4", "b.avi", "broken.mp4"]


def test_find_videos_refuses_empty_folder_and_clashing_stems(tmp_path, folder):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidOptionError, match="holds no video"):
        find_videos(tmp_path / "empty")
    shutil.copy(folder / "a.mp4", folder / "a.mov")
    with pytest.raises(InvalidOptionError, match="share the results folder"):
        find_videos(folder)


def test_batch_analyses_good_clips_and_lists_the_bad_one(folder, tmp_path):
    fake = FakeAnalyze()
    out = tmp_path / "out"
    report = run_batch(folder, out, analyze_clip=fake, progress=False)
    assert [p.name for p in report.analysed] == ["a.mp4", "b.avi"]
    assert [f.video.name for f in report.failed] == ["broken.mp4"]
    assert report.failed[0].exit_code == 3 and "broken.mp4" in report.failed[0].message
    assert report.exit_code == BATCH_FAILED_EXIT_CODE
    for stem in ("a", "b"):
        assert {p.name for p in (out / stem).iterdir()} == {"results.json", "steps.csv",
                                                            "pose_track.npz"}
    assert not (out / "broken").exists()
    text = format_report(report)
    assert "2 analysed, 0 skipped" in text and "1 failed" in text
    assert "FAILED broken.mp4 (exit code 3)" in text


def test_batch_resumes_and_skips_finished_clips(folder, tmp_path):
    out = tmp_path / "out"
    run_batch(folder, out, analyze_clip=FakeAnalyze(), progress=False)
    (out / "b" / "results.json").unlink()  # as if interrupted before b finished
    fake = FakeAnalyze()
    report = run_batch(folder, out, analyze_clip=fake, progress=False)
    assert fake.calls == ["b.avi", "broken.mp4"]
    assert [p.name for p in report.skipped] == ["a.mp4"]
    assert [p.name for p in report.analysed] == ["b.avi"]
    # --force re-analyses everything
    fake = FakeAnalyze()
    run_batch(folder, out, analyze_clip=fake, progress=False, force=True)
    assert fake.calls == ["a.mp4", "b.avi", "broken.mp4"]


def test_batch_never_overwrites_results_of_other_options_or_clips(folder, tmp_path):
    out = tmp_path / "out"
    run_batch(folder, out, analyze_clip=FakeAnalyze(), progress=False)
    before = (out / "a" / "results.json").read_text()
    fake = FakeAnalyze()
    report = run_batch(folder, out, analyze_clip=fake, progress=False,
                       options=AnalysisOptions(belt_speed_ms=3.0))
    assert fake.calls == ["broken.mp4"]
    assert {f.video.name: f.exit_code for f in report.failed} == {
        "a.mp4": OutputExistsError.exit_code, "b.avi": OutputExistsError.exit_code,
        "broken.mp4": 3}
    assert "other options" in report.failed[0].message
    assert (out / "a" / "results.json").read_text() == before
    # same stem, other content
    shutil.copy(folder / "b.avi", tmp_path / "b.avi")
    (folder / "b.avi").unlink()
    shutil.copy(folder / "a.mp4", folder / "b.mp4")
    report = run_batch(folder, out, analyze_clip=FakeAnalyze(), progress=False)
    assert "another video" in {f.video.name: f.message for f in report.failed}["b.mp4"]


def test_batch_keeps_going_after_an_internal_error(folder, tmp_path):
    fake = FakeAnalyze()

    def flaky(video, **kwargs):
        if video.name == "a.mp4":
            raise RuntimeError("boom")
        return fake(video, **kwargs)

    report = run_batch(folder, tmp_path / "out", analyze_clip=flaky, progress=False)
    assert [p.name for p in report.analysed] == ["b.avi"]
    failures = {f.video.name: f for f in report.failed}
    assert failures["a.mp4"].exit_code == 1 and "RuntimeError: boom" in failures["a.mp4"].message


def test_cli_batch_exit_codes_and_listing(folder, tmp_path, monkeypatch, capsys):
    fake = FakeAnalyze()
    monkeypatch.setattr(gait.pipeline, "analyze", fake)
    out = tmp_path / "out"
    code = main(["batch", str(folder), "-o", str(out), "--belt-speed", "10", "--workers", "2"])
    captured = capsys.readouterr()
    assert code == BATCH_FAILED_EXIT_CODE
    assert "FAILED broken.mp4 (exit code 3)" in captured.err
    assert "batch" in captured.err  # the overall progress bar
    saved = json.loads((out / "a" / "results.json").read_text())
    assert saved["options"]["belt_speed_ms"] == pytest.approx(10 / 3.6)
    (folder / "broken.mp4").unlink()
    assert main(["batch", str(folder), "-o", str(out), "--belt-speed", "10", "-q"]) == 0
    assert "0 analysed, 2 skipped" in capsys.readouterr().out


def test_cli_batch_bad_folder_and_workers_exit_2(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--workers", "0"])
    assert exc.value.code == 2


@pytest.mark.slow
def test_cli_batch_with_mediapipe(tmp_path, capsys):
    """End to end on one short rendered clip plus a corrupt one."""
    from gait.synth import render_video

    clips = tmp_path / "clips"
    clips.mkdir()
    render_video(clips / "runner.mp4", SynthParams(duration_s=5.0, fps=30.0, width_px=320,
                                                   height_px=240))
    (clips / "runner.truth.json").unlink()
    (clips / "zz_empty.mp4").write_bytes(b"")
    code = main(["batch", str(clips), "-o", str(tmp_path / "out"), "-q", "--cache-dir",
                 str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == BATCH_FAILED_EXIT_CODE
    assert "FAILED zz_empty.mp4 (exit code 3): " in err and "empty" in err
    saved = json.loads((tmp_path / "out" / "runner" / "results.json").read_text())
    assert saved["summary"]["cadence_spm"]["value"] == pytest.approx(170.0, abs=3.0)
