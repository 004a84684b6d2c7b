"""The domain: every business rule of Consilio, pure Python, no Reflex import."""
