"""Tests of gait.batch and ``gait batch``: resume, skip, error listing, exit codes."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil

import numpy as np
import pytest

import gait.pipeline
from gait.batch import BATCH_FAILED_EXIT_CODE, find_videos, format_report, run_batch
from gait.batch_overview import OVERVIEW_FILE
from gait.cli import main
from gait.errors import InvalidOptionError, OutputExistsError
from gait.pipeline import AnalysisOptions
from gait.synth import SynthParams
from gait.video import probe_video

from batch_fakes import fake_analyze, synthetic_analysis


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
        result, track = synthetic_analysis(options)
        video_facts = {"file": video.name, "sha256": info.content_sha256}
        return dataclasses.replace(result, video=video_facts), track


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


def test_batch_force_removes_the_report_of_the_replaced_results(folder, tmp_path):
    """gait batch writes no report: one left from an earlier analysis would show old numbers."""
    out = tmp_path / "out"
    run_batch(folder, out, analyze_clip=FakeAnalyze(), progress=False)
    for name in ("report.html", "report.pdf", "overlay.mp4", "pose_track_rear.npz"):
        (out / "a" / name).write_text("an earlier analysis")
    (out / "a" / "figures").mkdir()
    (out / "a" / "figures" / "cadence_per_step.png").write_bytes(b"old")
    run_batch(folder, out, analyze_clip=FakeAnalyze(), progress=False, force=True,
              options=AnalysisOptions(belt_speed_ms=3.0))
    assert sorted(p.name for p in (out / "a").iterdir()) == [
        "pose_track.npz", "results.json", "steps.csv"]


def test_batch_refuses_an_outdir_it_cannot_write_before_any_work(folder, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    fake = FakeAnalyze()
    with pytest.raises(InvalidOptionError, match="afile"):
        run_batch(folder, blocker / "out", analyze_clip=fake, progress=False)
    assert fake.calls == [] and blocker.read_text() == "keep me"


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
    code = main(["batch", str(folder), "-o", str(out), "--belt-speed", "10", "--workers", "2",
                 "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == BATCH_FAILED_EXIT_CODE
    assert "FAILED broken.mp4 (exit code 3)" in captured.err
    assert "batch" in captured.err  # the overall progress bar
    saved = json.loads((out / "a" / "results.json").read_text())
    assert saved["options"]["belt_speed_ms"] == pytest.approx(10 / 3.6)
    # the overview: one row per clip, the numbers of each clip's results.json
    with (out / OVERVIEW_FILE).open(newline="") as fh:
        rows = {row["clip"]: row for row in csv.DictReader(fh)}
    assert list(rows) == ["a.mp4", "b.avi", "broken.mp4"]
    assert rows["broken.mp4"]["status"] == "failed" and "truncated" in rows["broken.mp4"]["error"]
    assert rows["a.mp4"]["status"] == "analysed"
    assert rows["a.mp4"]["belt_speed_kmh"] == "10.00"
    assert rows["a.mp4"]["cadence_spm"] == f"{saved['summary']['cadence_spm']['value']:.2f}"
    assert rows["a.mp4"]["step_length_m"] == f"{saved['summary']['step_length_m']['value']:.3f}"
    assert rows["a.mp4"]["step_time_si_pct"] == \
        f"{saved['asymmetry']['step_time_ms']['symmetry_index_pct']:.2f}"
    assert rows["a.mp4"]["timing_approximate"] == ("yes" if saved["pose"]["fps"] < 120 else "no")
    table = captured.out.splitlines()
    assert any(line.startswith("a.mp4 ") and "analysed" in line and
               f"{saved['summary']['cadence_spm']['value']:.1f}" in line for line in table)
    assert f"wrote {out / OVERVIEW_FILE}" in captured.out
    (folder / "broken.mp4").unlink()
    assert main(["batch", str(folder), "-o", str(out), "--belt-speed", "10", "-q",
                 "--jobs", "1"]) == 0
    assert "0 analysed, 2 skipped" in capsys.readouterr().out
    with (out / OVERVIEW_FILE).open(newline="") as fh:  # rebuilt: the skipped clips, no failure
        assert [(r["clip"], r["status"]) for r in csv.DictReader(fh)] == [
            ("a.mp4", "skipped"), ("b.avi", "skipped")]


def test_cli_batch_bad_folder_and_workers_exit_2(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--workers", "0"])
    assert exc.value.code == 2


def test_parallel_batch_runs_clips_at_once_and_survives_a_dead_process(folder, tmp_path):
    shutil.copy(folder / "a.mp4", folder / "crash.mp4")  # its process is killed (SIGKILL)
    shutil.copy(folder / "a.mp4", folder / "c.mp4")
    out = tmp_path / "out"
    report = run_batch(folder, out, options=AnalysisOptions(belt_speed_ms=2.8), jobs=2,
                       progress=False, analyze_clip=fake_analyze)
    assert sorted(p.name for p in report.analysed) == ["a.mp4", "b.avi", "c.mp4"]
    failures = {f.video.name: f for f in report.failed}
    assert sorted(failures) == ["broken.mp4", "crash.mp4"]
    assert failures["broken.mp4"].exit_code == 3
    assert "stopped unexpectedly (exit code -9)" in failures["crash.mp4"].message
    assert not (out / "crash" / "results.json").exists()
    timings = [json.loads((folder / f"{stem}.timing.json").read_text()) for stem in "abc"]
    assert len({t["pid"] for t in timings} | {os.getpid()}) == 4
    # at least two clips were under way at the same time
    assert any(s["start"] < t["end"] and t["start"] < s["end"]
               for i, s in enumerate(timings) for t in timings[i + 1:])
    # the same files as one clip at a time in this process
    (folder / "crash.mp4").unlink()
    serial = run_batch(folder, tmp_path / "serial", options=AnalysisOptions(belt_speed_ms=2.8),
                       jobs=1, progress=False, analyze_clip=fake_analyze)
    assert [p.name for p in serial.analysed] == [p.name for p in report.analysed]
    for stem in "abc":
        parallel_json = json.loads((out / stem / "results.json").read_text())
        serial_json = json.loads((tmp_path / "serial" / stem / "results.json").read_text())
        assert parallel_json["summary"] == serial_json["summary"]
        assert parallel_json["video"] == serial_json["video"]


def test_parallel_batch_starts_the_longest_clips_first(folder, tmp_path, make_clip):
    (folder / "broken.mp4").unlink()
    shutil.copy(folder / "a.mp4", folder / "c.mp4")
    shutil.move(make_clip("z_long.mp4", n_frames=60), folder / "z_long.mp4")
    report = run_batch(folder, tmp_path / "out", jobs=2, progress=False,
                       analyze_clip=fake_analyze)
    assert len(report.analysed) == 4
    timing = {p.stem: json.loads((folder / f"{p.stem}.timing.json").read_text())
              for p in report.analysed}
    first_end = min(t["end"] for t in timing.values())
    assert timing["z_long"]["start"] < first_end  # in the first wave, though last by name


def test_batch_refuses_zero_jobs(folder, tmp_path):
    with pytest.raises(InvalidOptionError, match="jobs"):
        run_batch(folder, tmp_path / "out", jobs=0)


@pytest.mark.slow
def test_cli_batch_with_mediapipe_on_all_cores(tmp_path, capsys):
    """End to end: two short rendered clips analysed at once plus a corrupt one.

    Each clip's landmarks equal one uninterrupted MediaPipe run on that clip
    alone (the naive loop's answer), so parallel clips change nothing.
    """
    from gait.pose import estimate_pose
    from gait.synth import render_video
    from gait.track import PoseTrack

    clips = tmp_path / "clips"
    clips.mkdir()
    for name, cadence in (("runner160.mp4", 160.0), ("runner180.mp4", 180.0)):
        render_video(clips / name, SynthParams(duration_s=5.0, fps=30.0, width_px=320,
                                               height_px=240, cadence_spm=cadence))
        (clips / name).with_suffix(".truth.json").unlink()
    (clips / "zz_empty.mp4").write_bytes(b"")
    code = main(["batch", str(clips), "-o", str(tmp_path / "out"), "-q", "--jobs", "2",
                 "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == BATCH_FAILED_EXIT_CODE
    assert "FAILED zz_empty.mp4 (exit code 3): " in err and "empty" in err
    for stem, cadence in (("runner160", 160.0), ("runner180", 180.0)):
        saved = json.loads((tmp_path / "out" / stem / "results.json").read_text())
        assert saved["summary"]["cadence_spm"]["value"] == pytest.approx(cadence, abs=3.0)
    alone = estimate_pose(probe_video(clips / "runner180.mp4"), use_cache=False, progress=False)
    alone = PoseTrack.load(alone.save(tmp_path / "alone.npz"))  # same float32 storage
    in_batch = PoseTrack.load(tmp_path / "out" / "runner180" / "pose_track.npz")
    assert in_batch.xy_px.shape == alone.xy_px.shape
    assert np.array_equal(in_batch.xy_px, alone.xy_px, equal_nan=True)
