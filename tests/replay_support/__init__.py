"""Helpers for the replay and record tests: a link-following test spider and a runner."""
