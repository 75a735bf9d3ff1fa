"""Where a PDF's text lies on the page, for the tests of the report's layout.

A small interpreter of PDF content streams (PDF 32000-1, 8.4 and 9.4): it
follows the graphics state (``q``/``Q``/``cm``, form XObjects) and the text
state (``Tm``, ``Td``, ``Tf``, ``Tc``, ``Tw``, ``Tz``, ``Ts`` …) and measures
every text-showing operation with the font's glyph widths, so a box says where
its first and last visible glyph are in page coordinates (points, origin at the
bottom left), not only where the text starts. pypdf reads the file; only the
parts WeasyPrint writes are needed (Type0/Identity-H and simple fonts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n, as PDF composes matrices (m is applied first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass
class TextBox:
    page: int  # 1-based
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # the font size as drawn (points)

    def __str__(self) -> str:
        return f"page {self.page} ({self.x0:.1f}, {self.y0:.1f})–({self.x1:.1f}, {self.y1:.1f}): {self.text!r}"


class _Font:
    """Glyph widths (text space units per 1 unit of font size) and the text of each code."""

    def __init__(self, font: DictionaryObject):
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = 0.0
        if self.two_bytes:
            cid = font["/DescendantFonts"][0].get_object()
            self.default = float(cid.get("/DW", 1000)) / 1000
            w = list(cid.get("/W", []))
            i = 0
            while i < len(w):
                first = int(w[i])
                nxt = w[i + 1].get_object() if isinstance(w[i + 1], IndirectObject) else w[i + 1]
                if isinstance(nxt, list):
                    for k, width in enumerate(nxt):
                        self.widths[first + k] = float(width) / 1000
                    i += 2
                else:
                    for code in range(first, int(nxt) + 1):
                        self.widths[code] = float(w[i + 2]) / 1000
                    i += 3
        else:
            scale = float(font["/FontMatrix"][0]) if "/FontMatrix" in font else 1 / 1000
            first = int(font.get("/FirstChar", 0))
            for k, width in enumerate(font.get("/Widths", [])):
                self.widths[first + k] = float(width) * scale
        self.unicode = _to_unicode(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else {}

    def codes(self, data: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def text(self, code: int) -> str:
        return self.unicode.get(code, chr(code) if not self.two_bytes else "\ufffd")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """The bfchar and bfrange entries of a ToUnicode CMap."""

    def utf16(hexstr: bytes) -> str:
        return bytes.fromhex(hexstr.decode()).decode("utf-16-be", "replace")

    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for k, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                    mapping[lo + k] = utf16(item)
            else:
                start = bytes.fromhex(dst[1:-1].decode())
                for k in range(hi - lo + 1):
                    last = int.from_bytes(start[-2:], "big") + k
                    mapping[lo + k] = (start[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", "replace")
    return mapping


_TOKEN = re.compile(
    rb"""(?P<space>\s+|%[^\r\n]*)
    |(?P<open><<|\[)|(?P<close>>>|\])
    |<(?P<hex>[0-9A-Fa-f\s]*)>
    |(?P<literal>\()
    |(?P<name>/[^\s/\[\]()<>{}%]*)
    |(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
    |(?P<operator>[A-Za-z'"*][A-Za-z0-9'"*]*)""",
    re.X,
)
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The literal string starting after the "(" at ``i``, and the position after its ")"."""
    out, depth = bytearray(), 1
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            nxt = data[i : i + 1]
            if nxt.isdigit() and nxt < b"8":
                digits = re.match(rb"[0-7]{1,3}", data[i : i + 3]).group()
                out.append(int(digits, 8) & 0xFF)
                i += len(digits)
                continue
            if nxt in (b"\r", b"\n"):  # a line continuation
                i += 2 if data[i : i + 2] == b"\r\n" else 1
                continue
            out += _ESCAPES.get(data[i], nxt)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if not depth:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def operations(data: bytes) -> Iterator[tuple[list, bytes]]:
    """(operands, operator) of a content stream: numbers as floats, names as str, strings as bytes,
    arrays as lists (dictionaries, which only mark content here, as None)."""
    operands: list = []
    stack: list[list] = []
    i = 0
    while i < len(data):
        m = _TOKEN.match(data, i)
        if m is None:  # something this reader does not need (e.g. an inline image's data)
            i += 1
            continue
        i = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "open":
            stack.append(operands)
            operands = []
            continue
        if kind == "close":
            value = operands if m.group() == b"]" else None
            operands = stack.pop() if stack else []
            operands.append(value)
            continue
        if kind == "hex":
            hexdigits = re.sub(rb"\s", b"", m.group("hex"))
            value = bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode())
        elif kind == "literal":
            value, i = _literal(data, i)
        elif kind == "name":
            value = m.group().decode("latin-1")
        elif kind == "number":
            value = float(m.group())
        elif stack:  # true, false, null inside an array or dictionary
            value = m.group()
        else:
            if m.group() == b"BI":  # an inline image: skip to its end
                end = data.find(b"EI", i)
                i = len(data) if end < 0 else end + 2
                operands = []
                continue
            yield operands, m.group()
            operands = []
            continue
        operands.append(value)


def _data(content) -> bytes:
    content = content.get_object() if isinstance(content, IndirectObject) else content
    if isinstance(content, ArrayObject):
        return b"\n".join(_data(part) for part in content)
    return content.get_data() if isinstance(content, StreamObject) else b""


class _Interpreter:
    def __init__(self, reader: PdfReader, page_number: int):
        self.reader = reader
        self.page = page_number
        self.boxes: list[TextBox] = []
        self.fonts: dict[int, _Font] = {}

    def font(self, resources: DictionaryObject, name: str) -> _Font | None:
        ref = resources.get("/Font", DictionaryObject()).get_object().get(name)
        if ref is None:
            return None
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        if key not in self.fonts:
            self.fonts[key] = _Font(ref.get_object())
        return self.fonts[key]

    def run(self, content, resources: DictionaryObject, ctm: Matrix, depth: int = 0) -> None:
        if content is None or depth > 20:
            return
        stack: list[Matrix] = []
        tm = tlm = IDENTITY
        font: _Font | None = None
        size = leading = char_spacing = word_spacing = rise = 0.0
        scale = 1.0
        invisible = False
        text_stack: list[tuple] = []
        for operands, op in operations(_data(content)):
            match op:
                case b"q":
                    stack.append(ctm)
                    text_stack.append((font, size, leading, char_spacing, word_spacing, rise, scale, invisible))
                case b"Q":
                    if stack:
                        ctm = stack.pop()
                        font, size, leading, char_spacing, word_spacing, rise, scale, invisible = text_stack.pop()
                case b"cm":
                    ctm = multiply(tuple(float(v) for v in operands), ctm)
                case b"BT":
                    tm = tlm = IDENTITY
                case b"Tm":
                    tm = tlm = tuple(float(v) for v in operands)
                case b"Td" | b"TD":
                    tx, ty = float(operands[0]), float(operands[1])
                    if op == b"TD":
                        leading = -ty
                    tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
                case b"T*":
                    tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                case b"TL":
                    leading = float(operands[0])
                case b"Tc":
                    char_spacing = float(operands[0])
                case b"Tw":
                    word_spacing = float(operands[0])
                case b"Tz":
                    scale = float(operands[0]) / 100
                case b"Ts":
                    rise = float(operands[0])
                case b"Tr":
                    invisible = int(operands[0]) == 3
                case b"Tf":
                    font, size = self.font(resources, operands[0]), float(operands[1])
                case b"Tj" | b"TJ" | b"'" | b'"':
                    if op in (b"'", b'"'):
                        if op == b'"':
                            word_spacing, char_spacing = float(operands[0]), float(operands[1])
                        tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                    items = operands[0] if op == b"TJ" else operands[-1:]
                    tm = self.show(items, tm, ctm, font, size, char_spacing, word_spacing, scale, rise, invisible)
                case b"Do":
                    xobject = resources.get("/XObject", DictionaryObject()).get_object().get(operands[0])
                    if xobject is not None:
                        xobject = xobject.get_object()
                        if xobject.get("/Subtype") == "/Form":
                            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                            inner = xobject.get("/Resources")
                            inner = inner.get_object() if inner else resources
                            self.run(xobject, inner, multiply(matrix, ctm), depth + 1)

    def show(self, items, tm, ctm, font, size, char_spacing, word_spacing, scale, rise, invisible) -> Matrix:
        """Advance over the shown glyphs; record the box from the first to the last visible one."""
        if font is None:
            return tm
        x = 0.0
        text, first, last = [], None, None
        for item in items:
            if isinstance(item, (bytes, str)):
                data = item if isinstance(item, bytes) else item.encode("latin-1")
                for code in font.codes(data):
                    char = font.text(code)
                    advance = font.widths.get(code, font.default) * size + char_spacing
                    if not font.two_bytes and code == 32:
                        advance += word_spacing
                    advance *= scale
                    if char.strip():
                        first = x if first is None else first
                        last = x + font.widths.get(code, font.default) * size * scale
                    text.append(char)
                    x += advance
            else:
                x -= float(item) / 1000 * size * scale
        if first is not None and not invisible:
            trm = multiply(tm, ctm)
            corners = [apply(trm, gx, gy) for gx in (first, last) for gy in (rise - 0.2 * size, rise + 0.75 * size)]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            height = abs(apply(trm, 0, size)[1] - apply(trm, 0, 0)[1]) or abs(apply(trm, size, 0)[0] - trm[4])
            self.boxes.append(TextBox(self.page, "".join(text), min(xs), min(ys), max(xs), max(ys), height))
        return multiply((1, 0, 0, 1, x, 0), tm)


def text_boxes(reader: PdfReader) -> Iterator[TextBox]:
    """Every visible run of text in the document, page by page."""
    for number, page in enumerate(reader.pages, start=1):
        interpreter = _Interpreter(reader, number)
        resources = page.get("/Resources")
        interpreter.run(page.get("/Contents"), resources.get_object() if resources else DictionaryObject(), IDENTITY)
        yield from interpreter.boxes
