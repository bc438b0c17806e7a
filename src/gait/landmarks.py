"""Names and indices of the 33 BlazePose / MediaPipe pose landmarks.

Every module that needs a landmark by name uses these constants, so the
synthetic renderer, the pose backend and the gait algorithms agree.
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
N_LANDMARKS = len(LANDMARK_NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

NOSE = INDEX["nose"]
LEFT_SHOULDER, RIGHT_SHOULDER = INDEX["left_shoulder"], INDEX["right_shoulder"]
LEFT_HIP, RIGHT_HIP = INDEX["left_hip"], INDEX["right_hip"]
LEFT_KNEE, RIGHT_KNEE = INDEX["left_knee"], INDEX["right_knee"]
LEFT_ANKLE, RIGHT_ANKLE = INDEX["left_ankle"], INDEX["right_ankle"]
LEFT_HEEL, RIGHT_HEEL = INDEX["left_heel"], INDEX["right_heel"]
LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX = INDEX["left_foot_index"], INDEX["right_foot_index"]

#: Landmarks of one leg, by side, in the order hip, knee, ankle, heel, toe.
LEG: dict[str, tuple[int, ...]] = {
    "left": (LEFT_HIP, LEFT_KNEE, LEFT_ANKLE, LEFT_HEEL, LEFT_FOOT_INDEX),
    "right": (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE, RIGHT_HEEL, RIGHT_FOOT_INDEX),
}


def _mirror_pairs() -> list[tuple[int, int]]:
    pairs = []
    for name, i in INDEX.items():
        if name.startswith("left_"):
            pairs.append((i, INDEX["right_" + name[len("left_"):]]))
        elif name.startswith("mouth_left"):
            pairs.append((i, INDEX["mouth_right"]))
    return pairs


#: (left index, right index) for every bilateral landmark.
LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = tuple(_mirror_pairs())

#: Bones drawn for a skeleton overlay, as pairs of landmark indices.
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP),
    (LEFT_SHOULDER, LEFT_HIP), (RIGHT_SHOULDER, RIGHT_HIP),
    (LEFT_SHOULDER, INDEX["left_elbow"]), (INDEX["left_elbow"], INDEX["left_wrist"]),
    (RIGHT_SHOULDER, INDEX["right_elbow"]), (INDEX["right_elbow"], INDEX["right_wrist"]),
    (LEFT_HIP, LEFT_KNEE), (LEFT_KNEE, LEFT_ANKLE), (LEFT_ANKLE, LEFT_HEEL),
    (LEFT_HEEL, LEFT_FOOT_INDEX), (LEFT_ANKLE, LEFT_FOOT_INDEX),
    (RIGHT_HIP, RIGHT_KNEE), (RIGHT_KNEE, RIGHT_ANKLE), (RIGHT_ANKLE, RIGHT_HEEL),
    (RIGHT_HEEL, RIGHT_FOOT_INDEX), (RIGHT_ANKLE, RIGHT_FOOT_INDEX),
)
