"""``rolkg viz``: write the network views as standalone HTML files that open offline from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rolkg.viz import pages, subgraph, views
from rolkg.viz.kg import CLASS_LABELS, DATA
from rolkg.viz.netcache import NetworkCache
from rolkg.viz.render import render
from rolkg.viz.source import Selector, open_layer

from rolkg.config import Settings
from rolkg.errors import RolkgError

app = typer.Typer(
    help="Standalone network views (HTML files with every asset inlined).", no_args_is_help=True
)

Out = Annotated[Path, typer.Option("-o", "--output", help="HTML file to write")]
Store = Annotated[Path | None, typer.Option("--store", help="embedded store directory (default: settings)")]
Server = Annotated[
    str, typer.Option("--server", help="base URL the panel links point at, e.g. http://127.0.0.1:8000")
]


_GIVEN: dict[str, Settings] = {}  # the settings `rolkg`'s global options made for this invocation


@app.callback()
def _options(ctx: typer.Context) -> None:
    """Standalone network views (HTML files with every asset inlined)."""
    settings = ctx.obj.get("settings") if isinstance(ctx.obj, dict) else None
    _GIVEN.clear()
    if isinstance(settings, Settings):
        _GIVEN["settings"] = settings


def _settings(store: Path | None) -> Settings:
    """The settings of ``rolkg``'s global options (``rolkg --store X viz …``), then this command's --store."""
    settings = _GIVEN.get("settings") or Settings.from_env()
    return settings.with_overrides(store_path=store)


def _layer(store: Path | None) -> Selector:
    from rolkg.graph.store import open_store

    try:
        return open_layer(open_store(_settings(store), read_only=True))
    except RolkgError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None


def _iri(ident: str) -> str:
    return ident if ident.startswith(("http://", "https://")) else DATA + ident.strip("/")


def _write(out: Path, context: dict, server: str) -> None:
    context["data"]["base"] = server.rstrip("/")
    out.write_text(
        render(
            "network.html", standalone=True, base=server.rstrip("/"), class_labels=CLASS_LABELS, **context
        ),
        encoding="utf-8",
    )
    typer.echo(f"wrote {out} ({context['data']['drawn']} of {context['data']['total']} nodes)")


@app.command()
def overview(
    output: Out = Path("overview.html"),
    store: Store = None,
    server: Server = "",
    cls: Annotated[list[str] | None, typer.Option("--class", help="keep only these classes")] = None,
    report: Annotated[str, typer.Option(help="report IRI")] = "",
    limit: int = views.DEFAULT_LIMIT,
) -> None:
    """The overview network."""
    ctx = pages.overview_page(
        NetworkCache(_layer(store)), classes=cls or [], theme="", body="", report=report, limit=limit
    )
    ctx["filters"] = None  # the filter form needs the server
    _write(output, ctx, server)


@app.command()
def entity(
    ident: str, output: Out = Path("entity.html"), store: Store = None, server: Server = "", depth: int = 1
) -> None:
    """The neighbourhood of IDENT (``kind/slug`` or a full IRI)."""
    iri = _iri(ident)
    try:
        g, _ = subgraph.around(_layer(store), iri, depth, views.DEFAULT_LIMIT)
    except KeyError:
        raise typer.BadParameter(f"{ident} is not in the graph") from None
    _write(output, pages.network_page(views.neighbourhood(g, iri, depth), g.nodes[iri]["label"]), server)


@app.command()
def lineage(ident: str, output: Out = Path("lineage.html"), store: Store = None, server: Server = "") -> None:
    """The lineage of IDENT, upstream → downstream."""
    iri = _iri(ident)
    try:
        g = subgraph.lineage_around(_layer(store), iri, views.DEFAULT_LIMIT)
    except KeyError:
        raise typer.BadParameter(f"{ident} is not in the graph") from None
    _write(output, pages.network_page(views.lineage(g, iri), g.nodes[iri]["label"], "lineage"), server)


@app.command()
def connect(
    start: Annotated[str, typer.Option("--from", help="IRI, kind/slug or [Class:]label pattern (… = any)")],
    end: Annotated[str, typer.Option("--to", help="IRI, kind/slug or [Class:]label pattern")],
    output: Out = Path("connect.html"),
    store: Store = None,
    server: Server = "",
) -> None:
    """Shortest paths between two sets of resources, drawn and listed."""
    found = NetworkCache(_layer(store)).connection(start, end)
    ctx = pages.connect_page(found, (("", start), ("", end)))
    ctx["picker"] = None
    _write(output, ctx, server)


if __name__ == "__main__":
    app()
