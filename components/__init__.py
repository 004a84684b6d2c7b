"""Reusable UI pieces: pure functions taking vars and event handlers, returning components."""
