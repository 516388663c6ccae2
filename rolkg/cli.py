"""The ``rolkg`` command: build, ingest, extract, validate, query, export, stats, checks, serve (and ``viz``).

Exit status: 0 ok, 1 a report or graph failed (extraction, validation, store), 2 usage error.
Data goes to stdout; progress, notices and errors go to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rolkg.config import Settings
from rolkg.errors import USAGE, ConfigError, RolkgError

app = typer.Typer(
    name="rolkg",
    help="A knowledge graph of rule-of-law initiatives from Chinese local governments' annual reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # messages are single lines: wrapping splits paths and phrases

FAILED = 1


def fail(message: str, code: int = FAILED) -> NoReturn:
    """Print ``message`` as an error and exit with ``code``."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the global options built (see :func:`main_callback`)."""
    return ctx.ensure_object(dict)["settings"]


@app.callback()
def main_callback(
    ctx: typer.Context,
    store: Annotated[
        Path | None, typer.Option("--store", help="Embedded store directory (env ROLKG_STORE).")
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint", help="SPARQL query URL of a remote store, used instead (env ROLKG_ENDPOINT)."
        ),
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            "--update-endpoint", help="SPARQL update URL of the remote store (env ROLKG_UPDATE_ENDPOINT)."
        ),
    ] = None,
) -> None:
    """Global options: which store every command uses."""
    try:
        settings = Settings.from_env(store_path=store, endpoint=endpoint, update_endpoint=update_endpoint)
    except ConfigError as error:
        fail(str(error), USAGE)
    ctx.ensure_object(dict)["settings"] = settings


def open_store(settings: Settings, *, read_only: bool = False) -> Any:
    """The store of ``settings`` (readers share it, a writer needs it alone), errors as a clean exit."""
    from rolkg.graph.store import open_store as open_backend

    try:
        return open_backend(settings, read_only=read_only)
    except RolkgError as error:
        fail(str(error), error.exit_code)


@contextmanager
def store_session(ctx: typer.Context, *, read_only: bool = False) -> Iterator[Any]:
    """The command's store, closed on the way out; a RolkgError raised inside ends the command with its
    one line (the commands that only read or recompute share this, not a try/finally each)."""
    backend = open_store(settings_of(ctx), read_only=read_only)
    try:
        yield backend
    except RolkgError as error:
        fail(str(error), error.exit_code)
    finally:
        backend.close()


_OPTION_NAMES = {
    "title": "--title",
    "issuer": "--issuer",
    "jurisdiction": "--jurisdiction",
    "source": "--source",
}


def close_store(backend: Any, *, quiet: bool) -> None:
    """Close ``backend``; a failure (a full disk while flushing) exits 1 with one line, or, when ``quiet``
    because the failure that caused it was already reported, is not reported twice."""
    from rolkg.graph.store import StoreError

    try:
        backend.close()
    except (StoreError, OSError) as error:
        if not quiet:
            fail(f"the store could not be closed cleanly: {error}")


def meta_options(
    title: str | None, issuer: str | None, jurisdiction: str | None, year: int | None, source: str | None
) -> Any:
    """The metadata options as a ReportMeta; exits 1 with one line when one is blank or not an IRI."""
    from rolkg.graph.ingest import IngestError, check_given
    from rolkg.graph.model import ReportMeta

    meta = ReportMeta(title=title, issuer=issuer, jurisdiction=jurisdiction, year=year, source=source)
    try:
        return check_given(meta, _OPTION_NAMES)
    except IngestError as error:
        fail(str(error))


Title = Annotated[str | None, typer.Option(help="Report title (default: reports.tsv, else detected).")]
Issuer = Annotated[str | None, typer.Option(help="Issuing body, e.g. 慈溪市司法局.")]
Jurisdiction = Annotated[
    str | None,
    typer.Option(help="Jurisdiction: a path (浙江省宁波市慈溪市), a name (慈溪市), a code (330282) or 全国."),
]
Year = Annotated[int | None, typer.Option(help="The year the report covers.", min=1949, max=2100)]
# One declaration per option shared by ``ingest`` and ``extract`` (the parameter is ``source_iri``: ``source``
# is the report argument).
SourceIri = Annotated[str | None, typer.Option("--source", help="Public address of the report.")]
_REPORT_SOURCE_HELP = "Report file (.txt, .html, .pdf or .docx) or http(s):// address."
ReportSource = Annotated[str, typer.Argument(help=_REPORT_SOURCE_HELP, show_default=False)]
OptionalReportSource = Annotated[str | None, typer.Argument(help=_REPORT_SOURCE_HELP, show_default=False)]


