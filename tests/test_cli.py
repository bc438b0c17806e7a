"""The command line: options, outputs, exit codes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gait import __version__, cli
from gait.cli import main
from gait.number_text import fixed
from gait.result import csv_decimals

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos" / "runner_side_30fps.mp4"


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_explains_options_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    for word in ("--belt-speed", "--capture-fps", "--height-cm", "--view", "exit codes", "film"):
        assert word in out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "analyze" in capsys.readouterr().out


@pytest.mark.parametrize("content, expected", [
    (None, "no such file"),
    (b"", "empty"),
    (b"just some text\n" * 20, "not a video"),
])
def test_bad_video_gives_one_line_error_and_exit_3(tmp_path, capsys, content, expected):
    video = tmp_path / "clip.mp4"
    if content is not None:
        video.write_bytes(content)
    assert main(["analyze", str(video), "-o", str(tmp_path / "out"), "-q"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "clip.mp4" in err[0] and expected in err[0]
    assert "Traceback" not in err[0]


def test_truncated_sample_is_refused(tmp_path, capsys):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(SAMPLE.read_bytes()[: SAMPLE.stat().st_size // 3])
    assert main(["analyze", str(cut), "-o", str(tmp_path / "out"), "-q"]) == 3
    assert "truncated" in capsys.readouterr().err


def test_a_file_opencv_cannot_open_prints_only_gaits_message(tmp_path):
    """OpenCV's and FFmpeg's own log lines ('moov atom not found', ...) stay out of the terminal."""
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(SAMPLE.read_bytes()[:300_000])
    run = subprocess.run([sys.executable, "-c", "import sys; from gait.cli import main; "
                          "sys.exit(main(sys.argv[1:]))", "analyze", str(cut), "-o",
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
                         env={k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")})
    assert run.returncode == 3
    assert run.stderr.splitlines() == [
        f"gait: error: {cut}: file is truncated or corrupt: it ends inside its 'mdat' box; "
        "re-copy or re-export the video"]


def test_invalid_options_exit_2(tmp_path, capsys):
    assert main(["analyze", str(SAMPLE), "-o", str(tmp_path / "o"), "--belt-speed", "100",
                 "-q"]) == 2
    assert "belt speed" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(SAMPLE), "-o", str(tmp_path / "o"), "--belt-speed", "-3"])
    assert exc.value.code == 2


def test_existing_results_are_not_overwritten(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text("{}")
    assert main(["analyze", str(SAMPLE), "-o", str(out), "-q"]) == 6
    assert "--force" in capsys.readouterr().err
    assert (out / "results.json").read_text() == "{}"


@pytest.mark.slow
def test_analyze_bundled_sample_writes_outputs(tmp_path, capsys):
    truth = json.loads(SAMPLE.with_suffix(".truth.json").read_text())
    out = tmp_path / "out"
    code = main(["analyze", str(SAMPLE), "-o", str(out), "--belt-speed",
                 str(truth["belt_speed_kmh"])])
    assert code == 0
    printed = capsys.readouterr().out
    assert "Cadence" in printed and "steps/min" in printed
    result = json.loads((out / "results.json").read_text())
    assert result["schema"] == "gait.result/1"
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"],
                                                                      abs=0.5)
    assert result["summary"]["stride_length_m"]["value"] == pytest.approx(
        truth["stride_length_m"], rel=0.03)
    with (out / "steps.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:4] == ["index", "foot", "ic_s", "to_s"]
    # every cell is results.json's value at the column's stated resolution
    assert len(rows) == len(result["steps"]) > 20
    for row, step in zip(rows, result["steps"]):
        for column, cell in row.items():
            value, decimals = step.get(column), csv_decimals(column)
            if value is None or decimals is None:
                assert cell == ("" if value is None else value)
            else:
                assert cell == fixed(value, decimals), column
    assert rows[1]["ic_s"] == f"{result['steps'][1]['ic_s']:.4f}"
    assert (out / "pose_track.npz").stat().st_size > 0
    for name in ("report.html", "report.pdf", "overlay.mp4", "metronome_+5pct.mp3"):
        assert (out / name).stat().st_size > 0
    # re-analysis with other options uses the cached landmarks and --force; the earlier
    # overlay is not left beside the new report
    assert main(["analyze", str(SAMPLE), "-o", str(out), "--height-cm", "175", "--force",
                 "--no-overlay", "-q"]) == 0
    assert (out / "report.html").is_file() and not (out / "overlay.mp4").exists()


def test_synth_command_writes_clip_and_truth(tmp_path, capsys):
    out = tmp_path / "s.mp4"
    assert main(["synth", str(out), "--duration", "1", "--fps", "30", "--size", "320x240"]) == 0
    assert out.stat().st_size > 0
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["n_frames"] == 30
    assert main(["synth", str(out), "--duration", "1"]) == 6


@pytest.mark.parametrize("argv, option", [
    (["analyze", "v.mp4", "-o", "out", "--workers", "64"], "workers"),
    (["batch", "clips", "-o", "out", "--jobs", "64", "--workers", "64"], "jobs"),
    (["batch", "clips", "-o", "out", "--jobs", "64", "--workers", "64"], "workers"),
])
def test_more_processes_than_cores_are_capped_with_a_note(argv, option, monkeypatch, capsys):
    seen = {}

    def record(args):
        seen.update(vars(args))
        return 0

    monkeypatch.setattr(cli, "_cmd_analyze", record)
    monkeypatch.setattr(cli, "_cmd_batch", record)
    monkeypatch.setattr(cli, "_usable_cores", lambda: 3)
    assert main(argv) == 0
    assert seen[option] == 3
    assert f"--{option} 64 is more than the 3 cores this machine gives gait; using 3" in \
        capsys.readouterr().err
    monkeypatch.setattr(cli, "_usable_cores", lambda: 64)  # as many as asked: kept, no note
    assert main(argv) == 0
    assert seen[option] == 64 and capsys.readouterr().err == ""


def test_metronome_command(tmp_path, monkeypatch):
    out = tmp_path / "m.wav"
    assert main(["metronome", "--spm", "176", "--duration", "5", "-o", str(out)]) == 0
    assert out.stat().st_size > 5 * 22050 * 2
    monkeypatch.chdir(tmp_path)  # default name: an MP3 in the working folder
    assert main(["metronome", "--spm", "176", "--duration", "5"]) == 0
    assert 0 < (tmp_path / "metronome_176spm.mp3").stat().st_size < 5 * 22050


def test_output_closed_by_its_reader_ends_quietly_with_141(monkeypatch, capsys):
    """`gait history NAME | head` closes the pipe early: no traceback, SIGPIPE's exit code."""
    from gait.history import commands as history_commands

    def reader_gone(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setitem(history_commands.HANDLERS, "history", reader_gone)
    assert main(["history"]) == 141
    assert capsys.readouterr().err == ""


def test_capture_fps_beyond_any_camera_is_refused_before_work(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["analyze", str(SAMPLE), "-o", str(out), "--capture-fps", "1e9", "-q"]) == 2
    assert "capture frame rate" in capsys.readouterr().err
    assert not out.exists()


def test_absurd_belt_speed_message_stays_one_short_line(tmp_path, capsys):
    assert main(["analyze", str(SAMPLE), "-o", str(tmp_path / "o"), "--belt-speed", "1e308",
                 "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err) < 200 and "km/h" in err


@pytest.mark.parametrize("where", ["under_a_file", "a_file"])
def test_outdir_that_cannot_be_a_folder_is_refused_before_work(tmp_path, capsys, where):
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    out = blocker / "sub" if where == "under_a_file" else blocker
    assert main(["analyze", str(SAMPLE), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "afile" in err[0] and "Traceback" not in err[0]
    assert blocker.read_text() == "keep me"


def test_outputs_never_replace_the_input_video(tmp_path, capsys):
    video = tmp_path / "clinic" / "overlay.mp4"
    video.parent.mkdir()
    video.write_bytes(SAMPLE.read_bytes())
    assert main(["analyze", str(video), "-o", str(video.parent), "--force", "-q"]) == 2
    assert "would replace this video" in capsys.readouterr().err
    assert video.read_bytes() == SAMPLE.read_bytes()


def test_failed_first_analysis_leaves_no_empty_outdir(tmp_path, capsys):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not a video\n" * 20)
    out = tmp_path / "new_out"
    assert main(["analyze", str(video), "-o", str(out), "-q"]) == 3
    assert not out.exists()


def test_outdir_with_a_quoted_tilde_goes_to_the_home_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "out").mkdir()
    (tmp_path / "home" / "out" / "results.json").write_text("{}")
    assert main(["analyze", str(SAMPLE), "-o", "~/out", "-q"]) == 6  # found the earlier run
    assert "home" in capsys.readouterr().err
    assert not (tmp_path / "~").exists()


def test_file_system_refusal_is_one_line_and_exit_11(monkeypatch, capsys):
    from gait import cli

    def refuse(args):
        raise PermissionError(13, "Permission denied", "/somewhere/results.json")

    monkeypatch.setitem(cli.history_commands.HANDLERS, "history", refuse)
    assert main(["history"]) == 11
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["gait: error: /somewhere/results.json: Permission denied"]


@pytest.mark.parametrize("gait, overground", [("walking", True), ("running", False)])
def test_synth_renders_walkers_and_crossings_framed_for_them(tmp_path, capsys, gait, overground):
    """Defaults follow the gait (`GAIT_DEFAULTS`: a 170 steps/min runner would be refused as a
    walker) and the framing the setting: a crossing gets the wide frame of
    `OVERGROUND_FRAMING`. The options' help repeats both."""
    from gait.synth import GAIT_DEFAULTS, OVERGROUND_FRAMING

    out = tmp_path / "s.mp4"
    argv = ["synth", str(out), "--gait", gait, "--duration", "0.5"] + (
        ["--overground"] if overground else [])
    assert main(argv) == 0
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert (truth["gait"], truth["params"]["overground"]) == (gait, overground)
    for field in ("cadence_spm", "duty_factor", "belt_speed_kmh", "vertical_oscillation_m"):
        assert truth[field] == GAIT_DEFAULTS[gait][field]
    wide = [OVERGROUND_FRAMING["width_px"], OVERGROUND_FRAMING["height_px"]]
    assert truth["size_px"] == (wide if overground else [640, 480])
    assert truth["camera"]["distance_m"] == (OVERGROUND_FRAMING["camera_distance_m"]
                                             if overground else 4.0)
    assert truth["duration_s"] == pytest.approx(0.5)
    with pytest.raises(SystemExit):
        main(["synth", "--help"])
    helptext = " ".join(capsys.readouterr().out.split())
    assert f"{wide[0]}x{wide[1]} with --overground" in helptext
    assert f"{OVERGROUND_FRAMING['duration_s']:g} with --overground" in helptext
    assert f"filmed from {OVERGROUND_FRAMING['camera_distance_m']:g} m" in helptext
    for option, field in (("steps/min", "cadence_spm"), ("--overground", "belt_speed_kmh"),
                          ("on the ground", "duty_factor")):
        by_gait = ", ".join(f"{d[field]:g} {g}" for g, d in GAIT_DEFAULTS.items())
        assert f"{option} (default {by_gait})" in helptext


def test_synth_does_not_overwrite_an_existing_truth_file(tmp_path, capsys):
    out = tmp_path / "s.mp4"
    truth = out.with_suffix(".truth.json")
    truth.write_text("mine")
    assert main(["synth", str(out), "--duration", "1", "--size", "320x240"]) == 6
    assert truth.read_text() == "mine" and not out.exists()
    folder = tmp_path / "d"
    folder.mkdir()
    assert main(["synth", str(folder), "--force", "--duration", "1"]) == 2


def test_synth_errors_name_the_option_typed(tmp_path, capsys):
    assert main(["synth", str(tmp_path / "s.mp4"), "--duty-factor", "0.9"]) == 2
    assert "duty_factor (--duty-factor) must be" in capsys.readouterr().err
    assert main(["synth", str(tmp_path / "s.mp4"), "--size", "10x10"]) == 2
    assert "(--size)" in capsys.readouterr().err
    assert main(["synth", str(tmp_path / "s.mp4"), "--overground", "--occlusion"]) == 2
    assert "occlusion must be False overground" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
