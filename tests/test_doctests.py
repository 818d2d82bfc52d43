"""The examples in the installed package's docstrings, its subpackages' too, run and give the output they
show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import libertera_kg


def test_docstring_examples_pass() -> None:
    attempted = 0
    for module_info in pkgutil.walk_packages(libertera_kg.__path__, "libertera_kg."):
        module = importlib.import_module(module_info.name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, f"{module_info.name}: {result.failed} docstring example(s) failed"
        attempted += result.attempted
    result = doctest.testmod(libertera_kg, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert attempted + result.attempted >= 4, "the package should carry runnable examples"
