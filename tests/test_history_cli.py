"""The history commands: gait analyze --athlete, history, compare, export, delete."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from history_results import synthetic_result, with_video_hash
from unwritable import unwritable_folder

from gait.cli import main
from gait.history import HistoryStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos" / "runner_side_30fps.mp4"


@pytest.fixture
def two_sessions() -> list[int]:
    """Ann with a baseline and a +8 % cadence session at 10 km/h, in the test's GAIT_DB."""
    with HistoryStore() as store:
        a = store.record("Ann Lee", synthetic_result(170.0, seed=1), label="baseline",
                         session_date="2026-01-05").session
        b = store.record("Ann Lee", with_video_hash(synthetic_result(170.0 * 1.08, seed=3),
                                                    "a" * 64),
                         label="after retraining", session_date="2026-02-10").session
    return [a.id, b.id]


def test_help_lists_history_commands_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("history", "compare", "export", "delete", "8  athlete", "9  history"):
        assert word in out, word


def test_history_prints_sessions_and_writes_the_trend_figure(two_sessions, tmp_path, capsys):
    figure = tmp_path / "trend.png"
    assert main(["history", "ann lee", "--figure", str(figure)]) == 0
    out = capsys.readouterr().out
    assert "Ann Lee: 2 sessions" in out and "baseline" in out and "after retraining" in out
    assert "170.0" in out and "183.6" in out
    assert figure.read_bytes()[:4] == b"\x89PNG"
    assert main(["history", "Ann Lee", "--figure", str(figure)]) == 6  # never silently replaced
    assert main(["history", "Ann Lee", "--figure", str(figure), "--force"]) == 0
    assert main(["history"]) == 0
    assert "Ann Lee  (2 sessions)" in capsys.readouterr().out


def test_history_marks_timing_filmed_below_120_fps_as_approximate(capsys):
    with HistoryStore() as store:
        store.record("Cy", synthetic_result(170.0, seed=1, fps=60.0), session_date="2026-01-05")
        fast = with_video_hash(synthetic_result(170.0, seed=2, fps=120.0), "b" * 64)
        fast["video"]["file"] = "a_very_long_treadmill_video_name_at_120fps.mp4"
        store.record("Cy", fast, session_date="2026-02-05")
    assert main(["history", "Cy"]) == 0
    lines = capsys.readouterr().out.splitlines()
    slow = next(line for line in lines if line.startswith("#1 "))
    quick = next(line for line in lines if line.startswith("#2 "))
    assert slow.count(" ~") == 2 and " ~" not in quick
    assert "a_very_long_treadmill_video…" in quick  # 28 characters
    assert any(line.startswith("~ approximate: filmed below 120 fps") for line in lines)
    assert not any(line.startswith("~ step length") for line in lines)  # both at 10 km/h


def test_history_of_unknown_athlete_exits_8(two_sessions, capsys):
    assert main(["history", "Zoe"]) == 8
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no athlete named 'Zoe'" in err and "Ann Lee" in err


def test_unusable_database_exits_9(tmp_path, capsys):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all\n" * 50)
    assert main(["history", "--db", str(junk)]) == 9
    assert "not a usable gait history database" in capsys.readouterr().err