def _print_notices(notices: list[str]) -> None:
    for notice in notices:
        err.print(f"[yellow]notice:[/] {notice}", highlight=False)


def _print_violations(outcome: Any, limit: int = 40) -> None:
    text = outcome.text() if hasattr(outcome, "text") else str(outcome)
    lines = text.splitlines()
    for line in lines[:limit]:
        err.print(line, highlight=False, markup=False)
    if len(lines) > limit:
        err.print(f"… {len(lines) - limit} more line(s)", highlight=False)


def _source_name(source: str | Path) -> str:
    """How a source is named in messages: a file by its name, an address in full."""
    from rolkg.graph.read import is_url

    return str(source) if is_url(str(source)) else Path(source).name


def _ingest_one(source: str | Path, meta: Any, backend: Any) -> Any:
    """Ingest one file or address; returns the result, or prints why not and returns None."""
    from rolkg.errors import IngestError, ValidationFailed
    from rolkg.graph.ingest import ingest_file

    def said(error: Exception) -> str:  # a reader's message already starts with the file or address
        text = str(error)
        return escape(text if text.startswith(str(source)) else f"{_source_name(source)}: {text}")

    try:
        return ingest_file(source, meta, backend)
    except ValidationFailed as error:
        err.print(f"[bold red]error:[/] {said(error)}; nothing was written", highlight=False)
        _print_violations(error.outcome)
    except IngestError as error:
        err.print(f"[bold red]error:[/] {said(error)}; nothing was written", highlight=False)
    except RolkgError as error:
        err.print(f"[bold red]error:[/] {said(error)}", highlight=False)
    return None


def _build_results(files: list[Path], backend: Any, jobs: int) -> Iterator[tuple[Path, Any]]:
    """Each file with its ingest result (None when it failed; the reason is printed)."""
    if jobs <= 1:
        for path in files:
            yield path, _ingest_one(path, None, backend)
        return
    from rolkg.errors import IngestError, ValidationFailed
    from rolkg.graph.parallel import ingest_prepared, prepared_files
    from rolkg.graph.store import StoreError

    for prepared in prepared_files(files, jobs):
        path = prepared.path
        try:
            yield path, ingest_prepared(prepared, backend)
            continue
        except ValidationFailed as error:
            err.print(
                f"[bold red]{escape(path.name)}:[/] {escape(str(error))}; nothing was written",
                highlight=False,
            )
            _print_violations(error.outcome)
        except IngestError as error:
            err.print(
                f"[bold red]{escape(path.name)}:[/] {escape(str(error))}; nothing was written",
                highlight=False,
            )
        except StoreError as error:
            err.print(f"[bold red]{escape(path.name)}:[/] {escape(str(error))}", highlight=False)
        yield path, None


