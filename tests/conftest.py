"""Shared fixtures: the shipped knowledge graph, loaded once, and the folder of small test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from libertera_kg import KnowledgeGraph, load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The ontology and data exactly as the installed package ships them."""
    return load()


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of small Turtle files, valid and broken, that the tests use."""
    return FIXTURES
