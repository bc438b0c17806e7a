"""Rear- and front-view analysis: events, frontal-plane metrics, camera-tilt check.

- `events`: initial contacts and heel rises from the heels' vertical motion.
- `phase`: left and right step times from the phase lag between the heels.
- `tilt`: camera roll from the pelvis line at contact and the shoulders.
- `metrics`: pelvic drop, step width, crossover, knee projection angle, lateral
  trunk lean and heel whip per step and side.
- `identity`: jumps of the pose model between people.
- `reliability`, `findings`: what each measure is worth (with its evidence) and
  the findings as plain data for reports.
- `analysis`: a rear/front track to a `GaitResult` with its ``frontal`` block;
  `combine`: a side and a rear clip to one assessment.
"""
