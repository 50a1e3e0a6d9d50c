"""Stock on hand per slot, every change a move with a reason, and reservations for order lines."""
