"""Who may call the server: API tokens with roles, floor operators and their PINs."""