@app.command()
def build(
    ctx: typer.Context,
    reports: Annotated[
        Path | None,
        typer.Option(help="Folder of reports: .txt, .html, .pdf, .docx (default: the bundled data/reports)."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes extracting and validating reports.")
    ] = 1,
) -> None:
    """Ingest every bundled report, plus the ontology and curation graphs (idempotent).

    With ``--jobs N`` reports are extracted and validated in N processes; the store is still written one
    report at a time, in the same order, so the result is the same.
    """
    from rolkg.data import REPORTS_DIR
    from rolkg.graph.reports_index import bundled_reports
    from rolkg.graph.store import build_finished, build_started, load_ontology

    files = bundled_reports(reports or REPORTS_DIR)
    if not files:
        fail(f"no reports (.txt, .html, .pdf, .docx) in {reports or REPORTS_DIR}", USAGE)
    backend = open_store(settings_of(ctx))
    failed: list[str] = []
    try:
        try:
            folder = str((reports or REPORTS_DIR).resolve())
            started = build_started(backend, folder)  # an interrupted build stays marked unfinished
            load_ontology(backend)
        except RolkgError as error:
            fail(f"cannot load the ontology and curation graphs: {error}", error.exit_code)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task("ingesting", total=len(files))
            for path, result in _build_results(files, backend, jobs):
                progress.update(task, description=f"ingested {path.name}")
                if result is None:
                    failed.append(path.name)
                else:
                    _print_notices(result.notices)
                progress.advance(task)
        try:
            build_finished(backend, started, folder)
            count = backend.triple_count()
        except RolkgError as error:
            fail(f"cannot record the finished build: {error}", error.exit_code)
    finally:
        backend.close()
    done = len(files) - len(failed)
    err.print(f"built: {done} of {len(files)} report(s), {count} quads in the store", highlight=False)
    if failed:
        fail(f"{len(failed)} report(s) failed: {', '.join(failed)}")


@app.command()
def ingest(
    ctx: typer.Context,
    source: OptionalReportSource = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="TSV list of files or addresses with metadata columns (the layout of reports.tsv).",
            dir_okay=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes for --manifest.")
    ] = None,
    title: Title = None,
    issuer: Issuer = None,
    jurisdiction: Jurisdiction = None,
    year: Year = None,
    source_iri: SourceIri = None,
) -> None:
    """Extract one report (or each report of a --manifest), validate it and replace its graph in the
    store (all or nothing per report)."""
    if (source is None) == (manifest is None):
        fail("give either a report file or address, or --manifest FILE.tsv (not both)", USAGE)
    if manifest is not None:
        if any(v is not None for v in (title, issuer, jurisdiction, year, source_iri)):
            fail(
                "--manifest takes its metadata from its columns; drop --title/--issuer/--jurisdiction/"
                "--year/--source",
                USAGE,
            )
        _ingest_manifest(ctx, manifest, jobs)
        return
    meta = meta_options(title, issuer, jurisdiction, year, source_iri)
    backend = open_store(settings_of(ctx))
    result = None
    try:
        result = _ingest_one(source, meta, backend)
    finally:
        close_store(backend, quiet=result is None)
    if result is None:
        raise typer.Exit(FAILED)
    _print_notices(result.notices)
    err.print(
        f"ingested {result.report} ({result.triples} triples) into {result.graph_name}", highlight=False
    )


def _ingest_manifest(ctx: typer.Context, path: Path, jobs: int | None) -> None:
    """Ingest every entry of a manifest with a progress bar, then a table of the failures; exit 1 if any."""
    from rolkg.graph.manifest import ManifestError, Outcome, ingest_manifest, load_manifest

    try:
        entries = load_manifest(path)
    except ManifestError as error:
        fail(str(error))
    backend = open_store(settings_of(ctx))
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task("ingesting", total=len(entries))

            def advance(outcome: Outcome) -> None:
                progress.update(task, description=f"ingesting {escape(_source_name(outcome.entry.source))}")
                _print_notices(list(outcome.notices))
                progress.advance(task)

            outcomes = ingest_manifest(entries, backend, jobs=jobs, on_outcome=advance)
    finally:
        close_store(backend, quiet=False)
    failed = [o for o in outcomes if not o.ok]
    err.print(
        f"ingested {len(outcomes) - len(failed)} of {len(outcomes)} report(s) from {path}", highlight=False
    )
    if failed:
        table = Table("line", "source", "why it failed", title="failed entries", title_justify="left")
        for outcome in failed:
            table.add_row(str(outcome.entry.line), _source_name(outcome.entry.source), outcome.error or "")
        err.print(table)
        fail(f"{len(failed)} of {len(outcomes)} report(s) failed; nothing was written for them")


@app.command()
def extract(
    source: ReportSource,
    title: Title = None,
    issuer: Issuer = None,
    jurisdiction: Jurisdiction = None,
    year: Year = None,
    source_iri: SourceIri = None,
    format: Annotated[str, typer.Option("--format", "-f", help="trig, nquads, turtle or jsonld.")] = "trig",
) -> None:
    """Extract one report and print its graph; touches no store and does not validate."""
    from rolkg.errors import IngestError
    from rolkg.graph import formats
    from rolkg.graph.ingest import extract_source
    from rolkg.graph.namespaces import PREFIXES

    offers = (formats.TRIG, formats.NQUADS, formats.TURTLE, formats.JSONLD)
    try:
        fmt = formats.by_name(format, offers)
    except RolkgError:
        fail(f"unknown format {format!r}; choose one of {', '.join(f.name for f in offers)}", USAGE)
    meta = meta_options(title, issuer, jurisdiction, year, source_iri)
    try:
        extracted, notices = extract_source(source, meta)
    except IngestError as error:
        fail(f"{_source_name(source)}: {error}")
    _print_notices(notices)
    if fmt is formats.TURTLE:
        graph = extracted.graph
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        data = graph.serialize(format="turtle")
    else:
        dataset = Dataset()
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns)
        named = dataset.graph(extracted.graph_name)
        for triple in extracted.graph:
            named.add(triple)
        data = dataset.serialize(format=fmt.rdflib)
    sys.stdout.write(data if data.endswith("\n") else data + "\n")


