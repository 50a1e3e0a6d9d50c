"""The central back office: orders, stock, work, stations; its HTTP API (api/) and database (db/)."""
