"""Refuse what a public read-only endpoint must never run, before anything is evaluated.

The query is parsed with rdflib (never with a regex: ``\\u0053ERVICE`` is ``SERVICE`` after escape
expansion) and both the parse tree and the algebra are walked, so a ``SERVICE`` hidden in a sub-select, an
``EXISTS`` filter or a ``MINUS`` is found too. Updates fail ``parseQuery``; ``FROM``/``FROM NAMED`` and the
protocol's graph parameters may name only graphs the store holds, so no engine ever dereferences them.

The guard and the engine use different parsers, so the text they read must leave them nothing to disagree
on. :func:`canonical_query` expands codepoint escapes (``\\u0053``) itself and refuses every raw line break
but ``\\n`` (rdflib ends a ``#`` comment only at ``\\n``, Oxigraph also at ``\\r``: text after ``# …\\r`` was a
comment to the guard and a query to the engine). The guard checks that canonical text and
:class:`GuardedQuery` carries exactly it to the engine, prefixed with a fixed ``BASE`` so relative IRIs
never resolve against a store's own address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rolkg.errors import QueryRefused

# rdflib's SPARQL parser (8 MB with pyparsing) is imported by the first query that needs the full check: a
# SPARQL worker of the embedded store may answer every query through the lexical proof without it.
if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue

DEFAULT_MAX_QUERY_BYTES = 100_000
QUERY_BASE = "https://w3id.org/rolkg/id/"
# Stands for "no graph" in a dataset that leaves its default graph or its named graphs empty; never written.
EMPTY_GRAPH = "https://w3id.org/rolkg/graph/empty"

# Characters some SPARQL parser treats as a line end (and so as the end of a comment) but rdflib does not.
# "\r\n" is folded to "\n" first, so clients that send CRLF are served.
_FOREIGN_LINE_ENDS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FOREIGN_CHARS = re.compile(f"[{_FOREIGN_LINE_ENDS}\ud800-\udfff]")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# A SERVICE keyword outside strings, IRIs and comments: the second, parser-independent look.
_LEXEMES = re.compile(
    r"""'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"{3}(?:[^"\\]|\\.|"(?!""))*"{3}"""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*"""
)
_SERVICE_WORD = re.compile(r"(?<![\w?$:.@\-])SERVICE(?![\w:.\-])", re.IGNORECASE)

# The lexical proof (see :func:`lexical_check`): words whose letters anywhere in the text send the query to
# rdflib. Matched with Unicode case folding, which is wider than any engine's ASCII keyword matching.
_CALL_OUT_LETTERS = re.compile(r"service|from", re.IGNORECASE)
# An IRI or prefixed name followed by "(": maybe a call of a store's own function; the parse decides.
_IRI_CALL = re.compile(r"(?:>|[A-Za-z_][\w.-]*:[\w.%-]*)\s*\(")
_IRIREF = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
# A prologue of BASE / PREFIX declarations and comments (a canonical text ends them only at "\n", as every
# parser does), then the query form keyword.
_PROLOGUE_FORM = re.compile(
    rf"\s*(?:(?:BASE\s*{_IRIREF}|PREFIX\s+(?:[A-Za-z][\w.-]*)?:\s*{_IRIREF}|\#[^\n]*)\s*)*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])",
    re.IGNORECASE | re.ASCII,
)