def _graphs_of_file(path: Path) -> list[tuple[str, Graph]]:
    """The graphs to validate in an RDF file: each named graph of a dataset, or the one graph."""
    from rolkg.graph import formats

    readable = (formats.TURTLE, formats.TRIG, formats.NQUADS, formats.NTRIPLES, formats.JSONLD)
    found = formats.by_extension(path, readable)
    if found is None:
        names = ", ".join(f".{f.extension}" for f in readable)
        fail(f"{path}: unknown RDF file type {path.suffix.lower()!r}; use {names}", USAGE)
    fmt = found.rdflib
    try:
        if fmt in ("trig", "nquads", "json-ld"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            graphs = [(str(g.identifier), g) for g in dataset.graphs() if len(g)]
            return graphs or [(str(path), Graph())]
        graph = Graph()
        graph.parse(path, format=fmt)
        return [(str(path), graph)]
    except Exception as error:
        fail(f"{path}: cannot parse as {fmt}: {error}")


def _graphs_of_store(settings: Settings) -> list[tuple[str, Graph]]:
    from rolkg.graph.namespaces import GRAPH
    from rolkg.graph.store.base import store_query

    backend = open_store(settings, read_only=True)
    try:
        names = [g for g in backend.named_graphs() if str(g).startswith(str(GRAPH["report/"]))]
        return [(str(name), backend.construct(store_query("store-graph", graph=name))) for name in names]
    except RolkgError as error:
        fail(str(error), error.exit_code)
    finally:
        backend.close()


@app.command()
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(exists=True, dir_okay=False, help="Turtle/TriG/N-Quads file (default: the store)."),
    ] = None,
) -> None:
    """SHACL-validate an RDF file, or every report graph in the store; exit 1 on violations."""
    from rolkg.graph.ingest import validate as run_validation

    graphs = _graphs_of_file(file) if file else _graphs_of_store(settings_of(ctx))
    if not graphs:
        fail("the store holds no report graphs: run `rolkg build` first")
    bad = 0
    for name, graph in graphs:
        outcome, notices = run_validation(graph)
        _print_notices(notices)
        if outcome is None:
            fail("SHACL validation is not available in this installation")
        if outcome.conforms:
            err.print(f"[green]ok[/] {name} ({len(graph)} triples)", highlight=False)
        else:
            bad += 1
            err.print(f"[bold red]violations[/] in {name}:", highlight=False)
            _print_violations(outcome, limit=200)
    if bad:
        fail(f"{bad} of {len(graphs)} graph(s) do not conform")


