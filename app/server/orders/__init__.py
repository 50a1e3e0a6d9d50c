"""Orders from intake to packed: intake, acceptance, holds, payment, cancellation, backorders, history."""
