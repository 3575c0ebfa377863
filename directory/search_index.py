"""Whoosh full-text search, behind this one module (placeholder until the search work lands)."""


def init_app(app) -> None:
    app.extensions["search_index"] = None
