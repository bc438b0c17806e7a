"""Tests of gait.pose: the MediaPipe backend, estimate_pose and its cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gait.errors import InvalidOptionError, NoPersonError
from gait.landmarks import N_LANDMARKS
from gait.pose import MediaPipePoseBackend, PoseBackend, PoseFrame, estimate_pose
from gait.pose.mediapipe_backend import _mediapipe_dir
from gait.video import probe_video

SAMPLE = Path(__file__).resolve().parents[1] / "sample_videos" / "runner_side_30fps.mp4"


class CountingBackend:
    """A fake backend: a fixed pose in frames whose index is in `person_in`."""

    name = "counting-fake"

    def __init__(self, *, person_in=None, offset_px: float = 10.0) -> None:
        self.settings = {"offset_px": offset_px}
        self.person_in = person_in
        self.calls: list[int] = []
        self.resets = 0

    def reset(self) -> None:
        self.resets += 1

    def process(self, frame_bgr, t_ms):
        self.calls.append(t_ms)
        if self.person_in is not None and len(self.calls) - 1 not in self.person_in:
            return PoseFrame.missing()
        xy = np.full((N_LANDMARKS, 2), self.settings["offset_px"])
        return PoseFrame(xy_px=xy, visibility=np.ones(N_LANDMARKS), world_m=np.zeros((N_LANDMARKS, 3)))


@pytest.fixture
def clip(make_clip):
    return make_clip("clip.mp4", n_frames=10, fps=30.0)


# --- estimate_pose with a fake backend (fast) ---------------------------------------


def test_fake_backend_follows_protocol():
    assert isinstance(CountingBackend(), PoseBackend)
    assert isinstance(MediaPipePoseBackend(), PoseBackend)


def test_track_from_backend(clip, tmp_path):
    info = probe_video(clip)
    backend = CountingBackend()
    track = estimate_pose(info, backend=backend, cache_dir=tmp_path / "cache", progress=False)
    assert backend.resets == 1
    assert backend.calls == [round(t * 1000) for t in info.t_s]
    assert track.n_frames == 10 and track.detected.all()
    np.testing.assert_array_equal(track.t_s, info.t_s)
    np.testing.assert_array_equal(track.frame_idx, np.arange(10))
    assert track.fps == pytest.approx(30.0)
    assert track.size_px == (64, 48)
    assert track.source == "clip.mp4"
    assert track.world_m.shape == (10, N_LANDMARKS, 3)


def test_on_progress_reports_every_frame(clip, tmp_path):
    calls = []
    estimate_pose(probe_video(clip), backend=CountingBackend(), cache_dir=tmp_path / "cache",
                  progress=False, on_progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 10) for i in range(1, 11)]


def test_cache_hit_skips_backend_and_survives_renaming(clip, tmp_path):
    cache = tmp_path / "cache"
    backend = CountingBackend()
    first = estimate_pose(probe_video(clip), backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10
    assert len(list(cache.glob("*.npz"))) == 1
    renamed = tmp_path / "renamed.mp4"
    shutil.copyfile(clip, renamed)
    second = estimate_pose(probe_video(renamed), backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10  # not called again
    assert second.source == "renamed.mp4"
    assert any("loaded from cache" in line for line in second.log)
    np.testing.assert_array_equal(second.xy_px, first.xy_px)
    np.testing.assert_array_equal(second.t_s, first.t_s)


def test_cache_keyed_by_settings_and_frame_range(clip, tmp_path):
    cache = tmp_path / "cache"
    info = probe_video(clip)
    estimate_pose(info, backend=CountingBackend(), cache_dir=cache, progress=False)
    other = CountingBackend(offset_px=20.0)
    estimate_pose(info, backend=other, cache_dir=cache, progress=False)
    assert len(other.calls) == 10
    part = CountingBackend()
    track = estimate_pose(info, backend=part, cache_dir=cache, progress=False, start=2, stop=6)
    assert len(part.calls) == 4
    np.testing.assert_array_equal(track.frame_idx, [2, 3, 4, 5])
    np.testing.assert_array_equal(track.t_s, info.t_s[2:6])
    assert len(list(cache.glob("*.npz"))) == 3


def test_capture_fps_change_hits_cache_and_rescales(clip, tmp_path):
    cache = tmp_path / "cache"
    backend = CountingBackend()
    real_time = estimate_pose(probe_video(clip), backend=backend, cache_dir=cache, progress=False)
    slow_info = probe_video(clip, capture_fps=120)
    slow = estimate_pose(slow_info, backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10
    np.testing.assert_allclose(slow.t_s, real_time.t_s * 0.25)
    np.testing.assert_allclose(slow.t_s, slow_info.t_s)
    assert slow.fps == pytest.approx(120.0)
    assert any("scaled by 0.25" in line for line in slow.log)
    # and the other way round: computed slow first, read back in real time
    fresh = tmp_path / "fresh"
    slow_first = estimate_pose(slow_info, backend=CountingBackend(), cache_dir=fresh, progress=False)
    plain = estimate_pose(probe_video(clip), backend=backend, cache_dir=fresh, progress=False)
    assert len(backend.calls) == 10
    np.testing.assert_allclose(plain.t_s, slow_first.t_s * 4)


def test_corrupt_cache_file_is_recomputed_with_warning(clip, tmp_path):
    cache = tmp_path / "cache"
    info = probe_video(clip)
    estimate_pose(info, backend=CountingBackend(), cache_dir=cache, progress=False)
    (cached,) = cache.glob("*.npz")
    cached.write_bytes(b"this is not an npz file")
    backend = CountingBackend()
    with pytest.warns(UserWarning, match="ignoring unreadable pose cache file"):
        track = estimate_pose(info, backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10 and track.detected.all()
    # rewritten, so the next call hits again
    estimate_pose(info, backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10


def test_use_cache_false_neither_reads_nor_writes(clip, tmp_path):
    cache = tmp_path / "cache"
    backend = CountingBackend()
    info = probe_video(clip)
    for _ in range(2):
        estimate_pose(info, backend=backend, cache_dir=cache, use_cache=False, progress=False)
    assert len(backend.calls) == 20
    assert not cache.exists()


def test_default_cache_dir_from_environment(clip, tmp_path, monkeypatch):
    monkeypatch.setenv("GAIT_CACHE_DIR", str(tmp_path / "gaitcache"))
    estimate_pose(probe_video(clip), backend=CountingBackend(), progress=False)
    assert len(list((tmp_path / "gaitcache" / "pose").glob("*.npz"))) == 1


def test_too_few_frames_with_person(clip, tmp_path):
    backend = CountingBackend(person_in={0, 1, 2})
    with pytest.raises(
        NoPersonError,
        match=r"clip\.mp4: pose found in 3 of 10 frames \(30 %, 0\.1 s; need 50 % or 2\.0 s\); "
        r"is the person's whole body in frame and well lit\?",
    ):
        estimate_pose(probe_video(clip), backend=backend, cache_dir=tmp_path, progress=False)
    track = estimate_pose(
        probe_video(clip), backend=backend, cache_dir=tmp_path, progress=False, min_detected_fraction=0.3
    )
    np.testing.assert_array_equal(track.detected, np.arange(10) < 3)
    assert np.isnan(track.xy_px[3:]).all() and np.isnan(track.visibility[3:]).all()


def test_progress_bar_on_stderr(clip, tmp_path, capsys):
    info = probe_video(clip)
    estimate_pose(info, backend=CountingBackend(), use_cache=False, progress=False)
    assert capsys.readouterr().err == ""
    estimate_pose(info, backend=CountingBackend(), use_cache=False, progress=True)
    assert "frame" in capsys.readouterr().err


def test_runner_in_view_for_seconds_of_a_longer_clip_is_enough(make_clip, tmp_path):
    """A runner crossing the frame is in view for a few seconds of a longer clip: 75 of
    200 frames (2.5 s at 30 fps, 38 %) is enough; 45 frames (1.5 s, 22 %) is not."""
    info = probe_video(make_clip("crossing.mp4", n_frames=200, fps=30.0))
    track = estimate_pose(info, backend=CountingBackend(person_in=set(range(60, 135))),
                          use_cache=False, progress=False)
    assert track.detected.sum() == 75
    with pytest.raises(NoPersonError,
                       match=r"45 of 200 frames \(22 %, 1\.5 s; need 50 % or 2\.0 s\)"):
        estimate_pose(info, backend=CountingBackend(person_in=set(range(60, 105))),
                      use_cache=False, progress=False)


@pytest.mark.parametrize(
    "options", [{"start": 5, "stop": 5}, {"start": -1}, {"stop": 11},
                {"min_detected_fraction": 1.5}, {"min_detected_s": -1.0}]
)
def test_invalid_options(clip, options):
    with pytest.raises(InvalidOptionError):
        estimate_pose(probe_video(clip), backend=CountingBackend(), progress=False, **options)


# --- MediaPipe backend options -------------------------------------------------------


@pytest.mark.parametrize("complexity", [0, 2])
def test_uninstalled_model_complexity_refused_before_download(monkeypatch, complexity):
    model = {0: "pose_landmark_lite.tflite", 2: "pose_landmark_heavy.tflite"}[complexity]
    if (_mediapipe_dir() / "modules" / "pose_landmark" / model).exists():
        pytest.skip(f"{model} is installed here, so complexity {complexity} is allowed")
    from mediapipe.python.solutions import download_utils

    def no_download(model_path):
        raise AssertionError(f"tried to download {model_path}")

    monkeypatch.setattr(download_utils, "download_oss_model", no_download)
    with pytest.raises(InvalidOptionError, match=f"model_complexity={complexity} needs {model}"):
        MediaPipePoseBackend(model_complexity=complexity)


@pytest.mark.parametrize(
    "options",
    [{"model_complexity": 3}, {"min_detection_confidence": 1.2}, {"min_tracking_confidence": -0.1}],
)
def test_invalid_backend_options(options):
    with pytest.raises(InvalidOptionError):
        MediaPipePoseBackend(**options)


def test_backend_settings_without_loading_model():
    backend = MediaPipePoseBackend()
    assert backend.settings["model_complexity"] == 1
    assert backend.settings["smooth_landmarks"] is False
    assert backend.settings["mediapipe_version"]


# --- MediaPipe on video ------------------------------------------------------------------


@pytest.mark.slow
def test_blank_clip_has_no_person(make_clip, tmp_path):
    path = make_clip(
        "blank.mp4", n_frames=15, size_px=(320, 240), frame_fn=lambda i: np.full((240, 320, 3), 128, np.uint8)
    )
    info = probe_video(path)
    with pytest.raises(NoPersonError, match=r"blank\.mp4: pose found in 0 of 15 frames \(0 %"):
        estimate_pose(info, cache_dir=tmp_path, progress=False)
    track = estimate_pose(info, cache_dir=tmp_path, progress=False, min_detected_fraction=0.0)
    assert track.n_frames == 15 and not track.detected.any()
    assert np.isnan(track.xy_px).all() and np.isnan(track.world_m).all()


@pytest.mark.slow
@pytest.mark.real
def test_mediapipe_on_real_treadmill_slice(real_track, shared_videos):
    info = probe_video(shared_videos / "treadmill_side_30fps.mp4")
    track = real_track("treadmill_side_30fps.mp4", stop=60)
    assert track.n_frames == 60
    assert track.detected.mean() >= 0.95
    np.testing.assert_array_equal(track.t_s, info.t_s[:60])
    assert track.size_px == (720, 1280) and track.fps == pytest.approx(30.0)
    found = track.xy_px[track.detected]
    assert np.all((found[..., 0] >= 0) & (found[..., 0] <= 720))
    assert np.all((found[..., 1] >= 0) & (found[..., 1] <= 1280))
    assert np.isfinite(track.world_m[track.detected]).all()
    visibility = track.visibility[track.detected]
    assert np.all((visibility >= 0) & (visibility <= 1))
    # the runner is upright: shoulders above hips above ankles (y grows downwards)
    y = np.nanmedian(track.xy_px[..., 1], axis=0)
    assert y[11] < y[23] < y[27]
    # the shared fixture computes each track once per run
    assert real_track("treadmill_side_30fps.mp4", stop=60) is track


def test_a_fresh_track_equals_the_same_track_read_from_the_cache(clip, tmp_path):
    """The backend's doubles are rounded as the cache stores them: a first analysis and a
    re-analysis from the cache see the same numbers (and keep the same overlay)."""
    cache = tmp_path / "cache"
    backend = CountingBackend(offset_px=10.1)  # not a single-precision number
    fresh = estimate_pose(probe_video(clip), backend=backend, cache_dir=cache, progress=False)
    cached = estimate_pose(probe_video(clip), backend=backend, cache_dir=cache, progress=False)
    assert len(backend.calls) == 10  # the second came from the cache
    for name in ("xy_px", "visibility", "world_m"):
        np.testing.assert_array_equal(getattr(cached, name), getattr(fresh, name), err_msg=name)
    assert fresh.xy_px[0, 0, 0] == np.float32(10.1)
    uncached = estimate_pose(probe_video(clip), backend=backend, use_cache=False, progress=False)
    np.testing.assert_array_equal(uncached.xy_px, fresh.xy_px)


def test_native_start_up_lines_are_dropped_and_other_output_kept(capfd):
    from gait.pose.native_log import quiet_native_log

    with quiet_native_log():
        os.write(2, b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n"
                    b"WARNING: All log messages before absl::InitializeLog() is called are "
                    b"written to STDERR\n"
                    b"pose clip.mp4:   0%|  | 0/360W0000 00:00:1796454225.601792   12437 "
                    b"inference_feedback_manager.cc:114] Feedback manager requires a model.\n"
                    b"E0000 00:00:1796454225.6 12437 calculator_graph.cc:887] real failure\n")
    assert capfd.readouterr().err == ("pose clip.mp4:   0%|  | 0/360"
                                      "E0000 00:00:1796454225.6 12437 calculator_graph.cc:887] "
                                      "real failure\n")


def test_mediapipe_writes_nothing_to_the_terminal_when_it_starts(tmp_path):
    """A fresh process (absl logs its first-use warning once per process) runs two frames."""
    script = ("import av, sys\nimport numpy as np\n"
              "from gait.pose import MediaPipePoseBackend\n"
              "backend = MediaPipePoseBackend()\n"
              f"with av.open({str(SAMPLE)!r}) as c:\n"
              "    frames = [f.to_ndarray(format='bgr24') for _, f in zip(range(2), c.decode(video=0))]\n"
              "found = [bool(np.isfinite(backend.process(f, 0).xy_px).all()) for f in frames]\n"
              "backend.reset(); backend.process(frames[0], 0)\n"
              "print(found)\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[True, True]"
    assert run.stderr == ""


# --- --region: pose estimation limited to part of the frame ------------------------


class FrameSizeBackend(CountingBackend):
    """Records the size of each frame it is given; pose at (10, 10) of that frame."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes: list[tuple[int, ...]] = []

    def process(self, frame_bgr, t_ms):
        self.shapes.append(frame_bgr.shape)
        return super().process(frame_bgr, t_ms)


