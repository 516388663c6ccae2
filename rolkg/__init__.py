"""rolkg: a knowledge graph of rule-of-law initiatives from Chinese local governments' annual reports."""

__version__ = "0.1.0"
