"""Shipping rules, pure: parcel identifiers (`identifiers`, `tracking`, `schemes`), rate sheets and parcels
(`sheets`), working days (`calendar`), the service choice (`choice`). No I/O and no clock: the time of a
decision comes in as an argument; nothing outside the standard library (the domain contracts in
pyproject.toml)."""
