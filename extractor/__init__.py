"""FOI Extractor: harvest FOI responses, extract their tables, check published figures.

The library API the ``foi`` command wraps:

- :mod:`extractor.records`: the :class:`Cell` record every reader produces.
- :mod:`extractor.store`: the SQLite :class:`Store` (documents, cells, harvest provenance).
- :mod:`extractor.tables`: readers for PDF, spreadsheet, CSV, Word and zip files.
- :mod:`extractor.wdtk`: the WhatDoTheyKnow (Alaveteli) client and batch harvester.
- :mod:`extractor.claims`: claim parsing, the rate calculator, claims files and reports.
"""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/foi-extractor/foi-extractor"
