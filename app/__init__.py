"""Consilio: the Reflex app package and the domain."""
