#!/usr/bin/env python3
"""Generate the two original sample images for the Galley samples.

Written for the project (no third-party artwork); the project owns the output.
Needs only the Python standard library, plus `cjpeg` (libjpeg-turbo-progs)
for the JPEG:

    python3 make-images.py          # writes gdp-chart.png, incubator.ppm
    cjpeg -quality 85 incubator.ppm > incubator.jpg && rm incubator.ppm

gdp-chart.png  600x400 RGB PNG: a bar chart (fictitious figures, no text)
incubator.jpg  800x500 JPEG: an abstract dusk skyline with a lit office block
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


class Canvas:
    def __init__(self, w, h, bg):
        self.w, self.h = w, h
        self.px = [list(bg) * w for _ in range(h)]  # rows of flat RGB

    def set(self, x, y, c):
        if 0 <= x < self.w and 0 <= y < self.h:
            r = self.px[y]
            r[3 * x:3 * x + 3] = c

    def rect(self, x0, y0, x1, y1, c):
        x0, x1 = max(0, x0), min(self.w, x1)
        for y in range(max(0, y0), min(self.h, y1)):
            self.px[y][3 * x0:3 * x1] = list(c) * (x1 - x0)


def write_png(path, cv):
    raw = b"".join(b"\x00" + bytes(row) for row in cv.px)  # filter 0 per row

    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", cv.w, cv.h, 8, 2, 0, 0, 0)  # 8-bit RGB
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", ihdr))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def write_ppm(path, cv):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (cv.w, cv.h))
        for row in cv.px:
            f.write(bytes(row))


def chart():
    """Bars for 2014-2018 output (fictitious: 920 ... 1,280), plus a growth line."""
    cv = Canvas(600, 400, (255, 255, 255))
    left, right, top, base = 70, 570, 40, 350
    grid = (225, 225, 225)
    for i in range(0, 6):  # horizontal grid every 300 units of 1,500
        y = base - i * (base - top) // 5
        cv.rect(left, y, right, y + 1, grid)
    cv.rect(left - 1, top, left + 1, base + 1, (90, 90, 90))  # y axis
    cv.rect(left - 1, base, right, base + 2, (90, 90, 90))  # x axis
    values = [920, 1015, 1090, 1180, 1280]  # 亿元, fictitious
    growth = [8.1, 7.4, 6.9, 7.2, 6.6]  # %, fictitious
    slot = (right - left) // len(values)
    tops = []
    for i, v in enumerate(values):
        x0 = left + i * slot + slot // 5
        x1 = x0 + slot * 3 // 5
        y0 = base - int(v / 1500 * (base - top))
        red = (196, 30, 36) if i == len(values) - 1 else (70, 110, 170)
        cv.rect(x0, y0, x1, base, red)
        cv.rect(x0, y0, x1, y0 + 3, tuple(max(0, c - 40) for c in red))
        tops.append(((x0 + x1) // 2, base - 40 - int((growth[i] - 6) / 3 * 120)))
    # growth line (thick) with square markers
    orange = (230, 140, 20)
    for (xa, ya), (xb, yb) in zip(tops, tops[1:]):
        n = max(abs(xb - xa), abs(yb - ya))
        for k in range(n + 1):
            x = xa + (xb - xa) * k // n
            y = ya + (yb - ya) * k // n
            cv.rect(x - 1, y - 1, x + 2, y + 2, orange)
    for x, y in tops:
        cv.rect(x - 5, y - 5, x + 6, y + 6, orange)
        cv.rect(x - 2, y - 2, x + 3, y + 3, (255, 255, 255))
    # legend swatches (no text: the caption explains the chart)
    cv.rect(left + 10, 12, left + 30, 26, (70, 110, 170))
    cv.rect(left + 40, 12, left + 60, 26, (196, 30, 36))
    cv.rect(left + 80, 17, left + 110, 21, orange)
    return cv


def skyline():
    """Dusk gradient, hills, city blocks, one tall lit building (the incubator)."""
    w, h = 800, 500
    cv = Canvas(w, h, (0, 0, 0))
    top, bottom = (28, 40, 92), (246, 170, 110)
    for y in range(h):
        t = y / (h - 1)
        c = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom))
        cv.px[y] = list(c) * w
    # sun
    cx, cy, r = 560, 330, 60
    for y in range(cy - r, cy + r):
        for x in range(cx - r, cx + r):
            if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                cv.set(x, y, (252, 214, 150))
    # hills
    for x in range(w):
        hy = int(360 + 25 * math.sin(x / 90.0) + 12 * math.sin(x / 31.0))
        cv.rect(x, hy, x + 1, h, (92, 70, 96))
    # blocks
    blocks = [(20, 300, 110), (120, 330, 90), (220, 280, 70), (300, 350, 120),
              (430, 310, 60), (500, 360, 110), (620, 300, 80), (710, 340, 90)]
    for x0, y0, bw in blocks:
        cv.rect(x0, y0, x0 + bw, h, (44, 40, 66))
        for wy in range(y0 + 12, h - 20, 22):
            for wx in range(x0 + 10, x0 + bw - 12, 18):
                if (wx * 7 + wy * 3) % 5 < 2:
                    cv.rect(wx, wy, wx + 8, wy + 10, (250, 220, 140))
    # the incubator: tall glass tower with a lit grid
    x0, x1, y0 = 360, 470, 120
    cv.rect(x0, y0, x1, h, (36, 58, 98))
    cv.rect(x0 + 50, y0 - 40, x0 + 54, y0, (200, 200, 210))  # mast
    for wy in range(y0 + 10, h - 10, 16):
        for wx in range(x0 + 8, x1 - 8, 14):
            lit = (wx // 14 + wy // 16) % 3 != 0
            cv.rect(wx, wy, wx + 9, wy + 10, (120, 200, 240) if lit else (52, 80, 124))
    # ground
    cv.rect(0, 470, w, h, (30, 30, 40))
    return cv


if __name__ == "__main__":
    write_png(os.path.join(HERE, "gdp-chart.png"), chart())
    write_ppm(os.path.join(HERE, "incubator.ppm"), skyline())
