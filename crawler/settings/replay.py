"""Replay settings, applied by ``crawler.replay.ReplayAddon`` when ``REPLAY_SOURCE`` is
set: nothing goes to a server, so politeness delays only slow the run down."""

AUTOTHROTTLE_ENABLED = False
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS_PER_DOMAIN = 16
RETRY_ENABLED = False  # a replayed answer is the same every time
ROBOTSTXT_OBEY = False  # snapshots rarely hold robots.txt; a miss would only add noise
