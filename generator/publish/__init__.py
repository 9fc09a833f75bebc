"""The only writer: the generated docs folder, the HTML builder (MkDocs) and its hook, the search
indexer, the atomic swap into site/, and the preview server. Everything MkDocs-specific lives here."""
