"""Loading large files into the oxigraph store on disk: streamed, checked before anything is written, and
queried afterwards like any store."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pyoxigraph
import pytest

from libertera_kg import connect, load_into_store
from libertera_kg.cli import main
from libertera_kg.disk_store import LoadInterrupted, open_read_only
from libertera_kg.oxigraph import named_graphs_nquads
from libertera_kg.synth import write_synthetic

if TYPE_CHECKING:
    from conftest import Launcher

OPERATION = "https://w3id.org/libertera/ontology#Operation"
COMMAND = str(Path(sys.executable).parent / "libertera-kg")


def _size(location: Path) -> int:
    store = pyoxigraph.Store(str(location))
    try:
        return len(store)
    finally:
        del store


def test_synthetic_data_loads_into_a_new_store_beside_our_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, location = tmp_path / "synthetic.nq", tmp_path / "store"
    quads = write_synthetic(4, 3, data)
    assert main(["load", str(data), "--store-path", str(location)]) == 0
    out, err = capsys.readouterr()
    assert f"{quads:,} quads" in out
    assert err == ""  # no progress bar when standard error is not a terminal
    store = connect("oxigraph", path=location)
    operations = store.sparql(
        "SELECT (COUNT(DISTINCT ?op) AS ?n) WHERE { ?op a <https://w3id.org/libertera/ontology#Operation> }"
    )
    assert operations.to_dicts() == [{"n": 7}]  # the three Liberterra operations and four synthetic ones


def test_triples_go_into_a_graph_named_after_the_file(tmp_path: Path) -> None:
    data, location = tmp_path / "mine.ttl", tmp_path / "store"
    data.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    assert main(["load", str(data), "--store-path", str(location)]) == 0
    answer = connect("oxigraph", path=location).sparql(
        "SELECT ?g WHERE { GRAPH ?g { <https://example.org/a> ?p ?o } }"
    )
    assert answer.to_dicts() == [{"g": "https://w3id.org/libertera/graph/mine"}]


def test_a_broken_file_names_its_line_and_leaves_the_store_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad, location = tmp_path / "good.nt", tmp_path / "bad.nt", tmp_path / "store"
    good.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    assert main(["load", str(good), "--store-path", str(location)]) == 0
    before = _size(location)
    bad.write_text(
        '<https://example.org/d> <https://example.org/e> <https://example.org/f> .\n<a> <b> "x .\n'
    )
    capsys.readouterr()
    assert main(["load", str(good), str(bad), "--store-path", str(location)]) == 2
    error = capsys.readouterr().err
    assert f"{bad}, line 2" in error
    assert "Traceback" not in error
    assert _size(location) == before


def test_unknown_file_types_and_missing_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    assert main(["load", str(odd), "--store-path", str(tmp_path / "store")]) == 2
    assert "unknown RDF file type '.csv'" in capsys.readouterr().err
    assert main(["load", str(tmp_path / "none.nq"), "--store-path", str(tmp_path / "store")]) == 2
    assert "the file does not exist" in capsys.readouterr().err
    assert not (tmp_path / "store").exists()


def test_the_server_serves_a_loaded_store_as_the_library_queries_it(tmp_path: Path, launch: Launcher) -> None:
    data, location = tmp_path / "synthetic.nq", tmp_path / "store"
    write_synthetic(3, 5, data)
    # A property only this store labels: its pages must name it as the served graph does.
    twinned = tmp_path / "twinned.nt"
    twinned.write_text(
        "<https://w3id.org/libertera/id/country/BR> <https://example.org/def#twinnedWith> "
        "<https://w3id.org/libertera/id/country/MZ> .\n"
        "<https://example.org/def#twinnedWith> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"is twinned with"@en .\n',
        encoding="utf-8",
    )
    assert main(["load", str(data), str(twinned), "--store-path", str(location)]) == 0
    expected = connect("oxigraph", path=location)
    canned = expected.query("cases-by-country", country="BR").to_csv()
    quads = expected.store  # type: ignore[attr-defined]
    named = sorted(
        str(q) + " .\n"
        for q in quads.quads_for_pattern(None, None, None)
        if q.graph_name != pyoxigraph.DefaultGraph()
    )
    del quads, expected  # closes the store, which the server's workers then open read-only
    server = launch.ours(tmp_path, "--store", "oxigraph", "--store-path", str(location), "--workers", "2")
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            answer = client.get(
                "queries/cases-by-country", params={"country": "BR"}, headers={"Accept": "text/csv"}
            )
            dump = client.get("dumps/libertera.nq")
            page = client.get("id/country/BR", headers={"Accept": "text/html"})
            operations = client.get(
                "sparql",
                params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?op a <{OPERATION}> }}"},
                headers={"Accept": "text/csv"},
            )
    finally:
        server.stop()
    assert answer.status_code == 200
    assert answer.text == canned
    assert page.status_code == 200
    assert "is twinned with" in page.text, "the page names the property as the served graph labels it"
    assert operations.text.split() == [
        "n",
        "6",
    ]  # the three Liberterra operations and three synthetic ones, each once
    assert dump.text.splitlines(keepends=True) == named  # the named graphs, sorted, without the merge


def test_serving_a_folder_without_a_store_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--store", "oxigraph", "--store-path", str(tmp_path / "none")]) == 2
    error = capsys.readouterr()
    assert "no such store" in error.err
    assert "libertera-kg load" in error.err
    assert "serving on" not in error.out
    assert main(["serve", "--store-path", str(tmp_path)]) == 2
    assert "--store oxigraph" in capsys.readouterr().err


def stored_quads(location: Path) -> list[bytes]:
    """The named graphs of the store on disk at ``location`` as sorted N-Quads lines, blank nodes
    unnamed (a load gives each blank node a new name)."""
    text = named_graphs_nquads(open_read_only(location).store)
    return sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:b", text).splitlines())


def test_ctrl_c_at_any_moment_of_a_load_leaves_the_store_as_it_was_or_says_it_loaded(tmp_path: Path) -> None:
    """SIGINT sent at several moments of ``load`` (checking the file, copying the store, writing, near
    the end): either the command says nothing was loaded and the store is exactly as before, or it loaded
    the whole file and says so."""
    data = tmp_path / "synthetic.nq"
    write_synthetic(100, 3, data)
    store, pristine, timed = tmp_path / "store", tmp_path / "pristine", tmp_path / "timed"
    load_into_store(store, [], progress=False)
    shutil.copytree(store, pristine)
    shutil.copytree(store, timed)
    before = stored_quads(store)
    started = time.monotonic()  # the same load, whole, to know when its moments come
    subprocess.run([COMMAND, "load", str(data), "--store-path", str(timed)], check=True, capture_output=True)
    whole = time.monotonic() - started
    after = stored_quads(timed)
    assert after != before
    outcomes = []
    for fraction in (0.35, 0.5, 0.65, 0.8, 0.9, 0.97):
        process = subprocess.Popen(
            [COMMAND, "load", str(data), "--store-path", str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(whole * fraction)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=300)
        outcomes.append(process.returncode)
        if process.returncode == 130:
            assert err.decode() in (
                f"libertera-kg: interrupted; nothing was loaded, the store at {store} is as it was\n",
                "libertera-kg: interrupted\n",  # still starting: nothing was opened yet
            )
            assert out == b""
            assert stored_quads(store) == before
        else:
            assert process.returncode == 0, err
            assert out.decode().startswith(f"loaded {data}: ")
            assert stored_quads(store) == after
            shutil.rmtree(store)
            shutil.copytree(pristine, store)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pristine", "store", "synthetic.nq", "timed"]
    assert 130 in outcomes, f"no interrupt landed during the load: {outcomes}"


def _open_files() -> list[Path]:
    """The files this process holds open, read from /proc (a store open on a folder holds several)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            held.append(fd.readlink())
        except OSError:  # closed meanwhile
            continue
    return held


