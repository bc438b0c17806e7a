"""Vertical oscillation: the step-frequency harmonic of the shoulders' height.

Vertical oscillation (VO) is the peak-to-trough vertical travel of the body
within a step. gait measures it on the *shoulder height*: the mean image
height of both shoulder landmarks (`SHOULDER_POINTS`). Over a stride
window centred on each step, that height is fitted by least squares with an
offset, one harmonic of the stride frequency (a nuisance term that absorbs
left/right differences) and one harmonic of the step frequency; the step's
VO is the peak-to-peak of the step harmonic, 2 · amplitude.

Why this estimator (measured; numbers in the branch report)
-----------------------------------------------------------
- The range (max − min) of the raw height between two contacts is biased
  upward by landmark jitter (the largest positive and negative noise
  samples add to it) and depends on which frames fall inside the step. A
  least-squares amplitude is unbiased to first order: jitter of SD σ on N
  samples adds σ²/N to the squared amplitude, e.g. +0.1 % of an 8 cm VO for
  σ = 2 px and N = 22 (30 fps).
- A stride-long window holds whole periods of both harmonics, so where the
  contacts fall (the segmentation) moves the window but not the fit.
- The step-frequency fundamental carries the whole excursion of a running
  body: for a spring-mass runner (McMahon & Cheng 1990), its peak-to-peak
  is within 1 % of the true range for contact times 0.20-0.30 s and flight
  times 0.06-0.16 s (the trajectory has odd symmetry about mid-stance, so
  the second harmonic vanishes and the third is < 1 %).
- MediaPipe's hip landmarks follow the thigh: on rendered runners their
  step-frequency amplitude was 0.5-14 % larger than the true hip's on
  seven rendered runners and differed by 9 % between two renders of the
  same runner, with the peaks alternating high and low from step to step
  (they depend on which leg is forward); on rendered walkers it was 57-92 %
  larger (the legs spread furthest in double support, when the pelvis is
  lowest). The shoulders' was within ±5 % on the runners and 0-11 % larger
  on the walkers, with a quarter of the hips' jitter. The trunk
  above the pelvis is nearly rigid, so its vertical travel equals the
  pelvis's within a few millimetres (a 0.5 m trunk pitching ±3° about a 6°
  lean moves the shoulders ±3 mm relative to the hips): the shoulders
  measure the pelvis's travel without the hip landmarks' error. (The mean
  of hips and shoulders, used until 2026-12-07, read walkers 39-56 % high.)
  Measured in ``docs/rendered_accuracy.md``, "Rendered walkers".

References
----------
McMahon TA, Cheng GC (1990). The mechanics of running: how does stiffness
couple with speed? J Biomech 23(Suppl 1):65-78.
"""

from __future__ import annotations

import numpy as np

from . import landmarks as lm
from .track import PoseTrack

#: Landmarks whose mean image height is the shoulder height.
SHOULDER_POINTS = (lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER)
#: Share of a window's frames that must hold the shoulders for a fit.
MIN_COVERAGE = 0.8
#: Fewest samples for a fit (it has 5 coefficients).
MIN_SAMPLES = 8
#: Relative error (one SD) of the shoulders' step-frequency amplitude from
#: MediaPipe, per gait, against the truth: on thirteen rendered runners (the two
#: bundled samples and the eleven clips of ``scripts/rendered_accuracy.py
#: --render``, 30-240 fps, both facing directions) -3.5 to +4.3 %, RMS 2.6 %; on
#: eight rendered treadmill walkers (``gait synth --gait walking``, 110 steps/min,
#: 30 and 60 fps, both facing directions, two seeds) +7.8 to +9.6 %, RMS 8.7 %;
#: rounded up to the half percent. It does not average out over steps.
LANDMARK_REL_ERROR = {"running": 0.03, "walking": 0.09}


def shoulder_height_px(track: PoseTrack) -> np.ndarray:
    """Mean image y of both shoulders per frame, in pixels (down).

    NaN on frames where either is missing: one shoulder alone would jump by
    the shoulders' height difference.
    """
    return track.xy_px[:, list(SHOULDER_POINTS), 1].mean(axis=1)


