"""Interactive network views (pyvis + networkx) and the browser pages."""
