"""The server database: engine and sessions, the declarative base, migrations, transactions that retry."""
