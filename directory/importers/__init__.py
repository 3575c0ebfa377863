"""Storing records from the scrapers: one transaction per company, provenance, revisions."""
