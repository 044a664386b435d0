"""Settings for the test suite: the same settings, in test mode (immediate tasks, fast hashing)."""

import os

os.environ.setdefault("IITE_ENV", "test")

from iite.config.settings import *  # noqa: F403  (test mode must be set before they are read)
