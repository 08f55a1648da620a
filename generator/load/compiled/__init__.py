"""The schemas' pass/fail checks compiled to Python, one module per schema (generated)."""
