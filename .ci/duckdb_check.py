#!/usr/bin/env python3
"""Loads a `fairpanel export --format csv` folder into DuckDB (one view per table, typed by the
export's schema.json) and runs the named queries of docs/export.sql; prints {name: value} as JSON.
Usage: duckdb_check.py docs/export.sql EXPORT_DIR"""
import json
import os
import re
import sys

import duckdb

TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}


def main():
    sql_path, folder = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    con = duckdb.connect()
    for t in schema["tables"]:
        cols = ", ".join(f"'{c['name']}': '{TYPES[c['type']]}'" for c in t["columns"])
        path = os.path.join(folder, t["table"] + ".csv").replace("'", "''")
        con.execute(
            f"CREATE VIEW \"{t['table']}\" AS SELECT * FROM read_csv('{path}', header = true, columns = {{{cols}}})"
        )
    with open(sql_path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for chunk in re.split(r"(?m)^-- name: ", text)[1:]:
        name, _, body = chunk.partition("\n")
        row = con.execute(body).fetchone()
        out[name.strip()] = None if row is None else row[0]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
