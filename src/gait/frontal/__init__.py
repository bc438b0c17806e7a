"""Rear- and front-view analysis: events, frontal-plane metrics, camera-tilt check."""
