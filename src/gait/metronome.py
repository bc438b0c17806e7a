"""Metronome click tracks for cadence retraining: one click per step.

A runner sets the tempo to the target cadence in steps per minute, so every
foot contact lands on a click (two clicks per stride). Every ``accent_every``-th
click is higher and louder, so with the default of 2 the left and right feet
have different sounds. Clicks are short tone bursts with a raised-cosine (Hann)
envelope, which starts and ends at zero, so they do not pop.

Click ``k`` starts at sample ``round(k × 60 / spm × sample_rate_hz)``: onsets
never drift, and each is within half a sample of its exact time.

Tracks are written as MP3 (small enough to send to a runner: about 0.3 MB for
5 minutes, against 13 MB of WAV) or as 16-bit WAV, chosen by the file's suffix.
The MP3 is gapless (LAME's encoder delay is recorded in the file and removed by
decoders), so its clicks keep their sample positions.
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np

from .errors import InvalidOptionError, OutputExistsError
from .output_paths import check_writable_file, replacing

TRACK_SAMPLE_RATE_HZ = 22050
"""Sample rate of written tracks, Hz: ample for 1-1.6 kHz clicks, half the size of CD rate."""
FORMATS = (".mp3", ".wav")
"""File suffixes `write_metronome` writes: MP3 (small, lossy) or 16-bit PCM WAV."""
MP3_SAMPLE_RATES_HZ = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""Sample rates the MP3 format (MPEG-1, -2 and -2.5 layer III) allows, Hz."""
MP3_VBR_QUALITY = 7
"""LAME variable-bit-rate quality (0 best - 9 smallest): 7 keeps 1-1.6 kHz clicks
clean at about 9 kB/s of 22.05 kHz audio; the mostly silent track costs little."""
_FF_QP2LAMBDA = 118
"""FFmpeg's scale from a codec quality to its ``global_quality`` (FF_QP2LAMBDA)."""

MIN_SPM = 30.0
"""Slowest tempo accepted, steps per minute."""
MAX_SPM = 300.0
"""Fastest tempo accepted, steps per minute (above any running cadence)."""

CLICK_S = 0.020
"""Click length, s."""
CLICK_HZ = 1000.0
"""Pitch of a normal click, Hz."""
ACCENT_HZ = 1600.0
"""Pitch of an accented click, Hz."""
CLICK_AMPLITUDE = 0.5
"""Peak amplitude of a normal click (full scale = 1)."""
ACCENT_AMPLITUDE = 0.9
"""Peak amplitude of an accented click (full scale = 1)."""


def _validate(spm: float, duration_s: float, sample_rate_hz: int, accent_every: int | None) -> None:
    if isinstance(spm, bool) or not isinstance(spm, (int, float)) or not (MIN_SPM <= spm <= MAX_SPM):
        raise InvalidOptionError(
            f"spm must be a cadence in steps per minute between {MIN_SPM:g} and {MAX_SPM:g}; "
            f"got {spm!r}. Running cadence is usually 150-200 steps/min (strides/min × 2)."
        )
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or not (
        math.isfinite(duration_s) and 0 < duration_s <= 24 * 3600
    ):
        raise InvalidOptionError(f"duration_s must be a number of seconds in (0, 86400]; got {duration_s!r}.")
    if isinstance(sample_rate_hz, bool) or not isinstance(sample_rate_hz, int) or not (
        8000 <= sample_rate_hz <= 192000
    ):
        raise InvalidOptionError(
            f"sample_rate_hz must be an integer between 8000 and 192000; got {sample_rate_hz!r} "
            "(44100 is the usual choice)."
        )
    bad_accent = isinstance(accent_every, bool) or not isinstance(accent_every, int) or accent_every < 1
    if accent_every is not None and bad_accent:
        raise InvalidOptionError(
            f"accent_every must be a positive integer or None (no accents); got {accent_every!r}."
        )


def _click(freq_hz: float, amplitude: float, sample_rate_hz: int) -> np.ndarray:
    n = max(3, int(round(CLICK_S * sample_rate_hz)))
    i = np.arange(n)
    envelope = np.sin(np.pi * i / (n - 1)) ** 2  # Hann: 0 at both ends, smooth
    return amplitude * envelope * np.sin(2.0 * np.pi * freq_hz * i / sample_rate_hz)


def click_onsets(spm: float, *, duration_s: float = 60.0, sample_rate_hz: int = 44100) -> np.ndarray:
    """Sample index of each click that fits completely in the track.

    Parameters
    ----------
    spm : float
        Tempo in steps per minute (one click per step), 30-300.
    duration_s : float, default 60.0
        Track length, s.
    sample_rate_hz : int, default 44100
        Sample rate, Hz.

    Returns
    -------
    ndarray of int64, shape (n_clicks,)
        ``round(k × 60 / spm × sample_rate_hz)`` for k = 0, 1, ...

    Raises
    ------
    InvalidOptionError
        If an argument is out of range.
    """
    _validate(spm, duration_s, sample_rate_hz, None)
    n_samples = int(round(duration_s * sample_rate_hz))
    click_len = max(3, int(round(CLICK_S * sample_rate_hz)))
    period = 60.0 / spm * sample_rate_hz
    k = np.arange(int(n_samples / period) + 2)
    onsets = np.round(k * period).astype(np.int64)
    return onsets[onsets + click_len <= n_samples]


