"""Differential tests of the SPARQL guard: the query it checks is the query the engine runs.

Queries are generated, not listed: a SERVICE (or a FROM, or a store's own function named by IRI such as
Virtuoso's ``bif:http_get``) is put in every hiding place the grammar offers
(comments ended by each line terminator, codepoint escapes, IRIs built by PREFIX and BASE, variables bound
by VALUES, sub-selects, EXISTS, MINUS, OPTIONAL, UNION, GRAPH, property paths, every query form). Each one
the guard accepts is then run on a real engine — pyoxigraph in process, and over HTTP the embedded store
and a real Oxigraph server behind ``/sparql`` — while a loopback listener counts connections: it must see
none. Benign look-alikes (SERVICE inside a string, an IRI or a real comment) must be accepted, so the guard
is shown to read the query rather than refuse everything.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pyoxigraph as ox
import pytest
from rolkg.api.app import create_app
from rolkg.api.sparql.guard import QueryRefused, canonical_query, check_query, lexical_check

from tests.loopback import Listener

KNOWN = ["https://w3id.org/rolkg/graph/ontology"]

# Every character some parser may take as the end of a "#" comment, raw and as codepoint escapes.
LINE_ENDS = ["\n", "\r", "\r\n", "\n\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
ESCAPED_LINE_ENDS = ["\\u000A", "\\u000D", "\\u000a\\u000d", "\\u2028", "\\U0000000D", "\\u0085"]
SPELLINGS = [
    "SERVICE",
    "service",
    "SeRvIcE",
    "\\u0053ERVICE",
    "\\U00000053ERVICE",
    "S\\u0045RVICE",
    "SERVIC\\u0045",
    "\\u0073\\u0065rvice",
    "\u017fERVICE",  # LATIN SMALL LETTER LONG S: rdflib's parser upper-cases it to S
]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    live: bool  # True: some conforming parser reads a call-out in it, so the guard must refuse it


def url_of(port: int) -> str:
    return f"http://127.0.0.1:{port}/x"


def _targets(port: int) -> list[tuple[str, str, str]]:
    """(prologue, SERVICE target, VALUES clause) triples that all name the listener."""
    url = f"http://127.0.0.1:{port}/x"
    return [
        ("", f"<{url}>", ""),
        (f"PREFIX p: <http://127.0.0.1:{port}/>\n", "p:x", ""),
        (f"PREFIX : <http://127.0.0.1:{port}/>\n", ":x", ""),
        (f"BASE <http://127.0.0.1:{port}/>\n", "<x>", ""),
        (f"BASE <http://127.0.0.1:{port}/a/b>\n", "<../x>", ""),
        ("", f"<//127.0.0.1:{port}/x>", ""),
        ("", "?svc", f"VALUES ?svc {{ <{url}> }}"),
    ]


def _places(service: str, values: str) -> list[tuple[str, str]]:
    """Where a group graph pattern can hold the SERVICE clause: (name, WHERE body)."""
    return [
        ("plain", f"{{ {values} {service} }}"),
        ("optional", f"{{ {values} ?a ?b ?c OPTIONAL {{ {service} }} }}"),
        ("union", f"{{ {values} {{ ?a ?b ?c }} UNION {{ {service} }} }}"),
        ("minus", f"{{ {values} ?a ?b ?c MINUS {{ {service} }} }}"),
        ("exists", f"{{ {values} FILTER EXISTS {{ {service} }} }}"),
        ("not-exists", f"{{ {values} ?a ?b ?c FILTER NOT EXISTS {{ {service} }} }}"),
        ("bind-exists", f"{{ {values} BIND(EXISTS {{ {service} }} AS ?e) }}"),
        ("subselect", f"{{ {{ SELECT * WHERE {{ {values} {service} }} }} }}"),
        ("nested", f"{{ {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ {values} {service} }} }} }} }} }} }}"),
        ("graph", f"{{ GRAPH ?g {{ {values} {service} }} }}"),
        ("path", f"{{ {values} ?a <http://p>/<http://q>* ?b . {service} }}"),
        ("having", f"{{ {values} {service} }} GROUP BY ?s HAVING (EXISTS {{ {service} }})"),
    ]


FORMS = [
    "SELECT * WHERE {body}",
    "SELECT (COUNT(*) AS ?n) WHERE {body}",
    "ASK {body}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {body}",
    "DESCRIBE ?s WHERE {body}",
]


def _query(prologue: str, form: str, body: str) -> str:
    if "HAVING" in body and not form.startswith("SELECT (COUNT"):
        body = body.split(" GROUP BY", 1)[0]
    return prologue + form.format(body=body)


def generate(port: int, n: int = 600, seed: int = 20261201) -> list[Case]:
    """SERVICE in generated hiding places (each must be refused) and benign look-alikes (may pass)."""
    rng = random.Random(seed)
    cases: list[Case] = []
    targets = _targets(port)
    # A sample of the full product of spelling × target × place × form × SILENT.
    product = list(itertools.product(SPELLINGS, range(len(targets)), range(12), FORMS, ("", " SILENT")))
    for spelling, t, p, form, silent in rng.sample(product, n):
        prologue, target, values = targets[t]
        name, body = _places(f"{spelling}{silent} {target} {{ ?s ?p ?o }}", values)[p]
        cases.append(Case(f"{spelling}/{t}/{name}/{form[:9]}{silent}", _query(prologue, form, body), True))
    # A comment ended by each line terminator, before a SERVICE that is live for some parser.
    for end, spelling in itertools.product(LINE_ENDS + ESCAPED_LINE_ENDS, SPELLINGS[:4]):
        prologue, target, values = rng.choice(targets)
        service = f"# hidden{end}{spelling} {target} {{ ?s ?p ?o }}\n"
        _, body = rng.choice(_places(service, values)[:10])
        cases.append(Case(f"comment{end!r}/{spelling}", _query(prologue, rng.choice(FORMS), body), True))
    # A store's own functions named by IRI (Virtuoso's bif:http_get fetches), in every place and form.
    calls = [f'BIND(<bif:http_get>("{url_of(port)}") AS ?x)', f'FILTER(bif:http_get("{url_of(port)}") != "")']
    for (spelling, call), p in itertools.product(enumerate(calls), range(12)):
        name, body = _places(call, "")[p]
        prologue = "PREFIX bif: <bif:>\n" if spelling else ""
        cases.append(Case(f"function/{spelling}/{name}", _query(prologue, rng.choice(FORMS), body), True))
    # FROM / FROM NAMED naming the listener, directly or through PREFIX / BASE.
    for prologue, target, _values in targets[:5]:
        for clause in ("FROM", "FROM NAMED"):
            cases.append(
                Case(f"{clause}/{target}", f"{prologue}SELECT * {clause} {target} WHERE {{ ?s ?p ?o }}", True)
            )
    # Look-alikes: the word is inside a string, an IRI or a comment that every parser ends at "\n".
    url = f"http://127.0.0.1:{port}/x"
    for spelling in SPELLINGS[:3]:
        cases += [
            Case(f"string/{spelling}", f'SELECT * WHERE {{ BIND("{spelling} <{url}> {{}}" AS ?x) }}', False),
            Case(f"long-string/{spelling}", f"ASK {{ BIND('''x\n{spelling} <{url}> {{}}''' AS ?x) }}", False),
            Case(f"iri/{spelling}", f"ASK {{ <{url}/{spelling}> ?p ?o }}", False),
            Case(f"comment/{spelling}", f"ASK {{ # {spelling} <{url}> {{ ?s ?p ?o }}\n }}", False),
            Case(f"variable/{spelling}", "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1", False),
        ]
    return cases


def lexical_cases(port: int) -> list[Case]:
    """Benign queries the guard's lexical proof admits (every form behind every plain prologue), and
    near misses it must leave to the parser: a comment, a string or an IRI in the prologue, the letters
    of SERVICE or FROM anywhere."""
    url = f"http://127.0.0.1:{port}/x"
    prologues = [
        "",
        f"PREFIX p: <http://127.0.0.1:{port}/>\n",
        "BASE <http://example.org/a/>PREFIX : <http://example.org/>\n",
        "prefix rol:<https://w3id.org/rolkg/ontology#>\n",
    ]
    bodies = [
        "{ ?s ?p ?o }",
        f'{{ ?s ?p ?o FILTER(?o != "x") OPTIONAL {{ ?s <{url}> ?v }} }}',
        "{ { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "{ ?s ?p ?o MINUS { ?s a ?c } FILTER NOT EXISTS { ?o ?q ?r } }",
    ]
    cases = [
        Case(f"lexical/{i}/{j}/{form[:9]}", _query(prologue, form, body), False)
        for i, prologue in enumerate(prologues)
        for j, body in enumerate(bodies)
        for form in FORMS
    ]
    cases += [
        Case(
            "lexical/comment-in-prologue",
            f"# SELECT\nPREFIX p: <{url}> # DESCRIBE\nASK {{ ?s ?p ?o }}",
            False,
        ),
        Case("lexical/comment-before-form", "#!\n#\n CONSTRUCT WHERE { ?s ?p ?o }", False),
        Case("lexical/form-word-in-string", 'PREFIX p: <http://x/> ASK { ?s ?p "SELECT" }', False),
    ]
    near = [
        f"PREFIX p: <{url}> # a service\nASK {{ ?s ?p ?o }}",
        'ASK { BIND("a service" AS ?x) }',
        f"ASK {{ <{url}/FROM> ?p ?o }}",
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "SELECT ?s WHERE { ?s ?p ?o } # from here\n",
    ]
    return cases + [Case(f"near/{i}", q, False) for i, q in enumerate(near)]


def _guard(query: str, lexical: bool = False) -> str | None:
    """The text the engine would run, or None when the guard refuses."""
    try:
        return check_query(query, lambda: KNOWN, lexical=lexical).text
    except QueryRefused:
        return None


def test_the_lexical_proof_admits_only_what_the_parse_admits(listener: Listener) -> None:
    """Whatever the cheap path admits, the full parse admits too, as the same text of the same form, and
    the near misses go to the parse; every generated hiding place is refused on the cheap path as well."""
    cases = generate(listener.port) + lexical_cases(listener.port)
    proven = 0
    for case in cases:
        try:
            canonical = canonical_query(case.query)
        except QueryRefused:
            continue
        lexical = lexical_check(canonical)
        if case.live or case.name.startswith("near/"):
            assert lexical is None, case.name
            continue
        if lexical is None:
            continue
        proven += 1
        parsed = check_query(case.query, lambda: KNOWN)
        assert (lexical.text, lexical.form) == (parsed.text, parsed.form), case.name
    assert proven >= 80  # the lexical cases, and the generated look-alikes without the letters


def test_canonical_text_leaves_parsers_nothing_to_disagree_on() -> None:
    assert canonical_query("ASK {\r\n}") == "ASK {\n}"
    assert canonical_query("\\u0041SK {}") == "ASK {}"
    for end in set(LINE_ENDS) - {"\n", "\r\n"}:
        with pytest.raises(QueryRefused, match="not accepted"):
            canonical_query(f"ASK {{ # x{end}}}")
    with pytest.raises(QueryRefused, match="another escape"):
        canonical_query("ASK { \\u005Cu0053ERVICE }")
    with pytest.raises(QueryRefused, match="not a Unicode character"):
        canonical_query('ASK { BIND("\\uD800" AS ?x) }')


def test_the_checked_text_is_the_text_that_runs() -> None:
    guarded = check_query("ASK { # note\r\n ?s ?p ?o }", lambda: KNOWN)
    assert guarded.text.endswith("ASK { # note\n ?s ?p ?o }")
    assert guarded.text.startswith("BASE <")
    # A relative IRI resolves against the fixed base on every engine, never against a store's address.
    store = ox.Store()
    rows = list(store.query(check_query("SELECT (<x> AS ?i) WHERE {}", lambda: KNOWN).text))
    assert rows[0]["i"].value == "https://w3id.org/rolkg/id/x"


def test_generated_hiding_places_in_process(listener: Listener) -> None:
    """Guard every generated query; run what passes on pyoxigraph: every live one refused, no connection."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.NamedNode("http://o")))
    cases = generate(listener.port) + lexical_cases(listener.port)
    for lexical in (False, True):
        leaked = [c.name for c in cases if c.live and _guard(c.query, lexical) is not None]
        assert not leaked, f"{len(leaked)} live SERVICE/FROM queries passed the guard: {leaked[:10]}"
        benign = [c for c in cases if not c.live]
        for case in benign:
            text = _guard(case.query, lexical)
            assert text is not None, f"look-alike refused: {case.name}"
            result = store.query(text, use_default_graph_as_union=True)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
    # The refused ones, run raw on the engine, do call out: the listener is live and the cases are real.
    raw_calls = 0
    for case in [c for c in cases if c.live and "SILENT" in c.query][:20]:
        before = listener.connections
        try:
            result = store.query(
                case.query.replace("\\u0053ERVICE", "SERVICE"), use_default_graph_as_union=True
            )
            if not isinstance(result, ox.QueryBoolean):
                list(result)
        except (SyntaxError, OSError, RuntimeError, ValueError):
            pass
        time.sleep(0.02)
        raw_calls += listener.connections > before
    assert raw_calls > 0, "no unguarded query reached the listener: the test would not see a leak"
    listener.connections = 0


