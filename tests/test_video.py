"""Tests of gait.video: probing, frame times, rotation, slow motion, bad input."""

from __future__ import annotations

import hashlib
import shutil
import struct
import threading
import wave
from pathlib import Path

import cv2
import numpy as np
import pytest

from gait.errors import InvalidOptionError, UnreadableVideoError
from gait.video import VideoInfo, iter_frames, probe_video

# name: (fps, width, height, n_frames, duration_s), from ../shared/videos/README.md
REAL_CLIPS = {
    "treadmill_side_30fps.mp4": (30.0, 720, 1280, 360, 12.0),
    "treadmill_side_slowmo.mp4": (29.97, 480, 360, 949, 31.7),
    "walk_side_outdoor.mp4": (30.0, 1768, 994, 230, 7.7),
    "walk_side_normal.mp4": (30.0, 960, 540, 124, 4.1),
    "walk_side_limping.mp4": (24.0, 1280, 720, 178, 7.4),
    "walk_side_turns.mp4": (30.0, 1280, 720, 401, 13.4),
    "walk_front_cane.mp4": (30.0, 1280, 720, 144, 4.8),
}
VARIABLE_RATE_CLIPS = {"walk_side_normal.mp4", "walk_side_limping.mp4"}


# --- helpers writing test fixtures ------------------------------------------


def set_mp4_rotation(path: Path, rotation_deg: int) -> None:
    """Write a display rotation into the first track's ``tkhd`` matrix, in place.

    This is how phones mark portrait video: the frames are stored sideways
    and the track header's 3x3 matrix (16.16 fixed point) rotates them for
    display. FFmpeg reports the matrix as a clockwise rotation.
    """
    data = bytearray(path.read_bytes())
    tkhd = data.find(b"tkhd")
    version = data[tkhd + 4]
    # version/flags, times + track id + reserved + duration, reserved, layer..volume
    matrix = tkhd + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    one, minus_one = 0x10000, -0x10000
    a, b, c, d = {
        0: (one, 0, 0, one),
        90: (0, one, minus_one, 0),
        180: (minus_one, 0, 0, minus_one),
        270: (0, minus_one, one, 0),
    }[rotation_deg]
    struct.pack_into(">9i", data, matrix, a, b, 0, c, d, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))


def _mdat_payload(data: bytes) -> slice:
    start = data.find(b"mdat") - 4
    (size,) = struct.unpack(">I", data[start : start + 4])
    return slice(start + 8, start + size)


# --- real footage -------------------------------------------------------------


@pytest.mark.real
@pytest.mark.parametrize("name", sorted(REAL_CLIPS))
def test_probe_real_clip_matches_readme(shared_videos, name):
    fps, width, height, n_frames, duration_s = REAL_CLIPS[name]
    info = probe_video(shared_videos / name)
    assert (info.width_px, info.height_px, info.rotation_deg) == (width, height, 0)
    assert info.n_frames == n_frames
    assert info.fps == pytest.approx(fps, rel=0.005)
    assert info.duration_s == pytest.approx(duration_s, abs=0.06)
    assert info.variable_frame_rate == (name in VARIABLE_RATE_CLIPS)
    assert info.t_s.shape == (n_frames,) and info.t_s[0] == 0.0
    assert np.all(np.diff(info.t_s) > 0)
    assert info.time_scale == 1.0 and info.capture_fps is None
    assert info.content_sha256 == hashlib.sha256((shared_videos / name).read_bytes()).hexdigest()


@pytest.mark.real
def test_variable_frame_rate_clip_uses_real_timestamps(shared_videos):
    info = probe_video(shared_videos / "walk_side_normal.mp4")
    # The container claims 30.22 fps; the frames are 33.37 ms apart except
    # the first interval of 14.4 ms, which frame index / fps would miss.
    assert info.nominal_fps == pytest.approx(30.22, abs=0.01)
    assert info.fps == pytest.approx(29.97, abs=0.01)
    assert np.diff(info.t_s)[0] == pytest.approx(0.01438, abs=1e-4)
    times = [t for _, t, _ in iter_frames(info, stop=3)]
    assert times == pytest.approx([0.0, 0.01438, 0.04774], abs=1e-4)


@pytest.mark.real
def test_iter_frames_real_clip_all_frames_in_order(shared_videos):
    info = probe_video(shared_videos / "walk_side_normal.mp4")
    indices, times, shapes = [], [], set()
    for idx, t_s, frame in iter_frames(info):
        indices.append(idx)
        times.append(t_s)
        shapes.add(frame.shape)
    assert indices == list(range(info.n_frames))
    assert times == list(info.t_s)
    assert shapes == {(info.height_px, info.width_px, 3)}


