"""Deduplication that lasts across runs.

A post is a duplicate when an already archived post (or one passed earlier in this
run) of the same category has its URL, its article key (the EastMoney code shared by
``2022…`` and ``NW2022…``), the same normalised body, or a near-identical body. The
same article in another category (the rolling feed ``emnews`` and its media category)
is kept and recorded as related, unless ``DEDUPE_ACROSS_CATEGORIES`` is set.

The same id seen again in a later run is the same post re-crawled, not a duplicate:
it passes so the exporter can report it unchanged or updated. A post dropped as a
duplicate keeps that outcome in later runs (looked up by URL or id).

What the pipeline remembers lives behind ``DedupeStore``; ``SqliteDedupeStore`` keeps
it in ``<STATE_DIR>/dedupe.sqlite`` and indexes an existing archive on first use.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from itemadapter import ItemAdapter
from scrapy import signals

from pipelines.archive import Archive, state_dir
from pipelines.fingerprint import body_text, exact_fingerprint, hamming, simhash64
from pipelines.outcomes import DuplicatePost
from pipelines.postfile import PostFormatError, read_post_file

logger = logging.getLogger(__name__)

# --- Near-duplicate rule ------------------------------------------------------------
# Two bodies are near-identical when their SimHashes differ in at most 3 bits and both
# texts have at least 200 characters. Measured on the finews corpus (153 posts;
# tests/test_dedupe.py::test_corpus_simhash_distances prints the table):
#   * every identical-body and dup-of pair is at distance 0 (the exact hash finds them);
#   * the closest pair that is NOT a duplicate is at 4: two 23-character flashes on one
#     market figure whose number differs by one digit, i.e. different news; next come
#     two pairs at 12; "896571 adds one sentence" is at 10, "same event" pairs at 15-31;
#   * 100 random one-character edits per corpus text (seeded simulation) land within 3
#     bits in 1 % of trials under 30 characters, 9 % under 60, 21 % under 100, 47 %
#     under 200, 65 % under 500 and 99 % from 500 characters on.
# So 3 is the largest threshold below every non-duplicate pair. And in a short flash a
# changed number is different news that SimHash cannot tell from noise (an invented
# 30-character pair one digit apart is 2 bits apart, see the tests): short texts are
# matched by the exact hash only. From 200 characters on, a 3-bit difference is a
# change of a few characters: the same article with a typo fixed, a source tag added,
# markup residue; an added sentence already lands further away (5-10 bits).
NEAR_BODY_MAX_DISTANCE = 3
NEAR_BODY_MIN_CHARS = 200

# How a match is named, strongest first: the outcome names the strongest one.
MATCH_KINDS = ("same-url", "same-article", "same-body", "near-body")

STORE_FILENAME = "dedupe.sqlite"
_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class PostPrint:
    """What dedupe remembers of a post: identity plus content fingerprints."""

    category: str
    id: str
    article_key: str = ""
    url: str = ""
    body_hash: int | None = None  # exact_fingerprint of body_text; None for an empty body
    simhash: int | None = None
    text_len: int = 0
    date: str = ""  # ISO 8601 in UTC, for picking the earliest of several originals


@dataclass(frozen=True)
class DuplicateRecord:
    """A post dropped as a duplicate, kept so later runs give the same outcome."""

    category: str
    id: str
    url: str
    of: str
    kind: str


def post_print(item) -> PostPrint:
    """Fingerprint a post item (a ``Post`` or any item with the same fields)."""
    adapter = ItemAdapter(item)
    text = body_text(adapter.get("body") or "")
    date = adapter.get("date")
    return PostPrint(
        category=adapter.get("category") or "",
        id=adapter.get("id") or "",
        article_key=adapter.get("article_key") or adapter.get("id") or "",
        url=adapter.get("url") or "",
        body_hash=exact_fingerprint(text) if text else None,
        simhash=simhash64(text) if text else None,
        text_len=len(text),
        # In UTC so that the stored strings sort chronologically whatever the offset.
        date=date.astimezone(UTC).isoformat() if isinstance(date, datetime) else "",
    )


def match_kind(probe: PostPrint, other: PostPrint) -> str | None:
    """The strongest way ``other`` is the same article as ``probe``, or None.

    Category is not looked at: the caller decides duplicate vs related."""
    if probe.url and probe.url == other.url:
        return "same-url"
    if probe.article_key and probe.article_key == other.article_key:
        return "same-article"
    if probe.body_hash is not None and probe.body_hash == other.body_hash:
        return "same-body"
    if (
        probe.simhash is not None
        and other.simhash is not None
        and min(probe.text_len, other.text_len) >= NEAR_BODY_MIN_CHARS
        and hamming(probe.simhash, other.simhash) <= NEAR_BODY_MAX_DISTANCE
    ):
        return "near-body"
    return None


def band_layout(max_distance: int = NEAR_BODY_MAX_DISTANCE) -> list[tuple[int, int]]:
    """(shift, width) of the ``max_distance + 1`` blocks the 64 bits are cut into.

    Two hashes within ``max_distance`` bits differ in at most that many blocks, so by
    pigeonhole at least one block is equal: an exact index lookup per block finds every
    near neighbour, and the Hamming test weeds out the rest."""
    count = max_distance + 1
    widths = [64 // count + (1 if i < 64 % count else 0) for i in range(count)]
    layout, shift = [], 64
    for width in widths:
        shift -= width
        layout.append((shift, width))
    return layout


_BANDS = band_layout()


def band_keys(simhash: int) -> list[int]:
    """One index key per block: the block number in the high bits, its value below."""
    return [(number << 32) | ((simhash >> shift) & ((1 << width) - 1)) for number, (shift, width) in enumerate(_BANDS)]


def _signed(value: int | None) -> int | None:
    # SQLite integers are signed 64-bit; fingerprints are unsigned.
    return value - (1 << 64) if value is not None and value >= 1 << 63 else value


def _unsigned(value: int | None) -> int | None:
    return value + (1 << 64) if value is not None and value < 0 else value


class DedupeStore(Protocol):
    """What the pipeline (and the spiders, for incremental crawls) need from the
    memory of earlier runs. SQLite now; a shared Redis store can implement the same."""

    indexed_from_archive: int  # posts indexed from the archive when this store was opened

    def is_archived(self, category: str, post_id: str) -> bool: ...

    def candidates(self, probe: PostPrint) -> list[PostPrint]:
        """Archived posts, any category, that may match ``probe``: same URL, article
        key or body hash, or a near SimHash (``match_kind`` decides)."""
        ...

    def recorded_duplicate(self, category: str, post_id: str, url: str) -> DuplicateRecord | None:
        """How an earlier run dropped this post (by id or URL), if it did."""
        ...

    def add_archived(self, post: PostPrint) -> None:
        """Remember a post that made it into the archive (replaces a re-crawled one)."""
        ...

    def add_duplicate(self, record: DuplicateRecord) -> None: ...

    def is_known(self, category: str, post_id: str) -> bool:
        """Archived, or recorded as a duplicate: a spider need not fetch it again."""
        ...

    def url_outcome(self, url: str) -> str | None:
        """``"archived"``, ``"duplicate"`` or None for a URL never seen."""
        ...

    def close(self) -> None: ...


_POST_COLUMNS = "category, post_id, article_key, url, url_hash, body_hash, simhash, text_len, date"


class SqliteDedupeStore:
    """``DedupeStore`` in one SQLite file.

    ``posts`` holds archived posts, ``near`` one row per SimHash block of each long
    body (block value as key: a near-duplicate lookup is 4 index range scans), and
    ``duplicates`` the outcome of every post dropped as a duplicate.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly in _transaction().
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")  # a spider may read while the pipeline writes
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        # Lookups hit random pages of a store that may reach hundreds of MB: a larger
        # page cache and memory-mapped reads keep them in the tens of microseconds.
        self._db.execute("PRAGMA cache_size=-65536")  # KiB
        self._db.execute("PRAGMA mmap_size=1073741824")
        self._create_schema()
        self.indexed_from_archive = 0

    # -- schema ------------------------------------------------------------------
    def _create_schema(self) -> None:
        # executescript commits any open transaction first, so the idempotent DDL runs
        # on its own and only the meta bookkeeping below is transactional.
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS posts (
                category TEXT NOT NULL, post_id TEXT NOT NULL, article_key TEXT, url TEXT, url_hash INTEGER,
                body_hash INTEGER, simhash INTEGER, text_len INTEGER NOT NULL, date TEXT,
                PRIMARY KEY (category, post_id));
            -- URLs are indexed by a 64-bit hash: a fraction of the size of the text.
            CREATE INDEX IF NOT EXISTS posts_url ON posts (url_hash);
            CREATE INDEX IF NOT EXISTS posts_article_key ON posts (article_key);
            CREATE INDEX IF NOT EXISTS posts_body_hash ON posts (body_hash);
            -- The SimHash is repeated here so the Hamming test runs on one index range
            -- per block, and only real neighbours are read from posts.
            CREATE TABLE IF NOT EXISTS near (
                key INTEGER NOT NULL, post INTEGER NOT NULL, simhash INTEGER NOT NULL,
                PRIMARY KEY (key, post)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS duplicates (
                category TEXT NOT NULL, post_id TEXT NOT NULL, url TEXT, url_hash INTEGER,
                of TEXT NOT NULL, kind TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (category, post_id));
            CREATE INDEX IF NOT EXISTS duplicates_url ON duplicates (url_hash);
            """
        )
        with self._transaction():
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
            rule = f"{NEAR_BODY_MAX_DISTANCE}:{NEAR_BODY_MIN_CHARS}"
            row = self._db.execute("SELECT value FROM meta WHERE key = 'near_rule'").fetchone()
            if row is None or row[0] != rule:
                # The block layout follows the threshold: re-derive the near index.
                self._db.execute("DELETE FROM near")
                rows = self._db.execute("SELECT rowid, simhash, text_len FROM posts WHERE simhash IS NOT NULL")
                for rowid, simhash, text_len in rows.fetchall():
                    self._add_near(rowid, _unsigned(simhash), text_len)
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('near_rule', ?)", (rule,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- first use on an existing archive ---------------------------------------
    @property
    def is_indexed(self) -> bool:
        return self._db.execute("SELECT 1 FROM meta WHERE key = 'indexed_at'").fetchone() is not None

    def index_archive(self, archive_dir: str | Path) -> int:
        """Index the posts of an archive the store has never seen (``_posts/`` and
        ``old_post/``); a no-op once done. Returns how many posts were added."""
        if self.is_indexed:
            return 0
        prints = list(archive_prints(Path(archive_dir)))
        with self._transaction():
            # Another process (a spider) may have indexed it meanwhile.
            if self._db.execute("SELECT 1 FROM meta WHERE key = 'indexed_at'").fetchone():
                return 0
            added = self._insert_many(prints)
            self._db.execute("INSERT INTO meta VALUES ('indexed_at', ?)", (datetime.now(UTC).isoformat(),))
        self.indexed_from_archive = added
        return added

    # -- writes ------------------------------------------------------------------
    def bulk_add_archived(self, prints: Iterable[PostPrint]) -> int:
        """Add many posts in one transaction (the first of a (category, id) wins)."""
        with self._transaction():
            return self._insert_many(prints)

    def _insert_many(self, prints: Iterable[PostPrint]) -> int:
        cursor = self._db.cursor()
        insert = f"INSERT OR IGNORE INTO posts ({_POST_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)"
        added = 0
        for post in prints:
            cursor.execute(insert, _row(post))
            if cursor.rowcount == 1:
                added += 1
                self._add_near(cursor.lastrowid, post.simhash, post.text_len)
        return added

    def _add_near(self, rowid: int, simhash: int | None, text_len: int) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO near VALUES (?, ?, ?)",
            [(key, rowid, _signed(simhash)) for key in _near_keys(simhash, text_len)],
        )

    def add_archived(self, post: PostPrint) -> None:
        with self._transaction():
            old = self._db.execute(
                "SELECT rowid, simhash, text_len FROM posts WHERE category = ? AND post_id = ?",
                (post.category, post.id),
            ).fetchone()
            if old is not None:  # a re-crawl: its body may have changed
                stale = _near_keys(_unsigned(old[1]), old[2])
                self._db.executemany("DELETE FROM near WHERE key = ? AND post = ?", [(k, old[0]) for k in stale])
            (rowid,) = self._db.execute(
                f"""INSERT INTO posts ({_POST_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)
                ON CONFLICT (category, post_id) DO UPDATE SET
                    article_key = excluded.article_key,
                    url = coalesce(excluded.url, url), url_hash = coalesce(excluded.url_hash, url_hash),
                    body_hash = excluded.body_hash, simhash = excluded.simhash,
                    text_len = excluded.text_len, date = coalesce(excluded.date, date)
                RETURNING rowid""",
                _row(post),
            ).fetchone()
            self._add_near(rowid, post.simhash, post.text_len)

    def add_duplicate(self, record: DuplicateRecord) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.category,
                    record.id,
                    record.url or None,
                    _url_hash(record.url),
                    record.of,
                    record.kind,
                    datetime.now(UTC).isoformat(),
                ),
            )

    # -- reads -------------------------------------------------------------------
    def is_archived(self, category: str, post_id: str) -> bool:
        sql = "SELECT 1 FROM posts WHERE category = ? AND post_id = ?"
        return self._db.execute(sql, (category, post_id)).fetchone() is not None

    def candidates(self, probe: PostPrint) -> list[PostPrint]:
        rows = self._db.execute(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE url_hash = ? OR article_key = ? OR body_hash = ?",
            (_url_hash(probe.url), probe.article_key or None, _signed(probe.body_hash)),
        ).fetchall()
        found = {(row[0], row[1]): _print_from_row(row) for row in rows}
        for post in self._posts_by_rowid(self._near_rowids(probe.simhash, probe.text_len)):
            found.setdefault((post.category, post.id), post)
        # A URL hash collision is possible in theory: match_kind compares the URLs.
        return list(found.values())

    def _posts_by_rowid(self, rowids: list[int]) -> list[PostPrint]:
        if not rowids:
            return []
        sql = f"SELECT {_POST_COLUMNS} FROM posts WHERE rowid IN ({','.join('?' * len(rowids))})"
        return [_print_from_row(row) for row in self._db.execute(sql, rowids).fetchall()]

    def _near_rowids(self, simhash: int | None, text_len: int) -> list[int]:
        keys = _near_keys(simhash, text_len)
        if not keys:
            return []
        rows = self._db.execute(
            f"SELECT post, simhash FROM near WHERE key IN ({','.join('?' * len(keys))})", keys
        ).fetchall()
        # A post shares up to 4 blocks with the probe: dict.fromkeys keeps each once.
        near = (rowid for rowid, other in rows if hamming(simhash, _unsigned(other)) <= NEAR_BODY_MAX_DISTANCE)
        return list(dict.fromkeys(near))

    def exact_lookup(self, body_hash: int) -> list[PostPrint]:
        """Posts with exactly this body hash."""
        rows = self._db.execute(f"SELECT {_POST_COLUMNS} FROM posts WHERE body_hash = ?", (_signed(body_hash),))
        return [_print_from_row(row) for row in rows.fetchall()]

    def near_lookup(self, simhash: int, text_len: int = NEAR_BODY_MIN_CHARS) -> list[PostPrint]:
        """Posts whose body is near-identical to one with this SimHash and length."""
        return self._posts_by_rowid(self._near_rowids(simhash, text_len))

    def recorded_duplicate(self, category: str, post_id: str, url: str) -> DuplicateRecord | None:
        rows = self._db.execute(
            """SELECT category, post_id, url, of, kind FROM duplicates
            WHERE (category = ? AND post_id = ?) OR url_hash = ?""",
            (category, post_id, _url_hash(url)),
        ).fetchall()
        for row in rows:
            record = DuplicateRecord(row[0], row[1], row[2] or "", row[3], row[4])
            if (record.category, record.id) == (category, post_id) or record.url == url:
                return record
        return None

    def is_known(self, category: str, post_id: str) -> bool:
        if self.is_archived(category, post_id):
            return True
        sql = "SELECT 1 FROM duplicates WHERE category = ? AND post_id = ?"
        return self._db.execute(sql, (category, post_id)).fetchone() is not None

    def url_outcome(self, url: str) -> str | None:
        if not url:
            return None
        for table, outcome in (("posts", "archived"), ("duplicates", "duplicate")):
            rows = self._db.execute(f"SELECT url FROM {table} WHERE url_hash = ?", (_url_hash(url),))
            if any(found == url for (found,) in rows.fetchall()):
                return outcome
        return None

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM posts").fetchone()[0]

    def close(self) -> None:
        self._db.close()


def _near_keys(simhash: int | None, text_len: int) -> list[int]:
    if simhash is None or text_len < NEAR_BODY_MIN_CHARS:
        return []  # short texts are matched by their exact hash only (see the rule above)
    return band_keys(simhash)


def _url_hash(url: str) -> int | None:
    return _signed(exact_fingerprint(url)) if url else None


def _row(post: PostPrint) -> tuple:
    return (
        post.category,
        post.id,
        post.article_key or None,
        post.url or None,
        _url_hash(post.url),
        _signed(post.body_hash),
        _signed(post.simhash),
        post.text_len,
        post.date or None,
    )


def _print_from_row(row: tuple) -> PostPrint:
    category, post_id, article_key, url, _, body_hash, simhash, text_len, date = row
    return PostPrint(
        category, post_id, article_key or "", url or "", _unsigned(body_hash), _unsigned(simhash), text_len, date or ""
    )


def archive_prints(archive_dir: Path) -> Iterator[PostPrint]:
    """Fingerprints of the posts in an archive, ``_posts/`` then ``old_post/``.

    Files the validation pipeline would reject (no id, title or date, like the
    original archive's ``-202205262391921712.md``) are skipped with a warning: they
    are not posts a run could have produced. Their crawled URL is unknown (the file
    does not keep it), so archive posts are found by id, article key and body."""
    archive = Archive(archive_dir)
    for folder in (archive.posts_dir, archive.old_posts_dir):
        for path in sorted(folder.glob("*.md")):
            try:
                post = read_post_file(path).post
            except (PostFormatError, UnicodeDecodeError, OSError) as exc:
                logger.warning("dedupe: cannot index archive file %s: %s", path, exc)
                continue
            if not (post.id and post.title and post.date and post.category):
                logger.warning("dedupe: not indexing %s: no id, title, date or category", path)
                continue
            yield replace(post_print(post), url="")


def open_store(settings) -> DedupeStore:
    """The dedupe store of this project's settings, indexed from the archive when new."""
    store = SqliteDedupeStore(state_dir(settings) / STORE_FILENAME)
    store.index_archive(settings.get("ARCHIVE_DIR") or "archive")
    return store


@dataclass
class _Pending:
    """A post passed in this run, not yet archived (waiting for ``item_scraped``)."""

    print: PostPrint
    item: object
    duplicates: list[DuplicateRecord]  # dropped as copies of this post: recorded once it is archived


class DedupePipeline:
    """Drops duplicates, marks related posts, remembers what got archived."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.across_categories = self.settings.getbool("DEDUPE_ACROSS_CATEGORIES", False)
        self._store: DedupeStore | None = None
        self._passed: set[tuple[str, str]] = set()  # (category, id) passed in this run
        self._pending: dict[tuple[str, str], _Pending] = {}
        # Bound methods: the signal manager holds weak references, and the pipeline
        # lives as long as the crawler, so these stay connected for the whole run.
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_left, signal=signals.item_dropped)
        crawler.signals.connect(self.item_left, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self) -> DedupeStore:
        if self._store is None:
            self._store = open_store(self.settings)
            if self._store.indexed_from_archive:
                self.stats.inc_value("dedupe/indexed_from_archive", self._store.indexed_from_archive)
                logger.info("dedupe: indexed %d archived posts", self._store.indexed_from_archive)
        return self._store

    def open_spider(self) -> None:
        self.store  # noqa: B018 - open (and index) before the first item, not during it

    def close_spider(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def process_item(self, item):
        probe = post_print(item)
        key = (probe.category, probe.id)
        if key in self._passed:
            self._drop(probe, of=probe.id, kind="same-id", record=False)

        recrawl = self.store.is_archived(*key)
        if recrawl:
            self.stats.inc_value("dedupe/recrawled")
        else:
            recorded = self.store.recorded_duplicate(probe.category, probe.id, probe.url)
            if recorded is not None:
                self._drop(probe, of=recorded.of, kind=recorded.kind, record=False)

        matches = self._matches(probe)
        if not recrawl:
            # A re-crawled post stays what it is, even if the archive holds another copy.
            for kind, other in matches:
                if other.category == probe.category or self.across_categories:
                    self._drop(probe, of=other.id, kind=kind, record=True, original=other)

        related = [other.id for _, other in matches if other.category != probe.category]
        if related:
            adapter = ItemAdapter(item)
            extra = adapter.get("extra") or {}
            known = extra.setdefault("related", [])
            known.extend(post_id for post_id in dict.fromkeys(related) if post_id not in known)
            adapter["extra"] = extra
            self.stats.inc_value("dedupe/related")
            logger.info("dedupe: %s (%s) is related to %s <%s>", probe.id, probe.category, related, probe.url)

        self._passed.add(key)
        self._pending[key] = _Pending(probe, item, [])
        return item

    def _matches(self, probe: PostPrint) -> list[tuple[str, PostPrint]]:
        """Archived and pending posts that are the same article, strongest first,
        then earliest; the probe itself (same category and id) is left out."""
        pool = {(p.category, p.id): p for p in self.store.candidates(probe)}
        pool.update((k, pending.print) for k, pending in self._pending.items())
        pool.pop((probe.category, probe.id), None)
        found = [(kind, other) for other in pool.values() if (kind := match_kind(probe, other))]
        return sorted(found, key=lambda m: (MATCH_KINDS.index(m[0]), m[1].date or "~", m[1].id))

    def _drop(self, probe: PostPrint, of: str, kind: str, record: bool, original: PostPrint | None = None):
        self.stats.inc_value(f"dedupe/duplicate/{kind}")
        if record:
            duplicate = DuplicateRecord(probe.category, probe.id, probe.url, of, kind)
            pending = self._pending.get((original.category, original.id)) if original else None
            if pending is not None and pending.print is original:
                pending.duplicates.append(duplicate)  # only once the original is archived
            else:
                self.store.add_duplicate(duplicate)
        raise DuplicatePost(of=of, kind=kind, url=probe.url, post_id=probe.id)

    # -- signals -----------------------------------------------------------------
    def item_scraped(self, item, **_):
        """The post went through every pipeline: it is archived now."""
        pending = self._pending_of(item)
        if pending is None:
            return
        del self._pending[(pending.print.category, pending.print.id)]
        self.store.add_archived(pending.print)
        for duplicate in pending.duplicates:
            self.store.add_duplicate(duplicate)

    def item_left(self, item, **_):
        """A later pipeline dropped (or failed on) a post this one passed: forget it,
        so it is neither remembered as archived nor blocks a later copy."""
        pending = self._pending_of(item)
        if pending is None:
            return
        key = (pending.print.category, pending.print.id)
        del self._pending[key]
        self._passed.discard(key)

    def _pending_of(self, item) -> _Pending | None:
        adapter = ItemAdapter(item)
        pending = self._pending.get((adapter.get("category") or "", adapter.get("id") or ""))
        # Identity, not key: a same-id duplicate dropped here carries the same key.
        return pending if pending is not None and pending.item is item else None
