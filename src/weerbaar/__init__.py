"""Weerbaar: the integral approach to undermining crime, for municipalities and partners."""

__version__ = "0.1.0"
