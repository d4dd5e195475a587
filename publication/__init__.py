"""The public site: published notes as pages, PDFs and JSON, search, feeds, verification.

No models: it reads the record of ``meetings`` and shows what the public may see."""
