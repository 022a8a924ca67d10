"""The admin as the desk uses it: one module a model family, registered on import."""

from desk.admin import articles, issues, people  # noqa: F401
