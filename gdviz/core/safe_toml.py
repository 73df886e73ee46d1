"""Reading untrusted TOML safely: first the file, then each value in it.

Level files come from teachers and strangers, and settings files from staff. Before the TOML
parser sees a file, it is opened only if it is a regular file, size-checked and decoded as UTF-8
(safe_read.py), and scanned for nesting deep enough to exhaust the parser; keys longer than
MAX_KEY are refused too. Then the small readers below check each value's type, range and
allowed keys. Nothing is ever run as code, and every refusal is a `Problem` naming the field
(or line) and what is wrong with it.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gdviz.core import safe_read

MAX_FILE_BYTES = 256 * 1024
MAX_NESTING = 8  # brackets and tables inside each other
MAX_NAME = 64  # characters of a name chosen from a list (optimizer, surface, ball label…)
MAX_KEY = 128  # characters of a key (a field's name) anywhere in the file


class Problem(Exception):
    """One thing wrong in the file: the field (or line) where it is, and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


# --- reading the file --------------------------------------------------------------------------

# TOML strings and comments: brackets inside them do not nest anything.
_STRINGS_AND_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_BRACKETS = re.compile(r"[\[\]{}]")
# A dotted key (a.b.c = 1, [a.b.c]) nests tables too. Outside strings, dots not separated by
# '=', ',', a bracket or a line break can only belong to one key (a float has just one dot).
_LONG_DOTTED_KEY = re.compile(r"\.(?:[^.=,\n\[\]{}]*\.){%d,}" % MAX_NESTING)


