"""The QR code on the certificate scans to its verification address."""

from __future__ import annotations

import shutil
import subprocess

import pytest

TOOLS = shutil.which("pdftoppm") and shutil.which("zbarimg")


@pytest.mark.skipif(not TOOLS, reason="needs pdftoppm (poppler-utils) and zbarimg "
                                      "(zbar-tools) to scan the QR code")
def test_scanning_the_qr_code_gives_the_verification_address(certify, issue_settings,
                                                              tmp_path):
    _user, _offering, cert = certify(name="Åsne Hætta")
    pdf = issue_settings.storage_dir / cert.pdf_path
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
                             capture_output=True, text=True, check=True, timeout=60)
    assert scanned.stdout.strip() == f"http://localhost/verify/{cert.code}"