# Query forms as rdflib names the top algebra node.
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True, slots=True)
class GuardedQuery:
    """A query that passed the guard: its text, its form and the graphs its dataset names."""

    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())
    lexical: bool = False  # admitted by lexical_check: the engine, not rdflib, judges its syntax

    @property
    def is_graph(self) -> bool:
        """True when the result is RDF (CONSTRUCT, DESCRIBE) rather than solutions or a boolean."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def check_query(
    text: str,
    known_graphs: Callable[[], Iterable[str]],
    *,
    default_graph_uris: Iterable[str] = (),
    named_graph_uris: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    lexical: bool = False,
) -> GuardedQuery:
    """Parse and inspect ``text``; return it as a :class:`GuardedQuery` or raise :class:`QueryRefused`.

    ``known_graphs`` is called only when some graph is named, so plain queries cost no store round trip.
    ``lexical``: try :func:`lexical_check` first (only for an engine that reads nothing but SPARQL 1.1/1.2
    query syntax, i.e. Oxigraph); a query it cannot prove harmless gets the full check.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRefused(f"query is {size} bytes; this endpoint accepts at most {max_bytes}", status=413)
    text = canonical_query(text)
    if not text.strip():
        raise QueryRefused("the query is empty")
    if lexical and not (default_graph_uris or named_graph_uris):
        proven = lexical_check(text)
        if proven is not None:
            return proven
    if _SERVICE_WORD.search(_LEXEMES.sub(" ", text)):
        raise QueryRefused(_NO_SERVICE)
    from rdflib.plugins.sparql.algebra import translateQuery

    text = f"BASE <{QUERY_BASE}>\n{text}"
    parsed = _parse(text)
    try:  # before translateQuery, which moves filters (and the calls in them) out of the parse tree
        _check_functions(parsed)
    except RecursionError:
        raise QueryRefused("query is nested too deeply to be checked") from None
    try:
        algebra = translateQuery(parsed)
    except RecursionError:
        raise QueryRefused("query is nested too deeply to be checked") from None
    except Exception as exc:  # rdflib raises bare Exceptions for e.g. an undeclared prefix
        raise QueryRefused(f"query cannot be translated: {exc}") from None
    root = algebra.algebra
    form = _FORMS.get(root.name)
    if form is None:  # pragma: no cover - parseQuery admits only the four forms
        raise QueryRefused(f"unsupported query form {root.name}")
    try:
        for node in _walk((parsed, root)):
            if node.name == "ServiceGraphPattern":
                raise QueryRefused(_NO_SERVICE)
    except RecursionError:
        raise QueryRefused("query is nested too deeply to be checked") from None

    # SPARQL 1.1 Protocol §2.1.4: graphs given as protocol parameters replace the query's FROM / FROM NAMED.
    default, named = tuple(default_graph_uris), tuple(named_graph_uris)
    if not (default or named):
        default, named = _dataset(parsed)
    if default or named:
        available = set(known_graphs())
        unknown = [g for g in (*default, *named) if g not in available]
        if unknown:
            raise QueryRefused(
                "the dataset may name only graphs held by this store; not held: "
                + ", ".join(f"<{g}>" for g in unknown)
            )
        # A dataset without a default graph has an empty one, and without named graphs has none (Query
        # §13.2); engines read "no list" as "everything", so the missing side names a graph never written.
        default = default or (EMPTY_GRAPH,)
        named = named or (EMPTY_GRAPH,)
    return GuardedQuery(text=text, form=form, default_graphs=default, named_graphs=named)


def lexical_check(text: str) -> GuardedQuery | None:
    """The guard's cheap path on canonical ``text``: a proof without parsing, or None (then parse).

    A keyword is a run of letters in the canonical text (codepoint escapes are already expanded, and one
    that would expand to another escape is refused), so when the letters ``service`` and ``from`` occur
    nowhere, in any case — not in strings, IRIs or comments either — no parser can read a ``SERVICE``
    call-out or a ``FROM`` dataset in it; a text where an IRI or prefixed name meets ``(`` (a function
    named by an IRI, see :func:`_check_functions`) is left to the parse. The form is the keyword right after a prologue of ``BASE``/``PREFIX``
    declarations and comments, which is where the grammar puts it. Everything else (syntax, updates)
    is the engine's to refuse; that is sound only for an engine without extensions that reach outside the
    store (Oxigraph), never for one with its own (Virtuoso's ``DEFINE``, ``bif:`` functions).
    """
    if _CALL_OUT_LETTERS.search(text) or _IRI_CALL.search(text):
        return None
    form = _PROLOGUE_FORM.match(text)
    if form is None:
        return None
    return GuardedQuery(text=f"BASE <{QUERY_BASE}>\n{text}", form=form.group(1).upper(), lexical=True)


