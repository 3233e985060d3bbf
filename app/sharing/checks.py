"""Checks on a package's content that are not about its structure: that attachments are
the type their names claim (by their bytes), and that no text carries personal data."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from app.sharing.problems import N_, Collector

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})\s?(\d{5})(?!\d)")


def is_national_id(digits: str) -> bool:
    """A Norwegian fødselsnummer or D-number: 11 digits whose two check digits hold."""
    d = [int(c) for c in digits]
    k1 = 11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d[:9], strict=True)) % 11
    k2 = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), d[:10],
                                          strict=True)) % 11
    k1, k2 = (0 if k1 == 11 else k1), (0 if k2 == 11 else k2)
    return k1 == d[9] and k2 == d[10] and int(digits[:2]) % 40 <= 31


def personal_data_problems(collector: Collector, file: str, text: str) -> None:
    """Packages never carry personal data: no e-mail addresses, no national id numbers."""
    found = EMAIL.search(text)
    if found:
        collector.add(file, None, N_("inneholder en e-postadresse (%(value)s); pakker skal "
                                     "ikke inneholde personopplysninger"), value=found.group(0))
    for match in ELEVEN_DIGITS.finditer(text):
        if is_national_id(match.group(1) + match.group(2)):
            collector.add(file, None, N_("inneholder noe som ligner et fødselsnummer; pakker "
                                         "skal ikke inneholde personopplysninger"))
            break


_OFFICE = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
           "pptx": "ppt/presentation.xml"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_SVG_FORBIDDEN = re.compile(rb"<script|javascript:|<!entity|<foreignobject|\bon[a-z]+\s*=",
                            re.IGNORECASE)


def attachment_type_problem(extension: str, data: bytes) -> str | None:
    """Whether the bytes really are the type the name claims (magic bytes, not names);
    the problem's message, or None."""
    if extension == "pdf" and not data.startswith(b"%PDF-"):
        return N_("filen er ikke en PDF")
    if extension == "png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return N_("filen er ikke et PNG-bilde")
    if extension == "svg":
        head = data[:4096].lstrip().lower()
        if b"<svg" not in data[:65536].lower() or not (head.startswith((b"<?xml", b"<svg",
                                                                           b"<!--"))):
            return N_("filen er ikke et SVG-bilde")
        if _SVG_FORBIDDEN.search(data):
            return N_("SVG-bildet inneholder skript eller entiteter, som ikke er tillatt")
    if extension in _OFFICE:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception:  # any failure to read it means it is not an Office file
            return N_("filen er ikke et Office-dokument av den typen navnet sier")
        if _OFFICE[extension] not in names:
            return N_("filen er ikke et Office-dokument av den typen navnet sier")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return N_("dokumenter med makroer er ikke tillatt")
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
