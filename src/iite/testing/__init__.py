"""Test support shared by every app's tests: real Chromium through Playwright, and axe-core."""
