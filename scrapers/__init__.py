"""Scrapers for public registers: plain Python, no Flask. Fetch, parse (pure), then the
app's importers store the records."""
