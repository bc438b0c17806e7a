"""The history store: recording, re-analysis, concurrency, crashes, migrations, erasure."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from history_results import synthetic_result, with_video_hash

from gait.errors import HistoryStoreError, InvalidOptionError, NotInHistoryError
from gait.history import HistoryStore, default_db_path
from gait.history.store import SCHEMA_VERSION

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def result() -> dict:
    return synthetic_result(170.0, seed=1)


def _count(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_default_path_follows_gait_db_then_xdg(monkeypatch, tmp_path, _isolated_history_db):
    assert default_db_path() == _isolated_history_db
    monkeypatch.delenv("GAIT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "gait" / "history.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "gait" / "history.sqlite"


def test_record_and_read_back(result, _isolated_history_db):
    with HistoryStore() as store:
        out = store.record("Ann Lee", result, label="before", session_date="2026-03-01",
                           outputs={"results.json": "/x/results.json"})
        assert out.created
        s = out.session
        assert (s.athlete, s.label, s.session_date, s.version, s.n_versions) == \
            ("Ann Lee", "before", "2026-03-01", 1, 1)
        assert s.video_sha256 == result["video"]["sha256"]
        assert s.cadence_spm == pytest.approx(result["summary"]["cadence_spm"]["value"])
        assert s.belt_speed_ms == pytest.approx(10 / 3.6)
        assert s.fps == 60 and s.view == result["view"]["view"]
        assert s.result == result and s.outputs == {"results.json": "/x/results.json"}
        assert store.sessions("ann lee") == [s]  # names match case-insensitively
        assert store.schema_version() == SCHEMA_VERSION
    assert _isolated_history_db.is_file()


def test_reanalysed_video_updates_its_session_and_keeps_the_earlier_result(result):
    later = json.loads(json.dumps(result))
    later["options"]["belt_speed_ms"] = 11 / 3.6
    later["summary"]["cadence_spm"]["value"] = 171.5
    with HistoryStore() as store:
        first = store.record("Ann", result, label="before", session_date="2026-03-01").session
        second = store.record("Ann", later)
        assert not second.created
        s = second.session
        assert s.id == first.id and s.version == 2 and s.n_versions == 2
        assert s.label == "before" and s.session_date == "2026-03-01"  # kept when not given
        assert s.cadence_spm == 171.5 and s.belt_speed_ms == pytest.approx(11 / 3.6)
        assert len(store.sessions("Ann")) == 1
        versions = store.versions(s.id)
        assert [v["version"] for v in versions] == [1, 2]
        assert versions[0]["result"] == result and versions[1]["result"] == later


def test_same_video_for_another_athlete_is_another_session(result):
    with HistoryStore() as store:
        a = store.record("Ann", result).session
        b = store.record("Bob", result).session
        assert a.id != b.id
        assert [n for n, _ in store.athletes()] == ["Ann", "Bob"]
        assert len(store.sessions_for_video(result["video"]["sha256"])) == 2
        assert store.sessions_for_video(result["video"]["sha256"], athlete="bob") == [b]


def test_unknown_athlete_and_session_give_exit_8_with_known_names(result):
    with HistoryStore() as store:
        store.record("Ann", result)
        with pytest.raises(NotInHistoryError, match="no athlete named 'Zoe'.*Ann") as exc:
            store.sessions("Zoe")
        assert exc.value.exit_code == 8
        with pytest.raises(NotInHistoryError, match="no session #99"):
            store.session(99)


@pytest.mark.parametrize("name", ["", "   ", "a\nb"])
def test_bad_athlete_name_is_an_invalid_option(result, name):
    with HistoryStore() as store, pytest.raises(InvalidOptionError):
        store.record(name, result)


def test_result_without_video_hash_is_refused(result):
    bare = dict(result, video={})
    with HistoryStore() as store, pytest.raises(InvalidOptionError, match="sha256"):
        store.record("Ann", bare)


def test_failed_write_leaves_nothing_behind(result, monkeypatch, _isolated_history_db):
    import gait.history.store as store_module

    def broken(_result):
        raise RuntimeError("disk on fire")

    with HistoryStore() as store:
        store.record("Ann", result)
        monkeypatch.setattr(store_module, "headline_values", broken)
        with pytest.raises(RuntimeError):
            store.record("Bob", with_video_hash(result, "b" * 64))
        assert [n for n, _ in store.athletes()] == ["Ann"]
    assert _count(_isolated_history_db, "sessions") == 1


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "9999-12-31", "1899-12-31",
                                  "next day"])
def test_impossible_session_dates_are_refused(result, date):
    from gait.history.store import latest_session_date

    if date == "next day":
        date = (latest_session_date() + datetime.timedelta(days=1)).isoformat()
    with HistoryStore() as store, pytest.raises(InvalidOptionError, match=date) as exc:
        store.record("Ann", result, session_date=date)
    assert exc.value.exit_code == 2


def test_real_session_dates_are_kept(result):
    from gait.history.store import latest_session_date

    with HistoryStore() as store:
        for date in ("1900-01-01", "2024-02-29", latest_session_date().isoformat()):
            assert store.record("Ann", result, session_date=date).session.session_date == date


# ------------------------------------------------------------------------ opening modes


def test_read_mode_never_writes(result, tmp_path):
    db_path = tmp_path / "h.sqlite"
    with HistoryStore(db_path) as store:
        store.record("Ann", result)
    before = db_path.read_bytes()
    with HistoryStore(db_path, mode="read") as store:
        assert store.read_only and [s.athlete for s in store.sessions("ann")] == ["Ann"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.record("Bob", with_video_hash(result, "b" * 64))
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("mode", ["read", "write"])
def test_read_and_write_modes_never_create_a_database(mode, tmp_path, _isolated_history_db):
    with pytest.raises(HistoryStoreError, match="no such file") as exc:
        HistoryStore(tmp_path / "nodir" / "h.sqlite", mode=mode)
    assert exc.value.exit_code == 9 and not (tmp_path / "nodir").exists()
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(HistoryStoreError, match="the file is empty"):
        HistoryStore(empty, mode=mode)
    assert empty.read_bytes() == b""
    # nothing recorded at the default location yet: an empty history, and still no file
    with HistoryStore(mode=mode) as store:
        assert store.athletes() == [] and store.path == _isolated_history_db
        with pytest.raises(NotInHistoryError, match="the history is empty"):
            store.sessions("Ann")
    assert not _isolated_history_db.exists()


def test_create_mode_makes_the_database_and_its_folder(result, tmp_path):
    with HistoryStore(tmp_path / "new" / "h.sqlite") as store:
        store.record("Ann", result)
    assert _count(tmp_path / "new" / "h.sqlite", "sessions") == 1


@pytest.mark.parametrize("mode", ["create", "write", "read"])
def test_another_programs_database_is_refused_untouched(mode, tmp_path):
    db_path = tmp_path / "other.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE notes(x)")
    db.commit()
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(HistoryStoreError, match="another program") as exc:
        HistoryStore(db_path, mode=mode)
    assert exc.value.exit_code == 9 and db_path.read_bytes() == before


def test_unknown_mode_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        HistoryStore(tmp_path / "h.sqlite", mode="append")
    assert not (tmp_path / "h.sqlite").exists()


# ------------------------------------------------------------------------ concurrency


N_PROCESSES = 4
SESSIONS_PER_PROCESS = 15


def _writer(db_path: str, worker: int, result: dict) -> None:
    with HistoryStore(db_path) as store:
        for i in range(SESSIONS_PER_PROCESS):
            # every worker also re-records one shared video: versions must not collide
            store.record(f"Runner {i % 3}", with_video_hash(result, f"{worker:02d}{i:062d}"))
            store.record("Shared", with_video_hash(result, "f" * 64))


def test_concurrent_writers_do_not_corrupt_the_store(result, tmp_path):
    db_path = tmp_path / "shared.sqlite"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(db_path), w, result))
             for w in range(N_PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * N_PROCESSES
    with HistoryStore(db_path) as store:
        assert store.integrity_check() == "ok"
        runners = sum(len(store.sessions(f"Runner {k}")) for k in range(3))
        assert runners == N_PROCESSES * SESSIONS_PER_PROCESS
        shared = store.sessions("Shared")
        assert len(shared) == 1
        versions = [v["version"] for v in store.versions(shared[0].id)]
        assert versions == list(range(1, N_PROCESSES * SESSIONS_PER_PROCESS + 1))
    assert _count(db_path, "analyses") == 2 * N_PROCESSES * SESSIONS_PER_PROCESS


# ------------------------------------------------------------------------ crash safety


_KILLED_WRITER = textwrap.dedent("""
    import json, sys, time
    import gait.history.store as store_module
    from gait.history import HistoryStore

    result = json.loads(open(sys.argv[2]).read())

    def hang(_result):
        print("inside transaction", flush=True)
        time.sleep(600)

    with HistoryStore(sys.argv[1]) as store:
        store_module.headline_values = hang
        result["video"]["sha256"] = "e" * 64
        store.record("Crash Test", result, label="never committed")