@pytest.mark.real
def test_slow_motion_real_clip_capture_fps(shared_videos):
    path = shared_videos / "treadmill_side_slowmo.mp4"
    plain = probe_video(path)
    slow = probe_video(path, capture_fps=120)
    assert slow.time_scale == pytest.approx(29.97 / 120, rel=1e-3)
    assert slow.fps == pytest.approx(120.0)
    assert slow.nominal_fps == plain.nominal_fps
    assert slow.duration_s == pytest.approx(plain.duration_s * slow.time_scale)
    np.testing.assert_allclose(slow.t_s, plain.t_s * slow.time_scale)
    assert slow.content_sha256 == plain.content_sha256


@pytest.mark.real
def test_truncated_real_clip_is_reported(shared_videos, tmp_path):
    # This clip keeps its index ('moov') in front, so a cut copy still opens.
    data = (shared_videos / "treadmill_side_slowmo.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 3 // 10])
    with pytest.raises(UnreadableVideoError, match=r"cut\.mp4: file is truncated or corrupt: found \d+ of the 949 frames"):
        probe_video(cut)


# --- synthetic clips: formats, timing, rotation ----------------------------------


@pytest.mark.parametrize(
    "name, fourcc",
    [("clip.mp4", "mp4v"), ("clip.mov", "mp4v"), ("clip.avi", "MJPG"), ("clip.webm", "VP80")],
)
def test_formats(make_clip, name, fourcc):
    path = make_clip(name, n_frames=12, size_px=(64, 48), fps=25.0, fourcc=fourcc)
    info = probe_video(path)
    assert isinstance(info, VideoInfo)
    assert (info.width_px, info.height_px, info.n_frames) == (64, 48, 12)
    assert info.fps == pytest.approx(25.0, rel=0.03)  # WebM times are whole ms
    assert info.duration_s == pytest.approx(12 / 25.0, rel=0.03)
    assert not info.variable_frame_rate
    frames = list(iter_frames(info))
    assert [i for i, _, _ in frames] == list(range(12))
    # grey level (20 * i) % 200 beside the white corner block (lossy: approximate)
    levels = [float(np.median(f[30:, 30:])) for _, _, f in frames]
    np.testing.assert_allclose(levels, [(20 * i) % 200 for i in range(12)], atol=6)


@pytest.mark.parametrize("rotation_deg", [0, 90, 180, 270])
def test_rotation_metadata_gives_upright_frames(make_clip, rotation_deg):
    path = make_clip("portrait.mp4", n_frames=3, size_px=(64, 48))  # block at top-left
    set_mp4_rotation(path, rotation_deg)
    info = probe_video(path)
    assert info.rotation_deg == rotation_deg
    expected_size = (48, 64) if rotation_deg in (90, 270) else (64, 48)
    assert (info.width_px, info.height_px) == expected_size
    _, _, frame = next(iter_frames(info))
    assert frame.shape == (info.height_px, info.width_px, 3)
    # Where the stored top-left block shows up after clockwise rotation.
    h, w = frame.shape[:2]
    corner = {0: (0, 0), 90: (0, w - 1), 180: (h - 1, w - 1), 270: (h - 1, 0)}[rotation_deg]
    assert frame[corner].min() > 200
    assert frame[h - 1 - corner[0], w - 1 - corner[1]].max() < 100
    # Same result as OpenCV's own rotation, where this OpenCV supports it.
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1):
        ok, auto = cap.read()
        assert ok
        np.testing.assert_array_equal(frame, auto)
    cap.release()


def test_capture_fps_scales_all_times(make_clip):
    path = make_clip("slowmo.mp4", n_frames=10, fps=30.0)
    plain = probe_video(path)
    slow = probe_video(path, capture_fps=240)
    assert slow.capture_fps == 240.0
    assert slow.time_scale == pytest.approx(30.0 / 240.0)
    assert slow.fps == pytest.approx(240.0)
    assert slow.duration_s == pytest.approx(10 / 240.0)
    np.testing.assert_allclose(slow.t_s, np.arange(10) / 240.0, atol=1e-9)
    assert [t for _, t, _ in iter_frames(slow)] == list(slow.t_s)
    assert plain.time_scale == 1.0 and plain.fps == pytest.approx(30.0)


@pytest.mark.parametrize("capture_fps", [0, -30, float("nan"), float("inf"), 10.0, 29.0])
def test_invalid_capture_fps(make_clip, capture_fps):
    path = make_clip("clip.mp4", fps=30.0)
    with pytest.raises(InvalidOptionError, match="--capture-fps"):
        probe_video(path, capture_fps=capture_fps)


def test_content_hash_ignores_name(make_clip, tmp_path):
    path = make_clip("a.mp4")
    copy = tmp_path / "renamed.mp4"
    shutil.copyfile(path, copy)
    info = probe_video(path)
    assert info.content_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert probe_video(copy).content_sha256 == info.content_sha256