def test_compare_session_ids_writes_the_report(two_sessions, tmp_path, capsys):
    out = tmp_path / "cmp"
    a, b = two_sessions
    assert main(["compare", str(a), f"#{b}", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    cadence = next(line for line in text.splitlines() if line.startswith("Cadence"))
    assert "REAL CHANGE" in cadence
    trunk = next(line for line in text.splitlines() if line.startswith("Trunk lean"))
    assert "within SDC" in trunk
    page = (out / "comparison.html").read_text()
    assert "Ann Lee" in page and "#1 baseline" in page
    # synthetic sessions have no video: the page says so instead of showing frames
    assert "no longer where it was analysed" in page
    assert (out / "comparison.pdf").read_bytes()[:4] == b"%PDF"
    assert main(["compare", str(a), str(b), "-o", str(out), "-q"]) == 6
    assert main(["compare", str(a), "99"]) == 8


def test_compare_result_folders_at_different_speeds(tmp_path, capsys):
    for name, result in (("before", synthetic_result(170.0, seed=1)),
                         ("after", synthetic_result(170.0 * 1.08, seed=4, belt_speed_kmh=11.0))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(json.dumps(result))
    assert main(["compare", str(tmp_path / "before"), str(tmp_path / "after" / "results.json"),
                 "-o", str(tmp_path / "cmp")]) == 0
    text = capsys.readouterr().out
    assert "!! Belt speeds differ: 10.0 km/h before, 11.0 km/h after" in text
    cadence = next(line for line in text.splitlines() if line.startswith("Cadence"))
    assert "not compared" in cadence and "REAL" not in cadence


def test_compare_rejects_what_is_not_a_session(tmp_path, capsys):
    assert main(["compare", "nonsense", "1"]) == 2
    video = tmp_path / "never_recorded.mp4"
    video.write_bytes(b"\x00" * 100)
    assert main(["compare", str(video), "1"]) == 8
    assert "not in the history" in capsys.readouterr().err


def test_export_json_and_csv(two_sessions, tmp_path):
    assert main(["export", "Ann Lee", "-o", str(tmp_path / "ann.json")]) == 0
    data = json.loads((tmp_path / "ann.json").read_text())
    assert data["schema"] == "gait.history.export/1" and data["athlete"] == "Ann Lee"
    assert [s["label"] for s in data["sessions"]] == ["baseline", "after retraining"]
    assert data["sessions"][0]["versions"][0]["result"]["schema"] == "gait.result/1"
    assert main(["export", "Ann Lee", "-o", str(tmp_path / "ann.csv")]) == 0
    with (tmp_path / "ann.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["label"] for r in rows] == ["baseline", "after retraining"]
    assert float(rows[1]["cadence_spm"]) == pytest.approx(183.6, abs=0.5)
    assert main(["export", "Ann Lee", "-o", str(tmp_path / "ann.csv")]) == 6
    assert main(["export", "Ann Lee", "-o", str(tmp_path / "ann.txt")]) == 2
    assert main(["export", "Zoe", "-o", str(tmp_path / "zoe.json")]) == 8


def test_delete_asks_for_the_name_and_erases(two_sessions, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda prompt: "Bob")
    assert main(["delete", "Ann Lee"]) == 2
    assert "nothing was deleted" in capsys.readouterr().err
    with HistoryStore() as store:
        assert len(store.sessions("Ann Lee")) == 2

    def no_stdin(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_stdin)
    assert main(["delete", "Ann Lee"]) == 2
    monkeypatch.setattr("builtins.input", lambda prompt: "ann lee")
    assert main(["delete", "Ann Lee"]) == 0
    assert "deleted Ann Lee: 2 session(s)" in capsys.readouterr().out
    assert main(["history", "Ann Lee"]) == 8


def test_delete_yes_for_scripts(two_sessions):
    assert main(["delete", "Ann Lee", "--yes"]) == 0
    with HistoryStore() as store:
        assert store.athletes() == []
    assert main(["delete", "Ann Lee", "--yes"]) == 8


def test_delete_one_session_keeps_the_athlete_and_the_other_session(two_sessions, monkeypatch,
                                                                    capsys):
    baseline, after = two_sessions
    monkeypatch.setattr("builtins.input", lambda prompt: "Ann Lee")  # the id is asked for
    assert main(["delete", "Ann Lee", "--session", str(after)]) == 2
    assert "nothing was deleted" in capsys.readouterr().err
    assert main(["delete", "Zoe", "--session", str(after), "--yes"]) == 8
    assert main(["delete", "Ann Lee", "--session", "999", "--yes"]) == 8
    assert "no session #999" in capsys.readouterr().err
    monkeypatch.setattr("builtins.input", lambda prompt: f"#{after}")
    assert main(["delete", "ann lee", "--session", str(after)]) == 0
    out = capsys.readouterr().out
    assert f"deleted session #{after} of Ann Lee (2026-02-10, after retraining" in out
    with HistoryStore() as store:
        assert [s.id for s in store.sessions("Ann Lee")] == [baseline]
    assert main(["delete", "Ann Lee", "--session", str(after), "--yes"]) == 8


def test_label_without_athlete_is_refused_before_any_work(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "o"),
                 "--label", "x", "-q"]) == 2
    assert "--athlete" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_analyze_records_reanalysis_and_compares_a_faster_cadence_clip(tmp_path, capsys):
    """The issue's acceptance check: the bundled sample and the same runner rendered at +8 %."""
    from gait.synth import SynthParams, render_video

    common = ["--athlete", "Sam", "-q", "--no-overlay"]
    assert main(["analyze", str(SAMPLE), *common, "-o", str(tmp_path / "a"), "--belt-speed", "10",
                 "--label", "baseline", "--date", "2026-01-05"]) == 0
    # the same video again (other options, other folder): same session, new version
    assert main(["analyze", str(SAMPLE), *common, "-o", str(tmp_path / "b"),
                 "--belt-speed", "10.5"]) == 0
    with HistoryStore() as store:
        [session] = store.sessions("Sam")
        assert (session.label, session.session_date) == ("baseline", "2026-01-05")
        assert (session.version, session.n_versions) == (2, 2)
        assert session.belt_speed_ms == pytest.approx(10.5 / 3.6)
        versions = store.versions(session.id)
        assert versions[0]["belt_speed_ms"] == pytest.approx(10 / 3.6)
        assert Path(versions[0]["outputs"]["results.json"]) == (tmp_path / "a" / "results.json")
        assert Path(versions[1]["outputs"]["report.html"]) == (tmp_path / "b" / "report.html")
        assert session.video_path == str(SAMPLE.resolve())

    truth = json.loads(SAMPLE.with_suffix(".truth.json").read_text())
    faster = tmp_path / "sam_plus8.mp4"
    render_video(faster, SynthParams(**{**truth["params"], "cadence_spm": 166.0 * 1.08,
                                        "seed": 7}), progress=False)
    assert main(["analyze", str(faster), *common, "-o", str(tmp_path / "c"), "--belt-speed", "10",
                 "--label", "after retraining"]) == 0
    capsys.readouterr()

    # same belt speed: the 8 % cadence change is real, metrics the runner kept are not
    out = tmp_path / "cmp"
    assert main(["compare", str(tmp_path / "a"), str(faster), "-o", str(out), "-q"]) == 0
    rows = json.loads((out / "comparison.json").read_text())["rows"]
    status = {r["key"]: r["status"] for r in rows}
    assert status["cadence_spm"] == status["step_length_m"] == "real change"
    for key in ("trunk_lean_deg", "overstride_cm", "vertical_oscillation_cm"):
        assert status[key] != "real change", key
    page = (out / "comparison.html").read_text()
    assert "Both sessions at 10.0 km/h" in page
    assert page.count("data:image/png;base64,") == 4  # left and right, before and after

    # the sample's current version is at 10.5 km/h: the mismatch is stated, cadence not compared
    assert main(["compare", str(SAMPLE), str(faster)]) == 0
    text = capsys.readouterr().out
    assert "!! Belt speeds differ: 10.5 km/h before, 10.0 km/h after" in text
    assert "not compared" in next(x for x in text.splitlines() if x.startswith("Cadence"))


# ------------------------------------------------------------------------ bad input, early


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "9999-12-31", "1899-12-31"])
def test_impossible_session_date_is_refused_before_any_work(date, tmp_path, capsys,
                                                           _isolated_history_db):
    # the video does not exist: had the date been checked only after it, the exit code would be 3
    assert main(["analyze", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "o"),
                 "--athlete", "Bob", "--date", date, "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and date in err
    assert not (tmp_path / "o").exists() and not _isolated_history_db.exists()


@pytest.mark.parametrize("label", ["x" * 201, "two\nlines"])
def test_unprintable_label_is_refused_before_any_work(label, tmp_path, capsys,
                                                      _isolated_history_db):
    assert main(["analyze", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "o"),
                 "--athlete", "Bob", "--label", label, "-q"]) == 2
    assert "session label" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() and not _isolated_history_db.exists()