""")


def test_process_killed_inside_a_transaction_leaves_a_consistent_store(result, tmp_path):
    db_path = tmp_path / "crash.sqlite"
    with HistoryStore(db_path) as store:
        store.record("Ann", result)
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(result))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(db_path),
                              str(result_file)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "inside transaction"
        # the child holds the write lock: another writer waits, then says so
        with HistoryStore(db_path, busy_timeout_s=0.2) as other:
            with pytest.raises(HistoryStoreError, match="busy"):
                other.record("Bob", with_video_hash(result, "b" * 64))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with HistoryStore(db_path) as store:
        assert store.integrity_check() == "ok"
        assert [n for n, _ in store.athletes()] == ["Ann"]  # the killed athlete never appeared
        store.record("Bob", with_video_hash(result, "b" * 64))  # the lock is gone
        assert [n for n, c in store.athletes()] == ["Ann", "Bob"]
    assert _count(db_path, "sessions") == 2


# ------------------------------------------------------------------------ schema versions


_SCHEMA_1 = """
CREATE TABLE athletes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_utc TEXT NOT NULL);
CREATE TABLE sessions(id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
    video_sha256 TEXT NOT NULL, video_file TEXT, video_path TEXT, session_date TEXT NOT NULL,
    label TEXT, created_utc TEXT NOT NULL, UNIQUE(athlete_id, video_sha256));
