"""The certificate's QR code as runs of dark modules, module for module what
``segno.make_qr(url, error="m", mask=0, boost_error=False)`` makes.

Certificates are frozen by their SHA-256 (app/certificates/archive.py), so the matrix must
never change; segno stays the reference and the fallback. The fast path covers what every
verification address is: one byte-mode segment in ISO 8859-1. It writes the data
codewords with integer arithmetic, the Reed-Solomon remainder with one table lookup per
data codeword, and places and masks the bits through a per-version table of where each
module comes from, so that building the matrix is one ``itemgetter`` call and finding
the runs one regular expression; segno spends most of its time on these steps one module
at a time in Python. tests/certificates/test_pdf_bytes.py compares the two over hundreds
of addresses.
"""

from __future__ import annotations

import re
from functools import cache
from operator import itemgetter

import segno
from segno import consts
from segno import encoder as se

M = consts.ERROR_LEVEL_M
_DARK = re.compile("1+")


def segno_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The runs read from segno's own matrix (the reference, and the general case)."""
    qr = segno.make_qr(url, error="m", mask=0, boost_error=False)
    runs = []
    for y, row in enumerate(qr.matrix):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(qr.matrix), runs


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR matrix of ``url`` as (size, [(row, first column, length) of dark runs])."""
    message = _byte_mode_message(url)
    if message is None:
        return segno_runs(url)
    version, bits = message
    size, layout = _layout(version)
    # The matrix as one string of "0"/"1", a "0" closing every row so no run crosses it.
    source = bits + bits.translate(_FLIP) + "01"
    matrix = "".join(layout(source))
    width = size + 1
    return size, [(m.start() // width, m.start() % width, m.end() - m.start())
                  for m in _DARK.finditer(matrix)]


_FLIP = str.maketrans("01", "10")


def _byte_mode_message(url: str) -> tuple[int, str] | None:
    """(version, the final message as a string of bits), or None where segno would choose
    another mode or encoding."""
    try:
        data = url.encode(consts.DEFAULT_BYTE_ENCODING)
    except UnicodeError:
        return None
    if se.find_mode(data) != consts.MODE_BYTE:
        return None
    n = len(data)
    version = _version(n)
    if version is None:
        return None
    # The data bit stream as segno writes it (encoder._encode): mode, count, bytes, the
    # terminator, then 8 - length % 8 padding bits (a whole zero byte when the stream is
    # already aligned), then pad codewords up to the capacity.
    capacity = consts.SYMBOL_CAPACITY[version][M]
    count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][se.version_range(version)]
    value = (consts.MODE_BYTE << count_bits | n) << 8 * n | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * n
    terminator = min(capacity - length, 4)
    padding = 8 - (length + terminator) % 8
    value <<= terminator + padding
    length += terminator + padding
    codewords = value.to_bytes(length // 8, "big")
    pads = capacity // 8 - length // 8
    if pads > 0:
        codewords += (b"\xec\x11" * (pads // 2 + 1))[:pads]
    codewords = codewords[:capacity // 8]
    message = _final_message(version, codewords)
    return version, format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")


def _version(n: int) -> int | None:
    for version in range(1, 41):
        count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][
            se.version_range(version)]
        if consts.SYMBOL_CAPACITY[version][M] >= 4 + count_bits + 8 * n:
            return version
    return None


def _final_message(version: int, codewords: bytes) -> bytes:
    """Data and error correction codewords, interleaved block by block (ISO/IEC 18004
    7.6, as segno's make_final_message)."""
    data_blocks, ecc_blocks = [], []
    offset = 0
    for info in consts.ECC[version][M]:
        ecc_length = info.num_total - info.num_data
        table = _rs_table(ecc_length)
        top = 8 * (ecc_length - 1)
        mask = (1 << 8 * ecc_length) - 1
        for _ in range(info.num_blocks):
            block = codewords[offset:offset + info.num_data]
            offset += info.num_data
            # Polynomial division with the remainder kept as one integer: one lookup of
            # the generator multiplied by the leading coefficient per data codeword.
            remainder = 0
            for byte in block:
                remainder = ((remainder << 8) & mask) ^ table[byte ^ (remainder >> top)]
            data_blocks.append(block)
            ecc_blocks.append(remainder.to_bytes(ecc_length, "big"))
    return _interleave(data_blocks) + _interleave(ecc_blocks)


def _interleave(blocks: list[bytes]) -> bytes:
    longest = max(len(b) for b in blocks)
    return bytes(b[i] for i in range(longest) for b in blocks if i < len(b))


@cache
def _rs_table(ecc_length: int) -> tuple[int, ...]:
    """For every coefficient c, the generator polynomial times c as an integer of
    ``ecc_length`` bytes (without its leading term)."""
    log, exp = consts.GALIOS_LOG, consts.GALIOS_EXP
    gen = consts.GEN_POLY[ecc_length]
    table = [0]
    for c in range(1, 256):
        value = 0
        for g in gen:
            value = value << 8 | exp[log[c] + g]
        table.append(value)
    return tuple(table)


@cache
def _layout(version: int) -> tuple[int, itemgetter]:
    """(size, getter): the getter picks from ``bits + inverted bits + "01"`` the character
    of every module, row by row, each row followed by a light separator."""
    size = se.calc_matrix_size(version)
    function = se.make_matrix(size, size)
    se.add_finder_patterns(function, size, size)
    se.add_alignment_patterns(function, size, size)
    final = tuple(bytearray(row) for row in function)
    se.add_format_info(final, version, M, 0)
    se.add_version_info(final, version)
    # The placement order of encoder.add_codewords: two-module columns from the right,
    # alternately upwards and downwards, skipping the vertical timing column.
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in (0, 1):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if function[i][j] == 0x2:
                    order.append((i, j))
    bits = 8 * sum(info.num_blocks * info.num_total for info in consts.ECC[version][M])
    if len(order) - bits not in (0, 3, 4, 7):  # pragma: no cover - the standard's tables
        raise ValueError(f"QR version {version}: {len(order)} modules for {bits} bits")
    where = {cell: k for k, cell in enumerate(order)}
    light, dark = 2 * bits, 2 * bits + 1
    pick = []
    for i in range(size):
        for j in range(size):
            k = where.get((i, j))
            if k is None:
                pick.append(dark if final[i][j] else light)
            elif k >= bits:
                # Remainder bits are 0, then masked like the data.
                pick.append(dark if (i + j) % 2 == 0 else light)
            else:
                # Mask 0 inverts the modules where row + column is even.
                pick.append(k + bits if (i + j) % 2 == 0 else k)
        pick.append(light)
    return size, itemgetter(*pick)
