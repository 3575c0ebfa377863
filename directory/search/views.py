from . import bp  # noqa: F401  (views arrive with the feature)
