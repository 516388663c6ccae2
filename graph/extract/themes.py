"""Themes of an initiative, by the keywords (``skos:hiddenLabel``) of the SKOS theme scheme."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rolkg.ontology import THEMES_TTL


@lru_cache(maxsize=1)
def theme_keywords() -> dict[URIRef, tuple[str, ...]]:
    """Each theme's keywords: its zh preferred label and hidden labels, longest first."""
    g = Graph().parse(THEMES_TTL)
    out: dict[URIRef, tuple[str, ...]] = {}
    for theme in set(g.subjects(SKOS.inScheme, None)):
        words = {
            str(o)
            for p in (SKOS.prefLabel, SKOS.hiddenLabel, SKOS.altLabel)
            for o in g.objects(theme, p)
            if getattr(o, "language", None) == "zh"
        }
        out[URIRef(theme)] = tuple(sorted(words, key=len, reverse=True))
    return out


def find_themes(label: str, body: str, most: int = 3) -> list[URIRef]:
    """Themes whose keywords occur in the heading (weighted ×3) or the text, best first, at most ``most``."""
    scored: list[tuple[int, str, URIRef]] = []
    for theme, words in theme_keywords().items():
        score = sum(3 * label.count(w) + body.count(w) for w in words)
        if score:
            scored.append((score, str(theme), theme))
    scored.sort(key=lambda t: (-t[0], t[1]))
    if not scored:
        return []
    # Keep the themes that weigh at least a third of the best one: the text's subject, not a passing word.
    best = scored[0][0]
    return [theme for score, _, theme in scored[:most] if score * 3 >= best]
