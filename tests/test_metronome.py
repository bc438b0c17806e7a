"""Metronome click tracks: timing from the samples, accents, MP3 and WAV output, validation."""

from __future__ import annotations

import math
import wave

import numpy as np
import pytest
from scipy.io import wavfile
from unwritable import unwritable_folder

from gait.errors import InvalidOptionError, OutputExistsError
from gait.metronome import click_onsets, click_track, write_metronome

FS = 44100


def _clicks(x: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) sample index of each click: runs of non-zero samples split by silence."""
    nz = np.flatnonzero(x != 0)
    gaps = np.flatnonzero(np.diff(nz) > 50)  # 50 samples ≈ 1 ms: far shorter than any period
    starts = np.r_[nz[0], nz[gaps + 1]]
    ends = np.r_[nz[gaps], nz[-1]]
    return list(zip(starts.tolist(), ends.tolist()))


def _energy_centres(x: np.ndarray) -> np.ndarray:
    """Energy-weighted centre (in samples) of each click."""
    out = []
    for a, b in _clicks(x):
        e = x[a : b + 1].astype(np.float64) ** 2
        out.append(a + np.sum(np.arange(e.size) * e) / np.sum(e))
    return np.array(out)


def _dominant_hz(seg: np.ndarray) -> float:
    spec = np.abs(np.fft.rfft(seg, n=1 << 16))
    return float(np.fft.rfftfreq(1 << 16, 1 / FS)[np.argmax(spec)])


@pytest.mark.parametrize("spm", [180.0, 181.5, 173.5, 165.0, 150.0, 300.0])
def test_click_onsets_from_samples_are_exactly_one_step_apart(spm):
    x = click_track(spm, duration_s=20.0, sample_rate_hz=FS)
    period = 60.0 / spm * FS
    clicks = _clicks(x)
    n = len(clicks)
    assert n == len(click_onsets(spm, duration_s=20.0, sample_rate_hz=FS))
    assert n >= math.floor(20.0 * spm / 60.0) - 1
    # Onsets: the envelope is zero at sample 0 of each click, so sound starts one sample later.
    starts = np.array([a for a, _ in clicks]) - 1
    expected = np.arange(n) * period
    assert np.max(np.abs(starts - expected)) <= 1.0  # no drift, even at fractional periods
    # Energy peaks (centres) are one step apart to within one sample.
    centres = _energy_centres(x)
    assert np.max(np.abs(np.diff(centres) - period)) <= 1.0
    assert np.max(np.abs((centres - centres[0]) - expected)) <= 1.0


def test_accents_alternate_in_pitch_and_loudness():
    x = click_track(170.0, duration_s=10.0, sample_rate_hz=FS)
    clicks = _clicks(x)
    peaks = np.array([np.max(np.abs(x[a : b + 1])) for a, b in clicks])
    pitches = np.array([_dominant_hz(x[a : b + 1]) for a, b in clicks])
    assert np.all(peaks[0::2] > 1.5 * peaks[1::2].mean())
    assert np.all(peaks[1::2] < peaks[0::2].min())
    assert np.all(pitches[0::2] > pitches[1::2].max() + 300)
    assert np.all(np.abs(pitches[1::2] - pitches[1]) < 50)


def test_accent_every_other_values():
    flat = click_track(170.0, duration_s=5.0, sample_rate_hz=FS, accent_every=None)
    peaks = [np.max(np.abs(flat[a : b + 1])) for a, b in _clicks(flat)]
    assert np.ptp(peaks) < 1e-3
    three = click_track(170.0, duration_s=5.0, sample_rate_hz=FS, accent_every=3)
    peaks = np.array([np.max(np.abs(three[a : b + 1])) for a, b in _clicks(three)])
    loud = peaks > peaks.mean()
    assert loud[0::3].all() and not loud[1::3].any() and not loud[2::3].any()


def test_clicks_are_short_smooth_and_in_range():
    x = click_track(180.0, duration_s=3.0, sample_rate_hz=FS)
    assert x.dtype == np.float32 and x.ndim == 1
    assert x.size == 3 * FS
    assert np.max(np.abs(x)) <= 1.0
    for a, b in _clicks(x):
        length_ms = (b - a + 2) / FS * 1000
        assert 10.0 <= length_ms <= 30.0
        seg = np.abs(x[a : b + 1])
        # Smooth envelope: tiny at both ends, no jump into or out of silence (no pop).
        assert seg[0] < 0.01 * seg.max() and seg[-1] < 0.01 * seg.max()
    assert np.max(np.abs(np.diff(x))) < 0.5  # no step discontinuity anywhere


@pytest.mark.parametrize("duration_s, fs", [(1.0, 8000), (2.5, 22050), (0.7, 48000)])
def test_length_matches_duration(duration_s, fs):
    assert click_track(160.0, duration_s=duration_s, sample_rate_hz=fs).size == round(duration_s * fs)


def test_wav_is_readable_with_right_rate_and_duration(tmp_path):
    path = write_metronome(tmp_path / "m.wav", 181.5, duration_s=4.0, sample_rate_hz=22050)
    assert path.exists()
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1
        assert w.getsampwidth() == 2
        assert w.getframerate() == 22050
        assert w.getnframes() == 4 * 22050
    rate, data = wavfile.read(path)
    assert rate == 22050 and data.dtype == np.int16
    expected = click_track(181.5, duration_s=4.0, sample_rate_hz=22050)
    assert np.max(np.abs(data / 32767.0 - expected)) <= 1.0 / 32767 + 1e-7
    # Timing survives quantisation (the quietest edge samples may round to zero, so use energy).
    centres = _energy_centres(data.astype(np.float64))
    period = 60.0 / 181.5 * 22050
    assert np.max(np.abs((centres - centres[0]) - np.arange(centres.size) * period)) <= 1.0


def _decode_mp3(path) -> tuple[np.ndarray, int]:
    """Mono samples and sample rate of an MP3, as any player decodes it (FFmpeg)."""
    import av

    with av.open(str(path)) as container:
        rate = container.streams.audio[0].sample_rate
        return np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]), rate


def test_mp3_keeps_every_click_on_its_sample_and_its_sound(tmp_path):
    path = write_metronome(tmp_path / "m.mp3", 181.5, duration_s=20.0)
    decoded, rate = _decode_mp3(path)
    exact = click_track(181.5, duration_s=20.0, sample_rate_hz=22050)
    # gapless: no encoder delay or padding left in what a player plays
    assert rate == 22050 and decoded.size == exact.size
    # lossy, but the codec's noise is far below the clicks (tested on the quiet gaps between them)
    quiet = np.abs(decoded[np.abs(exact) == 0])
    assert np.percentile(quiet, 99) < 0.01
    loud = np.abs(decoded) > 0.05
    starts = np.flatnonzero(loud & ~np.r_[False, loud[:-1]])
    starts = starts[np.r_[True, np.diff(starts) > 0.05 * rate]]  # first crossing of each click
    exact_loud = np.abs(exact) > 0.05
    expected = np.flatnonzero(exact_loud & ~np.r_[False, exact_loud[:-1]])
    expected = expected[np.r_[True, np.diff(expected) > 0.05 * rate]]
    assert starts.size == expected.size == click_onsets(181.5, duration_s=20.0, sample_rate_hz=22050).size
    assert np.max(np.abs(starts - expected)) <= 1  # each click within one sample (45 µs)
    # accents still sound higher and louder
    half = int(0.02 * rate)
    peaks = np.array([np.max(np.abs(decoded[a : a + half])) for a in starts])
    spectra = [np.abs(np.fft.rfft(decoded[a : a + half], n=1 << 15)) for a in starts]
    pitches = np.array([np.fft.rfftfreq(1 << 15, 1 / rate)[np.argmax(sp)] for sp in spectra])
    assert peaks[0::2].min() > peaks[1::2].max() + 0.25  # 0.9 and 0.5 of full scale
    assert np.all(np.abs(pitches[0::2] - 1600) < 60) and np.all(np.abs(pitches[1::2] - 1000) < 60)


def test_five_minute_mp3_is_small_enough_to_send(tmp_path):
    mp3 = write_metronome(tmp_path / "m.mp3", 176.0, duration_s=300.0)
    wav = write_metronome(tmp_path / "m.wav", 176.0, duration_s=300.0)
    assert wav.stat().st_size > 13_000_000  # 5 min of 16-bit mono at 22.05 kHz
    assert mp3.stat().st_size < 500_000


@pytest.mark.parametrize("name, rate, why", [
    ("m.ogg", 22050, "written as .mp3 .* or .wav; got '.ogg'"),
    ("m", 22050, "got 'no suffix'"),
    ("m.mp3", 96000, "MP3 allows sample rates of .* not 96000"),
])
def test_format_it_cannot_write_is_refused_before_writing(tmp_path, name, rate, why):
    with pytest.raises(InvalidOptionError, match=why):
        write_metronome(tmp_path / name, 170.0, duration_s=1.0, sample_rate_hz=rate)
    assert list(tmp_path.iterdir()) == []


def test_wav_does_not_overwrite_unless_asked(tmp_path):
    path = write_metronome(tmp_path / "m.wav", 170.0, duration_s=1.0)
    with pytest.raises(OutputExistsError, match="--force.*overwrite=True"):
        write_metronome(path, 175.0, duration_s=1.0)
    write_metronome(path, 175.0, duration_s=2.0, overwrite=True)
    assert wavfile.read(path)[1].size == 2 * 22050


@pytest.mark.parametrize("spm", [0, -180.0, 301.0, 1000.0, math.nan, math.inf, True, "180"])
def test_invalid_spm_raises(spm):
    with pytest.raises(InvalidOptionError):
        click_track(spm, duration_s=1.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration_s": 0.0},
        {"duration_s": -1.0},
        {"duration_s": math.nan},
        {"sample_rate_hz": 44100.0},
        {"sample_rate_hz": 100},
        {"accent_every": 0},
        {"accent_every": 1.5},
    ],
)
def test_invalid_options_raise(kwargs, tmp_path):
    with pytest.raises(InvalidOptionError):
        click_track(170.0, **kwargs)
    with pytest.raises(InvalidOptionError):
        write_metronome(tmp_path / "x.wav", 170.0, **kwargs)
    assert not (tmp_path / "x.wav").exists()


def test_invalid_option_error_is_a_value_error():
    with pytest.raises(ValueError):
        click_track(400.0)


def test_wav_destination_that_cannot_work_is_refused_before_writing(tmp_path):
    afile, folder = tmp_path / "afile", tmp_path / "somedir"
    afile.write_text("mine")
    folder.mkdir()
    for path, why in ((afile / "x.wav", "afile is a file"), (folder, "is a folder")):
        with pytest.raises(InvalidOptionError, match=why):
            write_metronome(path, 170.0, duration_s=1.0, overwrite=True)
    assert afile.read_text() == "mine" and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "somedir"]
    # a folder that does not exist yet is made, as for every other output
    made = write_metronome(tmp_path / "new" / "x.wav", 170.0, duration_s=1.0)
    assert made.stat().st_size > 0 and sorted(p.name for p in made.parent.iterdir()) == ["x.wav"]


def test_wav_in_an_unwritable_folder_exits_2_on_the_command_line(tmp_path, capsys):
    from gait.cli import main

    with unwritable_folder(tmp_path / "ro") as ro:
        assert main(["metronome", "--spm", "170", "--duration", "1", "-o", str(ro / "x.wav")]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and f"folder {ro} is not writable" in err
        assert list(ro.iterdir()) == []


def test_interrupted_mp3_write_leaves_no_partial_file(tmp_path, monkeypatch):
    import av

    path = write_metronome(tmp_path / "m.mp3", 170.0, duration_s=1.0)
    earlier = path.read_bytes()

    def interrupted(self, packet):
        raise KeyboardInterrupt

    monkeypatch.setattr(av.container.OutputContainer, "mux", interrupted)
    for target in (path, tmp_path / "new.mp3"):
        with pytest.raises(KeyboardInterrupt):
            write_metronome(target, 180.0, duration_s=1.0, overwrite=True)
    assert path.read_bytes() == earlier and sorted(tmp_path.iterdir()) == [path]


def test_interrupted_wav_write_leaves_no_partial_file(tmp_path, monkeypatch):
    path = write_metronome(tmp_path / "m.wav", 170.0, duration_s=1.0)
    earlier = path.read_bytes()

    def interrupted(self, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(wave.Wave_write, "writeframes", interrupted)
    for target in (path, tmp_path / "new.wav"):
        with pytest.raises(KeyboardInterrupt):
            write_metronome(target, 180.0, duration_s=1.0, overwrite=True)
    assert path.read_bytes() == earlier and sorted(tmp_path.iterdir()) == [path]
