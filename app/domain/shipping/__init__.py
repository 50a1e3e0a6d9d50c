"""Shipping rules, pure: parcel identifiers (SSCC-18, tracking numbers) and, later, service choice and parcel
maths. Imports nothing outside the standard library (the domain contracts in pyproject.toml)."""
