"""Queries whose work is bounded by their answer, answered in the web process without a worker.

A worker process exists so a runaway query can be killed (pyoxigraph cannot interrupt one). Some queries
cannot run away: one triple or quad pattern, no variable repeated in it, no filter, no join, no
``DISTINCT``, no ordering or grouping. Oxigraph answers such a pattern with one index range scan that
yields every row it reads, so reading ``n`` rows costs ``n`` steps. These are the point lookups that make
up most of an endpoint's traffic (``SELECT ?p ?o WHERE { <iri> ?p ?o }``); the round trip to a worker
was two thirds of their time.

:func:`bounded_query` recognises them with a grammar much smaller than SPARQL's: a text it accepts is
read the same way by any conforming parser, and anything it does not know (a comment, an escape, a second
pattern, a keyword it has no rule for) sends the query to the workers as before. It reads the exact text
the engine then runs: the guard's :class:`~rolkg.api.sparql.guard.GuardedQuery` text. An answer of more
than :data:`INLINE_ROWS` rows, or one that fails, is left to the workers too, so the work done here is
at most that many rows of one scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolkg.api.sparql.execute import Outcome, QueryRequest
from rolkg.api.sparql.guard import canonical_query, lexical_check
from rolkg.graph.formats import negotiate_answer
from rolkg.graph.store import Backend
from rolkg.graph.store.embedded import EmbeddedStore

from rolkg.errors import RolkgError

INLINE_ROWS = 256  # rows read in the web process at most; a bigger answer is the workers' job

# SPARQL's white space (not Python's \s, which has U+3000 and others) and comments. A comment ends at
# "\n"; any other character some parser takes as a line end is matched by no token, so a text holding one
# is refused (a canonical text, :func:`~rolkg.api.sparql.guard.canonical_query`, never does).
# Atomic, so that a token is never found by giving back the end of a comment.
_SPACE = r"(?>(?:[ \t\n]|\#[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*+)*)"
_IRIREF = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
_PN_PREFIX = r"(?:[^\W\d_](?:[\w.-]*[\w-])?)?"
_PN_LOCAL = r"(?:[\w](?:[\w.-]*[\w-])?)?"
_TOKEN = re.compile(
    rf"""{_SPACE}(?:
        (?P<iri>{_IRIREF})
      | (?P<var>[?$]\w+)
      | (?P<string>"[^"\\\n\r]*"|'[^'\\\n\r]*')
      | (?P<number>[+-]?\d+(?:\.\d+)?(?![\w.]))
      | (?P<pname>{_PN_PREFIX}:{_PN_LOCAL}(?![\w.:%-]))
      | (?P<word>[A-Za-z]+(?![\w:.-]))
      | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?![\w-]))
      | (?P<punct>\^\^|[{{}}.*])
    )""",
    re.VERBOSE,
)

_TRAILING = re.compile(_SPACE)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def _tokens(text: str) -> list[_Token] | None:
    """The tokens of ``text``, or None when some character is not part of the small grammar."""
    out: list[_Token] = []
    pos, end = 0, len(text)
    while True:
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return out if _TRAILING.fullmatch(text, pos) else None
        kind = match.lastgroup or ""
        out.append(_Token(kind, match.group(kind)))
        pos = match.end()
        if pos >= end:
            return out


class _Reader:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._at = 0

    def peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def take(self) -> _Token | None:
        token = self.peek()
        if token is not None:
            self._at += 1
        return token

    def word(self, *words: str) -> str | None:
        """The next token's keyword (upper-cased) when it is one of ``words``, consumed; else None."""
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.upper() in words:
            self._at += 1
            return token.text.upper()
        return None

    def punct(self, mark: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "punct" and token.text == mark:
            self._at += 1
            return True
        return False

    def done(self) -> bool:
        return self._at == len(self._tokens)


@dataclass(frozen=True, slots=True)
class BoundedQuery:
    """A query :func:`bounded_query` proved cheap: its form and the LIMIT it gives (None: none)."""

    form: str  # SELECT | ASK
    limit: int | None


def bounded_query(text: str) -> BoundedQuery | None:
    """``text`` as a one-pattern query whose cost is its answer's size, or None (then: the workers).

    The grammar: ``BASE``/``PREFIX`` declarations; ``SELECT`` of variables or ``*``, or ``ASK``; an
    optional ``WHERE``; one group holding one triple pattern, or ``GRAPH`` with one triple pattern; for
    ``SELECT`` an optional ``LIMIT``. Terms are IRIs, prefixed names, variables, ``a``, plain literals with
    a language or datatype, numbers and booleans; no variable may occur twice in the pattern (Oxigraph
    would scan the whole index to test the repetition).
    """
    tokens = _tokens(text)
    if tokens is None:
        return None
    reader = _Reader(tokens)
    while True:
        if reader.word("BASE"):
            if not _is(reader.take(), "iri"):
                return None
        elif reader.word("PREFIX"):
            name, iri = reader.take(), reader.take()
            if not (_is(name, "pname") and name is not None and name.text.endswith(":")) or not _is(
                iri, "iri"
            ):
                return None
        else:
            break
    form = reader.word("SELECT", "ASK")
    if form == "SELECT":
        if not reader.punct("*"):
            projected: set[str] = set()
            while _is(reader.peek(), "var"):
                if not _fresh(reader.take(), projected):
                    return None  # a variable projected twice is a syntax error to Oxigraph
            if not projected:
                return None
    elif form is None:
        return None
    reader.word("WHERE")
    if not reader.punct("{") or not _pattern(reader) or not reader.punct("}"):
        return None
    limit = None
    if form == "SELECT" and reader.word("LIMIT"):
        token = reader.take()
        if not _is(token, "number") or token is None or not token.text.isdigit():
            return None
        limit = int(token.text)
    return BoundedQuery(form, limit) if reader.done() else None


def _pattern(reader: _Reader) -> bool:
    """One triple pattern, or ``GRAPH g { one triple pattern }``, then an optional ``.``."""
    seen: set[str] = set()
    if reader.word("GRAPH"):
        graph = reader.take()
        if not (_is(graph, "iri", "pname", "var") and _fresh(graph, seen)):
            return False
        if not reader.punct("{") or not _triple(reader, seen) or not reader.punct("}"):
            return False
    elif not _triple(reader, seen):
        return False
    reader.punct(".")
    return True


def _triple(reader: _Reader, seen: set[str]) -> bool:
    subject = reader.take()
    if not (_is(subject, "iri", "pname", "var") and _fresh(subject, seen)):
        return False
    predicate = reader.peek()
    if predicate is not None and predicate.kind == "word" and predicate.text == "a":
        reader.take()
    else:
        predicate = reader.take()
        if not (_is(predicate, "iri", "pname", "var") and _fresh(predicate, seen)):
            return False
    obj = reader.take()
    if _is(obj, "string"):
        if reader.punct("^^"):
            return _is(reader.take(), "iri", "pname")
        if _is(reader.peek(), "lang"):
            reader.take()
        return True
    if obj is not None and obj.kind == "word":
        return obj.text in ("true", "false")
    return _is(obj, "iri", "pname", "var", "number") and _fresh(obj, seen)


def _is(token: _Token | None, *kinds: str) -> bool:
    return token is not None and token.kind in kinds


def _fresh(token: _Token | None, seen: set[str]) -> bool:
    """False when ``token`` is a variable already used in the pattern (``?x`` and ``$x`` are one)."""
    if token is None or token.kind != "var":
        return True
    name = token.text[1:]
    if name in seen:
        return False
    seen.add(name)
    return True


def answer_inline(backend: Backend, request: QueryRequest) -> Outcome | None:
    """The answer to ``request`` read here, when its query is bounded (:func:`bounded_query`); else None.

    None also when the store is not the embedded one (a remote engine's extensions need the full
    guard), when the request names a dataset, when the answer has more than :data:`INLINE_ROWS` rows or
    more bytes than allowed, and on any error: the workers then answer it, with their messages.
    """
    if not isinstance(backend, EmbeddedStore) or request.default_graph_uris or request.named_graph_uris:
        return None
    try:
        guarded = lexical_check(canonical_query(request.query))
        media = negotiate_answer(request.accept, graph_form=False).media_type
    except RolkgError:
        return None
    if guarded is None or bounded_query(guarded.text) is None:
        return None
    rows = min(INLINE_ROWS, request.max_rows)
    try:
        answer = backend.raw_query(guarded.text, media, max_rows=rows)
    except RolkgError:
        return None
    if (answer.capped and rows < request.max_rows) or len(answer.body) > request.max_bytes:
        return None
    return Outcome(body=answer.body, size=answer.size, capped=answer.capped, media=media)
