"""The reference for validation: parse every YAML file below a folder with PyYAML's C loader."""

from __future__ import annotations

import os
import sys

import yaml


def parse_all(folder: str) -> int:
    """Parse every ``*.yaml``/``*.yml`` file below ``folder``; return how many."""
    count = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(dirpath, name), "rb") as stream:  # noqa: PTH118, PTH123
                    yaml.load(stream, Loader=yaml.CSafeLoader)
                count += 1
    return count


if __name__ == "__main__":
    print(parse_all(sys.argv[1]))
