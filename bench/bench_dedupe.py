"""How the dedupe store scales: fill a store in a temporary directory with N synthetic
post fingerprints, then time exact and near-duplicate lookups (hits and misses).

    .venv/bin/python bench/bench_dedupe.py [--n 1000000] [--lookups 10000]

The fingerprints are random but shaped like the archive's: EastMoney-style 18-digit
ids (``NW`` + code in media categories), most posts in the rolling feed, URLs of the
real hosts' shape, and ~60 % of bodies long enough for near-duplicate matching.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.dedupe import NEAR_BODY_MAX_DISTANCE, NEAR_BODY_MIN_CHARS, PostPrint, SqliteDedupeStore  # noqa: E402

MEDIA_CATEGORIES = [f"media{i:02d}" for i in range(60)]
FIRST_DAY = date(2021, 12, 1)


def synthetic_prints(n: int, rng: random.Random):
    for i in range(n):
        day = FIRST_DAY + timedelta(days=i * 1500 // max(n, 1))
        code = f"{day:%Y%m%d}{rng.randrange(10**10):010d}"
        if rng.random() < 0.7:
            category, post_id = "emnews", code
            url = f"http://finance.eastmoney.com/a/{code}.html"
        else:
            category, post_id = rng.choice(MEDIA_CATEGORIES), "NW" + code
            url = f"https://finews.example.com/html_News/NewsShare.html?infoCode=NW{code}"
        text_len = rng.randrange(20, NEAR_BODY_MIN_CHARS) if rng.random() < 0.4 else rng.randrange(200, 8000)
        yield PostPrint(
            category=category,
            id=post_id,
            article_key=code,
            url=url,
            body_hash=rng.getrandbits(64),
            simhash=rng.getrandbits(64),
            text_len=text_len,
            date=f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+08:00",
        )


def flip_bits(value: int, count: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), count):
        value ^= 1 << bit
    return value


def mean_microseconds(calls, function) -> float:
    start = time.perf_counter()
    for argument in calls:
        function(argument)
    return (time.perf_counter() - start) / len(calls) * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="fingerprints in the store")
    parser.add_argument("--lookups", type=int, default=10_000, help="lookups of each kind (half hits)")
    parser.add_argument("--seed", type=int, default=20211208)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="bench-dedupe-") as tmp:
        path = Path(tmp) / "dedupe.sqlite"
        store = SqliteDedupeStore(path)
        sample: list[PostPrint] = []
        keep_every = max(1, args.n // (args.lookups * 4))

        def remember_some(prints):
            for index, post in enumerate(prints):
                if index % keep_every == 0:
                    sample.append(post)
                yield post

        start = time.perf_counter()
        added = store.bulk_add_archived(remember_some(synthetic_prints(args.n, rng)))
        fill_seconds = time.perf_counter() - start
        print(f"filled {added:,} fingerprints in {fill_seconds:.1f} s ({added / fill_seconds:,.0f}/s)")

        half = args.lookups // 2
        exact_hits = [post.body_hash for post in rng.choices(sample, k=half)]
        exact_calls = exact_hits + [rng.getrandbits(64) for _ in range(half)]
        long_posts = [post for post in sample if post.text_len >= NEAR_BODY_MIN_CHARS]
        near_targets = rng.choices(long_posts, k=half)
        near_hits = [flip_bits(p.simhash, rng.randrange(NEAR_BODY_MAX_DISTANCE + 1), rng) for p in near_targets]
        near_calls = near_hits + [rng.getrandbits(64) for _ in range(half)]
        rng.shuffle(exact_calls)
        rng.shuffle(near_calls)

        found = sum(1 for h in exact_hits if store.exact_lookup(h))
        assert found == half, f"exact lookup missed {half - found} stored hashes"
        found = sum(1 for h in near_hits if store.near_lookup(h))
        assert found == half, f"near lookup missed {half - found} stored neighbours"

        exact_us = mean_microseconds(exact_calls, store.exact_lookup)
        near_us = mean_microseconds(near_calls, store.near_lookup)
        probes = rng.choices(sample, k=half) + list(synthetic_prints(half, rng))
        probe_us = mean_microseconds(probes, store.candidates)
        store.close()  # checkpoints the WAL into the main file
        size_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6

    print(f"exact lookup:     {exact_us:8.1f} µs mean over {len(exact_calls):,} (half hits)")
    within = f"≤{NEAR_BODY_MAX_DISTANCE} bits"
    print(f"near-dup lookup:  {near_us:8.1f} µs mean over {len(near_calls):,} (half hits {within} away)")
    print(f"pipeline probe:   {probe_us:8.1f} µs mean over {len(probes):,} (url/key/body/near in one query)")
    print(f"store on disk:    {size_mb:8.1f} MB for {added:,} posts")


if __name__ == "__main__":
    main()