def _query_text(ctx: typer.Context, query: str, backend: Any) -> str:
    from rolkg.errors import QueryNotFound
    from rolkg.graph.query import QueryLayer

    candidate = Path(query)
    if query.endswith(".rq"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
        name = query[: -len(".rq")]
    else:
        name = query
    layer = QueryLayer(backend, extra_dirs=_extra_query_dirs())
    if "{" not in query:
        try:
            return layer.text(name)
        except QueryNotFound as error:
            fail(f"{error}; or pass SPARQL text or a path to a .rq file", USAGE)
    return query


def _extra_query_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent.parent
    dirs: list[Path] = []
    for module in ("rolkg.api", "rolkg.viz"):
        try:
            package = __import__(module, fromlist=["__file__"])
            dirs.append(Path(package.__file__).parent / "queries")  # type: ignore[arg-type]
        except ImportError:
            continue
    return dirs or [here / "api" / "queries", here / "viz" / "queries"]


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return str(term)


@app.command()
def query(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="A query name (e.g. stats-classes), a .rq file, or SPARQL text.")
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=<iri> or name=text, binds $name (repeatable)."),
    ] = None,
) -> None:
    """Run a SPARQL query (named, from a file, or inline) and print the answer."""
    from rdflib.plugins.sparql.parser import parseQuery

    from rolkg.graph import formats
    from rolkg.graph.query import bind
    from rolkg.graph.results import Answer, json_pretty, serialize

    if format not in ("table", "json", "csv"):
        fail(f"unknown format {format!r}; choose table, json or csv", USAGE)
    backend = open_store(settings_of(ctx), read_only=True)
    try:
        text = _query_text(ctx, query, backend)
        try:
            text = bind(text, _parse_params(param or []))
        except RolkgError as error:
            fail(str(error), USAGE)
        try:
            form = parseQuery(text)[1].name
        except Exception as error:
            fail(f"the query is not valid SPARQL: {error}", USAGE)
        try:
            if form == "AskQuery":
                answer = backend.ask(text)
                sys.stdout.write(
                    json.dumps({"boolean": answer}) + "\n" if format == "json" else f"{str(answer).lower()}\n"
                )
                return
            if form in ("ConstructQuery", "DescribeQuery"):
                graph = backend.construct(text)
                sys.stdout.write(graph.serialize(format="json-ld" if format == "json" else "turtle"))
                return
            rows = backend.select(text)
        except RolkgError as error:
            fail(str(error), error.exit_code)
    finally:
        backend.close()
    names = _variables(text, rows)
    if format in ("json", "csv"):  # the endpoint's writers: one SPARQL JSON, one CSV
        answer = Answer(form="SELECT", variables=names, rows=[[row.get(n) for n in names] for row in rows])
        data = json_pretty(answer) if format == "json" else serialize(answer, formats.RESULTS_CSV)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        table = Table(*names, show_lines=False)
        for row in rows:
            table.add_row(*(_cell(row.get(n)) for n in names))
        out.print(table)
        err.print(f"{len(rows)} row(s)")


def _parse_params(items: list[str]) -> dict[str, Node | None]:
    params: dict[str, Node | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            fail(f"--param needs name=value, got {item!r}", USAGE)
        if value.startswith("<") and value.endswith(">"):
            params[name] = URIRef(value[1:-1])
        elif value.startswith(("http://", "https://")):
            params[name] = URIRef(value)
        elif value.isdigit():
            params[name] = Literal(int(value))
        else:
            params[name] = (
                Literal(value, lang="zh") if any("\u4e00" <= c <= "\u9fff" for c in value) else Literal(value)
            )
    return params


def _variables(text: str, rows: list[dict[str, Node]]) -> list[str]:
    """Column names in the order the query projects them (``SELECT *``: first-seen order)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text)
        projected = getattr(prepared.algebra, "PV", None)
        if projected:
            return [str(v) for v in projected]
    except Exception:
        pass
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help="trig, nquads or jsonld.")] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Write the whole store (all named graphs) as TriG, N-Quads or JSON-LD, streamed (not held in memory)."""
    from rolkg.graph import formats
    from rolkg.graph.export import export_to

    names = [f.name for f in formats.DATASET_OFFERS]
    if format not in names:
        fail(f"unknown format {format!r}; choose one of {', '.join(names)}", USAGE)
    backend = open_store(settings_of(ctx), read_only=True)
    partial = output.with_name(output.name + ".part") if output else None
    try:
        if partial is not None and output is not None:
            with partial.open("wb") as stream:
                written = export_to(backend, format, stream)
            partial.replace(output)  # a failed export leaves no half-written FILE behind
            err.print(f"wrote {written} bytes to {output}", highlight=False)
        else:
            export_to(backend, format, sys.stdout.buffer)
    except BrokenPipeError:
        # The reader stopped early (`rolkg export | head`): quietly, with stdout pointed at /dev/null so
        # the interpreter's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(FAILED) from None
    except RolkgError as error:
        fail(str(error), error.exit_code)
    except OSError as error:
        fail(f"cannot write {output or 'stdout'}: {error}")
    finally:
        backend.close()
        if partial is not None and partial.exists():
            partial.unlink()


@app.command()
def load(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="An N-Quads (.nq) or TriG dump."),
    ],
    shacl: Annotated[
        bool, typer.Option("--shacl", help="Also SHACL-validate every report graph (about 1 s each).")
    ] = False,
) -> None:
    """Bulk-load a dump (e.g. from `rolkg export`): checked graph by graph, then its graphs replaced."""
    import time

    from rolkg.graph.bulkload import LoadError, load_file, load_format
    from rolkg.graph.store import StoreError

    try:
        load_format(file)
    except LoadError as error:
        fail(str(error), USAGE)
    backend = open_store(settings_of(ctx))
    started = time.perf_counter()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task(f"checking {file.name}", total=file.stat().st_size or 1)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done)

            try:
                plan = load_file(file, backend, shacl=shacl, progress=advance)
            except StoreError as error:  # LoadError included: nothing was written
                progress.stop()
                fail(str(error))
            progress.update(task, description=f"loaded {file.name}", completed=file.stat().st_size or 1)
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    err.print(
        f"loaded {plan.total} quads in {len(plan.quads)} graph(s) ({sum(plan.reports.values())} report(s)) "
        f"in {seconds:.1f} s ({plan.total / max(seconds, 1e-9):,.0f} quads/s)",
        highlight=False,
    )


