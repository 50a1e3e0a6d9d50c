"""Shipping rules, pure: rate sheets and parcels (`sheets`), working days (`calendar`), the service choice
(`choice`). No I/O and no clock: the time of a decision comes in as an argument."""
