#!/usr/bin/env python3
"""Writes the small broken (and two good) pictures of the bad-input corpus.

Standard library only; run it here to make them again:

    python3 make-pictures.py

good.png      16x12 RGB PNG
good.jpg      16x16 greyscale baseline JPEG (flat grey: every block DC 0, EOB)
truncated.png good.png cut inside its image data
bad-crc.png   good.png with its IDAT checksum and compressed data spoilt
bomb.png      a PNG whose header says 23000x23000 (529 MP) over a few bytes
zero.png      a PNG whose header says 0x0
damaged.jpg   good.jpg's headers over scan data that is no Huffman code
huge.jpg      a JPEG header saying 10000x10000 (100 MP), scan data of 16x16
wide.jpg      a JPEG header saying 40000x8 (0.32 MP but a side over 30000)
picture.gif   a 1x1 GIF
text.png      text under a .png name
"""
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def chunk(tag, data, crc=None):
    body = tag + data
    c = zlib.crc32(body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + body + struct.pack(">I", c)


def png(w, h, raw, colour=2, idat=None, crc=None):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0)
    data = zlib.compress(raw, 9) if idat is None else idat
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data, crc) + chunk(b"IEND", b""))


def jpeg(w, h, scan):
    """Baseline greyscale JPEG with one-code Huffman tables: '0' is DC
    difference 0 and '0' is EOB, so each 8x8 block is the two bits 00."""
    def seg(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
    dqt = seg(0xDB, b"\x00" + bytes([1] * 64))
    sof = seg(0xC0, struct.pack(">BHHB", 8, h, w, 1) + b"\x01\x11\x00")
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, symbol 0
    dht = seg(0xC4, b"\x00" + one_code + b"\x10" + one_code)
    sos = seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return b"\xff\xd8" + dqt + sof + dht + sos + scan + b"\xff\xd9"


def flat_scan(blocks):
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def main():
    rnd = random.Random(11)
    w, h = 16, 12
    raw = b"".join(b"\x00" + bytes(rnd.randrange(256) for _ in range(3 * w)) for _ in range(h))
    good = png(w, h, raw)
    out = {
        "good.png": good,
        "truncated.png": good[: len(good) // 2],
        "bad-crc.png": png(w, h, raw, idat=b"\x78\x9c" + bytes(rnd.randrange(256) for _ in range(200)), crc=0),
        "bomb.png": png(23000, 23000, b"", colour=0, idat=zlib.compress(b"\x00" * 64)),
        "zero.png": png(0, 0, b"", idat=zlib.compress(b"")),
        "good.jpg": jpeg(16, 16, flat_scan(4)),
        "damaged.jpg": jpeg(16, 16, b"\xfe\xfe\xfe\xfe"),
        "huge.jpg": jpeg(10000, 10000, flat_scan(4)),
        "wide.jpg": jpeg(40000, 8, flat_scan(4)),
        "picture.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        "text.png": b"This is not a picture, only text under a .png name.\n",
    }
    for name, data in out.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
