"""Modal dialogs over the role screens: short pick, quantity, skip, pause, override, typed code."""
