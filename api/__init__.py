"""The HTTP API: a guarded SPARQL 1.1 endpoint, REST resources, lineage and linked-data IRIs."""