def test_history_without_any_database_is_empty_and_creates_nothing(tmp_path, capsys,
                                                                   _isolated_history_db):
    assert main(["history"]) == 0
    assert "no athletes yet" in capsys.readouterr().out
    assert main(["history", "Ann"]) == 8
    assert main(["export", "Ann", "-o", str(tmp_path / "ann.json")]) == 8
    assert main(["delete", "Ann", "--yes"]) == 8
    assert "the history is empty" in capsys.readouterr().err
    assert not _isolated_history_db.exists()
    assert list(_isolated_history_db.parent.iterdir()) == []


def test_read_only_commands_refuse_a_missing_db_and_create_nothing(tmp_path, capsys):
    db = tmp_path / "nodir" / "x.sqlite"
    for argv in (["history"], ["history", "Ann"], ["compare", "1", "2"],
                 ["export", "Ann", "-o", str(tmp_path / "ann.json")], ["delete", "Ann", "--yes"]):
        assert main([*argv, "--db", str(db)]) == 9, argv
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and str(db) in err and "no such file" in err
    assert not (tmp_path / "nodir").exists() and not (tmp_path / "ann.json").exists()


def test_read_only_commands_never_write_to_a_file_that_is_not_a_gait_database(tmp_path, capsys):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    other = tmp_path / "other.sqlite"  # another program's database
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes(x)")
    db.commit()
    db.close()
    before = other.read_bytes()
    for path, why in ((empty, "the file is empty"), (other, "another program")):
        for argv in (["history"], ["history", "Ann"], ["export", "Ann", "-o", "x.json"],
                     ["delete", "Ann", "--yes"]):
            assert main([*argv, "--db", str(path)]) == 9, argv
            assert why in capsys.readouterr().err
    assert empty.read_bytes() == b"" and other.read_bytes() == before