def _interrupt_when_loading(data: Path, staging: Path) -> None:
    """Send this process SIGINT once the copy of the store exists and ``data`` is being read into it."""
    for _ in range(20_000):
        if staging.exists() and data in _open_files():
            os.kill(os.getpid(), signal.SIGINT)
            return
        time.sleep(0.001)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
def test_an_interrupted_load_closes_its_copy_before_removing_it(tmp_path: Path) -> None:
    """The copy being loaded is closed before it is removed: while RocksDB still has it open it may add a
    file as the folder is emptied, and the folder stays behind (seen once in CI as ``.store.loading-PID``).
    Before the fix the interrupted frames kept the copy open, so its files were still held here."""
    data = tmp_path / "synthetic.nq"
    write_synthetic(100, 5, data)
    store = tmp_path / "store"
    load_into_store(store, [], progress=False)
    staging = tmp_path / f".store.loading-{os.getpid()}"
    watcher = threading.Thread(target=_interrupt_when_loading, args=(data, staging))
    watcher.start()
    with pytest.raises(LoadInterrupted) as interrupted:
        load_into_store(store, [data], progress=False)
    watcher.join()
    assert str(interrupted.value) == f"interrupted; nothing was loaded, the store at {store} is as it was"
    assert [name for name in _open_files() if name.is_relative_to(staging)] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "synthetic.nq"]
