"""Shipping on the server: number ranges, the blocks leased from them, and the parcel identifiers issued."""
