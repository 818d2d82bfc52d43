"""The other SPARQL engines, started on 127.0.0.1 from Debian's packages for the tests and the benchmarks:
a private OpenLink Virtuoso (its own ``virtuoso.ini`` and database in a folder of the caller's, no system
service) and Apache Jena ARQ (its command line, and a small endpoint over it). A missing package raises
:class:`EngineMissingError`, naming what to install.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path


class EngineMissingError(Exception):
    """An engine's Debian package is not installed; the message names it."""


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Poll ``url`` until it answers a trivial ASK; :class:`RuntimeError` with the server's output if it
    exits first or does not answer in time."""
    query = url + "?query=" + urllib.parse.quote("ASK {}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the SPARQL server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(query, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the SPARQL server at {url} did not answer within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


#: Debian's Jena jars: the command-line tools and everything they need beside them.
JAVA_LIBRARIES = Path("/usr/share/java")
#: SLF4J bridges and bindings among Debian's jars that clash with one another; slf4j-nop stays.
_CLASHING_JARS = (
    "log4j-over-slf4j",
    "jcl-over-slf4j",
    "jul-to-slf4j",
    "maven3-slf4j-provider",
    "slf4j-jcl",
    "slf4j-jdk14",
    "slf4j-log4j12",
    "slf4j-simple",
)

#: A jar named with its version, beside the same jar without it.
_VERSIONED = re.compile(r"-\d+(\.\d+)*$")

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
; where-sources-differ takes just over the default 400 MB to compile
MaxMemPoolSize = 2000000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {max_seconds}
"""


class Virtuoso:
    """A private Virtuoso server: its base URL (``sparql``, ``sparql-graph-crud-auth``) and process.

    ``buffers`` is its page cache in 8 kB pages (Virtuoso's own advice: two thirds of the memory it may
    take); a query runs at most ``max_seconds``.
    """

    def __init__(self, folder: Path, *, buffers: int = 10_000, max_seconds: int = 300):
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise EngineMissingError(
                "OpenLink Virtuoso is not installed: apt-get install virtuoso-opensource"
            )
        self.folder = folder
        http_port, self.sql_port = free_loopback_port(), free_loopback_port()
        ini = folder / "virtuoso.ini"
        settings = {"buffers": buffers, "dirty_buffers": buffers * 3 // 4, "max_seconds": max_seconds}
        ini.write_text(
            _VIRTUOSO_INI.format(folder=folder, sql_port=self.sql_port, http_port=http_port, **settings)
        )
        log = folder / "console.log"
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [binary, "+configfile", str(ini), "+foreground"],
                cwd=folder,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{http_port}/"
        try:
            wait_until_answering(self.url + "sparql", self.process, log, 120)
        except BaseException:
            self.stop()
            raise

    def bulk_load(self, files: dict[Path, str]) -> None:
        """Load each file (in this server's folder) with Virtuoso's bulk loader through ``isql-vt``, its
        triples into the graph named beside it (an N-Quads file's quads keep their own graphs)."""
        isql = shutil.which("isql-vt")
        if isql is None:
            raise EngineMissingError(
                "Virtuoso's isql-vt is not installed: apt-get install virtuoso-opensource"
            )
        listed = "".join(
            f"ld_dir('{file.parent}', '{file.name}', '{graph}');" for file, graph in files.items()
        )
        script = f"{listed} rdf_loader_run(); checkpoint;"
        done = subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={script}"],
            capture_output=True,
            check=False,
        )
        output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode or "Error" in output:
            raise RuntimeError(f"Virtuoso's bulk loader failed: {output[-2000:]}")

    def stop(self) -> None:
        """Stop the server, and the process that holds the database if it forked (``VIRT_PID``)."""
        stop(self.process)
        lock = self.folder / "virtuoso.lck"
        held = lock.read_text().partition("VIRT_PID=")[2].split() if lock.exists() else []
        if held and held[0].isdigit():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(held[0]), signal.SIGKILL)


class Jena:
    """Apache Jena ARQ on Debian's Jena 4.5 jars: its ``arq.sparql`` command, and a SPARQL endpoint over
    ARQ (``engines/JenaEndpoint.java``, run as a source file) for the queries a view sends.

    Debian's jena-core keeps Xerces' classes under ``xerces.*`` but their message files under
    ``org/apache/jena/ext/xerces/``; without them Jena fails as it starts ("internal error"). They are
    copied to ``xerces/`` in a folder put first on the class path, before every jar of
    ``/usr/share/java`` but the SLF4J bridges and bindings that clash with one another.
    """

    def __init__(self, folder: Path, quads: Path, triples: Path):
        java, core = shutil.which("java"), JAVA_LIBRARIES / "jena-core.jar"
        if java is None or not core.exists():
            raise EngineMissingError(
                "Apache Jena or Java is not installed: apt-get install libapache-jena-java "
                "default-jre-headless"
            )
        messages = folder / "jena-messages"
        prefix = "org/apache/jena/ext/"
        with zipfile.ZipFile(core) as jar:
            for name in jar.namelist():
                if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                    target = messages / name.removeprefix(prefix)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
        jars = [
            str(jar)
            for jar in sorted(JAVA_LIBRARIES.glob("*.jar"))
            if not _VERSIONED.search(jar.stem) and jar.stem not in _CLASHING_JARS
        ]
        self.java = [java, "-cp", os.pathsep.join([str(messages), *jars])]
        self.folder, self.quads, self.triples = folder, quads, triples

    def arq_sparql(self, text: str) -> dict[str, object]:
        """A SELECT query's SPARQL JSON answer from ``arq.sparql``, the N-Quads filling the named graphs
        and the merged N-Triples the default graph, as the README says to run it."""
        query = self.folder / "query.rq"
        query.write_text(text, encoding="utf-8")
        data = ["--data", str(self.quads), "--data", str(self.triples)]
        command = [*self.java, "arq.sparql", *data, "--query", str(query), "--results", "json"]
        answer = subprocess.run(command, capture_output=True, check=False, timeout=300)
        assert answer.returncode == 0, answer.stderr.decode(errors="replace")[-2000:]
        result: dict[str, object] = json.loads(answer.stdout)
        return result

    def serve(self) -> tuple[str, subprocess.Popen[bytes]]:
        """The endpoint over ARQ on a free loopback port, once it answers: its URL and process."""
        port, log = free_loopback_port(), self.folder / "endpoint.log"
        source = Path(__file__).parent / "JenaEndpoint.java"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [*self.java, str(source), str(port), str(self.quads), str(self.triples)],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}/sparql"
        try:
            wait_until_answering(url, process, log, 120)
        except BaseException:
            stop(process)
            raise
        return url, process
