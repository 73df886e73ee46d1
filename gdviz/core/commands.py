"""Commands: everything a player can ask the game to do, independent of keys or buttons.

Keys, mouse buttons, gamepad buttons and lines of a demo script all turn into Commands
through tables, so the help screen is generated from the same data the game obeys (what
each command does, in words, is in gdviz.ui.strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Command(Enum):
    """One thing the player can do. The value is the word used in demo scripts."""

    PLAY_PAUSE = "play"
    STEP = "step"
    STEP_BACK = "back"
    RESET = "reset"
    OPTIMIZER = "optimizer"  # argument: optimizer name
    NEXT_BALL = "next_ball"
    ADD_BALL = "add_ball"
    REMOVE_BALL = "remove_ball"
    LR_UP = "lr_up"
    LR_DOWN = "lr_down"
    SET_LR = "set_lr"  # argument: the learning rate (from a key: none, and the screen asks for it)
    DECAY1_UP = "decay1_up"
    DECAY1_DOWN = "decay1_down"
    DECAY2_UP = "decay2_up"
    DECAY2_DOWN = "decay2_down"
    TOGGLE_BIAS = "bias_correction"
    TOGGLE_GRAD = "show_gradient"
    TOGGLE_MOMENTUM = "show_momentum"
    TOGGLE_SQUARES = "show_squares"
    TOGGLE_UPDATE = "show_update"
    TOGGLE_TRAILS = "show_trails"
    PREV_LEVEL = "prev_level"
    NEXT_LEVEL = "next_level"
    SLOWER = "slower"
    FASTER = "faster"
    SET_START = "set_start"  # argument: a Pixel from a click, or world (x, y) from a script
    ADD_BALL_AT = "add_ball_at"  # argument: as SET_START
    SWARM = "swarm"
    STEP_MODE = "step_mode"
    HELP = "help"
    SCREENSHOT = "screenshot"
    FULLSCREEN = "fullscreen"
    BACK = "escape"
    UP = "up"
    DOWN = "down"
    SCROLL = "scroll"  # argument: how many rows to move a list by (+ down, − up): the mouse wheel
    SELECT = "select"
    QUIT = "quit"
    NEXT_OPTIMIZER = "next_optimizer"
    TOGGLE_HUD = "show_panels"
    PRESENTER = "presenter"
    LANGUAGE = "language"
    RECORD_GIF = "record_gif"
    EXPORT_CSV = "export_csv"
    FUNCTION = "function"  # open the box to type your own function
    TEXT = "type"  # argument: text typed (scripts: the rest of the line)
    SELECT_BALL = "select_ball"  # argument: the ball's number as shown (1, 2 …), or a Pixel from a tap
    MOVE_START = "move_start"  # argument: as SET_START; a drag's moves make one edit, undone at once
    OPTIMIZER_MENU = "optimizer_menu"  # the control bar's list of the optimizers this level allows
    TOGGLE_BAR = "show_controls"  # the on-screen control bar for touch screens, on / off
    SETTINGS_MENU = "settings_menu"  # the control bar's panel of the selected ball's decays and switches


@dataclass(frozen=True)
class Pixel:
    """A screen position (from a mouse click); scripts give world coordinates instead."""

    x: int
    y: int


@dataclass(frozen=True)
class Action:
    """A Command with its argument, if it takes one (an optimizer name, a pixel …)."""

    command: Command
    arg: Any = None


class ScriptError(ValueError):
    """A demo-script line that cannot be understood."""


def parse_script(text: str, source: str = "script") -> list[tuple[float, Action]]:
    """Parse a demo script: one `<seconds> <command> [argument]` per line, # for comments.

    >>> parse_script("0.5 play\\n2 optimizer adam")[1]
    (2.0, Action(command=<Command.OPTIMIZER: 'optimizer'>, arg='adam'))
    """
    by_word = {c.value: c for c in Command}
    timeline = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        where = f"{source}:{number}"
        try:
            when = float(words[0])
        except ValueError:
            raise ScriptError(f"{where}: {words[0]!r} is not a time in seconds") from None
        if not 0 <= when < 1e7:
            raise ScriptError(f"{where}: time {words[0]} must be between 0 and 10,000,000 seconds")
        if len(words) < 2 or words[1] not in by_word:
            raise ScriptError(f"{where}: unknown command {' '.join(words[1:2])!r}; "
                              f"known: {', '.join(sorted(by_word))}")
        command = by_word[words[1]]
        if command is Command.TEXT:
            arg = line.split(None, 2)[2] if len(words) > 2 else ""
        else:
            arg = _script_arg(words[2:], where)
        timeline.append((when, Action(command, arg)))
    return sorted(timeline, key=lambda item: item[0])


def _script_arg(words: list[str], where: str) -> Any:
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    try:
        return tuple(float(w) for w in words)
    except ValueError:
        raise ScriptError(f"{where}: arguments {' '.join(words)!r} should be numbers") from None
