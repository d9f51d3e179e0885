"""``python -m bot`` does what the ``taxobot`` command does."""

import sys

from .cli import main

sys.exit(main(exit_when_answered=True))
