"""One module per kind of fact found in a report's text."""
