"""The rolkg ontology, its SHACL shapes and the theme and indicator schemes, shipped as Turtle."""

from pathlib import Path

HERE = Path(__file__).parent
ONTOLOGY_TTL = HERE / "rolkg.ttl"
SHAPES_TTL = HERE / "shapes.ttl"
THEMES_TTL = HERE / "themes.ttl"
KINDS_TTL = HERE / "kinds.ttl"
INDICATORS_TTL = HERE / "indicators.ttl"
CONTEXT_JSONLD = HERE / "context.jsonld"
