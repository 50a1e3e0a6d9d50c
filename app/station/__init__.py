"""The station application: services (one handler per command), store (SQLite), ui (Textual)."""
