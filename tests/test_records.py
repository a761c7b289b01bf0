import csv
import io
import json

import pytest

from extractor.records import Cell, escape_formula, read_jsonl, write_csv, write_jsonl


def make_cell(**overrides) -> Cell:
    fields = dict(
        file="response.pdf",
        sha256="ab" * 32,
        table=0,
        row=["Sexual offences", "Rape"],
        column=["Calendar year", "2022"],
        value=1527,
        raw="1,527",
        page=2,
    )
    fields.update(overrides)
    return Cell(**fields)


def test_jsonl_round_trip_keeps_every_field(tmp_path):
    cells = [make_cell(), make_cell(value=None, raw="<5", flag="suppressed", bbox=[1.0, 2, 3, 4])]
    path = tmp_path / "cells.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        assert write_jsonl(cells, out) == 2
    assert list(read_jsonl(path)) == cells


def test_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(make_cell().to_dict())
    path.write_text(good + "\n" + '{"file": "x", "colour": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        list(read_jsonl(path))


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\t=cmd"])
def test_formula_looking_text_is_escaped(text):
    assert escape_formula(text).startswith("'")


def test_plain_text_is_not_escaped():
    assert escape_formula("Rape") == "Rape"


def test_csv_export_escapes_text_but_keeps_numbers():
    cells = [make_cell(raw='=HYPERLINK("http://x")', value=-5, row=["-£335,699 loss"])]
    out = io.StringIO()
    write_csv(cells, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["raw"].startswith("'=")
    assert rows[0]["row"] == "'-£335,699 loss"
    assert rows[0]["value"] == "-5"
    assert rows[0]["column"] == "Calendar year > 2022"
