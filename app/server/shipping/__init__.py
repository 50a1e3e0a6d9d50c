"""The server's shipping area: carrier accounts from carriers.toml (`carriers`), API shapes (`schemas`)."""