def click_track(
    spm: float,
    *,
    duration_s: float = 60.0,
    sample_rate_hz: int = 44100,
    accent_every: int | None = 2,
) -> np.ndarray:
    """Render a metronome click track.

    Parameters
    ----------
    spm : float
        Tempo in steps per minute: one click per step (two per stride), 30-300.
    duration_s : float, default 60.0
        Track length, s.
    sample_rate_hz : int, default 44100
        Sample rate, Hz.
    accent_every : int or None, default 2
        Every n-th click (starting with the first) is accented: higher pitch and
        louder. 2 alternates accented and plain clicks, one sound per foot. None
        gives no accents.

    Returns
    -------
    ndarray of float32, shape (round(duration_s × sample_rate_hz),)
        Mono samples in [-1, 1]; exact zeros between clicks.

    Raises
    ------
    InvalidOptionError
        If spm is outside 30-300 or another argument is out of range.
    """
    _validate(spm, duration_s, sample_rate_hz, accent_every)
    n_samples = int(round(duration_s * sample_rate_hz))
    plain = _click(CLICK_HZ, CLICK_AMPLITUDE, sample_rate_hz)
    accent = _click(ACCENT_HZ, ACCENT_AMPLITUDE, sample_rate_hz)
    out = np.zeros(n_samples, dtype=np.float64)
    for k, start in enumerate(click_onsets(spm, duration_s=duration_s, sample_rate_hz=sample_rate_hz)):
        c = accent if accent_every is not None and k % accent_every == 0 else plain
        out[start : start + c.size] += c
    return out.astype(np.float32)


def write_metronome(
    path: str | Path,
    spm: float,
    *,
    duration_s: float = 60.0,
    sample_rate_hz: int = TRACK_SAMPLE_RATE_HZ,
    accent_every: int | None = 2,
    overwrite: bool = False,
) -> Path:
    """Write a metronome click track as a mono MP3 or 16-bit PCM WAV file.

    Parameters
    ----------
    path : str or Path
        Output file, ``.mp3`` or ``.wav`` (its folder is created if needed).
        Written through a temporary file, so an interrupted or failed write
        leaves no partial file.
    spm : float
        Tempo in steps per minute: one click per step, 30-300.
    duration_s : float, default 60.0
        Length, s.
    sample_rate_hz : int, default `TRACK_SAMPLE_RATE_HZ` (22050)
        Sample rate, Hz.
    accent_every : int or None, default 2
        See `click_track`.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InvalidOptionError
        If an argument is out of range, `path` does not end in ``.mp3`` or
        ``.wav``, or it cannot be written (a folder, or its folder is a file or
        not writable).
    OutputExistsError
        If the file exists and `overwrite` is False.
    """
    _validate(spm, duration_s, sample_rate_hz, accent_every)
    out = Path(path)
    _check_destination(out, sample_rate_hz=sample_rate_hz, overwrite=overwrite)
    samples = click_track(spm, duration_s=duration_s, sample_rate_hz=sample_rate_hz, accent_every=accent_every)
    write = _write_mp3 if out.suffix.lower() == ".mp3" else _write_wav
    out.parent.mkdir(parents=True, exist_ok=True)
    with replacing(out) as tmp:
        write(tmp, samples, sample_rate_hz)
    return out


def _write_wav(path: Path, samples: np.ndarray, sample_rate_hz: int) -> None:
    """Write mono samples in [-1, 1] as 16-bit PCM WAV."""
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate_hz)
        w.writeframes(pcm.tobytes())


def _write_mp3(path: Path, samples: np.ndarray, sample_rate_hz: int) -> None:
    """Encode mono samples in [-1, 1] as variable-bit-rate MP3 (LAME, through PyAV)."""
    import av  # PyAV's FFmpeg also encodes the overlay video

    pcm = np.round(np.clip(samples, -1.0, 1.0) * (2**31 - 1)).astype(np.int32)
    with av.open(str(path), "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=sample_rate_hz, layout="mono")
        codec = stream.codec_context
        codec.flags |= av.codec.context.Flags.qscale
        codec.global_quality = MP3_VBR_QUALITY * _FF_QP2LAMBDA
        codec.options = {"compression_level": "9"}  # LAME's fastest search: ample for clicks
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s32p", layout="mono")
        frame.sample_rate = sample_rate_hz
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)


def _check_destination(out: Path, *, sample_rate_hz: int, overwrite: bool) -> None:
    """Refuse, before any work, a path that cannot be written or would replace a file."""
    check_writable_file(out, "-o")
    if out.suffix.lower() not in FORMATS:
        raise InvalidOptionError(f"{out}: a metronome track is written as .mp3 (small, for "
                                 f"sending to a runner) or .wav; got {out.suffix or 'no suffix'!r}")
    if out.suffix.lower() == ".mp3" and sample_rate_hz not in MP3_SAMPLE_RATES_HZ:
        raise InvalidOptionError(f"{out}: MP3 allows sample rates of "
                                 f"{', '.join(map(str, MP3_SAMPLE_RATES_HZ))} Hz, not "
                                 f"{sample_rate_hz}; choose one, or write a .wav")
    if out.exists() and not overwrite:
        raise OutputExistsError(f"{out}: exists; choose another name or replace it (--force on "
                                "the command line, overwrite=True in Python)")
