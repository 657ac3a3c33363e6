"""Instructor tooling: release build (both languages), notebook lint, demo."""
