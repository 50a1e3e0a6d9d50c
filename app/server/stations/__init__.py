"""Stations and their replicas, registration, and the per-station change log pull reads."""