@pytest.fixture(scope="module", params=["embedded", "remote"])
def live_base(request: pytest.FixtureRequest, api_stores: dict[str, object], serve_app) -> Iterator[str]:
    # Answers, not deadlines, are under test: a generous timeout keeps a loaded machine from failing them.
    settings = dataclasses.replace(api_stores[f"{request.param}-fixture"], query_timeout=60.0)  # type: ignore[type-var]
    with serve_app(create_app(settings, workers=2)) as base:
        yield base


def test_generated_hiding_places_over_http(live_base: str, listener: Listener) -> None:
    """The same generated queries through /sparql (embedded store, and a real Oxigraph server behind it):
    every live one refused with 400, the look-alikes answered, and the listener sees no connection."""
    cases = generate(listener.port, n=150, seed=7) + lexical_cases(listener.port)
    listener.connections = 0
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=live_base, timeout=30) as client:
        for case in cases:
            answer = client.post("/sparql", data={"query": case.query})
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if case.live:
                assert answer.status_code == 400, (case.name, answer.status_code, answer.text[:200])
            else:
                assert answer.status_code == 200, (case.name, answer.status_code, answer.text[:200])
    time.sleep(0.2)
    print(f"\n{len(cases)} generated queries over HTTP: statuses {statuses}")
    assert listener.connections == 0
