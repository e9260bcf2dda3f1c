"""Settings, layered per use: ``base`` (every run), ``replay`` (applied by the replay
add-on when ``REPLAY_SOURCE`` is set) and ``scheduled`` (``SCRAPY_SETTINGS_MODULE=
crawler.settings.scheduled`` for cron runs). ``scrapy.cfg`` points here: base settings."""

from crawler.settings.base import *  # noqa: F403