@pytest.mark.parametrize("argv", [
    ["history", "Ann Lee", "--figure", "{file}/x.png"],
    ["history", "Ann Lee", "--figure", "{folder}"],
    ["history", "Ann Lee", "--figure", "{folder}", "--force"],
    ["compare", "1", "2", "-o", "{file}"],
    ["compare", "1", "2", "-o", "{file}/cmp"],
    ["export", "Ann Lee", "-o", "{file}/x.json"],
    ["export", "Ann Lee", "-o", "{folder}", "--format", "json", "--force"],
])
def test_output_path_that_cannot_be_written_exits_2_and_leaves_nothing(argv, two_sessions,
                                                                       tmp_path, capsys):
    file, folder = tmp_path / "afile", tmp_path / "somedir"
    file.write_text("mine\n")
    folder.mkdir()
    argv = [a.format(file=file, folder=folder) for a in argv]
    assert main([*argv, "-q"] if argv[0] == "compare" else argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert ("is a file, not a folder" in err) or ("is a folder, not a file" in err)
    assert "--force" not in err  # it would not help
    assert file.read_text() == "mine\n" and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()
                  if not p.name.startswith("gait-history.sqlite")) == ["afile", "somedir"]


def test_output_in_an_unwritable_folder_exits_2_before_any_work(two_sessions, tmp_path, capsys):
    with unwritable_folder(tmp_path / "ro") as ro:
        for argv in (["history", "Ann Lee", "--figure", str(ro / "x.png")],
                     ["compare", "1", "2", "-q", "-o", str(ro / "cmp")],
                     ["compare", "1", "2", "-q", "-o", str(ro)],
                     ["export", "Ann Lee", "-o", str(ro / "x.json")]):
            assert main(argv) == 2, argv
            err = capsys.readouterr().err.strip()
            assert err.count("\n") == 0 and str(ro) in err and "not writable" in err
        assert list(ro.iterdir()) == []


def test_interrupted_figure_leaves_no_temporary_file(two_sessions, tmp_path, monkeypatch):
    def interrupted(self, target):
        raise KeyboardInterrupt  # Ctrl-C as the finished figure is moved into place

    figure = tmp_path / "trend.png"
    figure.write_bytes(b"earlier figure")
    monkeypatch.setattr(Path, "replace", interrupted)
    assert main(["history", "Ann Lee", "--figure", str(figure), "--force"]) == 130
    assert figure.read_bytes() == b"earlier figure"
    assert [p.name for p in tmp_path.iterdir()
            if not p.name.startswith("gait-history.sqlite")] == ["trend.png"]


def test_history_marks_step_length_scaled_from_body_height(capsys):
    with HistoryStore() as store:
        by_height = synthetic_result(170.0, seed=1, fps=120.0, belt_speed_kmh=None)
        assert by_height["summary"]["step_length_m"]["value"] is not None  # scaled from height
        store.record("Dee", by_height, session_date="2026-03-01")
    assert main(["history", "Dee"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if line.startswith("#1 "))
    step = f"{by_height['summary']['step_length_m']['value']:.3f} ~"
    assert step in row and row.count(" ~") == 1
    assert any(line.startswith("~ step length without a belt speed") for line in lines)

