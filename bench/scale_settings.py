"""Settings for bench/scale.py's workers: the project's, with the sleeping stub
in place of the engine. Selected with DJANGO_SETTINGS_MODULE=bench.scale_settings."""

from ttbsite.settings import *  # noqa: F403

VERIFY_ENGINE = "bench.scale_engine.verify_label_stub"
