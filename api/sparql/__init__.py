"""The public SPARQL 1.1 Protocol endpoint: guard, worker pool, negotiation, serialisation, route."""
