"""The SPARQL page: predeclared prefixes, and the no-JavaScript form's answer as an HTML table.

The form's query runs through the API's own guarded query operation (the same guard, worker pool, timeout
and row cap as ``/sparql``), asked for SPARQL JSON results, which are then shown as a table.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rolkg.graph.namespaces import PREFIXES
from rolkg.viz.kg import kind_slug

# Predeclared for analysts (as the Wikidata Query Service does): added to a query that does not declare them.
COMMON_PREFIXES: dict[str, str] = PREFIXES | {
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
}
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX line for every common prefix it does not declare itself."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(query)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in COMMON_PREFIXES.items() if p not in declared]
    # On the query's first line, so the server's line numbers stay right (see fix_position for columns).
    return " ".join([*lines, query]) if lines else query


def fix_position(message: str, added: int) -> str:
    """A server message's ``line 1, column N`` moved back by the ``added`` prefix characters."""
    return re.sub(
        r"line 1, column (\d+)", lambda m: f"line 1, column {max(1, int(m.group(1)) - added)}", message
    )


def short_iri(iri: str) -> str:
    """``rolid:body/x``, ``rol:Body``, ``skos:prefLabel`` …; the IRI itself when no prefix fits."""
    best = ""
    for prefix, ns in COMMON_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(COMMON_PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(COMMON_PREFIXES[best]) :]}" if best else iri


def _cell(term: dict[str, str] | None) -> dict[str, Any]:
    if term is None:
        return {"text": ""}
    value = term.get("value", "")
    if term.get("type") == "uri":
        kind, slug = kind_slug(value)
        return {"text": short_iri(value), "title": value, "href": f"/id/{kind}/{slug}" if kind else None}
    if term.get("type") == "bnode":
        return {"text": f"_:{value}"}
    hover = (
        f"@{term['xml:lang']}"
        if term.get("xml:lang")
        else short_iri(term.get("datatype", ""))
        if term.get("datatype")
        else ""
    )
    return {"text": value, "title": hover}


def run_form_query(context: object, query: str) -> dict[str, Any]:
    """Run ``query`` as ``/sparql`` would; ``{"error"}`` with the server's message, or the table."""
    from rolkg.api.sparql.protocol import run_query  # /sparql's own run: guard, pool, caps

    sent = with_prefixes(query)
    response = run_query(context, sent, "application/sparql-results+json")  # type: ignore[arg-type]
    body = bytes(response.body).decode("utf-8", errors="replace")
    if response.status_code != 200:
        return {"error": fix_position(body.strip(), len(sent) - len(query)), "status": response.status_code}
    if not response.media_type or "json" not in response.media_type:
        return {
            "error": "该查询返回图,请用 JavaScript 编辑器查看 this query returns a graph: use the editor",
            "status": 200,
        }
    data = json.loads(body)
    if "boolean" in data:
        return {"boolean": data["boolean"]}
    names = data.get("head", {}).get("vars", [])
    rows = [[_cell(b.get(n)) for n in names] for b in data.get("results", {}).get("bindings", [])]
    return {
        "vars": names,
        "rows": rows,
        "capped": response.headers.get("x-result-capped", "").startswith("true"),
    }
