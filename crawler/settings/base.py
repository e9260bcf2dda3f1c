"""Base settings: what every run gets. Override per run with ``-s NAME=VALUE``."""

BOT_NAME = "finews-archiver"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# --- Where the archive goes -------------------------------------------------------
ARCHIVE_DIR = "archive"  # the Jekyll site the exporter writes
ARCHIVE_SITE_URL = "//finews.withounder.com"  # nav links in every post point here
STATE_DIR = ""  # dedupe store and run reports; empty = ARCHIVE_DIR/.state
ARCHIVE_KEEP_DAYS = 0  # >0: move posts older than N days to old_post/ (the original kept 3); 0 = off
CATEGORY_SLUG_OVERRIDES = {}  # media name -> slug, for names a user wants spelled otherwise
DEDUPE_ACROSS_CATEGORIES = False  # True: the same article in emnews and its media category is kept once

# --- Being a good citizen on real sites -------------------------------------------
USER_AGENT = "finews-archiver/0.1 (+https://github.com/finews-archiver; news archiving crawler)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
# Scrapy 2.19's RemoteControl server executes code sent to it: never on.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Components -------------------------------------------------------------------
ADDONS = {
    "crawler.replay.ReplayAddon": 0,  # inert unless REPLAY_SOURCE is set
}
DOWNLOADER_MIDDLEWARES = {
    # Close to the downloader, so it records the raw bytes as the server sent them.
    "crawler.record.WarcRecorderMiddleware": 950,  # inert unless RECORD_TO is set
}
ITEM_PIPELINES = {
    "pipelines.dates.DateNormalizationPipeline": 100,
    "pipelines.validate.ValidationPipeline": 200,
    "pipelines.sanitize.BodySanitizerPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.export.JekyllPostExporter": 800,
}
EXTENSIONS = {
    "crawler.report.RunReport": 500,
}
LOG_FORMATTER = "crawler.logformatter.PostLogFormatter"
RUN_REPORT_PROGRESS_INTERVAL = 30.0  # seconds between progress lines

# --- Scrapy housekeeping ----------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"

# --- Dates ------------------------------------------------------------------------
CRAWL_TIME = ""  # ISO 8601; pins "now" for relative dates (tests, replays of old snapshots); empty = now
DATE_FUTURE_TOLERANCE = 600  # seconds a publication date may lie ahead of the crawl time
RUN_REPORT_STDOUT = False  # also print the end-of-run summary on stdout (the demo command)

# --- The finews spider ------------------------------------------------------------
FINEWS_START_URL = "https://finews.withounder.com/"
INCREMENTAL = True  # skip post pages already archived (or recorded as duplicates) before requesting them
FOLLOW_SHARE_LINKS = True  # fetch the original article behind each share link when its host is known

# --- EastMoney (the source of the original archive) -------------------------------
# Endpoints of the last version of the original polling script; `scrapy crawl eastmoney`.
EASTMONEY_FEED_LIST_URLS = ["http://183.136.162.242/web/webapi?type=102&count=100&newsid=1"]
EASTMONEY_MEDIA_LIST_URLS = ["http://183.136.162.242/web/webapi?type=45&count=100&newsid=1"]
EASTMONEY_MARKET_LIST_URLS = [
    f"http://43.240.125.15:1818/information/newmarket/web/webapi?marketType={market}&count=100"
    for market in (37, 38, 39)
]
EASTMONEY_TEXT_API_URL = "http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id={info_code}"
EASTMONEY_SHARE_URL = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={info_code}"

# --- Other sites (profiles in seeds/sites/) ---------------------------------------
SITE_PROFILES_DIR = ""  # empty = seeds/sites of this checkout; set it when installed without the repo
SITE_MAX_LISTING_PAGES = 20  # pagination depth per listing
GENERIC_EXTRACTOR = "fallback"  # pages without a profile: "fallback", "trafilatura" (if installed) or "auto"
MAX_REPLACEMENT_CHARS = 0  # U+FFFD a post may carry before it is dropped as wrongly decoded
