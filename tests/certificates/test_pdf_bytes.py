"""A certificate already issued can be restored: the builder still draws the very bytes
whose SHA-256 was recorded at issue (app/certificates/archive.py).

The digests below were recorded from the renderer as it was when these certificates could
first be issued; a change to the builder, to its QR encoding or to the PDF library that
alters a single byte makes every certificate issued before it unrestorable, and fails here.
"""

from __future__ import annotations

import hashlib
import random

import pytest
from segno import consts

from app.certificates.pdf import CertificateContent, build_certificate_pdf, qr_runs
from app.certificates.qr import segno_runs

NAMES = ["Áile Čáhppes Šiellajávri", "<b>&Ø Åsne Hætta", "Ŋunni Đuommá Žiŋŋá", "Ola",
         "Ŧoarvi Ánde Sápmi-Niillasdóttir von Løkkenhaug-Bjørnstad Kristiansen",
         "Mohammed Ali", "Agnieszka Brzęczyszczykiewicz", "Bjørn Æsøy"]
TITLES = ["IT i hverdagen",
          "IT i hverdagen – strategisk IT-kompetanse for ledere",
          "Brannvern, førstehjelp og beredskap i barnehagen: grunnkurs for nyansatte "
          "assistenter, fagarbeidere og pedagogiske ledere i kommunale og private "
          "barnehager med utvidet åpningstid (del 1 av 3)",
          "Sámegiella álgokursa – davvisámegiella"]
HOSTS = ["http://localhost", "https://kurs.trondheim.kommune.no",
         "https://opplaering.nordreisa.kommune.no/kurs"]
TEXTS = {
    "nb": ("Kursbevis", "Dette bekrefter at", "har gjennomført kurset",
           ("Dato", "Timer", "Utsteder", "Gyldig til", "Serienummer"),
           "Kontroller at kursbeviset er ekte ved å skanne QR-koden eller gå til:",
           ("1. november 2026", "6", "1. november 2029")),
    "en": ("Certificate", "This confirms that", "has completed the course",
           ("Date", "Hours", "Issuer", "Valid until", "Serial number"),
           "Check that the certificate is genuine by scanning the QR code or going to:",
           ("November 1, 2026", "7.5", "November 1, 2029")),
}


def varied_content(i: int) -> CertificateContent:
    rng = random.Random(i)
    language = ("nb", "en")[i % 2]
    title, lead, completed, labels, verify_text, (date, hours, until) = TEXTS[language]
    issuer = rng.choice(["Trondheim kommune", "Guovdageainnu suohkan", "Ås kommune"])
    facts = [(labels[0], date)]
    if i % 3:
        facts.append((labels[1], hours))
    facts.append((labels[2], issuer))
    if i % 4:
        facts.append((labels[3], until))
    facts.append((labels[4], f"KB-2026-{i * 7919 % 1000000:06d}"))
    code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                   for _ in range(22))
    return CertificateContent(
        title=title, lead=lead, person_name=NAMES[i % len(NAMES)], completed_text=completed,
        course_title=TITLES[i % len(TITLES)], facts=tuple(facts), verify_text=verify_text,
        verify_url=f"{HOSTS[i % len(HOSTS)]}/verify/{code}", issuer_name=issuer,
        language=language)


RECORDED = [
    "572000d8d21bdcd21153b5494a62431a6b9ecd859d52445f4feb171b687d533d",
    "077737710efd21ac7dd1bad7d9ab53cc5af3d9d431d0bea5ea021224fae8cc8c",
    "fdbf86e32b47536b3c3d1d68ca1700f33978a7f7f8c60906dd01850f086342e0",
    "6614539f9b2f2fdcc19cc5abc3c0584a56aabaa2f2c2516288c737f67f6ea0a8",
    "46937cea018161d241e56697df43d481cc5defb38512f6f91d4106fc7514b203",
    "a48e2a17342994c3d57fe26270d4735b27ee7e26772aab33052c7ff41417856a",
    "1bb172fc740dc73212383cf69eb4affd3ee91ee0a72bbcd9239b1cda17cf1e23",
    "60909c7bdf411ea9cf90e5b5414cf6df90f38896bf57e0b048b231213d2aac20",
    "69d372de753b26cd9a1fdb0025136d5b3e731a0520d1925c8c5dd2614ff3e880",
    "b2706f5a7ae72cd30e94ff2ab8c1577831e51dde5a744a5c17835f94412723bd",
    "48af7c131c67d630db439efff714042c8e6cea450b3232d071505fa25141e2de",
    "01028e8d2733588e2cd8cb36a64fbdbe93f3e89c3ace17ea6e0eb6af59dc0e5c",
    "ca5b394cf0f364254bfb90c1822a47af4e705d5adbca5727b2071f9ebbbfaf8f",
    "d5a4a2eea078ded881b2b428011ff5db742074b7839cde64f71b32a6d412f200",
    "d5ad070acd2c39f9ec006b1240a48898e0139dd9718f4cf508dea2a8a9e80288",
    "3509b2d9ef22dca5da43725b49c26b3110bf5b6d673782dbc039b47f82b188ad",
    "285327827d2c2562bf2c8f53489c481b82a0615ffaa8f002a44064687528128e",
    "14c26ce6702bf13a7cfbbc7440bd8a9f406830b163472629209274035da0e079",
    "76f3fe017c8be1b6a217040193163438f9e40bc17ce6b64d48b054477495010c",
    "4895d7ce635c1f034f41f4229bc63de1f78a5a99572560336c126cd02f019991",
    "a2f2953aaa17c6f2f96c93add8b2b6cd7700f1f99a2c55421f33bd0a3b3f6081",
    "7076595bb7c82be9a60ffeaf7f03971cf8d81aa0deea8c66750d6c19df0175f7",
    "101e1323615978d47e849f8b4d847a8897b74a6ecb6423ca268d5bd02cc92728",
    "b1b26df0f7b443c2f81803f9b491a4e18c417ad08e446228161aee07345e8d24",
]


@pytest.mark.parametrize(("i", "digest"), list(enumerate(RECORDED)))
def test_a_certificate_is_drawn_again_byte_for_byte(i, digest):
    assert hashlib.sha256(build_certificate_pdf(varied_content(i))).hexdigest() == digest


def urls():
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for length in range(0, 180):
        yield f"https://kurs.example.no/verify/{'x' * length}"
    for _ in range(150):
        host = rng.choice(HOSTS + ["https://a.no", "http://10.0.0.7:8080/kurs"])
        code = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        yield f"{host}/verify/{code}"
    # The longest address each of the 40 versions holds, and one byte more.
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        longest = (consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M] - 4 - count_bits) // 8
        for length in (longest, longest + 1):
            yield "".join(rng.choice(alphabet + "/:.æøå") for _ in range(length))
    # Texts segno encodes otherwise (digits, upper-case alphanumerics, Latin-1, UTF-8):
    yield from ["1", "0123456789" * 5, "HTTP://KURS.NO/VERIFY/ABC", "A", "", "https://kurs.no/ø",
                "https://kurs.no/Čáhppes", "https://kurs.no/" + "ŋ" * 60, "x" * 2000]


def outcome(runs, url):
    try:
        return runs(url)
    except ValueError as error:  # too long for any QR code
        return type(error)


def test_the_qr_code_has_the_same_modules_as_segnos_for_every_address():
    checked = 0
    for url in urls():
        assert outcome(qr_runs, url) == outcome(segno_runs, url), url
        checked += 1
    assert checked > 400
