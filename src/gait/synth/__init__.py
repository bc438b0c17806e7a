"""Synthetic treadmill runner (or walker) whose gait is known exactly.

Used by the tests (landmark tracks without a pose model, and rendered videos
run through MediaPipe) and to make the bundled ``sample_videos/``.

- `SynthParams`: the runner, camera and clip, in physical units.
- `synthetic_track`: the landmarks as a `gait.track.PoseTrack`, optionally
  with noise, dropouts and left/right foot swaps, plus the truth dict.
- `render_video`: a flat-shaded video of the runner (MediaPipe finds it),
  with ``<stem>.truth.json`` beside it (`truth_path` names that file).
- `RunnerModel`: the kinematic model itself (world metres), for exact checks.
- `rear_track`, `RearModel`, `RearCamera`: the same runner seen from behind the
  treadmill, with pelvic drop, step width and camera roll (``view="rear"``;
  `render_video` draws it too).

The truth dict (schema ``gait.synth.truth/1``) holds all parameters and
``cadence_spm``, ``stride_time_s``, ``step_time_left_s``,
``step_time_right_s``, ``step_time_asymmetry_pct``, ``contact_time_s``,
``flight_time_s`` (0 for walking), ``double_support_s`` (one double-support
phase, 0 for running), ``gait``, ``duty_factor``, ``belt_speed_ms``, ``stride_length_m``,
``step_length_left_m``, ``step_length_right_m``, ``overstride_m``,
``trunk_lean_deg``, ``knee_flexion_at_ic_deg``, ``shin_angle_at_ic_deg``,
``vertical_oscillation_m``, ``leg_length_m``, ``touchdown_vertical_speed_ms``,
``touchdown_horizontal_speed_ms``, ``liftoff_vertical_speed_ms`` (the foot's
impact speeds relative to the belt), ``events`` (every contact
with both initial contact and toe-off inside the sampled span), ``px_per_m``
and ``pixel_to_world``. Conventions: the left step runs from a right initial
contact to the next left one; knee flexion is 180 deg minus the hip-knee-ankle
angle; shin angle is the knee->ankle line from vertical, positive with the
ankle ahead of the knee.
"""

from ._camera import Camera
from ._model import RunnerModel
from ._params import GAIT_DEFAULTS, OVERGROUND_FRAMING, SynthParams
from ._rear import RearCamera, RearModel, rear_track
from ._render import render_frames, render_video
from ._track import synthetic_track
from ._truth import TRUTH_SCHEMA, truth_path

__all__ = [
    "GAIT_DEFAULTS",
    "OVERGROUND_FRAMING",
    "TRUTH_SCHEMA",
    "Camera",
    "RearCamera",
    "RearModel",
    "RunnerModel",
    "SynthParams",
    "render_frames",
    "render_video",
    "rear_track",
    "synthetic_track",
    "truth_path",
]
