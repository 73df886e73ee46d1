"""Test set-up: pygame must run headless, silently, before anything imports it."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# SDL would otherwise turn SIGTERM/SIGINT sent to the test run into window-close events inside
# whichever test is running; a stopped test run should simply stop.
os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
# Errors inside scenes must fail the tests; the game's recovery (log and restart at the
# title) is tested on purpose in tests/ui/test_kiosk.py by switching this off.
os.environ["GDVIZ_STRICT"] = "1"
