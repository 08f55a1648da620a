"""The schemas' checks compiled ahead of time are those their schemas compile to today."""

from __future__ import annotations

import pytest

from generator.load.schema import SCHEMA_NAMES
from generator.load.schema_checks import FOLDER, check_source


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_compiled_check_is_current(name: str) -> None:
    written = (FOLDER / f"{name}.py").read_text(encoding="utf-8")
    assert written == check_source(name), f"run `make schemas`: {name}.py is out of date"
