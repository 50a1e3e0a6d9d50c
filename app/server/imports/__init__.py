"""`aisle import`: products, locations, stock and orders from CSV or JSON files, with per-row errors."""

from app.server.imports.run import ImportReport, import_file

__all__ = ["ImportReport", "import_file"]
