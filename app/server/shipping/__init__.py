"""Shipping on the server: carrier accounts from carriers.toml (`carriers`), the service choice's API shapes
(`choice_schemas`), number ranges and the blocks leased from them (`ranges`, `numbers`, `number_schemas`)."""