def _read_text(path: Path) -> str:
    """Return the file's text: a regular file only, refused when too big (before it is read) or not UTF-8."""
    try:
        return safe_read.read_text(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise Problem("file", "cannot be read: there is no such file") from None
    except safe_read.Refused as refused:
        raise Problem(refused.where, refused.why) from None


def _check_nesting(text: str) -> None:
    """Refuse nesting deeper than MAX_NESTING before the TOML parser sees it.

    tomllib recurses into nested lists and tables, and slows down quadratically on keys with
    very many dots, so a hostile file could exhaust the stack or the memory.
    """
    blanked = _STRINGS_AND_COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    dotted = _LONG_DOTTED_KEY.search(blanked)
    if dotted:
        line = blanked.count("\n", 0, dotted.start()) + 1
        raise Problem(f"line {line}", f"a key has more than {MAX_NESTING} dots (tables nested too deeply)")
    depth = 0
    for match in _BRACKETS.finditer(blanked):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_NESTING:
            line = blanked.count("\n", 0, match.start()) + 1
            raise Problem(f"line {line}", f"lists or tables are nested more than {MAX_NESTING} deep")


def _too_deep(data: Any, limit: int) -> bool:
    """Return whether tables and lists in parsed data nest deeper than `limit` (no recursion)."""
    todo = [(data, 0)]
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        todo.extend((child, depth + 1) for child in children)
    return False


def _long_key(data: Any) -> str | None:
    """Return the first key longer than MAX_KEY anywhere in parsed data, or None (no recursion)."""
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            long = next((key for key in value if len(key) > MAX_KEY), None)
            if long is not None:
                return long
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return None


def _parse_toml(text: str) -> dict:
    """Parse TOML into plain data, turning every parser failure into a one-line problem."""
    _check_nesting(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at (line \d+, column \d+|end of document)\)", str(error))
        message = re.sub(r"\s*\(at [^)]*\)$", "", str(error))
        raise Problem(where.group(1) if where else "file", f"TOML syntax error: {message}") from None
    except RecursionError:
        raise Problem("file", "lists or tables are nested too deeply") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise Problem("file", "a number in the file is too long to read") from None
    # Dotted keys (a.b.c.d = 1) nest tables without any brackets, so check the result too.
    if _too_deep(data, MAX_NESTING):
        raise Problem("file", f"tables are nested more than {MAX_NESTING} deep")
    long = _long_key(data)
    if long is not None:
        raise Problem("file", f"a key is {len(long)} characters long (at most {MAX_KEY}): {show(long)}")
    return data


def parse(text: str) -> dict:
    """Return the parsed TOML in `text`, refusing deep nesting and long keys, or raise a Problem."""
    return _parse_toml(text)


def read(path: Path) -> dict:
    """Return the parsed TOML of the file at `path`, or raise a Problem saying why not."""
    return _parse_toml(_read_text(path))


# --- small readers: each checks one kind of value and names the field when it is wrong ------


def one_line(text: str, limit: int) -> str:
    """Squash text onto one line of at most `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def show(value: Any) -> str:
    """Describe a value from the file briefly (never repr a container: it may be deep)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = "".join(c if c.isprintable() else "?" for c in value[:40])
        return repr(shown + ("…" if len(value) > 40 else ""))
    if isinstance(value, (int, float)):
        return one_line(repr(value), 40)
    if isinstance(value, (dict, list)):
        return ""
    return one_line(str(value), 40)  # dates and times: short, safe text


def kind(value: Any) -> str:
    """Name a TOML value's type in plain words."""
    if isinstance(value, bool):
        return "true/false"
    names = {int: "number", float: "number", str: "text", list: "list", dict: "table"}
    return names.get(type(value), "date/time")


def table(value: Any, where: str, allowed: Sequence[str], required: Sequence[str] = ()) -> dict:
    """Return `value` if it is a table with only `allowed` keys and every `required` one."""
    if not isinstance(value, dict):
        raise Problem(where or "file", f"expected a table, got {kind(value)}")
    prefix = f"{where}." if where else ""
    for key in value:
        if key not in allowed:
            raise Problem(f"{prefix}{show(key)[1:-1]}",
                          f"unknown field; allowed here: {', '.join(allowed)}")
    for key in required:
        if key not in value:
            raise Problem(f"{prefix}{key}", "missing: this field is required")
    return value


def number(value: Any, where: str, low: float = -math.inf, high: float = math.inf) -> float:
    """Return a finite number in [low, high] (true/false is not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Problem(where, f"expected a number, got {kind(value)} {show(value)}")
    if isinstance(value, int) and abs(value) > 1e300:
        raise Problem(where, "the number is far too large")
    found = float(value)
    if not math.isfinite(found):
        raise Problem(where, f"expected a finite number, got {show(value)}")
    if not low <= found <= high:
        raise Problem(where, f"{found:g} is out of range: use a number from {low:g} to {high:g}")
    return found


def integer(value: Any, where: str, low: int, high: int) -> int:
    """Return a whole number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Problem(where, f"expected a whole number, got {kind(value)} {show(value)}")
    if not low <= value <= high:
        raise Problem(where, f"{show(value)} is out of range: use a whole number from {low} to {high}")
    return value


def string(value: Any, where: str, limit: int, single_line: bool = True) -> str:
    """Return non-empty text of at most `limit` characters."""
    if not isinstance(value, str):
        raise Problem(where, f"expected text in quotes, got {kind(value)} {show(value)}")
    if not value.strip():
        raise Problem(where, "is empty")
    if len(value) > limit:
        raise Problem(where, f"is {len(value)} characters long; keep it under {limit}")
    if single_line and not value.isprintable():
        raise Problem(where, f"must be one line of printable text, got {show(value)}")
    return value


def choice(value: Any, where: str, options: Sequence[str], what: str) -> str:
    """Return `value` if it is one of `options`."""
    name = string(value, where, MAX_NAME)
    if name not in options:
        close = difflib.get_close_matches(name, options, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        raise Problem(where, f"unknown {what} {show(name)}{guess}; choose one of: {', '.join(options)}")
    return name


def items(value: Any, where: str, low: int, high: int) -> list:
    """Return a list with between `low` and `high` items."""
    if not isinstance(value, list):
        raise Problem(where, f"expected a list in [brackets], got {kind(value)} {show(value)}")
    if not low <= len(value) <= high:
        raise Problem(where, f"has {len(value)} items; it needs {low}" + (f" to {high}" if high > low else ""))
    return value
