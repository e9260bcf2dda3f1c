"""Scheduled (cron) runs: base settings plus a log file per day and a hard cap, so a
site that suddenly grows cannot keep a five-minute job running for hours."""

from crawler.settings.base import *  # noqa: F403

LOG_LEVEL = "INFO"
CLOSESPIDER_TIMEOUT = 20 * 60
CLOSESPIDER_ERRORCOUNT = 50
