"""Products, barcodes and locations, and the reference data stations pull."""
