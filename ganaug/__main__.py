"""``python -m ganaug``: see :mod:`ganaug.cli`."""

import sys

from ganaug.cli import main

sys.exit(main())
