"""Dateline: an open-source news publishing platform."""

__version__ = "0.1.0"
