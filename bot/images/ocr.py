"""Text recognition with RapidOCR (PP-OCR detection + recognition, ONNX models inside the wheel).

The recognition model often drops the space between Latin words ("TillyBrackenbury"). Its CTC output
still shows where a space belongs: between two words the space class gets a little probability, inside
a word almost none. :class:`SpacingDecoder` replaces RapidOCR's CTC decoder and puts a space back where
that probability rises above :data:`SPACE_PROB`. (The identity matcher also finds names run together, so
a missed space costs little; a spurious one would split a name, hence the conservative threshold.) Where
the recogniser hesitates between two letters, the line's alternate readings are kept too, so a name read
"Lindgvist" is still found.

Runs synchronously: call it from the image worker process only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

#: Space-class probability between two characters above which a dropped space is put back.
SPACE_PROB = 0.02
#: A character whose runner-up reading is at least this likely is uncertain ("Lindgvist" / "Lindqvist")...
ALT_PROB = 0.2
#: ... and each line yields at most this many alternate readings (one per uncertain character, plus all).
MAX_ALTS = 4
#: Text detection upscales an image until its short side is this long (RapidOCR's default)...
DET_MIN_SIDE = 736
#: ... but never so far that its long side passes this (a 900x120 strip would become 5500x736).
DET_MAX_SIDE = 2000
#: A larger image is scaled down first until its short side is this long: a 1440-wide phone screenshot's
#: text stays well above the size the recogniser needs, and reading it takes half the time.
MAX_SHORT_SIDE = 1080
#: Lines the recogniser is less sure of than this are dropped (RapidOCR's own default is 0.5).
MIN_LINE_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    score: float
    top: float  # the box's top edge, for reading order
    bottom: float
    left: float
    alternates: tuple[str, ...] = ()  # the line with an uncertain character read the other way


class SpacingDecoder:
    """Greedy CTC decoding (as RapidOCR's) that also restores dropped word spaces."""

    def __init__(self, character: list[str], space_prob: float = SPACE_PROB) -> None:
        self.character = character
        self.space = character.index(" ") if " " in character else -1
        self.space_prob = space_prob

    def __call__(self, preds: np.ndarray, return_word_box: bool = False,
                 **_: Any) -> list[tuple[str, float, tuple[str, ...]]]:
        best = preds.argmax(axis=2)
        prob = preds.max(axis=2)
        out: list[tuple[str, float, tuple[str, ...]]] = []
        for b in range(len(best)):
            row = best[b]
            keep = np.ones(len(row), dtype=bool)
            keep[1:] = row[1:] != row[:-1]
            keep &= row != 0  # CTC blank
            cols = np.flatnonzero(keep)
            chars: list[str] = []
            doubts: list[tuple[float, int, str]] = []  # (margin, position in chars, the other reading)
            for k, col in enumerate(cols):
                char = self.character[int(row[col])]
                if k and self.space >= 0 and char != " " and chars and chars[-1] != " ":
                    between = preds[b, cols[k - 1] : col + 1, self.space]
                    if between.size and float(between.max()) >= self.space_prob:
                        chars.append(" ")
                other = self._runner_up(preds[b, col], int(row[col]))
                if other is not None:
                    doubts.append((float(prob[b, col] - preds[b, col, other]), len(chars), self.character[other]))
                chars.append(char)
            score = float(np.mean(prob[b][keep])) if len(cols) else 0.0
            out.append(("".join(chars), score, _alternates(chars, doubts)))
        return out

    def _runner_up(self, column: np.ndarray, chosen: int) -> int | None:
        """The second most likely letter or digit at a column, if it is likely enough to matter."""
        order = np.argpartition(column, -3)[-3:]
        for idx in sorted(order, key=lambda i: -column[i]):
            if idx in (0, chosen):
                continue
            if column[idx] >= ALT_PROB and self.character[int(idx)].isalnum():
                return int(idx)
            return None
        return None


def _alternates(chars: list[str], doubts: list[tuple[float, int, str]]) -> tuple[str, ...]:
    if not doubts:
        return ()
    doubts = sorted(doubts)[:MAX_ALTS]
    out = []
    for _, pos, other in doubts:
        out.append("".join([*chars[:pos], other, *chars[pos + 1:]]))
    if len(doubts) > 1:
        every = list(chars)
        for _, pos, other in doubts:
            every[pos] = other
        out.append("".join(every))
    return tuple(out)


class Recognizer:
    """One RapidOCR engine, single-threaded (the pool decides how many run at once)."""

    def __init__(self, threads: int = 1) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self.engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        decoder = self.engine.text_rec.postprocess_op
        self.engine.text_rec.postprocess_op = SpacingDecoder(list(decoder.character))

    def lines(self, pixels: np.ndarray) -> list[Line]:
        """Recognised lines of an RGB array, top to bottom; boxes on one row are joined left to right."""
        h, w = pixels.shape[:2]
        if min(h, w) > MAX_SHORT_SIDE:
            factor = MAX_SHORT_SIDE / min(h, w)
            h, w = max(1, round(h * factor)), max(1, round(w * factor))
            pixels = cv2.resize(pixels, (w, h), interpolation=cv2.INTER_AREA)
        short, long = min(h, w), max(h, w)
        scale = max(1.0, min(DET_MIN_SIDE / short, DET_MAX_SIDE / long))
        self.engine.text_det.limit_side_len = int(short * scale)
        bgr = np.ascontiguousarray(pixels[:, :, ::-1])  # RapidOCR takes OpenCV's channel order
        result, _ = self.engine(bgr, use_cls=False)  # screenshots are upright; the 180° classifier costs time
        boxes = []
        for box, text, score, *rest in result or []:
            text = " ".join(str(text).split())
            if text and float(score) >= MIN_LINE_SCORE:
                ys, xs = [p[1] for p in box], [p[0] for p in box]
                alternates = tuple(" ".join(a.split()) for a in rest[0]) if rest else ()
                boxes.append(Line(text, float(score), float(min(ys)), float(max(ys)), float(min(xs)), alternates))
        return join_rows(boxes)


def join_rows(boxes: list[Line]) -> list[Line]:
    """Boxes whose vertical extents mostly overlap are one row of text: join them with a space."""
    rows: list[list[Line]] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.left)):
        row = rows[-1] if rows else None
        if row is not None:
            top, bottom = min(b.top for b in row), max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap > 0.5 * min(bottom - top, box.bottom - box.top):
                row.append(box)
                continue
        rows.append([box])
    out = []
    for row in rows:
        row.sort(key=lambda b: b.left)
        texts = [b.text for b in row]
        alternates = tuple(" ".join([*texts[:i], alt, *texts[i + 1 :]])
                           for i, b in enumerate(row) for alt in b.alternates)
        out.append(Line(" ".join(texts), min(b.score for b in row), min(b.top for b in row),
                        max(b.bottom for b in row), row[0].left, alternates))
    return out
