"""`SynthParams`: every knob of the synthetic runner, in physical units."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..errors import InvalidOptionError

FACINGS = ("left", "right")
VIEWS = ("side", "rear")
FOOT_STRIKES = ("rear", "mid", "fore")
GAITS = ("running", "walking")
#: Defaults of the gait-dependent parameters (those left None), per gait.
GAIT_DEFAULTS = {
    "running": {"cadence_spm": 170.0, "belt_speed_kmh": 10.0, "duty_factor": 0.36,
                "vertical_oscillation_m": 0.08, "touchdown_vertical_speed_ms": 0.7,
                "touchdown_horizontal_speed_ms": 0.5},
    "walking": {"cadence_spm": 110.0, "belt_speed_kmh": 4.5, "duty_factor": 0.62,
                "vertical_oscillation_m": 0.04, "touchdown_vertical_speed_ms": 0.15,
                "touchdown_horizontal_speed_ms": 0.8},
}
#: Camera and clip of a person crossing the frame over still ground (``overground=True``):
#: a 1920 x 540 frame filmed from 8 m (a 58° lens), the person 70 % of the frame high, so
#: about 3 s of a 6 s clip are in view at running speed, as in a clip of a runner passing
#: along a hallway or a track.
OVERGROUND_FRAMING = {"width_px": 1920, "height_px": 540, "body_height_frac": 0.7,
                      "camera_distance_m": 8.0, "duration_s": 6.0}


@dataclass(frozen=True)
class SynthParams:
    """Parameters of a synthetic treadmill runner and of the camera that films it.

    All values are validated on construction; an impossible value raises
    `gait.errors.InvalidOptionError`.

    Parameters left None take their gait's default on construction
    (`GAIT_DEFAULTS`: 170 steps/min, 10 km/h, duty factor 0.36, 8 cm, and
    touchdown at 0.7 m/s down and 0.5 m/s forward running; 110 steps/min,
    4.5 km/h, 0.62, 4 cm, 0.15 and 0.8 m/s walking: a walker's heel lands
    gently, still moving forwards).

    Parameters
    ----------
    cadence_spm : float or None
        Steps per minute (a stride is two steps). Stride time is
        ``120 / cadence_spm`` seconds.
    belt_speed_kmh : float or None
        Treadmill belt speed in km/h; the belt moves backwards (against the
        running direction).
    duty_factor : float or None
        Contact time of one foot divided by stride time. Running must leave
        a flight phase, i.e. be below ``0.5 * (1 - |step_time_asymmetry_pct|
        / 200)``; walking must leave a double-support phase before each
        initial contact, i.e. be above ``0.5 * (1 + |step_time_asymmetry_pct|
        / 200)`` (and at most 0.8).
    step_time_asymmetry_pct : float
        Robinson symmetry index of step time in percent, signed: the left
        step (right initial contact -> left initial contact) lasts
        ``T/2 * (1 + a/200)``, the right step ``T/2 * (1 - a/200)``.
    overstride_m : float or None
        Horizontal distance of the heel ahead of the mid-hip at initial
        contact, in metres. None (the default) gives 0.10 m for running and,
        for walking, the distance that lets the hip ride highest: the stance
        then spans the hip and the knee straightens to about 7 deg at contact
        (resolved on construction, rounded to the millimetre).
    trunk_lean_deg : float
        Forward lean of the mid-hip -> mid-shoulder line from vertical.
    height_m : float
        Standing body height; segment lengths follow from it (Winter 2009).
    vertical_oscillation_m : float or None
        Peak-to-trough vertical travel of the mid-hip within each step, in
        metres.
    hip_sway_m : float
        Peak-to-trough fore-aft travel of the mid-hip within each step
        (most forward at initial contact).
    foot_strike : {'rear', 'mid', 'fore'}
        Foot angle at initial contact: toe up 15 deg (heel lands first),
        flat, or toe down 8 deg (forefoot lands first).
    touchdown_vertical_speed_ms : float or None
        Downward speed, relative to the belt, of the first-contacting point
        at initial contact: the heel ('rear'), the whole sole ('mid') or the
        toe ('fore'). The impact stops it within the instant of contact.
        0 gives a tangential touchdown.
    touchdown_horizontal_speed_ms : float or None
        Forward speed of the foot relative to the belt just before initial
        contact; friction cancels it at the impact, after which the contact
        point moves with the belt. 0 gives a foot already at belt speed.
    liftoff_vertical_speed_ms : float
        Upward speed of the toe just after toe-off (its horizontal speed
        stays the belt's at that instant). 0 gives a tangential lift-off.
    gait : {'running', 'walking'}
        Running has a flight phase and the mid-hip lowest in mid-stance
        (spring-mass); walking has double support and the mid-hip highest
        in mid-stance and lowest at each initial contact (inverted pendulum).
        Walking takes cadences of 60-140 steps/min and belt speeds of 1-8 km/h
        (running: 100-260 and 4-25).
    overground : bool
        Side view only: the ground stands still and the body moves over it
        at `belt_speed_kmh` (as on a walkway in front of a fixed camera),
        crossing the image centre at mid-clip. The renderer draws a running
        track with a painted line every metre in place of the treadmill.
    facing : {'left', 'right'}
        Running direction in the image. Facing left, the runner's left side
        faces the camera (the left leg is the near leg).
    view : {'side', 'rear'}
        Camera view: a sagittal side view, or a view from behind the
        treadmill ('rear', see `gait.synth.rear_track` and `render_video`).
    fps : float
        Frame rate in frames per second; frame ``k`` is at ``k / fps`` s.
    duration_s : float
        Clip length in seconds; ``round(duration_s * fps)`` frames.
    width_px, height_px : int
        Frame size in pixels (even numbers, as video encoders need).
    body_height_frac : float
        Standing body height as a fraction of frame height, at the depth of
        the runner's mid-sagittal plane; sets ``px_per_m``.
    camera_distance_m : float
        Distance from the camera to the runner's mid-sagittal plane.
        Perspective makes the near side slightly larger than the far side;
        ``math.inf`` gives an orthographic camera (one scale for all).
    noise_px : float
        Standard deviation of Gaussian noise added to every landmark
        coordinate of `synthetic_track`, in pixels.
    image_noise_std : float
        Standard deviation of Gaussian noise added to rendered frames, in
        8-bit grey levels.
    occlusion : bool
        Draw a treadmill upright and console in front of the runner, hiding
        the feet and shins where they reach furthest forward.
    seed : int
        Seed for the starting gait phase and all noise.
    pelvic_drop_left_deg, pelvic_drop_right_deg : float
        Rear view only: peak contralateral pelvic drop during the stance of
        the named foot (the other hip drops, rotating the pelvis about the
        stance hip), reached at mid-stance; the pelvis is level at every
        initial contact and toe-off.
    step_width_m : float
        Rear view only: lateral distance between the left and right heel
        landmarks; negative for a crossover gait (each foot lands across the
        body's midline).
    camera_roll_deg : float
        Rear view only: the rear camera is rolled so that a level line
        appears rising to the image right by this angle.
    """

    cadence_spm: float | None = None
    belt_speed_kmh: float | None = None
    duty_factor: float | None = None
    step_time_asymmetry_pct: float = 0.0
    overstride_m: float | None = None
    trunk_lean_deg: float = 5.0
    height_m: float = 1.75
    vertical_oscillation_m: float | None = None
    hip_sway_m: float = 0.02
    foot_strike: str = "rear"
    touchdown_vertical_speed_ms: float | None = None
    touchdown_horizontal_speed_ms: float | None = None
    liftoff_vertical_speed_ms: float = 0.4
    gait: str = "running"
    overground: bool = False
    facing: str = "left"
    view: str = "side"
    fps: float = 30.0
    duration_s: float = 10.0
    width_px: int = 640
    height_px: int = 480
    body_height_frac: float = 0.78
    camera_distance_m: float = 4.0
    noise_px: float = 0.0
    image_noise_std: float = 0.0
    occlusion: bool = False
    seed: int = 0
    pelvic_drop_left_deg: float = 0.0
    pelvic_drop_right_deg: float = 0.0
    step_width_m: float = 0.10
    camera_roll_deg: float = 0.0

    def __post_init__(self) -> None:
        _check_choice("gait", self.gait, GAITS)
        for name, value in GAIT_DEFAULTS[self.gait].items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        if self.gait == "running":
            _check_range("cadence_spm", self.cadence_spm, 100.0, 260.0)
            _check_range("belt_speed_kmh", self.belt_speed_kmh, 4.0, 25.0)
        else:
            _check_range("cadence_spm", self.cadence_spm, 60.0, 140.0)
            _check_range("belt_speed_kmh", self.belt_speed_kmh, 1.0, 8.0)
        _check_range("step_time_asymmetry_pct", self.step_time_asymmetry_pct, -30.0, 30.0)
        if self.gait == "running":
            _check_range("duty_factor", self.duty_factor, 0.15, 0.5)
            max_duty = 0.5 * (1.0 - abs(self.step_time_asymmetry_pct) / 200.0)
            if self.duty_factor >= max_duty:
                raise InvalidOptionError(
                    f"duty_factor={self.duty_factor} leaves no flight phase with "
                    f"step_time_asymmetry_pct={self.step_time_asymmetry_pct}; the synthetic "
                    f"runner needs duty_factor < {max_duty:.3f}"
                )
        else:
            _check_range("duty_factor", self.duty_factor, 0.5, 0.8)
            min_duty = 0.5 * (1.0 + abs(self.step_time_asymmetry_pct) / 200.0)
            if self.duty_factor <= min_duty:
                raise InvalidOptionError(
                    f"duty_factor={self.duty_factor} leaves no double support with "
                    f"step_time_asymmetry_pct={self.step_time_asymmetry_pct}; the synthetic "
                    f"walker needs duty_factor > {min_duty:.3f}"
                )
        if not isinstance(self.overground, bool):
            raise InvalidOptionError(f"overground must be True or False, got {self.overground!r}")
        if self.overstride_m is not None:
            _check_range("overstride_m", self.overstride_m, -0.15, 0.45)
        _check_range("trunk_lean_deg", self.trunk_lean_deg, -15.0, 30.0)
        _check_range("height_m", self.height_m, 1.2, 2.2)
        _check_range("vertical_oscillation_m", self.vertical_oscillation_m, 0.0, 0.15)
        _check_range("hip_sway_m", self.hip_sway_m, 0.0, 0.08)
        _check_choice("foot_strike", self.foot_strike, FOOT_STRIKES)
        _check_range("touchdown_vertical_speed_ms", self.touchdown_vertical_speed_ms, 0.0, 2.5)
        _check_range(
            "touchdown_horizontal_speed_ms", self.touchdown_horizontal_speed_ms, 0.0, 3.0
        )
        _check_range("liftoff_vertical_speed_ms", self.liftoff_vertical_speed_ms, 0.0, 2.0)
        _check_choice("facing", self.facing, FACINGS)
        _check_choice("view", self.view, VIEWS)
        if self.overground and self.view != "side":
            raise InvalidOptionError("overground must be False for a rear view (side view only)")
        if self.overground and self.occlusion:
            raise InvalidOptionError("occlusion must be False overground (it draws a "
                                     "treadmill's console)")
        _check_range("fps", self.fps, 1.0, 1000.0)
        _check_range("duration_s", self.duration_s, 0.1, 600.0)
        for name in ("width_px", "height_px"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 64 or value % 2:
                raise InvalidOptionError(
                    f"{name} must be an even integer of at least 64 pixels, got {value!r}"
                )
        _check_range("body_height_frac", self.body_height_frac, 0.2, 0.9)
        if not (self.camera_distance_m >= 1.5):
            raise InvalidOptionError(
                f"camera_distance_m must be at least 1.5 m (or math.inf for an "
                f"orthographic camera), got {self.camera_distance_m!r}"
            )
        _check_range("noise_px", self.noise_px, 0.0, 100.0)
        _check_range("image_noise_std", self.image_noise_std, 0.0, 100.0)
        if not isinstance(self.occlusion, bool):
            raise InvalidOptionError(f"occlusion must be True or False, got {self.occlusion!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise InvalidOptionError(f"seed must be a non-negative integer, got {self.seed!r}")
        _check_range("pelvic_drop_left_deg", self.pelvic_drop_left_deg, -5.0, 15.0)
        _check_range("pelvic_drop_right_deg", self.pelvic_drop_right_deg, -5.0, 15.0)
        _check_range("step_width_m", self.step_width_m, -0.15, 0.35)
        _check_range("camera_roll_deg", self.camera_roll_deg, -10.0, 10.0)
        if self.overstride_m is None:
            object.__setattr__(self, "overstride_m", self._default_overstride_m())

    def _default_overstride_m(self) -> float:
        """`overstride_m` when not given: a runner's 0.10 m, or a walker's highest-hip one."""
        if self.gait == "running":
            return 0.10
        from ._model import highest_hip_overstride_m  # the model needs these params

        return highest_hip_overstride_m(self)

    @property
    def belt_speed_ms(self) -> float:
        """Belt speed in metres per second."""
        return self.belt_speed_kmh / 3.6

    @property
    def stride_time_s(self) -> float:
        """Stride time (two steps) in seconds."""
        return 120.0 / self.cadence_spm

    @property
    def n_frames(self) -> int:
        """Number of frames in the clip."""
        return max(1, round(self.duration_s * self.fps))

    def to_dict(self) -> dict:
        """All parameters as a JSON-serialisable dict (``inf`` as the string "inf")."""
        out = asdict(self)
        if math.isinf(out["camera_distance_m"]):
            out["camera_distance_m"] = "inf"
        return out


def _check_range(name: str, value: float, low: float, high: float) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not (low <= value <= high):
        raise InvalidOptionError(
            f"{name} must be a number from {low:g} to {high:g}, got {value!r}"
        )


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InvalidOptionError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
