"""Prometheus metrics of a media node (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

ROOMS = Gauge("consilio_media_rooms", "Rooms with at least one participant on this node")
PARTICIPANTS = Gauge("consilio_media_participants", "Connected participants")
PUBLICATIONS = Gauge("consilio_media_publications", "Published tracks", ["kind"])
FORWARDED_STREAMS = Gauge("consilio_media_forwarded_streams", "Tracks forwarded to subscribers")
FRAMES_FORWARDED = Counter(
    "consilio_media_frames_forwarded", "Encoded frames handed to subscribers", ["kind"]
)
FRAMES_DROPPED = Counter(
    "consilio_media_frames_dropped", "Frames dropped for lagging subscribers", ["kind"]
)
KEYFRAME_REQUESTS = Counter("consilio_media_keyframe_requests", "PLIs sent to publishers")
SIGNALING_ERRORS = Counter(
    "consilio_media_signaling_errors", "Refused signaling messages", ["code"]
)