@app.command()
def relink(ctx: typer.Context) -> None:
    """Recompute every cross-report link and plan follow-through, place by place."""
    from rolkg.graph.crosslink import relink_all

    with store_session(ctx) as backend:
        results = relink_all(backend)
    table = Table("place", "reports", "links", "plans", title="cross-report lineage")
    for r in results:
        table.add_row(str(r.place), str(r.reports), str(r.links), str(r.plans))
    out.print(table)
    err.print(
        f"relinked {len(results)} place(s): {sum(r.links for r in results)} link(s), "
        f"{sum(r.plans for r in results)} plan(s) followed through",
        highlight=False,
    )


@app.command()
def stats(ctx: typer.Context) -> None:
    """Counts per class and per report."""
    from rolkg.graph.query import QueryLayer

    with store_session(ctx, read_only=True) as backend:
        layer = QueryLayer(backend)
        classes = layer.select("stats-classes")
        reports = layer.select("stats-reports")
        total = backend.triple_count()
        graphs = len(backend.named_graphs())
    out.print(f"{total} quads in {graphs} named graph(s)", highlight=False)
    table = Table("class", "count", title="resources per class")
    for row in classes:
        table.add_row(str(row["class"]).rsplit("#", 1)[-1], str(row["count"]))
    out.print(table)
    table = Table("report", "year", "initiatives", "metrics", "evidence", title="per report")
    for row in reports:
        table.add_row(
            str(row.get("title", row["report"])),
            str(row.get("year", "")),
            str(row.get("initiatives", 0)),
            str(row.get("metrics", 0)),
            str(row.get("evidence", 0)),
        )
    out.print(table)


CHECK_COLUMNS = (
    "status",
    "placeLabel",
    "indicatorLabel",
    "year",
    "figureValue",
    "unit",
    "changeExact",
    "baseYear",
    "implied",
    "previousValue",
    "deviation",
    "figureReport",
    "previousReport",
)