def _check_functions(parsed: Any) -> None:
    """Refuse a call of a function named by an IRI, unless it is an XSD cast (SPARQL's only ones).

    Stores bring their own: Virtuoso's ``bif:http_get("http://…")`` fetches any address (SSRF), and
    ``bif:``/``sql:`` reach its SQL built-ins; none is needed to read this store. Prefixed names are
    resolved with the query's own PREFIX declarations; a relative IRI is never an XSD cast.
    """
    prefixes = {
        (str(d["prefix"]) if "prefix" in d else ""): str(d["iri"])
        for d in parsed[0]
        if d.name == "PrefixDecl"
    }
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk(parsed):
        if node.name != "Function" or "iri" not in node:
            continue
        iri = node["iri"]
        if isinstance(iri, CompValue):  # a prefixed name, as parsed
            prefix = str(iri["prefix"]) if "prefix" in iri else ""
            local = str(iri["localname"]) if "localname" in iri else ""
            if prefix not in prefixes:  # Virtuoso predeclares bif: and sql:, so never let it pass
                raise QueryRefused(f"the function {prefix}:{local} uses an undeclared prefix {prefix}:")
            iri = prefixes[prefix] + local
        if not str(iri).startswith(_XSD):
            raise QueryRefused(
                f"the function <{iri}> is not allowed on this endpoint: only SPARQL's own functions and XSD "
                "casts (xsd:integer(…) …) may be called"
            )


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NO_SERVICE = "SERVICE (federated query) is not allowed on this endpoint: queries may read only this store"


def canonical_query(text: str) -> str:
    """The text both the guard and the engine read: escapes expanded, CRLF folded, no other line breaks.

    Raises :class:`QueryRefused` for input on which two conforming parsers could read different queries.
    """
    text = text.replace("\r\n", "\n")

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRefused(f"{match.group(0)} is not a Unicode character")
        return chr(code)

    expanded = _CODEPOINT_ESCAPE.sub(expand, text).replace("\r\n", "\n")
    if _CODEPOINT_ESCAPE.search(expanded):
        raise QueryRefused("a codepoint escape expands to another escape; write the character itself")
    foreign = _FOREIGN_CHARS.search(expanded)
    if foreign is not None:
        line = expanded.count("\n", 0, foreign.start()) + 1
        raise QueryRefused(
            f"character U+{ord(foreign.group()):04X} at line {line} is not accepted in a query: parsers "
            "disagree on where it ends a line; use a plain newline (or an escape inside a string)"
        )
    return expanded


def _parse(text: str) -> Any:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused(
                "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP …) "
                "is not accepted"
            ) from None
        raise QueryRefused(
            f"syntax error at line {exc.lineno - 1}, column {exc.col}: {exc.msg}"
            f" (near {text[exc.loc : exc.loc + 30]!r})"
        ) from None
    except RecursionError:
        raise QueryRefused("query is nested too deeply to be parsed") from None
    except Exception as exc:  # rdflib turns some lexical errors into plain exceptions
        raise QueryRefused(f"query cannot be parsed: {exc}") from None


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _dataset(parsed: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    default: list[str] = []
    named: list[str] = []
    query = parsed[1]
    # CompValue.get returns the key itself when absent, hence the membership tests.
    for clause in query["datasetClause"] if "datasetClause" in query else ():  # noqa: SIM401
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return tuple(default), tuple(named)


def _walk(obj: Any) -> Iterator[CompValue]:
    """Every CompValue reachable from ``obj`` (dicts, lists and pyparsing results included)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    def walk(obj: Any, depth: int) -> Iterator[CompValue]:
        if depth > 2000:
            raise RecursionError
        if isinstance(obj, CompValue):
            yield obj
            for value in obj.values():
                yield from walk(value, depth + 1)
        elif isinstance(obj, dict):
            for value in obj.values():
                yield from walk(value, depth + 1)
        elif isinstance(obj, list | tuple | set | frozenset) or type(obj).__name__ == "ParseResults":
            for value in obj:
                yield from walk(value, depth + 1)

    return walk(obj, 0)
