"""Reading the HR export: the formats Excel and HR systems write, and an error for every
problem that names its line and column."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounts import hr_csv
from app.accounts.models import LeaderLevel
from tests.accounts.hr_files_data import HEADER, municipality_csv


def csv_bytes(*rows: str, header: str = HEADER, sep: str = ";", bom=False,
              encoding="utf-8") -> bytes:
    text = "\r\n".join([header.replace(";", sep), *[r.replace(";", sep) for r in rows]])
    return (b"\xef\xbb\xbf" if bom else b"") + (text + "\r\n").encode(encoding)


KARI = "1;Kari Nordmann;Kari@Kommune.example;Rådgiver;A;Avdeling A;;2021-03-01;;;;nei"


def errors_of(data: bytes) -> list[tuple[int, str | None, str]]:
    return [(e.line, e.column, str(e.message)) for e in hr_csv.parse(data).errors]


def test_semicolons_with_a_bom_and_commas_without_read_the_same():
    excel = hr_csv.parse(municipality_csv(40, sep=";", bom=True))
    system = hr_csv.parse(municipality_csv(40, sep=","))
    assert excel.valid and system.valid
    assert (excel.delimiter, system.delimiter) == (";", ",")
    assert excel.people == system.people
    assert excel.units == system.units
    assert len(excel.people) == 40


def test_a_row_becomes_a_person_with_normalised_values():
    parsed = hr_csv.parse(csv_bytes(
        KARI, "2;Ola Leder;ola@kommune.example;Leder;B;Avdeling B;A;01.08.2020;A;Førstelinjeleder;"
              "01.08.2020;Ja"))
    kari, ola = parsed.people
    assert kari.email == "kari@kommune.example"
    assert kari.unit_since == date(2021, 3, 1)
    assert kari.leader_level == LeaderLevel.NONE and kari.leader_since is None
    # Ola works in B and leads A, the unit above.
    assert (ola.unit_code, ola.leads_code) == ("B", "A")
    assert ola.leader_level == LeaderLevel.FIRST_LINE
    assert ola.leader_since == date(2020, 8, 1)
    assert ola.is_project_leader is True
    assert parsed.units["B"].parent_code == "A"


def test_a_row_with_only_unit_columns_describes_a_unit_without_employees():
    parsed = hr_csv.parse(csv_bytes(";;;;S;Sektor;;;;;;", KARI.replace(";A;Avdeling A;;",
                                                                        ";A;Avdeling A;S;")))
    assert parsed.valid
    assert set(parsed.units) == {"S", "A"}
    assert len(parsed.people) == 1


def test_every_error_names_its_line_and_column():
    data = csv_bytes(
        KARI,
        "1;Kari Igjen;kari2@kommune.example;;A;Avdeling A;;;;;;",          # line 3
        "3;;ikke-en-adresse;;A;Avdeling A;;2021-13-45;;sjef;;kanskje",     # line 4
        "4;Per;kari@kommune.example;;A;Annet navn;;;;;;",                  # line 5
        "5;Liv;liv@kommune.example;;C;Avdeling C;;;A;;;",                  # line 6
    )
    assert errors_of(data) == [
        (3, "ansattnummer", "Står også på linje 2."),
        (4, "navn", "Mangler."),
        (4, "epost", "«ikke-en-adresse» er ikke en gyldig e-postadresse."),
        (4, "ledernivaa", "«sjef» er ikke et ledernivå (toppleder, mellomleder, "
                          "førstelinjeleder eller tomt)."),
        (4, "enhet_fra", "«2021-13-45» er ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)."),
        (4, "it_prosjektleder", "Skriv ja eller nei."),
        (5, "enhetsnavn", "Enheten A heter «Avdeling A» på linje 2."),
        (5, "epost", "Står også på linje 2."),
        (6, "ledernivaa", "Må fylles ut for den som leder en enhet."),
    ]


def test_a_day_outside_1900_to_2999_is_an_error_of_its_column():
    data = csv_bytes(
        "1;A;a@k.example;;X;X;;9999-12-31;X;mellomleder;01.01.0001;",
        "2;B;b@k.example;;X;X;;31.12.1899;;;2999-12-31;",
    )
    assert errors_of(data) == [
        (2, "enhet_fra", "Velg en dato mellom 1900 og 2999."),
        (2, "leder_fra", "Velg en dato mellom 1900 og 2999."),
        (3, "enhet_fra", "Velg en dato mellom 1900 og 2999."),
    ]


def test_two_leaders_for_one_unit_is_an_error_on_the_second():
    data = csv_bytes(
        "1;A;a@k.example;;X;X;;;X;mellomleder;;",
        "2;B;b@k.example;;X;X;;;X;mellomleder;;",
    )
    assert errors_of(data) == [(3, "leder_for", "Enheten X har allerede en leder på linje 2.")]


def test_a_missing_column_is_named_in_the_header_line():
    data = csv_bytes(KARI.split(";", 1)[1], header=HEADER.split(";", 1)[1])
    assert errors_of(data) == [(1, "ansattnummer", "Kolonnen mangler i overskriften.")]


def test_unknown_columns_are_reported_and_skipped():
    parsed = hr_csv.parse(csv_bytes(KARI + ";x", header=HEADER + ";Lønnstrinn"))
    assert parsed.valid
    assert [str(n) for n in parsed.notices] == [
        "Kolonnen «Lønnstrinn» er ikke i bruk og blir hoppet over."]


def test_a_line_with_too_many_fields_names_the_line():
    assert errors_of(csv_bytes(KARI + ";ekstra;felt")) == [
        (2, None, "Linjen har 14 felt, men overskriften har 12. Sjekk skilletegn og "
                  "anførselstegn.")]


def test_a_windows_1252_file_is_read_with_a_notice():
    parsed = hr_csv.parse(csv_bytes(KARI.replace("Rådgiver", "Rådgiver æøå"),
                                    encoding="cp1252"))
    assert parsed.valid
    assert parsed.encoding == "cp1252"
    assert parsed.people[0].title == "Rådgiver æøå"
    assert parsed.notices


def test_an_empty_file_and_a_file_without_people_are_errors():
    assert errors_of(b"") == [(1, None, "Filen er tom.")]
    assert errors_of(csv_bytes()) == [(2, None, "Filen har ingen ansatte.")]


@pytest.mark.parametrize(("address", "valid"), [
    ("Kari.Nordmann@Trondheim.Kommune.no", True),
    ("øystein@kommune.example", True),  # through email-validator
    ("kari@kommune-trondheim.example", True),
    ("kari..nordmann@kommune.example", False),
    ("kari@kommune", False),
    ("kari nordmann@kommune.example", False),
    ("kari@@kommune.example", False),
])
def test_addresses_are_checked_and_stored_in_lower_case(address, valid):
    parsed = hr_csv.parse(csv_bytes(KARI.replace("Kari@Kommune.example", address)))
    assert parsed.valid is valid
    if valid:
        assert parsed.people[0].email == address.lower()
