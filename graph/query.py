"""The one query layer: named ``.rq`` files with ``$name`` parameters, run against any :class:`Backend`.

A query name is the file's path relative to its queries folder without ``.rq`` (``initiatives``,
``cq/cq01-documents-issued-by-justice-bureau``). Folders are searched in order: ``graph/queries/``
first, then the ``extra_dirs`` given (``api/queries/``, ``viz/queries/`` …); the first match wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node
from rolkg.graph.store import Backend, Row
from rolkg.graph.terms import sparql_term

from rolkg.errors import QueryNotFound, QueryParameterError

QUERIES_DIR = Path(__file__).parent / "queries"

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*(/[A-Za-z0-9_][A-Za-z0-9_\-]*)*$")
# $name outside IRIs and strings. The tokenizer below skips <…>, "…", '…' and # comments, so a "$"
# inside a literal or an IRI is never taken for a parameter.
_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r"""|(?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')"""
    r"""|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<param>[$?](?P<pname>[A-Za-z_][A-Za-z0-9_]*))""",
    re.DOTALL,
)






def bind(text: str, params: dict[str, Node | None]) -> str:
    """``text`` with each ``$name`` whose name is in ``params`` replaced by the term's escaped SPARQL form.

    Unbound names (absent or None) stay variables. ``?name`` is never replaced — but an unbound ``$name``
    *is* the variable ``?name`` in SPARQL, so give parameters names the query uses for nothing else.
    Optional filters: ``FILTER(COALESCE(?x = $param, true))`` (unbound → error → no filter).
    """
    for key, value in params.items():
        if value is not None and not isinstance(value, Node):
            raise QueryParameterError(
                f"parameter {key!r} must be an rdflib term (URIRef, Literal), got {type(value).__name__}"
            )
    rendered = {k: sparql_term(v) for k, v in params.items() if v is not None}

    def replace(match: re.Match[str]) -> str:
        name = match.group("pname")
        if name is not None and match.group("param").startswith("$") and name in rendered:
            return rendered[name]
        return match.group(0)

    return _TOKEN.sub(replace, text)


def parameters(text: str) -> list[str]:
    """The ``$name`` parameters a query text uses, in order of first use."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        if match.group("pname") and match.group("param").startswith("$"):
            seen.setdefault(match.group("pname"), None)
    return list(seen)


class QueryLayer:
    """Runs named queries against a backend; file texts are read once and cached."""

    def __init__(self, backend: Backend, extra_dirs: Sequence[str | Path] = ()):
        self.backend = backend
        self.dirs: list[Path] = [QUERIES_DIR, *(Path(d) for d in extra_dirs)]
        self._texts: dict[str, str] = {}

    def path(self, name: str) -> Path:
        """The file a query name refers to."""
        if not _NAME.match(name):
            raise QueryNotFound(f"not a query name: {name!r} (letters, digits, '-', '_' and '/' only)")
        for folder in self.dirs:
            candidate = folder / f"{name}.rq"
            if candidate.is_file():
                return candidate
        folders = ", ".join(str(d) for d in self.dirs)
        raise QueryNotFound(f"no query named {name!r} in {folders}; known: {', '.join(self.names())}")

    def text(self, name: str) -> str:
        """The text of the named query (cached)."""
        if name not in self._texts:
            self._texts[name] = self.path(name).read_text(encoding="utf-8")
        return self._texts[name]

    def names(self) -> list[str]:
        """Every query name available, sorted (earlier folders shadow later ones)."""
        found: set[str] = set()
        for folder in self.dirs:
            if folder.is_dir():
                found.update(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.rq"))
        return sorted(found)

    def render(self, name: str, **params: Node | None) -> str:
        """The query text with parameters bound; unknown parameter names are an error (likely a typo)."""
        text = self.text(name)
        unknown = set(params) - set(parameters(text))
        if unknown:
            raise QueryParameterError(
                f"query {name!r} has no parameter(s) {', '.join(sorted(unknown))}; "
                f"it takes: {', '.join(parameters(text)) or 'none'}"
            )
        return bind(text, params)

    def select(self, name: str, **params: Node | None) -> list[Row]:
        """Rows of the named SELECT query."""
        return self.backend.select(self.render(name, **params))

    def ask(self, name: str, **params: Node | None) -> bool:
        """The answer of the named ASK query."""
        return self.backend.ask(self.render(name, **params))

    def construct(self, name: str, **params: Node | None) -> Graph:
        """The graph of the named CONSTRUCT / DESCRIBE query."""
        return self.backend.construct(self.render(name, **params))


__all__ = ["QUERIES_DIR", "QueryLayer", "QueryNotFound", "QueryParameterError", "bind", "parameters"]
