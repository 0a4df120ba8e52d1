#!/usr/bin/env python3
"""Regenerate the municipal reference data in ``src/wpb/data`` from the shared tables.

A maintainer tool, not used at run time: the CSV files it writes are data the project owns and
commits. It reads the reference material beside the repository (``../shared`` by default):

- ``data/brp/tabellen/tabel33-gemeententabel.csv`` (BRP Tabel 33): codes, names, the start and
  end dates the BRP uses, and the single "nieuwe code" of every ended municipality;
- ``data/cbs/gemeentelijke-indeling.csv`` (CBS, 1990-2025): municipalities Tabel 33's copy does
  not yet know (Voorne aan Zee, 2023) and start dates Tabel 33 leaves empty;
- ``data/ijw/codelists/gemeentecodes_cbs_2026.csv``: the 342 municipalities of 2026-01-01 with
  their names, province and jeugdregio.

Tabel 33 gives one successor per ended municipality. That is right for a merger but not for a
split, so the splits below list every municipality that received part of the territory, with
the public source that says so. The script checks the result before writing: every successor
exists on the date of the change, every ended municipality has its change recorded, and the
municipalities of 2026-01-01 are exactly those of the 2026 list.

Usage: python scripts/build_refdata.py [--shared PATH] [--out PATH] [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "src" / "wpb" / "data"

# Every code in Tabel 33, however old: BRP history (and GBA-V extracts) still carry pre-1990
# codes, and a chain of mergers from them must resolve.
HORIZON = date(1800, 1, 1)
PEILDATUM_2026 = date(2026, 1, 1)
# CBS writes 1970-01-01 for "existed before the file's horizon", not for a real start date.
CBS_PLACEHOLDER_BEGIN = "1970-01-01"
BRON_T33 = "BRP Tabel 33"
BRON_CBS = "CBS gemeentelijke indeling"


@dataclass(frozen=True)
class Split:
    opvolgers: tuple[str, ...]
    bron: str


# Municipalities whose territory went to more than one municipality when they ended. Keyed by
# code; the date is the municipality's end date (checked against Tabel 33). Researched for the
# changes since 2000; earlier ones are recorded as Tabel 33 has them (see SOURCES.md).
SPLITS: dict[str, Split] = {
    # 2001-01-01, Twente (Wet van 13 september 2000, Stb. 2000, 349: art. 2 forms the new
    # municipalities, art. 3 moves parts of the abolished ones to neighbours that remain).
    "0142": Split(  # Ambt Delden: Hof van Twente; small parts to Borne and Almelo
        ("1735", "0147", "0141"),
        "Wet herindeling deel van Twente (Stb. 2000, 349); plaatsengids.nl Ambt Delden",
    ),
    "0188": Split(  # Weerselo: Denekamp (later Dinkelland); Graven Es to Oldenzaal
        ("0149", "0173"),
        "Wet herindeling deel van Twente (Stb. 2000, 349); de.wikipedia.org Weerselo",
    ),
    # 2002-01-01, Den Haag en omgeving (wetsvoorstel 27598, Stb. 2001, 349): Leidschenveen and
    # Ypenburg and a corridor go to Den Haag at the same time as the two mergers.
    "0548": Split(
        ("1916", "0518"),
        "Wet gemeentelijke herindeling Den Haag en omgeving (Stb. 2001, 349); eerstekamer.nl 27598",
    ),
    "0624": Split(
        ("1916", "0518"),
        "Wet gemeentelijke herindeling Den Haag en omgeving (Stb. 2001, 349); eerstekamer.nl 27598",
    ),
    "0577": Split(
        ("1926", "0518"),
        "Wet gemeentelijke herindeling Den Haag en omgeving (Stb. 2001, 349); eerstekamer.nl 27598",
    ),
    # 2002-01-01, Echteld: into Kesteren (later Neder-Betuwe) except Medel, which went to Tiel.
    "0227": Split(
        ("0258", "0281"),
        "Wet samenvoeging Dodewaard, Echteld en Kesteren (Stb. 2001, 373); eerstekamer.nl 27589",
    ),
    # 2010-01-01, Meerlo-Wanssum: Meerlo, Swolgen, Tienray to Horst aan de Maas; Wanssum,
    # Geijsteren, Blitterswijck to Venray.
    "0993": Split(
        ("1507", "0984"),
        "Wet herindeling Horst aan de Maas, Meerlo-Wanssum, Sevenum en Venray (wet van 18 juli 2009); eerstekamer.nl 2009-07-07",
    ),
    # 2014-01-01, Boarnsterhim: Grou e.o. to Leeuwarden, Akkrum/Aldeboarn/Nes to Heerenveen,
    # the Lege Geaën to Súdwest-Fryslân, Terherne to De Friese Meren (new that day).
    "0055": Split(
        ("0074", "0080", "1900", "1921"),
        "Wet van 19 juni 2013 (Stb. 2013, 286), herindeling deel van Fryslân",
    ),
    # 2015-01-01, Maasdonk: Nuland and Vinkel to 's-Hertogenbosch, Geffen to Oss.
    "1671": Split(
        ("0796", "0828"),
        "Wet van 14 mei 2014 (Stb. 2014, 187), herindeling 's-Hertogenbosch, Maasdonk en Oss; Kamerstuk 33786",
    ),
    # 2018-01-01, Littenseradiel: 10 villages to Leeuwarden, 4 to Waadhoeke (new), the rest to
    # Súdwest-Fryslân.
    "0140": Split(
        ("0080", "1900", "1949"),
        "Herindelingswetten Leeuwarden, Súdwest-Fryslân en Waadhoeke per 2018-01-01",
    ),
    # 2019-01-01, Winsum: into Het Hogeland except Ezinge, Feerwerd and Garnwerd (Westerkwartier).
    "0053": Split(
        ("1966", "1969"),
        "Herindelingswetten Het Hogeland en Westerkwartier per 2019-01-01; CBS bericht 2018-12",
    ),
    # 2021-01-01, Haaren: Haaren to Oisterwijk, Esch to Boxtel, Helvoirt to Vught, Biezenmortel
    # to Tilburg.
    "0788": Split(
        ("0757", "0824", "0855", "0865"),
        "Wet van 8 juli 2020 (Stb. 2020, 260), splitsing gemeente Haaren",
    ),
}

# Ended municipalities that Tabel 33's copy does not yet show as ended (changes after its
# snapshot, which stops at 2022-03-24), with their successor from the CBS file.
LATER_MERGERS: dict[str, tuple[str, str]] = {
    "0501": ("1992", BRON_CBS),  # Brielle -> Voorne aan Zee, 2023-01-01
    "0530": ("1992", BRON_CBS),  # Hellevoetsluis
    "0614": ("1992", BRON_CBS),  # Westvoorne
}


@dataclass
class Row:
    code: str
    naam: str
    begin: str
    einde: str


def iso(yyyymmdd: str) -> str:
    v = yyyymmdd.strip()
    if not v:
        return ""
    return f"{v[:4]}-{v[4:6]}-{v[6:8]}"


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def build(shared: Path) -> tuple[str, str, str]:
    data = shared / "data"
    t33 = {
        r["92.10 Gemeentecode"]: r
        for r in read_csv(data / "brp" / "tabellen" / "tabel33-gemeententabel.csv")
    }
    cbs: dict[str, dict[str, str]] = {}
    for r in read_csv(data / "cbs" / "gemeentelijke-indeling.csv", delimiter=";"):
        # Vianen is listed twice (province change in 2002); keep the widest span.
        prev = cbs.get(r["gemeentecode"])
        if prev is None:
            cbs[r["gemeentecode"]] = dict(r)
        else:
            prev["begindatum"] = min(prev["begindatum"], r["begindatum"])
            ends = [prev["einddatum"], r["einddatum"]]
            prev["einddatum"] = "" if "" in ends else max(ends)
    current = {
        r["Gemeentecode"]: r
        for r in read_csv(data / "ijw" / "codelists" / "gemeentecodes_cbs_2026.csv")
    }

    # Which codes: every CBS municipality, every Tabel 33 code still open or ended on or after
    # the horizon, and (closure) every code named as a successor by one of those.
    wanted = set(cbs)
    for code, r in t33.items():
        einde = iso(r["99.99 Datum einde"])
        if not einde or einde >= HORIZON.isoformat():
            wanted.add(code)
    wanted |= set(current)
    changed = True
    while changed:
        changed = False
        for code in list(wanted):
            nieuw = t33.get(code, {}).get("92.12 Nieuwe code", "")
            if nieuw and nieuw not in wanted:
                wanted.add(nieuw)
                changed = True

    rows: dict[str, Row] = {}
    for code in sorted(wanted):
        t = t33.get(code)
        c = cbs.get(code)
        if code in current:
            naam = current[code]["Gemeentenaam"]
        elif t is not None:
            naam = t["92.11 Omschrijving"]
        else:
            naam = c["gemeentenaam"] if c else ""
        begin = iso(t["99.98 Datum ingang"]) if t else ""
        if not begin and c and c["begindatum"] != CBS_PLACEHOLDER_BEGIN:
            begin = c["begindatum"]
        einde = iso(t["99.99 Datum einde"]) if t else ""
        if not einde and c and c["einddatum"]:
            einde = c["einddatum"]
        rows[code] = Row(code, naam, begin, einde)

    opvolgingen: list[tuple[str, str, str, tuple[str, ...], str]] = []
    problems: list[str] = []
    for row in rows.values():
        if not row.einde:
            continue
        t = t33.get(row.code)
        nieuw = t["92.12 Nieuwe code"] if t else ""
        if row.code in SPLITS:
            split = SPLITS[row.code]
            if nieuw and nieuw not in split.opvolgers:
                problems.append(
                    f"{row.code}: Tabel 33's nieuwe code {nieuw} not among split successors"
                )
            opvolgingen.append(
                (row.code, row.einde, "splitsing", tuple(sorted(split.opvolgers)), split.bron)
            )
        elif nieuw:
            opvolgingen.append((row.code, row.einde, "samenvoeging", (nieuw,), BRON_T33))
        elif row.code in LATER_MERGERS:
            succ, bron = LATER_MERGERS[row.code]
            opvolgingen.append((row.code, row.einde, "samenvoeging", (succ,), bron))
        else:
            print(
                f"note: {row.code} {row.naam} ended {row.einde} without a successor",
                file=sys.stderr,
            )

    # Checks: successors exist on the date; the 2026 set matches the iJw list.
    def exists_on(code: str, day: str) -> bool:
        r = rows.get(code)
        return r is not None and (not r.begin or r.begin <= day) and (not r.einde or day < r.einde)

    ends_on = {code: datum for code, datum, _soort, _opv, _bron in opvolgingen}
    for code, datum, _soort, opv, _bron in opvolgingen:
        for s in opv:
            # Tabel 33 sometimes names a successor that merged on the same day (Bingelrade ->
            # Schinveld -> Onderbanken, 1982-01-01): the chain still resolves.
            same_day_chain = ends_on.get(s) == datum
            if not exists_on(s, datum) and not same_day_chain:
                problems.append(f"{code}: successor {s} does not exist on {datum}")
    for code in SPLITS:
        if code not in rows or not rows[code].einde:
            problems.append(f"split {code} is not an ended municipality")
    alive = {c for c in rows if exists_on(c, PEILDATUM_2026.isoformat())} - {"0000", "1999"}
    if alive != set(current):
        problems.append(
            f"2026 mismatch: extra {sorted(alive - set(current))}, missing {sorted(set(current) - alive)}"
        )
    for code, r in current.items():
        if rows[code].naam != r["Gemeentenaam"]:
            problems.append(f"{code}: name differs from 2026 list")
    if problems:
        raise SystemExit("refusing to write:\n  " + "\n  ".join(problems))

    def render(header: list[str], body: list[list[str]]) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
        return buf.getvalue()

    gemeenten_csv = render(
        ["code", "naam", "begin", "einde"],
        [[r.code, r.naam, r.begin, r.einde] for r in rows.values()],
    )
    opvolgingen_csv = render(
        ["code", "datum", "soort", "opvolgers", "bron"],
        [[c, d, s, ";".join(o), b] for c, d, s, o, b in sorted(opvolgingen)],
    )
    regios_csv = render(
        ["gemeentecode", "gemeentenaam", "provincie", "jeugdregio"],
        [
            [r["Gemeentecode"], r["Gemeentenaam"], r["Provincienaam"], r["Jeugdzorgregio"]]
            for r in sorted(current.values(), key=lambda r: r["Gemeentecode"])
        ],
    )
    return gemeenten_csv, opvolgingen_csv, regios_csv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="only report whether the files are current"
    )
    args = parser.parse_args(argv)

    outputs = dict(
        zip(
            ("gemeenten.csv", "opvolgingen.csv", "jeugdregios.csv"), build(args.shared), strict=True
        )
    )
    stale = []
    for name, text in outputs.items():
        path = args.out / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            print("out of date: " + ", ".join(stale))
            return 1
        print("reference data is current")
        return 0
    print("wrote " + (", ".join(stale) if stale else "nothing (already current)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
