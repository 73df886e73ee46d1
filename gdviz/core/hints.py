"""Actions named inside a level's hint, so the game can say them as a key or as a button.

A hint never spells out a key. It names what to do in braces, by the word a demo script uses
for the Command: "Press {reset} to start again" reads "Press R …" to a player at a keyboard
and "Press [↺ Reset] …" to a visitor using the on-screen control bar (gdviz.ui.controls says
each). A Command that takes an argument names it after a colon: {optimizer:adam}. The decay
commands name the optimizer whose settings they change, {decay1_down:momentum}, so the bar
can say which button (μ −, β1 −, …) is meant.
"""

from __future__ import annotations

import re

from gdviz.core.commands import Action, Command
from gdviz.core.optimizers import METHODS

PLACE = re.compile(r"\{([^{}]*)\}")
BY_WORD = {command.value: command for command in Command}
DECAYS = {Command.DECAY1_UP: 0, Command.DECAY1_DOWN: 0, Command.DECAY2_UP: 1, Command.DECAY2_DOWN: 1}


class HintError(ValueError):
    """A placeholder in a hint that names no action the game knows."""


def parse_action(inside: str) -> Action:
    """Return the Action a placeholder's inside ("reset", "optimizer:adam") names.

    >>> parse_action("optimizer:adam")
    Action(command=<Command.OPTIMIZER: 'optimizer'>, arg='adam')
    """
    word, _, arg = inside.partition(":")
    command = BY_WORD.get(word.strip())
    if command is None:
        raise HintError(f"{{{inside}}} names no action; write one of {{{'}, {'.join(sorted(BY_WORD))}}}")
    arg = arg.strip() or None
    needs_optimizer = command is Command.OPTIMIZER or command in DECAYS
    if needs_optimizer and arg not in METHODS:
        raise HintError(f"{{{inside}}} needs an optimizer after a colon, one of {', '.join(METHODS)}")
    if command in DECAYS and len(METHODS[arg].decays) <= DECAYS[command]:
        raise HintError(f"{{{inside}}}: {arg} has no such decay rate")
    if arg is not None and not needs_optimizer:
        raise HintError(f"{{{inside}}}: {word} takes nothing after a colon")
    return Action(command, arg)


def split(text: str) -> list[str | Action]:
    """Cut a hint into its plain text and the Actions it names, in order.

    >>> split("Press {reset} now")
    ['Press ', Action(command=<Command.RESET: 'reset'>, arg=None), ' now']
    """
    parts: list[str | Action] = []
    last = 0
    for match in PLACE.finditer(text):
        parts += [text[last:match.start()], parse_action(match.group(1))]
        last = match.end()
    parts.append(text[last:])
    if any(("{" in part or "}" in part) for part in parts if isinstance(part, str)):
        raise HintError("a { or } without its partner; actions are written {reset}, {optimizer:adam} …")
    return [part for part in parts if part != ""]


def actions(text: str) -> list[Action]:
    """Return the Actions a hint names, in order."""
    return [part for part in split(text) if isinstance(part, Action)]
