"""The one table that turns keys, gamepad buttons, taps and clicks into Commands.

Keys (BINDINGS), pad buttons (PAD_BUTTONS, PAD_HAT), the finger or mouse (POINTER) and the
buttons of the on-screen control bar (BAR_BUTTONS, drawn by gdviz.ui.control_bar) all stand
for Commands here. The help overlay is generated from these tables, so it always says what
the game really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from gdviz.core import hints
from gdviz.core.commands import Action, Command
from gdviz.core.ladders import DECAY_SYMBOLS
from gdviz.core.optimizers import METHODS
from gdviz.core.optimizers import names as optimizer_names
from gdviz.ui.pointer import Gesture
from gdviz.ui.strings import help_text, optimizer_label, tr


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
    Binding(pygame.K_b, Command.TOGGLE_BAR, "B"),
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

# A finger or the left mouse button (gdviz.ui.pointer tells them apart and drops SDL's copies):
# a press stands for SET_START at that pixel, and a move while pressed for MOVE_START. Each
# scene reads a press by where it landed: the play scene makes a press on a ball SELECT_BALL
# and one on the control bar that button's Command; a list takes it as choosing a row.
POINTER: dict[str, Command] = {"press": Command.SET_START, "move": Command.MOVE_START}
# What the help says about them (labels are keys of gdviz.ui.strings).
POINTER_HELP = (
    ("touch.tap_ball", Command.SELECT_BALL),
    ("touch.drag_ball", Command.MOVE_START),
    ("touch.tap_map", Command.SET_START),
    ("touch.shift_click", Command.ADD_BALL_AT),
)


@dataclass(frozen=True)
class BarButton:
    """A button of the on-screen control bar: a tap on it is `command` with `arg`, as its key is.

    `label` is a key of gdviz.ui.strings (it may hold {optimizer} and {lr}); `icon` is drawn
    before it in the Latin font, which has the symbol. A button `lit` by a state of the game
    ("playing", "step_mode", "swarm") is highlighted then, and shows `label_lit` and `icon_lit`
    instead when it has them. Buttons with the same `group` sit side by side with no gap. On a
    narrow screen the bar shows each button's icon with its `short` word (none: the icon alone).
    """

    command: Command
    label: str
    icon: str = ""
    arg: Any = None
    lit: str = ""
    label_lit: str = ""
    icon_lit: str = ""
    group: int = 0
    short: str = ""


BAR_BUTTONS: tuple[BarButton, ...] = (
    BarButton(Command.BACK, "bar.levels", "☰", group=1),
    BarButton(Command.RESET, "bar.reset", "↺", group=2),
    BarButton(Command.STEP_BACK, "bar.step_back", group=3, short="bar.step_back_short"),
    BarButton(Command.PLAY_PAUSE, "bar.play", "▶", lit="playing", label_lit="bar.pause", icon_lit="❚❚", group=3),
    BarButton(Command.STEP, "bar.step", group=3, short="bar.step_short"),
    BarButton(Command.OPTIMIZER_MENU, "bar.optimizer", "▾", group=4, short="bar.optimizer"),
    BarButton(Command.SETTINGS_MENU, "bar.settings", "⚙", group=4),
    BarButton(Command.LR_DOWN, "bar.lr_down", group=5, short="bar.lr_down"),
    BarButton(Command.SET_LR, "bar.lr", group=5, short="bar.lr_short"),
    BarButton(Command.LR_UP, "bar.lr_up", group=5, short="bar.lr_up"),
    BarButton(Command.STEP_MODE, "bar.step_mode", lit="step_mode", group=6, short="bar.step_mode_short"),
    BarButton(Command.SWARM, "bar.swarm", lit="swarm", group=6, short="bar.swarm_short"),
    BarButton(Command.HELP, "bar.help", "?", group=7),
    BarButton(Command.LANGUAGE, "bar.language", group=7, short="bar.language_short"),
)
# What the bar's panels offer (gdviz.ui.control_bar): the ⚙ panel holds these, where the
# selected ball's optimizer has them; the ▾ list holds one button per optimizer.
SETTINGS_COMMANDS = (Command.DECAY1_DOWN, Command.DECAY1_UP, Command.DECAY2_DOWN, Command.DECAY2_UP,
                     Command.TOGGLE_BIAS)


def _matches(binding: Binding, key: int, shift: bool) -> bool:
    return binding.key == key and (binding.shift is None or binding.shift == shift)


def action_for_key(key: int, mods: int) -> Action | None:
    """Return the Action a key press stands for, or None if the key does nothing."""
    shift = bool(mods & pygame.KMOD_SHIFT)
    for binding in BINDINGS:
        if _matches(binding, key, shift):
            return Action(binding.command, binding.arg)
    return None


def action_for_gesture(gesture: Gesture) -> Action | None:
    """Return the Action a press or drag stands for (Shift + click adds a ball), or None."""
    command = POINTER.get(gesture.kind)
    if command is Command.SET_START and not gesture.finger and pygame.key.get_mods() & pygame.KMOD_SHIFT:
        command = Command.ADD_BALL_AT
    return Action(command, gesture.at) if command is not None else None


def action_for_event(event: pygame.event.Event) -> Action | None:
    """Return the Action a key, pad or window event stands for, or None (fingers and the mouse
    go through gdviz.ui.pointer and action_for_gesture)."""
    if event.type == pygame.KEYDOWN:
        return action_for_key(event.key, event.mod)
    if event.type == pygame.JOYBUTTONDOWN:
        return next((Action(c) for b, _, c in PAD_BUTTONS if b == event.button), None)
    if event.type == pygame.JOYHATMOTION:
        entry = PAD_HAT.get(tuple(event.value))
        return Action(entry[1]) if entry else None
    if event.type == pygame.MOUSEWHEEL:  # lists scroll (a row a notch); nothing else uses it
        return Action(Command.SCROLL, -int(event.y))
    if event.type == pygame.TEXTINPUT:
        return Action(Command.TEXT, event.text)
    if event.type == pygame.QUIT:
        return Action(Command.QUIT)
    return None


def help_rows(lang: str = "en") -> list[tuple[str, str]]:
    """Return (keys, what they do) rows for the help overlay, one per distinct action; a
    control-bar button is named, in [brackets], beside the keys that do the same."""
    rows: dict[tuple[Command, Any], list[str]] = {}
    for binding in BINDINGS:
        labels = rows.setdefault((binding.command, binding.arg), [])
        if binding.label not in labels:
            labels.append(binding.label)
    for button in BAR_BUTTONS:
        rows.setdefault((button.command, button.arg), []).append(f"[{bar_word(button, lang)}]")
    out = [(" / ".join(labels), describe(command, arg, lang)) for (command, arg), labels in rows.items()]
    out += [(tr(lang, label), describe(command, None, lang)) for label, command in POINTER_HELP]
    out += [(f"pad {label}", describe(command, None, lang)) for _, label, command in PAD_BUTTONS]
    out += [(f"pad {label}", describe(command, None, lang)) for label, command in PAD_HAT.values()]
    return out


def touch_help_rows(lang: str = "en") -> list[tuple[str, str]]:
    """Return (button or gesture, what it does) rows for the help's touch page: every bar
    button (the ▾ and ⚙ panels' buttons with their openers), then taps and drags."""
    rows = [(button_name(button, lang), describe(button.command, button.arg, lang)) for button in BAR_BUTTONS]
    rows += [(f"⚙ › {_settings_word(command, lang)}", describe(command, None, lang)) for command in SETTINGS_COMMANDS]
    return rows + [(tr(lang, label), describe(command, None, lang)) for label, command in POINTER_HELP[:3]]


def bar_word(button: BarButton, lang: str, optimizer: str = "", lr: str = "", short: bool = False) -> str:
    """Return the word on a control-bar button (not lit), with the optimizer and rate it shows
    (`short`: its word on a narrow screen, maybe none)."""
    label = button.short if short else button.label
    if not label:
        return ""
    return tr(lang, label, optimizer=optimizer or tr(lang, "board.optimizer"), lr=lr or "…").strip()


# --- naming an action in a level's hint (gdviz.core.hints) -------------------------------------


def key_name(action: Action) -> str | None:
    """Return the key that does `action` (an argument only where the key has one), or None."""
    return next((b.label for b in BINDINGS if b.command is action.command
                 and (b.arg == action.arg or b.arg is None)), None)


def bar_path(action: Action, lang: str) -> list[str] | None:
    """Return the bar's buttons a finger presses, in order, to do `action` (None: it cannot)."""
    for button in BAR_BUTTONS:
        if button.command is action.command and button.arg == action.arg:
            return [button_name(button, lang)]
    menu = {Command.OPTIMIZER: Command.OPTIMIZER_MENU}.get(action.command)
    if action.command in SETTINGS_COMMANDS:
        menu = Command.SETTINGS_MENU
    opener = next((b for b in BAR_BUTTONS if b.command is menu), None)
    if opener is None:
        return None
    first = opener.icon if menu is Command.OPTIMIZER_MENU else button_name(opener, lang)
    return [first, panel_word(action, lang)]


def button_name(button: BarButton, lang: str) -> str:
    """Return a bar button as a hint names it: its icon and word."""
    return " ".join(part for part in (button.icon, bar_word(button, lang)) if part)


def panel_word(action: Action, lang: str) -> str:
    """Return the word on the button of a bar panel that does `action` (see control_bar)."""
    if action.command is Command.OPTIMIZER:
        return optimizer_label(lang, action.arg)
    if action.command is Command.TOGGLE_BIAS:
        return tr(lang, "bar.bias")
    which = 0 if action.command in (Command.DECAY1_DOWN, Command.DECAY1_UP) else 1
    decays = METHODS[action.arg].decays if action.arg in METHODS else ()
    symbol = DECAY_SYMBOLS.get(decays[which], "") if which < len(decays) else ""
    sign = "+" if action.command in (Command.DECAY1_UP, Command.DECAY2_UP) else "−"
    return f"{symbol} {sign}".strip()


NBSP = "\u00a0"


def _settings_word(command: Command, lang: str) -> str:
    """The word of a ⚙ panel button, for any optimizer (μ / β1 / α / ρ −)."""
    if command is Command.TOGGLE_BIAS:
        return tr(lang, "bar.bias")
    which = 0 if command in (Command.DECAY1_DOWN, Command.DECAY1_UP) else 1
    symbols = dict.fromkeys(DECAY_SYMBOLS[m.decays[which]] for m in METHODS.values() if len(m.decays) > which)
    return f"{'/'.join(symbols)} {'+' if command in (Command.DECAY1_UP, Command.DECAY2_UP) else '−'}"


def say_action(action: Action, lang: str, bar: bool) -> str:
    """Return how a hint names `action`: its key, or the bar's buttons in [brackets]."""
    path = bar_path(action, lang) if bar else None
    if path is None:
        return key_name(action) or help_text(lang, action.command)
    named = [f"[{word}]".replace(" ", NBSP) for word in path]  # a button's name is never cut by a line break
    said = named[0]
    for word in named[1:]:
        said = tr(lang, "bar.then", first=said, second=word)
    return said


def spoken_hint(text: str, lang: str, bar: bool) -> str:
    """Return a level's hint with each {action} named as a key, or as bar buttons with the `bar`."""
    return "".join(part if isinstance(part, str) else say_action(part, lang, bar) for part in hints.split(text))


def describe(command: Command, arg: Any = None, lang: str = "en") -> str:
    """Return the help sentence for a command (with its argument, an optimizer: its name and,
    in English, the identifier scripts and level files use; in Chinese, torch's name)."""
    text = help_text(lang, command)
    if not arg:
        return text
    label = optimizer_label(lang, arg)
    return f"{text}: {label}" if lang == "zh" else f"{text}: {label} ({arg})"
