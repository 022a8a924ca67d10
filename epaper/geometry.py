"""Boxes on a page, as fractions of its width and height with the origin at the top-left corner.

Fractions rather than points or pixels, because one page is shown at several pixel widths (the
renditions) and a region must fit all of them; top-left because that is how images and CSS
count. ``docs/issue-format.md`` stores regions the same way: ``[x0, y0, x1, y1]``, 4 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw

__all__ = ["Box", "bounding_box", "covered_share", "union_area", "union_iou"]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: ``x0 <= x1`` and ``y0 <= y1``, fractions of the page, y grows downwards."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersection_area(self, other: Box) -> float:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0

    def horizontal_overlap(self, other: Box) -> float:
        """The width both boxes share (0 when they sit side by side)."""
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))

    def gap(self, other: Box) -> float:
        """The shortest distance between the two boxes (0 when they touch or overlap)."""
        dx = max(0.0, other.x0 - self.x1, self.x0 - other.x1)
        dy = max(0.0, other.y0 - self.y1, self.y0 - other.y1)
        return (dx * dx + dy * dy) ** 0.5

    def rounded(self, digits: int = 4) -> Box:
        return Box(*(round(value, digits) for value in self.as_list()))

    def as_list(self) -> list[float]:
        return [self.x0, self.y0, self.x1, self.y1]

    @classmethod
    def from_list(cls, values: Sequence[float]) -> Box:
        x0, y0, x1, y1 = values
        return cls(float(x0), float(y0), float(x1), float(y1))


def bounding_box(boxes: Iterable[Box]) -> Box | None:
    """The smallest box around all of them, or None for none."""
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def _mask(boxes: Iterable[Box], grid: int) -> Image.Image:
    mask = Image.new("1", (grid, grid), 0)
    draw = ImageDraw.Draw(mask)
    for box in boxes:
        # Cell (i, j) is inside when its centre is; the -1 makes PIL's inclusive corner exclusive.
        x0, y0 = round(box.x0 * grid), round(box.y0 * grid)
        x1, y1 = round(box.x1 * grid) - 1, round(box.y1 * grid) - 1
        if x1 >= x0 and y1 >= y0:
            draw.rectangle((x0, y0, x1, y1), fill=255)
    return mask


def _count(mask: Image.Image) -> int:
    return mask.histogram()[-1]


def union_area(boxes: Iterable[Box], grid: int = 1000) -> float:
    """The area covered by the boxes (overlaps counted once), rasterised on a grid × grid."""
    return _count(_mask(boxes, grid)) / (grid * grid)


def union_iou(found: Iterable[Box], truth: Iterable[Box], grid: int = 1000) -> float:
    """Intersection over union of two sets of rectangles, each set taken as the union of its
    rectangles. Rasterised on a grid (1000 × 1000 cells = 0.1% of the page each way), which is
    exact enough for scoring and needs no polygon library."""
    a, b = _mask(found, grid), _mask(truth, grid)
    both = _count(ImageChops.logical_and(a, b))
    either = _count(ImageChops.logical_or(a, b))
    return both / either if either else 0.0


def covered_share(boxes: Iterable[Box], area: Iterable[Box], grid: int = 1000) -> float:
    """The share of the union of ``area`` that the union of ``boxes`` covers (0 for an empty
    area): how much of a neighbour's box a region reaches into, or how much of a found caption
    lies inside the true one."""
    a, b = _mask(boxes, grid), _mask(area, grid)
    total = _count(b)
    return _count(ImageChops.logical_and(a, b)) / total if total else 0.0
