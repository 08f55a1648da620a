"""``python -m generator.cli``."""

import sys

from generator.cli.main import main

sys.exit(main())
