"""The bundled Lancashire case: reproducible, labelled synthetic, consistent with the article."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

REPO = Path(__file__).resolve().parents[1]
WDTK = REPO / "fixtures" / "lancashire" / "wdtk"


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "make_lancashire", REPO / "fixtures" / "make_lancashire.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_committed_fixtures_are_what_the_generator_makes(generator, tmp_path: Path) -> None:
    generator.generate(tmp_path / "wdtk")
    fresh, committed = tree(tmp_path / "wdtk"), tree(WDTK)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"regenerate with python fixtures/make_lancashire.py: {changed}"


def test_every_document_says_synthetic_test_data() -> None:
    documents = [p for p in WDTK.rglob("*") if p.is_file()]
    assert len(documents) == 6
    for path in documents:
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                assert all(
                    "Synthetic test data" in (page.extract_text() or "") for page in pdf.pages
                ), path
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                text = " ".join(
                    str(v)
                    for row in sheet.iter_rows(values_only=True)
                    for v in row
                    if v is not None
                )
                assert "Synthetic test data" in text, (path, sheet.title)
        else:
            assert "Synthetic test data" in path.read_text(encoding="utf-8"), path


def test_requests_are_alaveteli_shaped_and_list_their_attachments() -> None:
    for request_json in WDTK.glob("requests/*/request.json"):
        data = json.loads(request_json.read_text(encoding="utf-8"))
        assert data["url_title"] == request_json.parent.name
        body = data["public_body"]["url_name"]
        assert (WDTK / "bodies" / f"{body}.json").is_file()
        responses = [e for e in data["info_request_events"] if e["event_type"] == "response"]
        assert len(responses) == 1
        message = responses[0]["incoming_message_id"]
        files = list((request_json.parent / "attachments" / str(message) / "2").iterdir())
        assert len(files) == 1 and files[0].suffix in (".pdf", ".xlsx")


def test_figures_agree_with_the_article_and_disagree_where_planned(generator) -> None:
    rape, assault = generator.REPORTS_BY_YEAR["Rape"], generator.REPORTS_BY_YEAR["Sexual assault"]
    assert rape[2] == 1527 and sum(rape) == 4214
    assert max(rape) != rape[2]  # "the highest number ... in 2022" must come out inaccurate
    assert assault == (1306, 1654, 1760)
    assert generator.RAPE_CONVICTIONS_BY_SEX["2022"] == (47, 0, 3)
    sexes = generator.RAPE_2022_BY_VICTIM_SEX
    assert sum(sexes.values()) == 1527
    assert round(100 * sexes["Female"] / 1527) == 82 and round(100 * sexes["Male"] / 1527) == 10
    for column, total in ((0, rape[2]), (1, assault[2])):
        assert sum(pair[column] for pair in generator.OUTCOMES_2022.values()) == total


def test_the_demo_checks_every_sentence_foi_claims_finds(seed_article: Path) -> None:
    import tomllib

    from extractor.claims import draft_claims

    claims = tomllib.loads((REPO / "fixtures" / "lancashire" / "claims.toml").read_text("utf-8"))
    checked = {" ".join(c["text"].split()) for c in claims["claim"]}
    drafts = draft_claims(seed_article.read_text(encoding="utf-8"))
    assert len(drafts) >= 15
    missing = [d.phrase for d in drafts if " ".join(d.text.split()) not in checked]
    assert not missing, f"claims.toml does not check: {missing}"
