"""Kinematic model of a runner on a treadmill (2-D sagittal plane plus body width).

World frame, metres and seconds: x points in the running direction, y up
(belt surface at y = 0), z towards the camera. The mid-hip stays near x = 0;
the belt moves at ``-belt_speed_ms`` along x.

Segment proportions are from Winter, *Biomechanics and Motor Control of Human
Movement*, 4th ed. (2009), fig. 4.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.interpolate import CubicHermiteSpline

from ..errors import InvalidOptionError
from ..landmarks import INDEX, N_LANDMARKS
from ._params import SynthParams

SIDES = ("left", "right")

# Foot pitch (positive = toe up) at initial contact, per foot strike.
_STRIKE_PITCH_DEG = {"rear": 15.0, "mid": 0.0, "fore": -8.0}
_TOE_OFF_PITCH_DEG = -40.0
# Fractions of contact time: end of the landing roll and heel-off.
_FLAT_FRAC = {"rear": 0.15, "mid": 0.0, "fore": 0.12}
_HEEL_OFF_FRAC = 0.55
# Largest further toe-down rotation of the foot after toe-off, and the least
# clearance of the toe under the highest swing heel (guards against the toe
# dipping through the belt at slow belts or short contacts).
_MAX_SWING_OVERSHOOT_DEG = 30.0
_MIN_TOE_CLEARANCE_M = 0.04
# Largest hip-ankle distance during stance as a fraction of thigh + shank, per gait: a
# runner's knee stays bent by at least 16 deg, a walker's straightens to 7 deg at contact
# (about 5 deg in normal walking, Perry & Burnfield, *Gait Analysis*, 2nd ed., 2010; kept
# off full extension, where the knee's direction is undefined).
_MAX_STANCE_REACH = {"running": 0.99, "walking": 0.998}
# Lowest mean hip height accepted, as a fraction of standing height (knee
# flexion in mid-stance would exceed ~70 deg below it).
_MIN_HIP_HEIGHT_FRAC = 0.45
# Largest hip-ankle distance in swing of a walker, as a fraction of thigh + shank (its
# swinging knee straightens to 7 deg at most, lowering the hip if need be; a runner
# whose swinging foot would reach further than the leg is refused).
_MAX_WALKER_SWING_REACH = 0.998
# When the swinging heel is highest, as a fraction of the swing, per gait (a walker's
# knee flexes most early in swing and is nearly straight again before contact).
_SWING_HEEL_PEAK_FRAC = {"running": 0.38, "walking": 0.2}


@dataclass(frozen=True)
class Body:
    """Segment lengths and half-widths in metres, from standing height.

    Parameters
    ----------
    height_m : float
        Standing height.
    """

    height_m: float

    @property
    def thigh_m(self) -> float:
        return 0.245 * self.height_m

    @property
    def shank_m(self) -> float:
        return 0.246 * self.height_m

    @property
    def foot_m(self) -> float:
        """Heel to toe tip, along the sole."""
        return 0.152 * self.height_m

    @property
    def ankle_above_sole_m(self) -> float:
        return 0.039 * self.height_m

    @property
    def ankle_ahead_of_heel_m(self) -> float:
        return 0.22 * self.foot_m

    @property
    def trunk_m(self) -> float:
        """Hip joint to shoulder joint."""
        return 0.288 * self.height_m

    @property
    def upper_arm_m(self) -> float:
        return 0.186 * self.height_m

    @property
    def forearm_m(self) -> float:
        return 0.146 * self.height_m

    @property
    def hip_half_width_m(self) -> float:
        return 0.055 * self.height_m

    @property
    def shoulder_half_width_m(self) -> float:
        return 0.11 * self.height_m

    @property
    def leg_m(self) -> float:
        """Thigh plus shank (hip joint to ankle, straight knee)."""
        return self.thigh_m + self.shank_m


class RunnerModel:
    """Positions of all body points of the synthetic runner at any time.

    Parameters
    ----------
    params : SynthParams
        The runner; ``params.seed`` fixes the gait phase at ``t_s = 0``.

    Notes
    -----
    Each foot repeats the same cycle with the stride period ``T``: contact
    (duty_factor * T) then swing. In contact, the point of the sole touching
    the belt moves at exactly ``-belt_speed_ms``: the foot rolls about the
    heel (rear strike) or toe (fore strike) to flat, stays flat, then rolls
    about the toe until toe-off. Swing is a C1 cubic Hermite path of heel
    position and foot pitch from toe-off to the next initial contact, so
    velocities are continuous everywhere except at the two events, where
    the foot meets or leaves the belt with a finite speed (an impact):

    - just after toe-off the toe moves at ``(-belt_speed_ms,
      liftoff_vertical_speed_ms)`` and the foot keeps the pitch rate of the
      end of the stance roll;
    - just before initial contact the foot does not rotate and every point of
      it (so the first-contacting point) moves at ``(touchdown_horizontal_speed_ms
      - belt_speed_ms, -touchdown_vertical_speed_ms)``; from the contact on the
      contacting point moves at ``(-belt_speed_ms, 0)``.

    With all three speeds 0 the foot meets and leaves the belt tangentially.
    Knees come from two-link inverse kinematics, always bending forwards.
    """

    def __init__(self, params: SynthParams) -> None:
        self.params = params
        self.body = Body(params.height_m)
        p = params
        self.stride_s = p.stride_time_s
        a = p.step_time_asymmetry_pct / 200.0
        self.step_s = {"left": self.stride_s / 2 * (1 + a), "right": self.stride_s / 2 * (1 - a)}
        self.contact_s = p.duty_factor * self.stride_s
        self.swing_s = self.stride_s - self.contact_s
        # Model time of the first initial contact of each foot (left IC at 0).
        self.ic0_s = {"left": 0.0, "right": self.step_s["right"]}
        rng = np.random.default_rng([p.seed, 1])
        self.phase_offset_s = float(rng.uniform(0.0, self.stride_s))
        self.speed_ms = p.belt_speed_ms
        self._setup_feet()
        self._setup_hip()
        self.hip_height_m = self._solve_hip_height()

    # ----------------------------------------------------------------- timing
    def _model_time(self, t_s: np.ndarray) -> np.ndarray:
        return np.asarray(t_s, dtype=float) + self.phase_offset_s

    def events(self, t_start_s: float, t_end_s: float) -> list[dict]:
        """Contacts whose initial contact and toe-off both lie in ``[t_start_s, t_end_s]``.

        Returns
        -------
        list of dict
            ``{"foot", "ic_s", "to_s"}`` in clip seconds, sorted by ``ic_s``.
        """
        out = []
        for side in SIDES:
            k0 = math.floor((t_start_s + self.phase_offset_s - self.ic0_s[side]) / self.stride_s)
            k = k0
            while True:
                ic = self.ic0_s[side] + k * self.stride_s - self.phase_offset_s
                if ic > t_end_s:
                    break
                to = ic + self.contact_s
                if ic >= t_start_s and to <= t_end_s:
                    out.append({"foot": side, "ic_s": ic, "to_s": to})
                k += 1
        return sorted(out, key=lambda e: e["ic_s"])

    # -------------------------------------------------------------------- hip
    def _setup_hip(self) -> None:
        """Extremes of mid-hip height within one stride of model time."""
        c, sr = self.contact_s, self.step_s["right"]
        t = self.stride_s
        # alternating from left mid-stance: a walker is highest in mid-stance and lowest
        # at each initial contact, vaulting over the straight leg from there; a runner is
        # lowest in mid-stance and highest in mid-flight.
        if self.params.gait == "walking":
            times, mid_stance = [c / 2, sr, sr + c / 2, t, t + c / 2], 0.5
        else:
            times, mid_stance = [c / 2, (c + sr) / 2, sr + c / 2, (sr + c + t) / 2, t + c / 2], -0.5
        self._hip_knots_s = np.array(times)
        self._hip_knot_level = mid_stance * np.array([1.0, -1.0, 1.0, -1.0, 1.0])

    def _hip_offset(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mid-hip (x, y - hip_height) in metres at model times `tau`."""
        p = self.params
        knots = self._hip_knots_s
        u = np.mod(tau - knots[0], self.stride_s) + knots[0]
        i = np.clip(np.searchsorted(knots, u, side="right") - 1, 0, len(knots) - 2)
        frac = (u - knots[i]) / (knots[i + 1] - knots[i])
        lo, hi = self._hip_knot_level[i], self._hip_knot_level[i + 1]
        # half-cosine between extremes: C1, extremes exact.
        level = lo + (hi - lo) * (1 - np.cos(np.pi * frac)) / 2
        dy = p.vertical_oscillation_m * level
        # fore-aft sway: per step, most forward at every initial contact.
        m = np.mod(tau, self.stride_s)
        sr = self.step_s["right"]
        step_phase = np.where(m < sr, m / sr, (m - sr) / self.step_s["left"])
        dx = p.hip_sway_m / 2 * np.cos(2 * np.pi * step_phase)
        return dx, dy

    def hip_m(self, t_s: np.ndarray) -> np.ndarray:
        """Mid-hip (x, y) in metres at clip times `t_s`, shape (n, 2)."""
        dx, dy = self._hip_offset(self._model_time(t_s))
        return np.stack([dx, self.hip_height_m + dy], axis=-1)

    # ------------------------------------------------------------------- feet
    def _setup_feet(self) -> None:
        p, b = self.params, self.body
        v, c = self.speed_ms, self.contact_s
        lf = b.foot_m
        self.pitch_ic = math.radians(_STRIKE_PITCH_DEG[p.foot_strike])
        self.pitch_to = math.radians(_TOE_OFF_PITCH_DEG)
        self.t_flat = _FLAT_FRAC[p.foot_strike] * c
        self.t_heel_off = _HEEL_OFF_FRAC * c
        # heel x at IC: hip is most forward (sway / 2) at every IC.
        self.heel_x_ic = p.overstride_m + p.hip_sway_m / 2
        # heel x shift between IC and the flat foot (fore strike rolls onto the heel).
        self.flat_shift = lf * (math.cos(self.pitch_ic) - 1) if self.pitch_ic < 0 else 0.0
        heel_y_ic = max(0.0, -lf * math.sin(self.pitch_ic))
        # toe-off state from the end of the stance roll.
        th = self.pitch_to
        omega = 2 * th / (c - self.t_heel_off)
        toe_x = self.heel_x_ic + self.flat_shift + lf - v * c
        heel_x, heel_y = toe_x - lf * math.cos(th), -lf * math.sin(th)
        # Heel velocity just after toe-off: the toe moves at (-v, lift speed), the
        # foot keeps rotating at omega about it (heel = toe - lf * (cos, sin)).
        vx = -v + lf * omega * math.sin(th)
        vy = -lf * omega * math.cos(th) + p.liftoff_vertical_speed_ms
        # Heel velocity just before IC; the pitch rate is 0 there, so every
        # point of the foot, the first-contacting one included, moves with it.
        vx_ic = p.touchdown_horizontal_speed_ms - v
        vy_ic = -p.touchdown_vertical_speed_ms
        s = self.swing_s
        sb, sm, spk, sf = 0.12 * s, 0.25 * s, _SWING_HEEL_PEAK_FRAC[p.gait] * s, 0.85 * s
        # the foot keeps rotating toe-down after toe-off, decelerating to rest at
        # sm: by omega * sm / 2, capped (a shorter, harder stop for fast rolls).
        sm = min(sm, 2 * math.radians(_MAX_SWING_OVERSHOOT_DEG) / abs(omega))
        pitch_min = th + omega * sm / 2
        y_peak = max(
            p.height_m * (0.08 + 0.04 * v), -lf * math.sin(pitch_min) + _MIN_TOE_CLEARANCE_M
        )
        # Knots of zero velocity between the events; each end segment covers
        # half its duration times the event speed (a symmetric ramp).
        self._swing_x = CubicHermiteSpline(
            [0, sb, sf, s],
            [heel_x, heel_x + vx * sb / 2, self.heel_x_ic - vx_ic * (s - sf) / 2, self.heel_x_ic],
            [vx, 0, 0, vx_ic],
        )
        # Last segment: y = y_peak * h00 + heel_y_ic * h01 + (s - spk) * vy_ic * h11
        # with h00, h01 >= 0 and vy_ic * h11 >= 0, so the heel stays above its IC
        # height until IC; from sf on the pitch is pitch_ic, so the first-contacting
        # point is the lowest one and touches the belt only at IC.
        self._swing_y = CubicHermiteSpline([0, spk, s], [heel_y, y_peak, heel_y_ic], [vy, 0, vy_ic])
        self._swing_pitch = CubicHermiteSpline(
            [0, sm, sf, s],
            [th, pitch_min, self.pitch_ic, self.pitch_ic],
            [omega, 0, 0, 0],
        )

    def _stance_foot(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Heel x, heel y and pitch (rad) at time `tau` since initial contact."""
        v, lf = self.speed_ms, self.body.foot_m
        x0 = self.heel_x_ic
        pitch = np.zeros_like(tau)
        heel_x = x0 + self.flat_shift - v * tau
        heel_y = np.zeros_like(tau)
        if self.t_flat > 0:
            a = tau < self.t_flat
            pitch[a] = self.pitch_ic * (1 - tau[a] / self.t_flat) ** 2
            if self.pitch_ic < 0:  # roll about the toe onto the heel
                toe_x = x0 + lf * math.cos(self.pitch_ic) - v * tau[a]
                heel_x[a] = toe_x - lf * np.cos(pitch[a])
                heel_y[a] = -lf * np.sin(pitch[a])
            else:  # roll about the heel onto the forefoot
                heel_x[a] = x0 - v * tau[a]
        c = tau >= self.t_heel_off
        u = (tau[c] - self.t_heel_off) / (self.contact_s - self.t_heel_off)
        pitch[c] = self.pitch_to * u**2
        toe_x = x0 + self.flat_shift + lf - v * tau[c]
        heel_x[c] = toe_x - lf * np.cos(pitch[c])
        heel_y[c] = -lf * np.sin(pitch[c])
        return heel_x, heel_y, pitch

    def foot_m(self, t_s: np.ndarray, side: str) -> dict[str, np.ndarray]:
        """Heel, ankle and toe tip of one foot at clip times `t_s`.

        Returns
        -------
        dict
            ``heel``, ``ankle``, ``toe``: arrays of shape (n, 2), metres;
            ``pitch_rad``: shape (n,), positive toe up; ``in_contact``:
            bool, shape (n,).
        """
        tau = np.mod(self._model_time(t_s) - self.ic0_s[side], self.stride_s)
        stance = tau < self.contact_s
        heel_x, heel_y, pitch = (np.empty_like(tau) for _ in range(3))
        heel_x[stance], heel_y[stance], pitch[stance] = self._stance_foot(tau[stance])
        sw = tau[~stance] - self.contact_s
        heel_x[~stance], heel_y[~stance], pitch[~stance] = (
            self._swing_x(sw), self._swing_y(sw), self._swing_pitch(sw)
        )
        b = self.body
        cos, sin = np.cos(pitch), np.sin(pitch)
        heel = np.stack([heel_x, heel_y], axis=-1)
        toe = heel + b.foot_m * np.stack([cos, sin], axis=-1)
        ax, ay = b.ankle_ahead_of_heel_m, b.ankle_above_sole_m
        ankle = heel + np.stack([ax * cos - ay * sin, ax * sin + ay * cos], axis=-1)
        return {"heel": heel, "ankle": ankle, "toe": toe, "pitch_rad": pitch, "in_contact": stance}

    # ------------------------------------------------------------------- legs
    def _solve_hip_height(self) -> float:
        """Mean hip height such that the leg reaches at most _MAX_STANCE_REACH in stance
        and, for a walker, _MAX_WALKER_SWING_REACH in swing (a foot landing slower than the
        hip descends is further from it just before contact than at it)."""
        t = np.linspace(0.0, self.stride_s, 2001) - self.phase_offset_s
        foot = self.foot_m(t, "left")
        dx, dy = self._hip_offset(self._model_time(t))
        ax, ay = foot["ankle"][:, 0] - dx, foot["ankle"][:, 1] - dy
        walking = self.params.gait == "walking"
        st = foot["in_contact"]

        def highest(sel: np.ndarray, reach_frac: float) -> float:
            """Highest hip with sqrt(ax^2 + (h - ay)^2) <= reach at every selected sample."""
            room = np.clip((reach_frac * self.body.leg_m) ** 2 - ax[sel] ** 2, 0.0, None)
            return float(np.min(ay[sel] + np.sqrt(room)))

        height = highest(st, _MAX_STANCE_REACH[self.params.gait])
        swing_height = highest(~st, _MAX_WALKER_SWING_REACH if walking else 1.0)
        if walking:
            height = min(height, swing_height)
        if height < _MIN_HIP_HEIGHT_FRAC * self.params.height_m:
            stance = self.speed_ms * self.contact_s
            person = "walker" if walking else "runner"
            raise InvalidOptionError(
                f"the foot travels {stance:.2f} m on the belt during contact, too far for a "
                f"{self.params.height_m:g} m {person} to reach with the hip at least "
                f"{_MIN_HIP_HEIGHT_FRAC:g} x height above the belt; lower belt_speed_kmh, "
                "duty_factor or |overstride_m|, or raise cadence_spm"
            )
        if not walking and swing_height <= height:
            raise InvalidOptionError(
                "the swinging foot reaches further than the leg: lower overstride_m or "
                "belt_speed_kmh, or raise touchdown_vertical_speed_ms (a foot that lands "
                "slower than the hip descends is further from it just before contact)"
            )
        return height

    def knee_m(self, hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
        """Knee (x, y) by two-link inverse kinematics, bending forwards; shape (n, 2)."""
        a, b = self.body.thigh_m, self.body.shank_m
        d_vec = ankle - hip
        d = np.linalg.norm(d_vec, axis=-1)
        u = d_vec / d[:, None]
        n = np.stack([-u[:, 1], u[:, 0]], axis=-1)  # u rotated +90 deg: forwards of hip->ankle
        cos_b = np.clip((a * a + d * d - b * b) / (2 * a * d), -1.0, 1.0)
        sin_b = np.sqrt(1 - cos_b**2)
        return hip + a * (cos_b[:, None] * u + sin_b[:, None] * n)

    # -------------------------------------------------------------- landmarks
    def landmarks_m(self, t_s: np.ndarray) -> np.ndarray:
        """All 33 MediaPipe landmarks in world metres.

        Parameters
        ----------
        t_s : ndarray, shape (n,)
            Clip times in seconds.

        Returns
        -------
        ndarray, shape (n, 33, 3)
            (x forward, y up, z towards the camera) in metres; with
            ``params.overground`` x is over the still ground (the body
            passes x = 0 at mid-clip), else over the belt's frame.
        """
        p, b = self.params, self.body
        t_s = np.atleast_1d(np.asarray(t_s, dtype=float))
        n = t_s.shape[0]
        out = np.full((n, N_LANDMARKS, 3), np.nan)
        hip = self.hip_m(t_s)
        near = "left" if p.facing == "left" else "right"
        zsign = {s: (1.0 if s == near else -1.0) for s in SIDES}

        def put(name: str, xy: np.ndarray, z: float) -> None:
            out[:, INDEX[name], :2] = xy
            out[:, INDEX[name], 2] = z

        thigh_angle = {}
        for side in SIDES:
            foot = self.foot_m(t_s, side)
            knee = self.knee_m(hip, foot["ankle"])
            z = zsign[side] * b.hip_half_width_m
            put(f"{side}_hip", hip, z)
            put(f"{side}_knee", knee, z)
            put(f"{side}_ankle", foot["ankle"], z)
            put(f"{side}_heel", foot["heel"], z)
            put(f"{side}_foot_index", foot["toe"], z)
            thigh_angle[side] = np.arctan2(knee[:, 0] - hip[:, 0], hip[:, 1] - knee[:, 1])

        shoulder = self.shoulder_m(t_s)
        for side, other in (("left", "right"), ("right", "left")):
            z = zsign[side] * b.shoulder_half_width_m
            put(f"{side}_shoulder", shoulder, z)
            # arm swings with the opposite thigh
            arm = 0.8 * thigh_angle[other] - math.radians(12.0)
            upper = np.stack([np.sin(arm), -np.cos(arm)], axis=-1)
            elbow = shoulder + b.upper_arm_m * upper
            fore_angle = arm + math.radians(95.0) - 0.25 * (arm + math.radians(12.0))
            fore = np.stack([np.sin(fore_angle), -np.cos(fore_angle)], axis=-1)
            wrist = elbow + b.forearm_m * fore
            up = np.stack([-fore[:, 1], fore[:, 0]], axis=-1)
            h = p.height_m
            put(f"{side}_elbow", elbow, z)
            put(f"{side}_wrist", wrist, z)
            put(f"{side}_index", wrist + 0.055 * h * fore + 0.01 * h * up, z)
            put(f"{side}_pinky", wrist + 0.045 * h * fore - 0.012 * h * up, z)
            put(f"{side}_thumb", wrist + 0.035 * h * fore + 0.022 * h * up, z)

        h = p.height_m
        head = self.head_m(t_s)
        put("nose", head + h * np.array([0.062, -0.004]), 0.0)
        for side in SIDES:
            s = zsign[side]
            put(f"{side}_eye_inner", head + h * np.array([0.050, 0.012]), s * 0.018 * h)
            put(f"{side}_eye", head + h * np.array([0.046, 0.013]), s * 0.029 * h)
            put(f"{side}_eye_outer", head + h * np.array([0.040, 0.013]), s * 0.038 * h)
            put(f"{side}_ear", head + h * np.array([-0.008, 0.0]), s * 0.044 * h)
        put("mouth_left", head + h * np.array([0.048, -0.032]), zsign["left"] * 0.014 * h)
        put("mouth_right", head + h * np.array([0.048, -0.032]), zsign["right"] * 0.014 * h)
        out[..., 0] += self.travel_m(t_s)[:, None]
        return out

    def travel_m(self, t_s: np.ndarray) -> np.ndarray:
        """Forward distance (m) the body has covered over the still ground, shape (n,).

        With ``params.overground`` the body crosses the ground at the belt
        speed, passing x = 0 at mid-clip; on a treadmill it stays put (0).
        """
        t_s = np.atleast_1d(np.asarray(t_s, dtype=float))
        if not self.params.overground:
            return np.zeros_like(t_s)
        p = self.params
        return self.speed_ms * (t_s - 0.5 * p.n_frames / p.fps)

    def head_m(self, t_s: np.ndarray) -> np.ndarray:
        """Centre of the head ellipse (x, y) in metres, shape (n, 2)."""
        p = self.params
        neck = math.radians(p.trunk_lean_deg * 0.5)
        return self.shoulder_m(t_s) + 0.125 * p.height_m * np.array([math.sin(neck), math.cos(neck)])

    def shoulder_m(self, t_s: np.ndarray) -> np.ndarray:
        """Mid-shoulder (x, y) in metres, shape (n, 2): the trunk leans `trunk_lean_deg` forwards."""
        lean = math.radians(self.params.trunk_lean_deg)
        return self.hip_m(t_s) + self.body.trunk_m * np.array([math.sin(lean), math.cos(lean)])


def highest_hip_overstride_m(params: SynthParams) -> float:
    """Heel-ahead-of-hip distance at contact (m) that lets `params`' hip ride highest.

    The stance leg's reach limits the hip at both ends of the stance: a heel
    landing further ahead lowers it at contact, one landing further back at
    toe-off. The highest hip, found to the millimetre between 0 and 0.45 m,
    has the leg at its full stance reach at both ends, as a walker's is.

    Parameters
    ----------
    params : SynthParams
        The walker; its own `overstride_m` is ignored.

    Returns
    -------
    float
        Overstride in metres, rounded to the millimetre.
    """
    def hip_height_m(overstride_m: float) -> float:
        try:
            return RunnerModel(replace(params, overstride_m=overstride_m)).hip_height_m
        except InvalidOptionError:
            return -math.inf

    # golden-section search (the height has one maximum): each step keeps one of the two
    # inner points, and its height, as an inner point of the narrower bracket
    lo, hi = 0.0, 0.45
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    height_a, height_b = hip_height_m(a), hip_height_m(b)
    while hi - lo > 0.0005:
        if height_a >= height_b:
            hi, b, height_b = b, a, height_a
            a = hi - ratio * (hi - lo)
            height_a = hip_height_m(a)
        else:
            lo, a, height_a = a, b, height_b
            b = lo + ratio * (hi - lo)
            height_b = hip_height_m(b)
    return round((lo + hi) / 2, 3)
