"""Writing output files safely: whole or not at all, never a half-written file left behind."""

from __future__ import annotations

from pathlib import Path

from .errors import LiberteraError


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, then rename it into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise LiberteraError(f"Cannot write {path}: {exc.strerror}.") from exc
