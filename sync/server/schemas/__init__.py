"""Pydantic models of the integration API (request and response bodies), one module per resource."""