def test_iter_frames_range_and_prefetch_agree(make_clip):
    info = probe_video(make_clip("clip.mp4", n_frames=12))
    direct = list(iter_frames(info, start=3, stop=8, prefetch_frames=0))
    threaded = list(iter_frames(info, start=3, stop=8, prefetch_frames=2))
    assert [i for i, _, _ in direct] == [3, 4, 5, 6, 7]
    assert [(i, t) for i, t, _ in threaded] == [(i, t) for i, t, _ in direct]
    for (_, _, a), (_, _, b) in zip(direct, threaded):
        np.testing.assert_array_equal(a, b)
    assert list(iter_frames(info, start=5, stop=5)) == []
    assert len(list(iter_frames(info, start=10, stop=100))) == 2


def test_iter_frames_stopped_early_ends_decoder_thread(make_clip):
    info = probe_video(make_clip("clip.mp4", n_frames=30))
    before = threading.active_count()
    frames = iter_frames(info, prefetch_frames=2)
    next(frames)
    frames.close()
    assert threading.active_count() == before


@pytest.mark.parametrize("start, stop", [(-1, None), (5, 2)])
def test_iter_frames_invalid_range(make_clip, start, stop):
    info = probe_video(make_clip("clip.mp4", n_frames=6))
    with pytest.raises(InvalidOptionError, match="frame range"):
        iter_frames(info, start=start, stop=stop)


# --- bad input ---------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableVideoError, match=r"nope\.mp4: no such file"):
        probe_video(tmp_path / "nope.mp4")


def test_directory(tmp_path):
    folder = tmp_path / "clips.mp4"
    folder.mkdir()
    with pytest.raises(UnreadableVideoError, match=r"clips\.mp4: is a directory, not a video file"):
        probe_video(folder)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.touch()
    with pytest.raises(UnreadableVideoError, match=r"empty\.mp4: file is empty \(0 bytes\)"):
        probe_video(path)


def test_text_file(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("cadence 170, felt good\n" * 20)
    with pytest.raises(UnreadableVideoError, match=r"notes\.mp4: not a video file \(it is a text file\)"):
        probe_video(path)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.mp4"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(UnreadableVideoError, match=r"noise\.mp4: not a video file"):
        probe_video(path)


def test_png_renamed(tmp_path):
    path = tmp_path / "photo.mp4"
    ok, png = cv2.imencode(".png", np.zeros((20, 30, 3), np.uint8))
    path.write_bytes(png.tobytes())
    # FFmpeg opens a PNG as a one-frame stream.
    with pytest.raises(UnreadableVideoError, match=r"photo\.mp4: holds a single image .*, not a video"):
        probe_video(path)


def test_wav_renamed(tmp_path):
    path = tmp_path / "voice.mp4"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000)
    with pytest.raises(UnreadableVideoError, match=r"voice\.mp4: not a video file \(it is a WAV audio file\)"):
        probe_video(path)


def test_audio_only_mp4(make_clip):
    # A real MP4 container whose only track is declared as sound.
    path = make_clip("audio.mp4")
    data = bytearray(path.read_bytes())
    handler = data.find(b"hdlr") + 12
    assert data[handler : handler + 4] == b"vide"
    data[handler : handler + 4] = b"soun"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableVideoError, match=r"audio\.mp4: contains no video stream"):
        probe_video(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_mp4(make_clip, fraction):
    path = make_clip("cut.mp4", n_frames=20)  # index ('moov') at the end
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(UnreadableVideoError, match=r"cut\.mp4: file is truncated or corrupt"):
        probe_video(path)


def test_no_decodable_frames(make_clip):
    path = make_clip("blank.mp4", n_frames=10)
    data = bytearray(path.read_bytes())
    payload = _mdat_payload(bytes(data))
    data[payload] = bytes(payload.stop - payload.start)
    path.write_bytes(bytes(data))
    with pytest.raises(
        UnreadableVideoError,
        match=r"blank\.mp4: file is truncated or corrupt: decoded 0 frames of an expected 10",
    ):
        probe_video(path)


def test_decoded_frames_matched_to_probed_times():
    from gait.video import _match_frame

    t_ms = np.array([0.0, 33.3, 66.7, 100.0])
    assert _match_frame(t_ms, 0.0, -1, 16.0) == 0
    assert _match_frame(t_ms, 66.7, 0, 16.0) == 2  # the decoder dropped frame 1
    assert _match_frame(t_ms, 500.0, 2, 16.0) == 3  # no usable time: count on
    assert _match_frame(t_ms, 0.0, 2, 16.0) == 3  # never backwards
