"""Media nodes: a separate process (`python -m media_nodes`) that forwards WebRTC media between
the participants of a room without decoding it (an SFU), with signaling, health and metrics."""
