"""Pages of long lists without sorting the whole list: count per group, then sort only the groups on the page.

Oxigraph compares IRIs by their text, so ``ORDER BY ?report ?initiative`` over 11k initiatives cost seconds
at 1M, while counting them per report compares no IRI and sorting a report's hundred is cheap. A list
sorted by (group, IRI) is paged in two named queries: ``{list}/per-report`` gives ``?group ?n`` in group
order (the total is their sum), and ``{list}/page`` takes the groups the page spans as ``$groups`` and cuts
the page in SPARQL (LIMIT/OFFSET, through ``QueryLayer.select_page``). Same rows, same order.
"""

from __future__ import annotations

from rdflib.term import Node
from rolkg.graph.query import Param, QueryLayer
from rolkg.graph.store import Row


def grouped_page(
    layer: QueryLayer, name: str, *, limit: int, offset: int, **filters: Param
) -> tuple[int, list[Row]]:
    """``(total, rows of the page)`` of the list ``name`` (``read/initiatives``, ``read/metrics``).

    ``filters`` go to both queries, except ``report``, which only the counts take (it picks the groups).
    """
    # The counts are kept per store version (QueryLayer.select_cached): paging on costs one page query.
    counts = [
        (row["group"], int(row["n"].toPython()))  # type: ignore[union-attr]
        for row in layer.select_cached(f"{name}/per-report", **filters)
    ]
    total = sum(n for _, n in counts)
    groups: list[Node] = []
    seen, skip = 0, 0
    for group, n in counts:
        if seen + n <= offset:
            seen += n
            continue
        if not groups:
            skip = offset - seen
        groups.append(group)
        seen += n
        if seen >= offset + limit:
            break
    if not groups:
        return total, []
    page_filters = {k: v for k, v in filters.items() if k != "report"}
    return total, layer.select_page(f"{name}/page", limit=limit, offset=skip, groups=groups, **page_filters)
