"""Aisle: the warehouse floor application (domain, station services, store, terminal UI)."""

__version__ = "0.1.0"
