"""The e-paper engine: read a printed page's PDF, find where each article and photo sits on it,
render the page for the web, and find a search word on it.

Pure Python on dataclasses (no models, no database, importable without Django settings):

* ``pdf``: open a PDF (PDFium), page size, rendering, NFKC text layer with boxes, embedded
  images; ``validate_pdf`` refuses unsafe or broken uploads;
* ``regions``: ``find_regions(text, parts, captions, images)``, article regions and photos
  from the page text (``align`` does the text matching, ``geometry`` the boxes);
* ``render``: WebP renditions and a thumbnail, as bytes;
* ``hits``: ``find_hits(words, query)`` for search on the page;
* ``issue``: the back-issue text format turned into the plain inputs above (the only module
  that imports the format's parser);
* ``evaluate``: regions scored against measured truth (tests and ``bench/epaper_regions.py``).
"""
