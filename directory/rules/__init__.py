"""Domain rules every layer may read: the escalation ladder and its letters, email formats,
regulators, suppression and what is never published, and the cases' clocks. They import only
models, configuration helpers and each other, never operations, importers or views, so the
floors of the house go one way (tests/test_import_graph.py)."""
