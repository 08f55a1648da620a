"""``python -m generator.cli``."""

import sys

from generator.cli.commands import main

sys.exit(main())
