"""Certificates for PROVED obligations: untrusted search, a small exact checker."""

__all__: list[str] = []
