"""Running scrapy in a subprocess, the way tests run end-to-end crawls (a Twisted
reactor cannot start twice in one process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT


@dataclass
class ScrapyRun:
    returncode: int
    stdout: str
    stderr: str

    def report(self, archive_dir: Path) -> dict:
        """The run report JSON this run wrote (the newest under .state/runs/)."""
        runs = sorted((archive_dir / ".state" / "runs").glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        return json.loads(runs[-1].read_text(encoding="utf-8"))


def run_scrapy(*args: str, timeout: float = 300) -> ScrapyRun:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    return ScrapyRun(done.returncode, done.stdout, done.stderr)