CREATE TABLE analyses(id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    version INTEGER NOT NULL, analysed_utc TEXT NOT NULL, gait_version TEXT, view TEXT,
    belt_speed_ms REAL, fps REAL, capture_fps REAL, options_json TEXT NOT NULL,
    result_json TEXT NOT NULL, outputs_json TEXT NOT NULL, UNIQUE(session_id, version));
PRAGMA user_version = 1;
"""


def test_schema_1_database_is_migrated_with_its_data(result, tmp_path):
    db_path = tmp_path / "old.sqlite"
    with sqlite3.connect(db_path) as db:  # as gait with schema 1 wrote it (rollback journal)
        db.executescript(_SCHEMA_1)
        db.execute("INSERT INTO athletes VALUES (1, 'Old Timer', '2025-01-01T00:00:00+00:00')")
        db.execute("INSERT INTO sessions VALUES (1, 1, ?, 'old.mp4', NULL, '2025-01-02', "
                   "'baseline', '2025-01-02T00:00:00+00:00')", (result["video"]["sha256"],))
        db.execute("INSERT INTO analyses VALUES (1, 1, 1, '2025-01-02T00:00:00+00:00', '0.1', "
                   "'side-left', ?, 60, NULL, ?, ?, '{}')",
                   (10 / 3.6, json.dumps(result["options"]), json.dumps(result)))
    db.close()
    with HistoryStore(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 2
        [s] = store.sessions("Old Timer")
        assert (s.label, s.session_date, s.version) == ("baseline", "2025-01-02", 1)
        # the migration copied the headline metrics out of the stored result
        assert s.cadence_spm == pytest.approx(result["summary"]["cadence_spm"]["value"])
        assert s.step_time_si_pct == pytest.approx(
            result["asymmetry"]["step_time_ms"]["symmetry_index_pct"])
        assert store.record("Old Timer", result).session.n_versions == 2
        assert store.integrity_check() == "ok"


def test_schema_1_database_is_migrated_when_only_read(tmp_path):
    db_path = tmp_path / "old.sqlite"
    with sqlite3.connect(db_path) as db:
        db.executescript(_SCHEMA_1)
        db.execute("INSERT INTO athletes VALUES (1, 'Old Timer', '2025-01-01T00:00:00+00:00')")
    db.close()
    with HistoryStore(db_path, mode="read") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.athletes() == [("Old Timer", 0)]


def test_newer_schema_is_refused_untouched(tmp_path):
    db_path = tmp_path / "future.sqlite"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE future(x)")
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(HistoryStoreError, match="newer gait") as exc:
        HistoryStore(db_path)
    assert exc.value.exit_code == 9
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99
    db.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite\n" * 100)
    with pytest.raises(HistoryStoreError, match="not a usable gait history database"):
        HistoryStore(junk)
    assert junk.read_bytes() == b"this is not sqlite\n" * 100


# ------------------------------------------------------------------------ erasure


def test_delete_session_erases_only_that_session_from_the_files(result, _isolated_history_db):
    with HistoryStore() as store:
        keep = store.record("Ann", with_video_hash(result, "c" * 64)).session
        gone = store.record("Ann", with_video_hash(result, "d" * 64)).session
        store.record("Ann", with_video_hash(result, "d" * 64))  # a second version of it
        other = store.record("Bob", with_video_hash(result, "e" * 64)).session
        with pytest.raises(NotInHistoryError, match="not Bob's"):
            store.delete_session("Bob", gone.id)
        with pytest.raises(NotInHistoryError, match="no athlete named 'Zoe'"):
            store.delete_session("Zoe", gone.id)
        assert store.delete_session("ann", gone.id) == 2
        assert [s.id for s in store.sessions("Ann")] == [keep.id]
        assert [s.id for s in store.sessions("Bob")] == [other.id]
        with pytest.raises(NotInHistoryError, match=f"no session #{gone.id}"):
            store.delete_session("Ann", gone.id)
        files = [p for p in _isolated_history_db.parent.iterdir()
                 if p.name.startswith(_isolated_history_db.name)]
        blob = b"".join(p.read_bytes() for p in files)
    assert b"d" * 64 not in blob and b"c" * 64 in blob


def test_delete_erases_the_athlete_from_the_files(result, _isolated_history_db):
    secret = "Zelda Quixotic-Pseudonym"
    with HistoryStore() as store:
        store.record(secret, with_video_hash(result, "c" * 64))
        store.record(secret, with_video_hash(result, "d" * 64))
        store.record("Ann", result)
        assert store.delete_athlete(secret.lower()) == (2, 2)
        assert [n for n, _ in store.athletes()] == ["Ann"]
        with pytest.raises(NotInHistoryError):
            store.delete_athlete(secret)
        files = [p for p in _isolated_history_db.parent.iterdir()
                 if p.name.startswith(_isolated_history_db.name)]
        blob = b"".join(p.read_bytes() for p in files)
    assert secret.encode() not in blob and b"c" * 64 not in blob
    assert b"Ann" in blob
    assert _count(_isolated_history_db, "analyses") == 1


def test_opening_waits_out_a_lock_the_busy_timeout_does_not_cover():
    from gait.sqlite_locks import retry_while_locked

    calls = []

    def locked_twice():
        calls.append(1)
        if len(calls) <= 2:
            raise sqlite3.OperationalError("database is locked")

    retry_while_locked(locked_twice, timeout_s=5.0)
    assert len(calls) == 3

    def always_locked():
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        retry_while_locked(always_locked, timeout_s=0.05)

    def other_error():
        calls.append(1)
        raise sqlite3.OperationalError("no such table: x")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry_while_locked(other_error, timeout_s=5.0)
    assert len(calls) == 1
