"""PNG badges with the credential baked in (Open Badges 3.0 baking).

The signed credential is the text of an ``iTXt`` chunk with the keyword ``openbadgecredential``
(uncompressed, no language tag), placed before ``IEND``. Baking replaces any earlier credential.
"""

from __future__ import annotations

import io
import math
import struct
import zlib

from PIL import Image, ImageDraw

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
MAX_PNG = 5 * 1024 * 1024


class NotAPng(ValueError):
    """The bytes are not a PNG image (or a broken one)."""


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise NotAPng("not a PNG image")
    chunks = []
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 8 > len(data):
            raise NotAPng("truncated PNG chunk")
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise NotAPng("truncated PNG chunk")
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position = end
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise NotAPng("PNG without an end")
    return chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _is_credential(kind: bytes, body: bytes) -> bool:
    return kind == b"iTXt" and body.split(b"\0", 1)[0] == KEYWORD


def bake(png: bytes, credential_json: str) -> bytes:
    """The PNG with ``credential_json`` in an ``openbadgecredential`` iTXt chunk."""
    chunks = [(kind, body) for kind, body in _chunks(png) if not _is_credential(kind, body)]
    # keyword, NUL, compression flag 0, compression method 0, empty language, NUL, empty
    # translated keyword, NUL, then the UTF-8 text.
    body = KEYWORD + b"\0\0\0" + b"\0" + b"\0" + credential_json.encode("utf-8")
    out = bytearray(PNG_SIGNATURE)
    for kind, chunk_body in chunks[:-1]:
        out += _chunk(kind, chunk_body)
    out += _chunk(b"iTXt", body)
    out += _chunk(b"IEND", b"")
    return bytes(out)


def unbake(png: bytes) -> str | None:
    """The credential baked into a PNG, or None if it holds none."""
    for kind, body in _chunks(png):
        if not _is_credential(kind, body):
            continue
        try:
            rest = body[len(KEYWORD) + 1 :]
            compressed = rest[0]
            _language, rest = rest[2:].split(b"\0", 1)
            _translated, text = rest.split(b"\0", 1)
            if compressed:
                text = zlib.decompress(text)
            return text.decode("utf-8")
        except (IndexError, ValueError, zlib.error) as error:
            raise NotAPng("a broken openbadgecredential chunk") from error
    return None


PALETTE = ("#0b5cad", "#1a7f4b", "#8a3ffc", "#b5470f", "#a11d4b", "#005f73")


def badge_image(number: int, size: int = 256) -> bytes:
    """A plain round badge image (a ring and a star) in the colour of ``number`` (1 to 6)."""
    colour = PALETTE[(number - 1) % len(PALETTE)]
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = size // 16
    draw.ellipse((margin, margin, size - margin, size - margin), fill=colour)
    inner = size // 6
    draw.ellipse((inner, inner, size - inner, size - inner), outline="white", width=size // 32)
    centre = size / 2
    radius_out, radius_in = size * 0.22, size * 0.09
    points = []
    for corner in range(10):
        angle = math.pi / 2 + corner * math.pi / 5
        radius = radius_out if corner % 2 == 0 else radius_in
        points.append((centre + radius * math.cos(angle), centre - radius * math.sin(angle)))
    draw.polygon(points, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
