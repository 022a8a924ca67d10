"""The e-paper engine: read a printed page's PDF, find where each article and photo sits on it,
render the page for the web, and find a search word on it.

Pure Python on dataclasses (no models, no database): ``pdf`` reads and validates files,
``regions`` aligns the issue text with the page text, ``render`` makes the page images, and
``hits`` finds words for search-on-page. ``issue`` turns the back-issue text format into the
plain inputs the rest takes.
"""
