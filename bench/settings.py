"""Settings for the serving benchmark: the real settings plus a bare view to compare with."""

from newsroom.settings import *  # noqa: F403 -- the benchmark must measure the real stack

ROOT_URLCONF = "bench.urls"
