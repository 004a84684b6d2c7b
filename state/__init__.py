"""Reflex states: UI state and handlers that call app/services; one small state per feature."""
