"""Synthetic HR exports for the import tests: a municipality of any size, deterministic."""

from __future__ import annotations

HEADER = ("ansattnummer;navn;epost;stilling;enhetskode;enhetsnavn;overordnet_enhetskode;"
          "enhet_fra;leder_for;ledernivaa;leder_fra;it_prosjektleder")


def municipality_csv(employees: int, *, per_unit: int = 9, domain: str = "kommune.example",
                     sep: str = ";", bom: bool = False, rename: dict | None = None) -> bytes:
    """``employees`` people in departments of ``per_unit``, under 6 sectors and units of 5
    departments each; every department's first person leads it, and each unit and sector
    is led by the first person of its first department (who leads one unit and works in
    another)."""
    rename = rename or {}
    lines = [HEADER.replace(";", sep)]
    departments = max(1, employees // per_unit)
    n = 0
    for d in range(departments):
        sector, unit = f"S{d % 6}", f"S{d % 6}-U{d // 30}"
        dept = f"{unit}-D{d}"
        for i in range(per_unit if d < departments - 1 else employees - n):
            n += 1
            number = f"{n:06d}"
            leads, level = "", ""
            if i == 0:
                leads, level = dept, "førstelinjeleder"
                if d < 6:
                    leads, level = sector, "toppleder"
                elif (d // 6) % 5 == 0:
                    leads, level = unit, "mellomleder"
            name = rename.get(number, f"Ansatt {n}")
            row = [number, name, f"ansatt{n}@{domain}", "Rådgiver", dept,
                   f"Avdeling {d}", unit, "2020-01-01", leads, level,
                   "2021-01-01" if level else "", "nei"]
            lines.append(sep.join(row))
        n = n  # departments fill in order
    for s in range(6):
        lines.append(sep.join(["", "", "", "", f"S{s}", f"Sektor {s}", "", "", "", "", "", ""]))
    for d in range(departments):
        unit = f"S{d % 6}-U{d // 30}"
        lines.append(sep.join(["", "", "", "", unit, f"Enhet {unit}", f"S{d % 6}", "", "", "",
                               "", ""]))
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
