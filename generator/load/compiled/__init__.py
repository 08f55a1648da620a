"""The schemas' pass/fail checks compiled to Python, one module per schema (generated).

The checks raise the exceptions defined here rather than fastjsonschema's, so running
them does not import the code generator; a rejection only means "ask jsonschema".
"""

from __future__ import annotations


class JsonSchemaValueException(ValueError):
    """A value a compiled check rejects (fastjsonschema's signature)."""

    def __init__(
        self,
        message: str,
        value: object = None,
        name: str | None = None,
        definition: object = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.value, self.name = message, value, name
        self.definition, self.rule = definition, rule


class JsonSchemaValuesException(ValueError):
    """Several rejections at once (fastjsonschema's signature)."""

    def __init__(self, errors: list[JsonSchemaValueException]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors
