"""Report text → RDF: segment, extract, resolve, build, validate, store, query."""