@app.command()
def checks(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="consistent, inconsistent or all.")] = "all",
    place: Annotated[
        str | None, typer.Option(help="Only this place: its IRI or its slug (zhejiangshengningboshicixishi).")
    ] = None,
    recompute: Annotated[
        bool,
        typer.Option("--recompute", help="Recompute every place's checks first (needs a writable store)."),
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List the figure checks: stated changes (同比上升…) against the previous year's figure in the store."""
    from rolkg.graph.checks import recheck_all
    from rolkg.graph.iris import mint
    from rolkg.graph.query import QueryLayer
    from rolkg.graph.store import StoreError

    if status not in ("consistent", "inconsistent", "all"):
        fail(f"unknown status {status!r}; choose consistent, inconsistent or all", USAGE)
    if format not in ("table", "json", "csv"):
        fail(f"unknown format {format!r}; choose table, json or csv", USAGE)
    place_iri = None
    if place:
        if place.startswith(("http://", "https://")):
            place_iri = URIRef(place)
        elif place.replace("-", "").isalnum() and place.isascii():
            place_iri = mint("place", place)
        else:
            fail(f"not a place IRI or slug: {place!r}", USAGE)
    backend = open_store(settings_of(ctx))
    try:
        if recompute:
            recheck_all(backend)
        rows = QueryLayer(backend).select(
            "indicators/checks", status=None if status == "all" else Literal(status), place=place_iri
        )
    except StoreError as error:
        fail(str(error))
    finally:
        backend.close()
    if format == "json":
        doc = [{k: _cell(v) for k, v in row.items()} for row in rows]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    elif format == "csv":
        names = sorted({k for row in rows for k in row}) or list(CHECK_COLUMNS)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[_cell(row.get(n)) for n in names] for row in rows])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(*CHECK_COLUMNS, show_lines=False)
        for row in rows:
            table.add_row(*(_cell(row.get(n)) for n in CHECK_COLUMNS))
        out.print(table)
        err.print(f"{len(rows)} check(s)")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: 8000].")] = None,
    query_timeout: Annotated[
        float | None, typer.Option(help="Seconds a /sparql query may run [default: 30].")
    ] = None,
    base_iri: Annotated[
        str | None,
        typer.Option(
            help="Public base URL of this deployment, used in links and the service description [default: http://HOST:PORT/]."
        ),
    ] = None,
) -> None:
    """Serve the API and pages; builds the store from the bundled reports first when it is empty.

    The embedded store is opened read-only while serving: to ingest more, stop the server first (or
    use a remote store).
    """
    try:
        settings = settings_of(ctx).with_overrides(
            host=host, port=port, query_timeout=query_timeout, base_iri=base_iri
        )
        settings.check()
    except ConfigError as error:
        fail(str(error), USAGE)
    from rolkg.graph.store import build_state

    backend = open_store(settings)  # alone: refused (with the holder's pid) while another server runs
    try:
        # ASK stops at the first quad; counting them all took longer than a remote store's timeout at 1M.
        empty = not backend.ask("ASK { GRAPH ?g { ?s ?p ?o } }")
        state = build_state(backend)
    except RolkgError as error:
        fail(f"cannot read the store: {error}", error.exit_code)
    finally:
        backend.close()
    folder: Path | None = None
    if state.unfinished:
        folder = Path(state.reports) if state.reports and Path(state.reports).is_dir() else None
        err.print(
            f"the store holds an unfinished build (started {state.started:%Y-%m-%d %H:%M:%S} UTC, never "
            f"finished): completing it from {folder or 'the bundled reports'} before serving",
            highlight=False,
        )
    elif empty:
        err.print("the store is empty: building it from the bundled reports first", highlight=False)
    if state.unfinished or empty:
        try:
            ctx.invoke(build, ctx=ctx, reports=folder)
        except typer.Exit as exit_:
            if exit_.exit_code:
                err.print("[yellow]some reports failed; serving what was built[/]")
    try:
        from rolkg.api.app import create_app, run_server
        from rolkg.api.memory import tune_malloc
    except ImportError as error:
        fail(f"the API is not installed ({error}); reinstall with python3 -m pip install -e .")

    ctx.ensure_object(dict)["settings"] = settings
    err.print(f"serving on http://{settings.host}:{settings.port}/", highlight=False)
    tune_malloc()  # before the SPARQL workers start: they inherit the settings
    run_server(create_app(settings, warm=True), settings.host, settings.port)


@app.command(
    "viz",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def viz(ctx: typer.Context) -> None:
    """Graph views and pages (`rolkg viz --help`)."""
    # Imported on use: the views pull in networkx and pyvis (about 1.5 s), which no other command needs.
    try:
        from rolkg.viz.cli import app as viz_app
    except ImportError as error:
        fail(f"the graph views are not installed ({error})")
    viz_app(args=ctx.args, prog_name="rolkg viz", obj=ctx.obj)


def main() -> None:
    """Entry point of the ``rolkg`` console script.

    An operating-system error that no command turned into a message (a full disk under stdout, a closed
    pipe) still ends with one line and exit status 1, not a traceback.
    """
    try:
        try:
            app(obj={})
        finally:
            sys.stdout.flush()  # here, not at interpreter exit, so that a full disk is reported
    except OSError as error:
        _os_error(error)


def _os_error(error: OSError) -> NoReturn:
    import errno
    import os

    # what is still buffered for stdout can go nowhere; point it at /dev/null so exit does not fail again
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if error.errno != errno.EPIPE:  # a closed pipe (| head) is the reader's choice, not an error to report
        where = f" {error.filename}" if error.filename else ""
        err.print(
            f"[bold red]error:[/] cannot write{escape(where)}: {escape(error.strerror or str(error))}",
            highlight=False,
        )
    sys.exit(FAILED)


__all__ = ["app", "main"]
