"""Tables of a race: one row per step and ball, ready to save as CSV.

A RaceRecorder watches a race. After each step the game calls `record(race)`, and the
recorder notes, for every single-point ball: where it is, its loss and status, the
learning rate it used, and every quantity its optimizer keeps (the gradient, the step
taken, the velocity, the squared-gradient sums, and the raw state under torch's names,
such as exp_avg_x). Swarms are not recorded: a thousand rows per step would drown the rest.

Rows are kept in column blocks of plain numbers, so a long session costs a few tens of
megabytes at most; past `max_rows` the oldest rows are dropped and `truncated` is set.
A rewind is handled by `forget_after(step_count)` (and `record` itself drops any rows at
or after the step it is recording), so undone steps never appear in the table.

    recorder = RaceRecorder()
    recorder.record(race)                  # step 0
    recorder.step(race, 5)                 # five steps, each recorded
    text = to_csv_text(recorder.rows())
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdviz.core.optimizers import METHODS, Optimizer, Trace
from gdviz.core.sim import CONVERGED, STATUS_NAMES, Ball, Race

AXES = ("x", "y")
TRACE_QUANTITIES = ("grad", "update", "velocity", "squares")
# Every state array any optimizer keeps, under torch's names, in a stable order.
STATE_QUANTITIES = tuple(dict.fromkeys(k for m in METHODS.values() for k in m.state_keys))
BASE_COLUMNS = ("lr", "x", "y", "loss")
NUMERIC_COLUMNS = BASE_COLUMNS + tuple(
    f"{q}_{a}" for q in TRACE_QUANTITIES + STATE_QUANTITIES for a in AXES)
_INDEX = {name: i for i, name in enumerate(NUMERIC_COLUMNS)}
_WIDTH = len(NUMERIC_COLUMNS)

DEFAULT_MAX_ROWS = 200_000
_CHUNK_ROWS = 4096


@dataclass(frozen=True)
class Rows:
    """Table rows stored by column: numbers in one float array, names by index.

    `present[i, j]` says whether row i has column j at all (a gd ball has no exp_avg_x);
    absent cells are written empty, while a real NaN is written as 'nan'.
    """

    step: np.ndarray  # (n,) race step count
    ball: np.ndarray  # (n,) 1-based ball index
    who: np.ndarray  # (n,) index into `names`
    names: tuple[tuple[str, str], ...]  # (label, optimizer) pairs
    status: np.ndarray  # (n,) index into STATUS_NAMES
    values: np.ndarray  # (n, len(NUMERIC_COLUMNS)) float64
    present: np.ndarray  # (n, len(NUMERIC_COLUMNS)) bool

    def __len__(self) -> int:
        return int(self.step.shape[0])

    def header(self) -> list[str]:
        """Return the CSV column names: fixed ones first, then each quantity any row has."""
        used = self.present.any(axis=0)
        expected = self._trace_quantities()
        quantities = []
        for q in TRACE_QUANTITIES + STATE_QUANTITIES:
            # Both axes or neither, so a 1-D table has the same columns as a 2-D one.
            if q in expected or any(used[_INDEX[f"{q}_{a}"]] for a in AXES):
                quantities += [f"{q}_{a}" for a in AXES]
        return ["step", "ball", "label", "optimizer", *BASE_COLUMNS, "status", *quantities]

    def _trace_quantities(self) -> set[str]:
        """Return the trace columns these rows' optimizers produce, even before a first step."""
        out = {"grad", "update"} if len(self) else set()
        for who in np.unique(self.who):
            method = METHODS.get(self.names[who][1])
            if method is not None and method.velocity_key:
                out.add("velocity")
            if method is not None and method.squares_key:
                out.add("squares")
        return out

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Yield each row as a dict of its present cells (handy in notebooks and tests)."""
        for i in range(len(self)):
            label, optimizer = self.names[self.who[i]]
            row: dict[str, Any] = {"step": int(self.step[i]), "ball": int(self.ball[i]),
                                   "label": label, "optimizer": optimizer,
                                   "status": STATUS_NAMES[self.status[i]]}
            for j in np.flatnonzero(self.present[i]):
                row[NUMERIC_COLUMNS[j]] = float(self.values[i, j])
            yield row


def _empty_rows(count: int = 0) -> Rows:
    return Rows(np.zeros(count, np.int64), np.zeros(count, np.int32), np.zeros(count, np.int32), (),
                np.zeros(count, np.int8), np.full((count, _WIDTH), np.nan),
                np.zeros((count, _WIDTH), bool))


def concat_rows(parts: Sequence[Rows]) -> Rows:
    """Join row blocks end to end, merging their (label, optimizer) lists."""
    names: dict[tuple[str, str], int] = {}
    whos = []
    for part in parts:
        remap = np.array([names.setdefault(pair, len(names)) for pair in part.names] or [0])
        whos.append(remap[part.who] if len(part) else part.who)
    if not parts:
        return _empty_rows()
    return Rows(np.concatenate([p.step for p in parts]), np.concatenate([p.ball for p in parts]),
                np.concatenate(whos), tuple(names), np.concatenate([p.status for p in parts]),
                np.concatenate([p.values for p in parts]), np.concatenate([p.present for p in parts]))


# --- reading one ball ---------------------------------------------------------------------


def _used_state_keys(optimizer: Optimizer) -> tuple[str, ...]:
    """Return the state arrays this optimizer really uses (not the all-zero spare ones)."""
    hyper = optimizer.hyper
    unused = set()
    if not hyper.get("amsgrad", False):
        unused.add("max_exp_avg_sq")
    if not hyper.get("centered", False):
        unused.add("grad_avg")
    if optimizer.name == "rmsprop" and hyper.get("momentum", 0.0) <= 0:
        unused.add("buf")
    return tuple(k for k in optimizer.method.state_keys if k not in unused)


def _put(cells: dict[str, float], quantity: str, vector: np.ndarray | None) -> None:
    """Store one per-axis quantity (the ball's first point) as quantity_x, quantity_y."""
    if vector is None:
        return
    for axis, value in zip(AXES, vector[0]):
        cells[f"{quantity}_{axis}"] = float(value)


def ball_cells(race: Race, ball: Ball, stepped: bool = True) -> dict[str, float]:
    """Return the numeric cells of one single-point ball, by column name.

    `stepped` is False when the ball did not move on this step (finished balls stand
    still), so its old trace is not shown again as if it were new.
    """
    with np.errstate(all="ignore"):
        loss = race.surface.value(ball.position[:1])[0]
    cells = {"loss": float(loss)}
    for axis, value in zip(AXES, ball.position[0]):
        cells[axis] = float(value)
    trace: Trace | None = ball.trace if stepped else None
    if trace is not None:
        cells["lr"] = float(trace.lr)
        for quantity in TRACE_QUANTITIES:
            _put(cells, quantity, getattr(trace, quantity))
    for key in _used_state_keys(ball.optimizer):
        _put(cells, key, ball.state.get(key))
    return cells


# --- building rows ------------------------------------------------------------------------


class _Block:
    """A fixed-size block of rows; rows [start, used) are live."""

    def __init__(self, size: int) -> None:
        self.step = np.zeros(size, np.int64)
        self.ball = np.zeros(size, np.int32)
        self.who = np.zeros(size, np.int32)
        self.status = np.zeros(size, np.int8)
        self.values = np.full((size, _WIDTH), np.nan)
        self.present = np.zeros((size, _WIDTH), bool)
        self.start = self.used = 0

    @property
    def full(self) -> bool:
        return self.used == len(self.step)

    def add(self, step: int, ball: int, who: int, status: int, cells: dict[str, float]) -> None:
        i = self.used
        self.step[i], self.ball[i], self.who[i], self.status[i] = step, ball, who, status
        columns = [_INDEX[name] for name in cells]
        self.values[i, columns] = list(cells.values())
        self.present[i, columns] = True
        self.used += 1

    def rows(self, names: tuple[tuple[str, str], ...]) -> Rows:
        live = slice(self.start, self.used)
        return Rows(self.step[live].copy(), self.ball[live].copy(), self.who[live].copy(), names,
                    self.status[live].copy(), self.values[live].copy(), self.present[live].copy())


class _Table:
    """Rows appended in blocks; the (label, optimizer) pairs are numbered as they come."""

    def __init__(self, block_rows: int) -> None:
        self.block_rows = block_rows
        self.blocks: list[_Block] = []
        self.names: dict[tuple[str, str], int] = {}

    def __len__(self) -> int:
        return sum(b.used - b.start for b in self.blocks)

    def add(self, step: int, ball: int, pair: tuple[str, str], status: int,
            cells: dict[str, float]) -> None:
        if not self.blocks or self.blocks[-1].full:
            self.blocks.append(_Block(self.block_rows))
        who = self.names.setdefault(pair, len(self.names))
        self.blocks[-1].add(step, ball, who, status, cells)

    def rows(self) -> Rows:
        names = tuple(self.names)
        return concat_rows([b.rows(names) for b in self.blocks]) if self.blocks else _empty_rows()


def _ball_rows(race: Race, stepped: Sequence[bool]) -> Iterator[tuple[int, Ball, dict[str, float]]]:
    """Yield (1-based index, ball, cells) for every single-point ball of the race."""
    for index, ball in enumerate(race.balls):
        if ball.points == 1:
            yield index + 1, ball, ball_cells(race, ball, stepped[index])


def snapshot_rows(race: Race) -> Rows:
    """Return the rows of the race as it stands now (one per single-point ball)."""
    table = _Table(max(1, len(race.balls)))
    for number, ball, cells in _ball_rows(race, [True] * len(race.balls)):
        table.add(race.step_count, number, (ball.label, ball.optimizer.name),
                  int(ball.status[0]), cells)
    return table.rows()


class RaceRecorder:
    """Collects one row per (step, ball) as a race runs. See the module docstring."""

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {max_rows}")
        self.max_rows = int(max_rows)
        self.truncated = False
        self._table = _Table(min(_CHUNK_ROWS, self.max_rows))

    def __len__(self) -> int:
        return len(self._table)

    def clear(self) -> None:
        """Forget every row."""
        self._table = _Table(self._table.block_rows)
        self.truncated = False

    def record(self, race: Race) -> None:
        """Add the rows of the race's current step, replacing any rows at or after it."""
        self.forget_after(race.step_count - 1)
        stepped = [self._moved(race, b) for b in race.balls]
        for number, ball, cells in _ball_rows(race, stepped):
            self._table.add(race.step_count, number, (ball.label, ball.optimizer.name),
                            int(ball.status[0]), cells)
        self._drop_oldest()

    def step(self, race: Race, steps: int = 1) -> None:
        """Step the race `steps` times, recording after each step."""
        for _ in range(steps):
            race.step()
            self.record(race)

    @staticmethod
    def _moved(race: Race, ball: Ball) -> bool:
        # A finished ball keeps its last trace; it belongs to this step only if the ball
        # finished on this very step (the race step is stored when it finishes).
        return bool(ball.status[0] <= CONVERGED or ball.finished_step[0] == race.step_count)

    def forget_after(self, step_count: int) -> None:
        """Drop every row whose step is later than `step_count` (after a rewind)."""
        blocks = self._table.blocks
        while blocks:
            last = blocks[-1]
            keep = last.start + int(np.searchsorted(last.step[last.start:last.used], step_count,
                                                    side="right"))
            last.values[keep:last.used] = np.nan
            last.present[keep:last.used] = False
            last.used = keep
            if last.used > last.start:
                return
            blocks.pop()

    def _drop_oldest(self) -> None:
        """Keep at most max_rows rows by dropping the oldest ones."""
        extra = len(self._table) - self.max_rows
        if extra <= 0:
            return
        self.truncated = True
        blocks = self._table.blocks
        while extra > 0:
            first = blocks[0]
            take = min(extra, first.used - first.start)
            first.start += take
            extra -= take
            if first.start == first.used and first.full:
                blocks.pop(0)

    def rows(self) -> Rows:
        """Return every recorded row, oldest first."""
        return self._table.rows()


# --- CSV --------------------------------------------------------------------------------


def _number(value: float) -> str:
    # repr gives the shortest text that reads back as exactly the same float.
    return repr(value)


def to_csv_text(rows: Rows) -> str:
    """Return the rows as CSV text: a header line, then one line per row."""
    header = rows.header()
    columns = [_INDEX[name] for name in header if name in _INDEX]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    # Convert a slice at a time so a 200,000-row table never exists as Python floats at once.
    for first in range(0, len(rows), _CHUNK_ROWS):
        _write_slice(writer, rows, columns, slice(first, first + _CHUNK_ROWS))
    return out.getvalue()


def _write_slice(writer: Any, rows: Rows, columns: list[int], part: slice) -> None:
    values = rows.values[part, columns].tolist()
    present = rows.present[part, columns].tolist()
    steps, balls = rows.step[part].tolist(), rows.ball[part].tolist()
    whos, statuses = rows.who[part].tolist(), rows.status[part].tolist()
    base = len(BASE_COLUMNS)
    for i, (step, ball, who, status) in enumerate(zip(steps, balls, whos, statuses)):
        label, optimizer = rows.names[who]
        cells = [_number(v) if p else "" for v, p in zip(values[i], present[i])]
        writer.writerow([step, ball, label, optimizer, *cells[:base], STATUS_NAMES[status],
                         *cells[base:]])
