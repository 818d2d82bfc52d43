"""Builds the wheel's compiled graph: the sources parsed and their quotes compiled into claims once, here,
rather than at every start of the library (see src/libertera_kg/compiled.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledGraphHook(BuildHookInterface):  # type: ignore[type-arg]
    """Writes ``compiled/libertera.nq`` and its manifest into the wheel's resources."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from libertera_kg.compiled import write_compiled
        finally:
            sys.path.pop(0)
        written = write_compiled(root, root / "build" / "compiled")
        for path in written:
            build_data["force_include"][str(path)] = f"libertera_kg/_resources/compiled/{path.name}"
