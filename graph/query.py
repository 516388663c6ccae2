"""The one query layer: named ``.rq`` files with ``$name`` parameters, run against any :class:`Backend`.

A query name is the file's path relative to its queries folder without ``.rq`` (``initiatives``,
``read/initiatives/page``, ``cq/cq01-documents-issued-by-justice-bureau``). Folders are searched in order:
``graph/queries/`` first, then the ``extra_dirs`` given (``viz/queries/`` …); the first match wins.

Paging: SPARQL cannot take a parameter in LIMIT/OFFSET, so a paged query holds one ``LIMIT 50 OFFSET 0``
line where the page is cut (often inside a subquery) and :meth:`QueryLayer.select_page` replaces it.
Lists of terms (a page of resources whose details or evidence are looked up at once) bind as the
space-separated terms, for ``VALUES ?x { $xs }``; :data:`EVERY` binds as ``UNDEF`` (one row leaving ``?x``
unbound: every ``?x``), and :meth:`QueryLayer.select_chunked` sends a long list a chunk at a time. This is
the only VALUES mechanism: the views use it too.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from rdflib import Graph
from rdflib.term import Node
from rolkg.graph.store import Backend, RemoteStore, Row
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
_PAGE = re.compile(r"^(\s*)LIMIT 50 OFFSET 0\s*$", re.MULTILINE)  # a line of its own, not a comment
REMOTE_CACHE_TTL = 60.0  # seconds a cached answer of a remote store (others may write to it) is reused
CACHE_SIZE = 512  # answers kept by select_cached / cached (least recently used dropped first)
CACHE_ROWS = 300_000  # and at most this many rows in all (a list answer weighs its length, others 1): a
# crawler following every facet of every list page must not fill memory with kept list orders
VALUES_CHUNK = 400  # terms per query in select_chunked: small enough for any store's query size limit
T = TypeVar("T")


class Every:
    """The value of a list parameter that means every term: ``VALUES ?x { $xs }`` becomes ``{ UNDEF }``."""

    def __repr__(self) -> str:
        return "EVERY"


EVERY = Every()
Param = Node | Sequence[Node] | Every | None


def _render(value: Node | Sequence[Node] | Every) -> str:
    if isinstance(value, Every):
        return "UNDEF"
    if isinstance(value, Node):
        return sparql_term(value)
    return " ".join(sparql_term(v) for v in value)


def bind(text: str, params: dict[str, Param]) -> str:
    """``text`` with each ``$name`` whose name is in ``params`` replaced by the term's escaped SPARQL form.

    Unbound names (absent or None) stay variables. ``?name`` is never replaced — but an unbound ``$name``
    *is* the variable ``?name`` in SPARQL, so give parameters names the query uses for nothing else.
    Optional filters: ``FILTER(COALESCE(?x = $param, true))`` (unbound → error → no filter).
    """
    for key, value in params.items():
        if value is None or isinstance(value, Node | Every):
            continue
        if not isinstance(value, list | tuple) or not all(isinstance(v, Node) for v in value):
            raise QueryParameterError(
                f"parameter {key!r} must be an rdflib term (URIRef, Literal) or a list of them, "
                f"got {type(value).__name__}"
            )
    rendered = {k: _render(v) for k, v in params.items() if v is not None}

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
        self._cache: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._rows = 0  # the weight of what _cache holds
        self._cache_lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}  # keys being computed, each with its gate

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

    def render(self, name: str, **params: Param) -> str:
        """The query text with parameters bound; unknown parameter names are an error (likely a typo)."""
        text = self.text(name)
        unknown = set(params) - set(parameters(text))
        if unknown:
            raise QueryParameterError(
                f"query {name!r} has no parameter(s) {', '.join(sorted(unknown))}; "
                f"it takes: {', '.join(parameters(text)) or 'none'}"
            )
        return bind(text, params)

    def select(self, name: str, **params: Param) -> list[Row]:
        """Rows of the named SELECT query."""
        return self.backend.select(self.render(name, **params))

    def select_page(self, name: str, *, limit: int, offset: int = 0, **params: Param) -> list[Row]:
        """Rows of a named SELECT with its ``LIMIT 50 OFFSET 0`` line set to ``limit`` and ``offset``.

        The line may sit inside a subquery (the page is cut before details are looked up); a query
        without one gets the two appended.
        """
        text = self.render(name, **params)
        page = f"LIMIT {int(limit)} OFFSET {int(offset)}"
        text, found = _PAGE.subn(lambda m: m.group(1) + page, text, count=1)
        return self.backend.select(text if found else f"{text}\n{page}")

    def select_chunked(
        self,
        name: str,
        key: str,
        values: Sequence[Node] | Every,
        *,
        limit: int | None = None,
        **params: Param,
    ) -> list[Row]:
        """Rows of a named SELECT that looks up each term of the list parameter ``key`` on its own
        (``VALUES ?x { $key }``): run once per :data:`VALUES_CHUNK` distinct terms, rows concatenated (no
        terms: no rows). :data:`EVERY` runs it once for every term; ``limit`` cuts each run.
        """
        chunks: list[Sequence[Node] | Every]
        if isinstance(values, Every):
            chunks = [values]
        else:
            terms = list(dict.fromkeys(values))
            chunks = [terms[i : i + VALUES_CHUNK] for i in range(0, len(terms), VALUES_CHUNK)]
        rows: list[Row] = []
        for chunk in chunks:
            bound = {key: chunk, **params}
            rows += (
                self.select(name, **bound) if limit is None else self.select_page(name, limit=limit, **bound)
            )
        return rows

    def select_cached(self, name: str, **params: Param) -> list[Row]:
        """Rows of a named SELECT (whole-store counts, a list's counts per group), reused while the store
        cannot have changed.

        An embedded store opened read-only (``rolkg serve``) cannot change: its answers are kept. A
        remote store's are kept :data:`REMOTE_CACHE_TTL` seconds; a writable embedded store's not at all.
        """
        text = self.render(name, **params)
        return self.cached(text, lambda: self.backend.select(text))

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, or its value from an earlier call with ``key`` while the store cannot have changed.

        Computed once even when asked concurrently: a caller that finds ``key`` being computed (by the
        server's warm-up or another request) waits for that value instead of starting the query again.
        """
        ttl = self.cache_ttl()
        if ttl == 0:
            return compute()
        hit = self._fresh(key, ttl)
        if hit is not None:
            return hit[1]  # type: ignore[no-any-return]
        with self._cache_lock:
            gate = self._building.setdefault(key, threading.Lock())
        with gate:
            hit = self._fresh(key, ttl)
            if hit is not None:
                return hit[1]  # type: ignore[no-any-return]
            try:
                value = compute()
                with self._cache_lock:
                    old = self._cache.pop(key, None)
                    self._rows += _weight(value) - (_weight(old[1]) if old else 0)
                    self._cache[key] = (time.monotonic(), value)
                    while len(self._cache) > 1 and (len(self._cache) > CACHE_SIZE or self._rows > CACHE_ROWS):
                        self._rows -= _weight(self._cache.popitem(last=False)[1][1])
            finally:
                with self._cache_lock:
                    self._building.pop(key, None)
        return value

    def _fresh(self, key: str, ttl: float) -> tuple[float, object] | None:
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        return hit if hit is not None and time.monotonic() - hit[0] < ttl else None

    def is_cached(self, name: str, **params: Param) -> bool:
        """Whether ``select_cached(name, **params)`` would answer without asking the store."""
        return self.holds(self.render(name, **params))

    def holds(self, key: str) -> bool:
        """Whether ``cached(key, …)`` would answer without computing."""
        ttl = self.cache_ttl()
        return ttl > 0 and self._fresh(key, ttl) is not None

    @property
    def keeps_answers(self) -> bool:
        """True when cached answers are kept for as long as the store is open (a read-only embedded store):
        whole-store values are then worth computing ahead of the first request."""
        return self.cache_ttl() == float("inf")

    def cache_ttl(self) -> float:
        """Seconds an answer is kept: forever on a read-only embedded store, REMOTE_CACHE_TTL on a remote
        one, 0 (not kept) on a writable embedded store."""
        if isinstance(self.backend, RemoteStore):
            return REMOTE_CACHE_TTL
        return float("inf") if getattr(self.backend, "is_read_only", False) else 0.0

    def ask(self, name: str, **params: Param) -> bool:
        """The answer of the named ASK query."""
        return self.backend.ask(self.render(name, **params))

    def construct(self, name: str, **params: Param) -> Graph:
        """The graph of the named CONSTRUCT / DESCRIBE query."""
        return self.backend.construct(self.render(name, **params))


def _weight(value: object) -> int:
    """What a kept answer counts against CACHE_ROWS: a list its length, an object its ``weight`` (an index
    of many rows), anything else 1."""
    if isinstance(value, list):
        return max(1, len(value))
    weight = getattr(value, "weight", None)
    return max(1, weight) if isinstance(weight, int) else 1


__all__ = [
    "EVERY",
    "QUERIES_DIR",
    "VALUES_CHUNK",
    "Every",
    "QueryLayer",
    "QueryNotFound",
    "QueryParameterError",
    "bind",
    "parameters",
]
