"""Work on the floor: releasing orders as work units, claims by pickers and packers, the floor view."""
