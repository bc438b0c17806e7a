"""Tests of gait.pose.chunks: chunk layout, parallel workers, progress, errors."""

from __future__ import annotations

import numpy as np
import pytest

from gait.errors import InvalidOptionError, NoPersonError, UnreadableVideoError
from gait.landmarks import N_LANDMARKS
from gait.pose import PoseFrame, estimate_pose
from gait.pose.chunks import DEFAULT_CHUNK_S, MIN_OVERLAP_FRAMES, plan_chunks
from gait.video import iter_frames, probe_video


class FrameIdBackend:
    """Fake backend: landmark x = the frame's grey level (identifies the frame).

    Module level so worker processes can unpickle it. ``fail_at_grey`` makes
    it raise a GaitError on the frame with that grey level.
    """

    name = "frame-id-fake"

    def __init__(self, *, fail_at_grey: int | None = None) -> None:
        self.settings = {"fail_at_grey": fail_at_grey}

    def reset(self) -> None:
        pass

    def process(self, frame_bgr, t_ms):
        grey = int(frame_bgr[frame_bgr.shape[0] // 2, frame_bgr.shape[1] // 2, 0])
        if grey == self.settings["fail_at_grey"]:
            raise NoPersonError(f"fake failure at grey level {grey}")
        xy = np.column_stack([np.full(N_LANDMARKS, float(grey)), np.full(N_LANDMARKS, t_ms)])
        return PoseFrame(xy_px=xy, visibility=np.ones(N_LANDMARKS),
                         world_m=np.zeros((N_LANDMARKS, 3)))


def _grey_frame(i: int) -> np.ndarray:
    return np.full((48, 64, 3), (3 * i) % 250, np.uint8)


@pytest.fixture
def long_clip(make_clip):
    """12 s at 30 fps (2 chunks); frame i has grey level 3 i mod 250."""
    return make_clip("long.avi", n_frames=360, fps=30.0, fourcc="MJPG", frame_fn=_grey_frame)


# --- chunk layout --------------------------------------------------------------------------


@pytest.mark.parametrize("duration_s, n_expected", [(1.0, 1), (12.0, 2), (30.0, 4), (60.0, 6),
                                                    (600.0, 60)])
def test_plan_chunks_tiles_the_range(duration_s, n_expected):
    t_s = np.arange(int(duration_s * 30)) / 30.0
    chunks = plan_chunks(t_s, start=0, stop=t_s.size)
    assert len(chunks) == n_expected
    assert chunks[0].keep_start == 0 and chunks[-1].stop == t_s.size
    for a, b in zip(chunks, chunks[1:]):
        assert a.stop == b.keep_start
        assert b.keep_start - b.run_start == max(MIN_OVERLAP_FRAMES, 15)


def test_plan_chunks_respects_start_and_no_chunking():
    t_s = np.arange(900) / 30.0
    chunks = plan_chunks(t_s, start=100, stop=800)
    assert chunks[0].run_start == chunks[0].keep_start == 100 and chunks[-1].stop == 800
    assert plan_chunks(t_s, start=5, stop=800, chunk_s=None)[0].run_start == 5
    assert len(plan_chunks(t_s, start=5, stop=800, chunk_s=None)) == 1


# --- parallel estimate_pose with a fake backend --------------------------------------------


def _expected_grey(n: int) -> np.ndarray:
    return np.array([(3 * i) % 250 for i in range(n)], float)


@pytest.mark.parametrize("workers", [1, 2])
def test_chunked_track_puts_every_frame_in_place(long_clip, tmp_path, workers):
    info = probe_video(long_clip)
    calls = []
    track = estimate_pose(info, backend=FrameIdBackend(), use_cache=False, progress=False,
                          workers=workers, chunk_s=DEFAULT_CHUNK_S,
                          on_progress=lambda d, n: calls.append((d, n)))
    assert "2 chunk(s)" in track.log[0] and f"{workers} worker(s)" in track.log[0]
    # MJPG frames decode to their grey level within a few levels
    np.testing.assert_allclose(track.xy_px[:, 0, 0], _expected_grey(360), atol=3)
    np.testing.assert_allclose(track.xy_px[:, 0, 1], np.round(info.t_s * 1000))
    np.testing.assert_array_equal(track.frame_idx, np.arange(360))
    done = [d for d, _ in calls]
    assert all(n == 360 for _, n in calls)
    assert done == sorted(done) and len(set(done)) == len(done) and done[-1] == 360


def test_chunked_subrange(long_clip):
    info = probe_video(long_clip)
    track = estimate_pose(info, backend=FrameIdBackend(), use_cache=False, progress=False,
                          workers=2, chunk_s=DEFAULT_CHUNK_S, start=100, stop=340)
    np.testing.assert_array_equal(track.frame_idx, np.arange(100, 340))
    np.testing.assert_allclose(track.xy_px[:, 0, 0], _expected_grey(340)[100:], atol=3)


def test_worker_error_propagates_as_the_same_gait_error(long_clip):
    info = probe_video(long_clip)
    # frames 50 and 300 have grey level 150 (3 i mod 250): one in each chunk
    with pytest.raises(NoPersonError, match="fake failure at grey level 150"):
        estimate_pose(info, backend=FrameIdBackend(fail_at_grey=150), use_cache=False,
                      progress=False, workers=2)


def test_worker_cannot_read_video(long_clip, tmp_path):
    info = probe_video(long_clip)
    long_clip.unlink()
    with pytest.raises(UnreadableVideoError, match="no such file|not a video"):
        estimate_pose(info, backend=FrameIdBackend(), use_cache=False, progress=False, workers=2)


def test_cache_key_covers_chunking(long_clip, tmp_path):
    info = probe_video(long_clip)
    kwargs = dict(backend=FrameIdBackend(), cache_dir=tmp_path / "c", progress=False, workers=1)
    estimate_pose(info, chunk_s=DEFAULT_CHUNK_S, **kwargs)
    estimate_pose(info, **kwargs)  # one tracking run: another cache entry
    assert len(list((tmp_path / "c").glob("*.npz"))) == 2
    hit = estimate_pose(info, chunk_s=DEFAULT_CHUNK_S, **kwargs)
    assert "loaded from cache" in hit.log[-1]


@pytest.mark.parametrize("kwargs", [{"workers": 0}, {"workers": 1.5}, {"chunk_s": 0.0},
                                    {"overlap_s": -1.0}])
def test_invalid_parallel_options(long_clip, kwargs):
    with pytest.raises(InvalidOptionError):
        estimate_pose(probe_video(long_clip), backend=FrameIdBackend(), use_cache=False,
                      progress=False, **kwargs)


# --- seeking decode ------------------------------------------------------------------------


def test_seeking_decode_matches_sequential(long_clip):
    info = probe_video(long_clip)
    sequential = {i: f for i, _, f in iter_frames(info)}
    for start in (0, 75, 200, 350):
        got = list(iter_frames(info, start=start, stop=start + 8))
        assert [i for i, _, _ in got] == list(range(start, min(start + 8, 360)))
        for i, _, frame in got:
            np.testing.assert_array_equal(frame, sequential[i])


# --- MediaPipe on a short rendered clip ----------------------------------------------------


@pytest.fixture(scope="module")
def one_run_and_chunked(tmp_path_factory):
    """MediaPipe on an 8 s rendered clip: one tracking run, and 4 chunks on 2 workers."""
    from gait.synth import SynthParams, render_video

    video = tmp_path_factory.mktemp("chunks") / "runner.mp4"
    render_video(video, SynthParams(duration_s=8.0, fps=30.0, width_px=480, height_px=360))
    info = probe_video(video)
    one = estimate_pose(info, use_cache=False, progress=False, chunk_s=None)
    par = estimate_pose(info, use_cache=False, progress=False, chunk_s=2.0, workers=2)
    return info, one, par


@pytest.mark.slow
def test_parallel_mediapipe_gives_the_same_cadence_and_contacts(one_run_and_chunked):
    from gait.pipeline import analyze_track

    info, one, par = one_run_and_chunked
    assert "4 chunk(s)" in par.log[0] and "2 worker(s)" in par.log[0]
    both = one.detected & par.detected
    assert both.mean() > 0.95
    d = np.linalg.norm(one.xy_px[both] - par.xy_px[both], axis=-1)
    assert float(np.sqrt(np.mean(d ** 2))) < 0.02 * info.height_px  # measured 1-5 px
    a, b = analyze_track(one), analyze_track(par)
    assert abs(a.summary["cadence_spm"]["value"] - b.summary["cadence_spm"]["value"]) < 0.2
    assert [e["foot"] for e in a.events] == [e["foot"] for e in b.events]


@pytest.mark.slow
@pytest.mark.xfail(reason="known limitation: MediaPipe tracking depends on its history, so a "
                          "re-lock at a chunk start moves single contacts by several frames "
                          "(cadence is unaffected); see README 'Speed'")
def test_parallel_mediapipe_contacts_within_one_frame(one_run_and_chunked):
    from gait.pipeline import analyze_track

    _, one, par = one_run_and_chunked
    a, b = analyze_track(one), analyze_track(par)
    for ea, eb in zip(a.events, b.events):
        assert abs(ea["ic_idx"] - eb["ic_idx"]) <= 1
        assert abs(ea["to_idx"] - eb["to_idx"]) <= 1