def step_harmonic_p2p_px(t_s: np.ndarray, height_px: np.ndarray, centres_s: np.ndarray,
                         step_hz: float) -> np.ndarray:
    """Peak-to-peak of the step-frequency harmonic over a stride centred at each time.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Frame times in seconds.
    height_px : ndarray, shape (n,)
        Height signal in pixels (NaN where missing).
    centres_s : array_like, shape (m,)
        Window centres in seconds.
    step_hz : float
        Step frequency in Hz (twice the stride frequency).

    Returns
    -------
    ndarray, shape (m,)
        2 · amplitude of the step harmonic in pixels; NaN where the window
        holds fewer than `MIN_SAMPLES` samples or less than `MIN_COVERAGE`
        of its frames.
    """
    centres = np.atleast_1d(np.asarray(centres_s, dtype=float))
    out = np.full(centres.shape, np.nan)
    if not (np.isfinite(step_hz) and step_hz > 0) or t_s.size < 2:
        return out
    half_s = 1.0 / step_hz  # half a stride
    frame_s = float(np.median(np.diff(t_s)))
    finite = np.isfinite(height_px)
    for k, centre in enumerate(centres):
        in_window = np.abs(t_s - centre) <= half_s
        sel = in_window & finite
        n_frames = int(round(2 * half_s / frame_s))
        if sel.sum() < max(MIN_SAMPLES, MIN_COVERAGE * n_frames):
            continue
        phase = 2 * np.pi * step_hz * (t_s[sel] - centre)
        design = np.column_stack([np.ones_like(phase), np.cos(phase / 2), np.sin(phase / 2),
                                  np.cos(phase), np.sin(phase)])
        coef, *_ = np.linalg.lstsq(design, height_px[sel], rcond=None)
        out[k] = 2.0 * float(np.hypot(coef[3], coef[4]))
    return out


def step_oscillation_px(track: PoseTrack, ic_s: np.ndarray, step_hz: float) -> np.ndarray:
    """Vertical oscillation of the step starting at each initial contact, in pixels.

    Each step's window is the stride centred half a step period after its
    contact; only the contact times locate it, so the value does not
    depend on the next contact being found.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered track.
    ic_s : array_like
        Initial-contact times in seconds.
    step_hz : float
        Step frequency in Hz.
    """
    centres = np.asarray(ic_s, dtype=float) + 0.5 / step_hz
    return step_harmonic_p2p_px(track.t_s, shoulder_height_px(track), centres, step_hz)


def summary_error(value: float, n_steps: int, noise_px: float, fps: float, step_hz: float,
                  px_per_unit: float, gait_mode: str = "running") -> float:
    """Expected error (one SD) of the median VO, in the unit of `value`.

    The random part is landmark jitter through the fit: the shoulder height
    averages two landmarks (jitter σ/√2), and a least-squares amplitude
    from N samples has SD (σ/√2)·√(2/N), so one step's peak-to-peak has
    SD 2σ/√N. Stride windows of consecutive steps overlap by half, so
    n steps hold about n/2 independent ones, and the median has
    1.25 × that SD / √(n/2). The systematic part, the gait's
    `LANDMARK_REL_ERROR` × `value`, is the pose model's amplitude error,
    which does not average out.

    Parameters
    ----------
    value : float
        Median VO (cm, px or % leg length).
    n_steps : int
        Number of per-step values.
    noise_px : float
        Landmark jitter in pixels (NaN: 2 px is assumed).
    fps : float
        Frame rate in Hz.
    step_hz : float
        Step frequency in Hz.
    px_per_unit : float
        Pixels per unit of `value`.
    gait_mode : {"running", "walking"}
        Selects the pose model's amplitude error.
    """
    if n_steps < 1 or not np.isfinite(value):
        return float("nan")
    sigma = noise_px if np.isfinite(noise_px) else 2.0
    n_samples = max(2.0 * fps / step_hz, float(MIN_SAMPLES))
    per_step = 2.0 * sigma / np.sqrt(n_samples) / px_per_unit
    random = 1.25 * per_step / np.sqrt(max(n_steps / 2.0, 1.0))
    return float(np.hypot(random, LANDMARK_REL_ERROR[gait_mode] * value))