def test_a_region_crops_the_frames_and_maps_landmarks_back(make_clip, tmp_path):
    clip = make_clip("wide.mp4", n_frames=6, size_px=(200, 100))
    inner = FrameSizeBackend()
    track = estimate_pose(probe_video(clip), backend=inner, cache_dir=tmp_path,
                          progress=False, region=(0.25, 0.4, 0.75, 1.0))
    assert set(inner.shapes) == {(60, 100, 3)}  # rows 40-100, columns 50-150
    assert np.array_equal(track.xy_px[:, :, 0], np.full((6, N_LANDMARKS), 60.0))
    assert np.array_equal(track.xy_px[:, :, 1], np.full((6, N_LANDMARKS), 50.0))
    assert track.size_px == (200, 100)  # the whole frame, as without a region
    # another region is another pose: not read from the first one's cache entry
    again = FrameSizeBackend()
    estimate_pose(probe_video(clip), backend=again, cache_dir=tmp_path, progress=False,
                  region=(0.0, 0.4, 0.75, 1.0))
    assert len(again.shapes) == 6
    same = FrameSizeBackend()
    estimate_pose(probe_video(clip), backend=same, cache_dir=tmp_path, progress=False,
                  region=(0.25, 0.4, 0.75, 1.0))
    assert same.shapes == []  # cache hit


@pytest.mark.parametrize("text, expected", [
    ("0,0.4,1,1", "lower 60"), ("0,0.4,1", "four numbers"), ("a,b,c,d", "four numbers"),
    ("0,0,1.5,1", "from 0 to 1"), ("0.5,0,0.45,1", "too small"), ("0,0.95,1,1", "too small"),
])
def test_region_option_is_checked(text, expected, tmp_path, capsys):
    from gait.cli import main
    from gait.frame_region import parse_region

    if expected == "lower 60":
        assert parse_region(text) == (0.0, 0.4, 1.0, 1.0)
        return
    with pytest.raises(InvalidOptionError, match=expected):
        parse_region(text)
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", str(SAMPLE), "-o", str(tmp_path / "out"), "--region", text])
    assert exit_.value.code == 2 and expected in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
