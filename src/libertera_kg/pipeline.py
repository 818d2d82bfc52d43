"""The main job, ``build``: load, check, validate, then publish the dumps, query answers, views and pictures.

The command line's ``libertera-kg build`` is this function and a print of its report; nothing is written
unless every check passes and the data conforms to the shapes.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     report = build(output=pathlib.Path(folder) / "dist")
>>> report.published, [path.name for path in report.dumps][:2]
(True, ['libertera.trig', 'libertera.nq'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import Problem
from .errors import MissingDependencyError
from .progress import Progress
from .summary import GraphSummary
from .validation import ValidationReport

if TYPE_CHECKING:
    from .stores import Store

_CHECKS_PASSED = (
    "checks: every term declared, ontology header complete, OWL typing and OWL 2 RL consistency pass"
)


@dataclass(frozen=True)
class CheckReport:
    """The outcome of the quality checks (``libertera-kg check``): every problem found, none when passed."""

    problems: tuple[Problem, ...]

    @property
    def passed(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.passed:
            return _CHECKS_PASSED
        return "\n".join(
            [f"{len(self.problems)} problem(s) found by the quality checks:"]
            + [f"  {problem}" for problem in self.problems]
        )


@dataclass(frozen=True)
class BuildReport:
    """What ``build`` did: the graph's summary, the checks and validation, and every file it wrote.

    When a check fails or the data does not conform, ``published`` is false and no file was written.
    """

    output: Path
    summary: GraphSummary
    checks: CheckReport
    validation: ValidationReport | None
    dumps: tuple[Path, ...] = ()
    query_results: tuple[Path, ...] = ()
    views: tuple[Path, ...] = ()
    pictures: tuple[Path, ...] = ()

    @property
    def published(self) -> bool:
        return bool(self.dumps)

    def __str__(self) -> str:
        if not self.checks.passed:
            return f"{self.checks}\nNothing was published: fix the ontology or data and run the build again."
        assert self.validation is not None
        if not self.validation.conforms:
            return f"{self.validation}\nNothing was published: the data does not conform to the SHACL shapes."
        lines = [
            str(self.summary),
            str(self.checks),
            f"SHACL: conforms, {len(self.validation.warnings)} warning(s), "
            f"{len(self.validation.infos)} note(s)",
            *(f"  warning: {result}" for result in self.validation.warnings),
            *(f"  note: {result}" for result in self.validation.infos),
            f"wrote {len(self.dumps)} dumps to {self.output}/: " + ", ".join(p.name for p in self.dumps),
            f"wrote {len(self.query_results)} canned query results to {self.output}/queries/ (CSV)",
            f"wrote {len(self.views)} graph views to {self.output}/views/ (GraphML)"
            + (
                f" and {len(self.pictures)} pictures (PNG)"
                if self.pictures
                else "; no pictures: pip install 'libertera-kg[viz]'"
            ),
        ]
        return "\n".join(lines)


def check(*files: str | Path, with_shipped_data: bool = True) -> CheckReport:
    """Run the quality checks on the shipped graph together with ``files`` (a contributor's reports), or
    on ``files`` with the ontology alone (``with_shipped_data=False``)."""
    from .checks import run_all_checks
    from .graph import load

    return CheckReport(tuple(run_all_checks(load(*files, with_shipped_data=with_shipped_data))))


def build(
    files: Sequence[str | Path] = (), *, output: Path = Path("dist"), progress: Progress | None = None
) -> BuildReport:
    """Load the shipped graph and ``files``, check and validate it, and publish it into ``output``: the
    dumps, every canned query's answer (CSV), every view (GraphML) and, with the viz extra, its picture.
    ``progress`` hears of each step as it starts."""
    from .checks import run_all_checks
    from .graph import load
    from .publish import refuse_unwritable_folder, serialize_dumps, write_files_atomically
    from .stores import canned_query_results, connect
    from .validation import validate

    step = progress or (lambda what: None)
    refuse_unwritable_folder(output)  # before the minute of work, not after it
    step("loading the ontology and data")
    kg = load(*files)
    summary = kg.summary()
    step("running the quality checks")
    checks = CheckReport(tuple(run_all_checks(kg)))
    if not checks.passed:
        return BuildReport(output, summary, checks, None)
    step("validating against the SHACL shapes")
    validation = validate(kg)
    if not validation.conforms:
        return BuildReport(output, summary, checks, validation)
    store = connect(graph=kg)
    step("running the canned queries")
    answers = {f"queries/{name}.csv": csv for name, csv in canned_query_results(store).items()}
    views, pictures = _view_files(store, step)
    step("writing the dumps")
    dumps = serialize_dumps(kg.dataset)
    write_files_atomically(output, {**dumps, **answers, **views, **pictures})
    return BuildReport(
        output,
        summary,
        checks,
        validation,
        dumps=tuple(output / name for name in dumps),
        query_results=tuple(output / name for name in answers),
        views=tuple(output / name for name in views),
        pictures=tuple(output / name for name in pictures),
    )


def _view_files(store: Store, step: Progress) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every view as GraphML, and as a PNG picture when matplotlib is installed, by relative file name."""
    from .view_files import serialise_view
    from .views import list_views, view

    graphs = {}
    for item in list_views():
        step(f"building the view {item.name}")
        graphs[item.name] = view(item.name, store)
    graphml = {f"views/{name}.graphml": serialise_view(graph, "graphml") for name, graph in graphs.items()}
    pictures = {}
    try:
        from .drawing import render_view

        for name, graph in graphs.items():
            step(f"drawing the view {name}")
            pictures[f"views/{name}.png"] = render_view(graph, name)
    except MissingDependencyError:
        pictures = {}
    return graphml, pictures
