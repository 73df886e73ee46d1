"""The one table that turns keys and mouse buttons into Commands.

The help overlay is generated from BINDINGS, so it always says what the game really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.optimizers import names as optimizer_names
from gdviz.ui.strings import help_text


@dataclass(frozen=True)
class Binding:
    """Key `key` (with shift held when `shift`) does `command` with `arg`; `label` is for help."""

    key: int
    command: Command
    label: str
    arg: Any = None
    shift: bool | None = None  # None: either; True: only with shift; False: only without


_NUMBER_KEYS = (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4,
                pygame.K_5, pygame.K_6, pygame.K_7, pygame.K_8)

BINDINGS: tuple[Binding, ...] = (
    Binding(pygame.K_SPACE, Command.PLAY_PAUSE, "Space"),
    Binding(pygame.K_RIGHT, Command.STEP, "→"),
    Binding(pygame.K_LEFT, Command.STEP_BACK, "←"),
    Binding(pygame.K_r, Command.RESET, "R"),
    *(Binding(key, Command.OPTIMIZER, str(i + 1), name)
      for i, (key, name) in enumerate(zip(_NUMBER_KEYS, optimizer_names()))),
    Binding(pygame.K_TAB, Command.NEXT_BALL, "Tab"),
    Binding(pygame.K_a, Command.ADD_BALL, "A"),
    Binding(pygame.K_DELETE, Command.REMOVE_BALL, "Delete"),
    Binding(pygame.K_BACKSPACE, Command.REMOVE_BALL, "Backspace"),
    Binding(pygame.K_PLUS, Command.LR_UP, "+"),
    Binding(pygame.K_EQUALS, Command.LR_UP, "+"),
    Binding(pygame.K_KP_PLUS, Command.LR_UP, "+"),
    Binding(pygame.K_MINUS, Command.LR_DOWN, "−"),
    Binding(pygame.K_KP_MINUS, Command.LR_DOWN, "−"),
    Binding(pygame.K_e, Command.SET_LR, "E"),
    Binding(pygame.K_RIGHTBRACKET, Command.DECAY1_UP, "]", shift=False),
    Binding(pygame.K_LEFTBRACKET, Command.DECAY1_DOWN, "[", shift=False),
    Binding(pygame.K_RIGHTBRACKET, Command.DECAY2_UP, "}", shift=True),
    Binding(pygame.K_LEFTBRACKET, Command.DECAY2_DOWN, "{", shift=True),
    Binding(pygame.K_c, Command.TOGGLE_BIAS, "C"),
    Binding(pygame.K_g, Command.TOGGLE_GRAD, "G"),
    Binding(pygame.K_m, Command.TOGGLE_MOMENTUM, "M"),
    Binding(pygame.K_q, Command.TOGGLE_SQUARES, "Q"),
    Binding(pygame.K_u, Command.TOGGLE_UPDATE, "U"),
    Binding(pygame.K_t, Command.TOGGLE_TRAILS, "T"),
    Binding(pygame.K_PAGEUP, Command.PREV_LEVEL, "PageUp"),
    Binding(pygame.K_PAGEDOWN, Command.NEXT_LEVEL, "PageDown"),
    Binding(pygame.K_COMMA, Command.SLOWER, ","),
    Binding(pygame.K_PERIOD, Command.FASTER, "."),
    Binding(pygame.K_w, Command.SWARM, "W"),
    Binding(pygame.K_d, Command.STEP_MODE, "D"),
    Binding(pygame.K_h, Command.HELP, "H"),
    Binding(pygame.K_F1, Command.HELP, "F1"),
    Binding(pygame.K_s, Command.SCREENSHOT, "S"),
    Binding(pygame.K_f, Command.FUNCTION, "F"),
    Binding(pygame.K_l, Command.LANGUAGE, "L"),
    Binding(pygame.K_p, Command.PRESENTER, "P"),
    Binding(pygame.K_v, Command.TOGGLE_HUD, "V"),
    Binding(pygame.K_o, Command.RECORD_GIF, "O"),
    Binding(pygame.K_x, Command.EXPORT_CSV, "X"),
    Binding(pygame.K_F11, Command.FULLSCREEN, "F11"),
    Binding(pygame.K_ESCAPE, Command.BACK, "Esc"),
    Binding(pygame.K_UP, Command.UP, "↑"),
    Binding(pygame.K_DOWN, Command.DOWN, "↓"),
    Binding(pygame.K_RETURN, Command.SELECT, "Enter"),
    Binding(pygame.K_KP_ENTER, Command.SELECT, "Enter"),
)

# Gamepads and arcade encoders arrive as joysticks. Button numbers follow the common
# XInput layout that SDL uses for most pads; arcade encoders are wired to match it.
PAD_A, PAD_B, PAD_X, PAD_Y, PAD_LB, PAD_RB, PAD_BACK, PAD_START = range(8)
PAD_BUTTONS: tuple[tuple[int, str, Command], ...] = (
    (PAD_A, "A", Command.PLAY_PAUSE),
    (PAD_B, "B", Command.BACK),
    (PAD_X, "X", Command.STEP_MODE),
    (PAD_Y, "Y", Command.NEXT_OPTIMIZER),
    (PAD_LB, "LB", Command.LR_DOWN),
    (PAD_RB, "RB", Command.LR_UP),
    (PAD_BACK, "Back", Command.RESET),
    (PAD_START, "Start", Command.HELP),
)
# The d-pad (hat): (x, y) direction → Command. y = 1 is up.
PAD_HAT: dict[tuple[int, int], tuple[str, Command]] = {
    (-1, 0): ("◀", Command.STEP_BACK),
    (1, 0): ("▶", Command.STEP),
    (0, 1): ("▲", Command.UP),
    (0, -1): ("▼", Command.DOWN),
}

MOUSE_HELP = (
    ("click", Command.SET_START),
    ("Shift + click", Command.ADD_BALL_AT),
)


def _matches(binding: Binding, key: int, shift: bool) -> bool:
    return binding.key == key and (binding.shift is None or binding.shift == shift)


def action_for_key(key: int, mods: int) -> Action | None:
    """Return the Action a key press stands for, or None if the key does nothing."""
    shift = bool(mods & pygame.KMOD_SHIFT)
    for binding in BINDINGS:
        if _matches(binding, key, shift):
            return Action(binding.command, binding.arg)
    return None


def action_for_event(event: pygame.event.Event) -> Action | None:
    """Return the Action an input event stands for (keys and mouse clicks), or None."""
    if event.type == pygame.KEYDOWN:
        return action_for_key(event.key, event.mod)
    if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
        shift = bool(pygame.key.get_mods() & pygame.KMOD_SHIFT)
        command = Command.ADD_BALL_AT if shift else Command.SET_START
        return Action(command, Pixel(*event.pos))
    if event.type == pygame.JOYBUTTONDOWN:
        return next((Action(c) for b, _, c in PAD_BUTTONS if b == event.button), None)
    if event.type == pygame.JOYHATMOTION:
        entry = PAD_HAT.get(tuple(event.value))
        return Action(entry[1]) if entry else None
    if event.type == pygame.TEXTINPUT:
        return Action(Command.TEXT, event.text)
    if event.type == pygame.QUIT:
        return Action(Command.QUIT)
    return None


def help_rows(lang: str = "en") -> list[tuple[str, str]]:
    """Return (keys, what they do) rows for the help overlay, one per distinct action."""
    rows: dict[tuple[Command, Any], list[str]] = {}
    for binding in BINDINGS:
        labels = rows.setdefault((binding.command, binding.arg), [])
        if binding.label not in labels:
            labels.append(binding.label)
    out = [(" / ".join(labels), describe(command, arg, lang)) for (command, arg), labels in rows.items()]
    out += [(label, describe(command, None, lang)) for label, command in MOUSE_HELP]
    out += [(f"pad {label}", describe(command, None, lang)) for _, label, command in PAD_BUTTONS]
    out += [(f"pad {label}", describe(command, None, lang)) for label, command in PAD_HAT.values()]
    return out


def describe(command: Command, arg: Any = None, lang: str = "en") -> str:
    """Return the help sentence for a command (with its argument, e.g. an optimizer name)."""
    text = help_text(lang, command)
    return f"{text}: {arg}" if arg else text
