"""P1 and P2 (design.md §9): one certificate PDF against a bare one-string reportlab page,
and 1,000 certificates into one ZIP with both cores.

Run: ``.venv/bin/python -m bench.certificates [--count 1000] [--samples 60]``.
Samples of the floor and the certificate are interleaved so that the machine's noise falls
on both alike, and P1 counts the process's CPU time (``time.process_time``), which other
work on a shared machine disturbs far less than wall-clock time; medians are reported.
P2 is wall-clock time, since it is about using both cores: 1,000 lost certificates drawn
again into a ZIP, which is what a ZIP of an offering draws (stored PDFs are only read).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

from reportlab.pdfgen import canvas

from app.certificates.archive import restored_pdfs
from app.certificates.pdf import CertificateContent, build_certificate_pdf, register_fonts

FIRST = ["Ingrid", "Ola", "Áile", "Njål", "Sunniva", "Mohammed", "Agnieszka", "Bjørn"]
LAST = ["Hansen Berg", "Strand", "Hætta", "Sæther", "Løkken", "Nowak", "Ali"]


def floor() -> bytes:
    """The baseline: a bare reportlab page with one string."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(100, 100, "Kursbevis")
    c.showPage()
    c.save()
    return buffer.getvalue()


def content(i: int) -> CertificateContent:
    rng = random.Random(i)
    code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                   for _ in range(22))
    return CertificateContent(
        title="Kursbevis", lead="Dette bekrefter at",
        person_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        completed_text="har gjennomført kurset",
        course_title="IT i hverdagen – strategisk IT-kompetanse for ledere",
        facts=(("Dato", "1. november 2026"), ("Timer", "6"),
               ("Utsteder", "Trondheim kommune"), ("Gyldig til", "1. november 2029"),
               ("Serienummer", f"KB-2026-{i:06d}")),
        verify_text="Kontroller at kursbeviset er ekte ved å skanne QR-koden eller gå til:",
        verify_url=f"https://kurs.trondheim.kommune.no/verify/{code}",
        issuer_name="Trondheim kommune",
    )


def reportlab_qr_certificate(item: CertificateContent) -> bytes:
    """For reference only: the same page with reportlab's own QR encoder."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    widget = QrCodeWidget(item.verify_url, barWidth=100, barHeight=100)
    drawing = Drawing(100, 100)
    drawing.add(widget)
    renderPDF.draw(drawing, c, 400, 50)
    c.showPage()
    c.save()
    return buffer.getvalue()


def timed(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def p1(samples: int) -> tuple[float, float]:
    register_fonts()
    items = [content(i) for i in range(samples)]
    floor()
    build_certificate_pdf(items[0])
    floors, certs = [], []
    for item in items:
        pair = [("floor", floor), ("cert", lambda item=item: build_certificate_pdf(item))]
        random.shuffle(pair)
        for name, fn in pair:
            (floors if name == "floor" else certs).append(timed(fn))
    return statistics.median(floors), statistics.median(certs)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class LostCertificates:
    """``count`` issued certificates whose PDFs were lost: their frozen texts and the
    hashes recorded at issue (drawn once here, untimed, as issuing does)."""

    def __init__(self, count: int):
        self.contents = [content(i) for i in range(count)]
        self.certs = [SimpleNamespace(pdf_sha256=hashlib.sha256(build_certificate_pdf(c))
                                      .hexdigest(), pdf_path=f"kursbevis/{i:05d}.pdf")
                      for i, c in enumerate(self.contents)]


def p2(lost: LostCertificates, workers: int) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) to draw the lost certificates again into a ZIP
    with ``workers`` processes, each checked against its hash, as
    app.certificates.archive.write_zip does (each PDF zipped as it comes). Drawing only,
    as P1 is: the stores that a ZIP job adds are file-system work (see docs)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for i, data in enumerate(restored_pdfs(lost.certs, lost.contents, Path("."),
                                               workers=workers, store=False)):
            if data is None:
                raise RuntimeError(f"certificate {i} was not drawn as recorded")
            archive.writestr(f"kursbevis-{i:05d}.pdf", data)
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    cores = min(2, os.cpu_count() or 1)

    floor_s, cert_s = p1(args.samples)
    ratio = cert_s / floor_s
    print(f"P1  floor (one-string page)   {floor_s * 1000:7.2f} ms")
    print(f"P1  certificate PDF           {cert_s * 1000:7.2f} ms   "
          f"{ratio:5.1f} x floor   (target <= 8 x)")
    references = [content(i) for i in range(5)]
    ref = statistics.median(timed(lambda item=item: reportlab_qr_certificate(item))
                            for item in references)
    print(f"    reference: reportlab's QR encoder alone {ref * 1000:.1f} ms "
          f"({ref / floor_s:.0f} x floor)")

    lost = LostCertificates(args.count)
    one_wall, one_cpu = p2(lost, 1)
    both_wall, both_cpu = p2(lost, cores)
    cpu_each = both_cpu / args.count
    print(f"P2  {args.count} certificates as a ZIP, 1 process   {one_wall:6.2f} s wall, "
          f"{one_cpu:6.2f} s CPU")
    print(f"P2  {args.count} certificates as a ZIP, {cores} processes  {both_wall:6.2f} s wall, "
          f"{both_cpu:6.2f} s CPU   ({one_wall / both_wall:.2f} x faster)")
    per = both_wall / args.count
    print(f"P2  wall per certificate {per * 1000:.2f} ms = {per / (cert_s / cores):.2f} x "
          f"P1 / {cores} cores (target <= 1.2, as in python -m bench); CPU per certificate "
          f"{cpu_each * 1000:.2f} ms = {cpu_each / cert_s:.2f} x P1")

if __name__ == "__main__":
    main()
