"""rectrack.services.bodies and .recommendations on an in-memory database: bodies, keys,
duplicates, documents, edits and removal, without the command line."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, func, select

from rectrack.errors import BadValue, Conflict, Duplicate, NotFound
from rectrack.models import Assessment, Body, Document, Recommendation
from rectrack.services import bodies
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.recommendations import (
    NameEdit,
    RecChanges,
    RecInput,
    add_recommendation,
    edit_recommendation,
    list_recommendations,
    removal_preview,
    remove_recommendations,
)
from rectrack.shapes import Change, RecFilter

DOC = "CEDAW/C/SRB/CO/4"


def add(db: Session, body: str = "CEDAW", text: str = "Adopt a law.", **values: Any) -> str:
    return add_recommendation(db, RecInput(body=body, text=text, **values))


def rows(db: Session) -> dict[str, dict]:
    return {r["key"]: dict(r) for r in list_recommendations(db, RecFilter())}


# --- bodies -----------------------------------------------------------------------------------


def test_add_body_stores_the_code_in_capitals_and_the_kind_as_chosen(db: Session) -> None:
    assert bodies.add_body(db, " osce ", " OSCE ODIHR ", "Other") == "OSCE"
    body = bodies.resolve_body(db, "osce")
    assert (body.code, body.name, body.kind) == ("OSCE", "OSCE ODIHR", "other")
    listed = {b["code"]: b for b in bodies.list_bodies(db)}
    assert listed["OSCE"] == {
        "code": "OSCE",
        "name": "OSCE ODIHR",
        "kind": "other",
        "recommendations": 0,
    }


@pytest.mark.parametrize(
    ("code", "name", "kind", "error", "message"),
    [
        ("cedaw", "x", "other", Conflict, "body CEDAW already exists (UN Committee on the Elim"),
        ("1x", "x", "other", BadValue, "'1x' is not a valid body code"),
        ("NEW", "  ", "other", BadValue, "a body needs a name (--name)"),
        ("NEW", "x", "ngo", BadValue, "'ngo' is not a body kind; valid values: treaty_body, "),
    ],
)
def test_add_body_refuses(
    db: Session, code: str, name: str, kind: str, error: type, message: str
) -> None:
    with pytest.raises(error) as e:
        bodies.add_body(db, code, name, kind)
    assert str(e.value).startswith(message)


def test_resolve_body_suggests_the_closest_code_and_lists_them_all(db: Session) -> None:
    with pytest.raises(BadValue) as e:
        bodies.resolve_body(db, "CEDWA")
    assert str(e.value) == (
        "'CEDWA' is not a known body (did you mean 'CEDAW'?); known bodies: CAT, CCPR, CEDAW, "
        "CERD, CESCR, CRC, CRPD, EU, GRETA, GREVIO, TIP, UPR (add one with `rectrack body add`)"
    )
    with pytest.raises(BadValue, match=r"^'ZZZ' is not a known body; known bodies: CAT,"):
        bodies.resolve_body(db, "ZZZ")


def test_list_bodies_counts_recommendations(db: Session) -> None:
    add(db, "UPR", "First.")
    add(db, "UPR", "Second.")
    counts = {b["code"]: b["recommendations"] for b in bodies.list_bodies(db)}
    assert (counts["UPR"], counts["CEDAW"]) == (2, 0)
    assert list(counts) == sorted(counts)


def test_seed_bodies_adds_only_what_is_missing(db: Session) -> None:
    assert bodies.seed_bodies(db) == 0
    db.delete(bodies.resolve_body(db, "GREVIO"))
    db.flush()
    assert bodies.seed_bodies(db) == 1
    assert bodies.resolve_body(db, "grevio").kind == "regional_monitoring"


# --- keys -------------------------------------------------------------------------------------


def test_key_from_body_year_and_paragraph(db: Session) -> None:
    key = add(db, "cedaw", paragraph="24(b)", date="March 2019")
    assert key == "CEDAW-2019-24b"
    row = rows(db)[key]
    assert (row["body"], row["paragraph"], row["date"]) == ("CEDAW", "24(b)", "2019-03")


def test_without_a_paragraph_keys_are_counters_by_body_and_year(db: Session) -> None:
    keys = [
        add(db, "UPR", "First.", date="2013"),
        add(db, "UPR", "Second.", date="2013-05-02"),
        add(db, "UPR", "Undated."),
        add(db, "UPR", "Later.", date="2014"),
    ]
    assert keys == ["UPR-2013-0001", "UPR-2013-0002", "UPR-0001", "UPR-2014-0001"]


def test_counters_continue_after_the_highest_whatever_its_case(db: Session) -> None:
    add(db, "UPR", "Hand keyed.", date="2013", key="upr-2013-0007")
    assert add(db, "UPR", "Next.", date="2013") == "UPR-2013-0008"


def test_paragraph_keys_do_not_move_counters_but_are_never_reused(db: Session) -> None:
    assert add(db, "CAT", "A.", paragraph="1234", date="2019") == "CAT-2019-1234"
    assert add(db, "CAT", "B.", date="2019") == "CAT-2019-0001"
    assert add(db, "CAT", "C.", paragraph="0002", date="2019") == "CAT-2019-0002"
    assert add(db, "CAT", "D.", date="2019") == "CAT-2019-0003"  # 0002 is taken


def test_a_hand_key_is_kept_as_typed(db: Session) -> None:
    assert add(db, key=" MY-KEY-1 ") == "MY-KEY-1"
    assert list(rows(db)) == ["MY-KEY-1"]


def test_a_taken_key_is_refused_whatever_its_case(db: Session) -> None:
    add(db, paragraph="24(b)", date="2019")
    with pytest.raises(Conflict) as e:
        add(db, text="Other.", key="cedaw-2019-24B")
    assert str(e.value) == "key CEDAW-2019-24b is already taken"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"text": "  "}, "a recommendation needs a text (--text)"),
        ({"key": "bad key"}, "'bad key' is not a valid key"),
        ({"priority": "urgent"}, "'urgent' is not a priority; valid values: high, medium, low"),
        (
            {"response": "refused"},
            "'refused' is not a response; valid values: "
            "supported, partially_supported, noted, accepted, rejected",
        ),
        ({"date": "04/03/2019"}, "'04/03/2019' is not a date I can read (numeric dates"),
        ({"due": "soon"}, "'soon' is not a date I can read"),
        ({"body": "XYZ"}, "'XYZ' is not a known body; known bodies:"),
    ],
)
def test_add_refuses_bad_values(db: Session, values: dict, message: str) -> None:
    with pytest.raises(BadValue) as e:
        add(db, **values)
    assert str(e.value).startswith(message)
    assert rows(db) == {}


def test_values_are_stored_as_normalised(db: Session) -> None:
    key = add(
        db,
        "UPR",
        "  Adopt a law.  ",
        date="14 March 2019",
        due="June 2025",
        priority="HIGH",
        response="Noted",
        country=" Serbia ",
        summary=" A law. ",
        themes=["Gender equality", "gender  EQUALITY", " Courts "],
        institutions=["Ministry of Justice"],
    )
    row = rows(db)[key]
    assert {k: row[k] for k in ("text", "date", "due", "priority", "response")} == {
        "text": "Adopt a law.",
        "date": "2019-03-14",
        "due": "2025-06",
        "priority": "high",
        "response": "noted",
    }
    assert (row["country"], row["summary"]) == ("Serbia", "A law.")
    assert row["themes"] == ["Courts", "Gender equality"]  # each once, by name
    assert row["institutions"] == ["Ministry of Justice"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Partially supported", "partially_supported"),
        ("accepted", "accepted"),
        ("Rejected", "rejected"),
    ],
)
def test_responses_of_every_source_are_taken(db: Session, given: str, stored: str) -> None:
    key = add(db, "UPR", response=given)
    assert rows(db)[key]["response"] == stored


# --- documents and duplicates -----------------------------------------------------------------


def test_a_new_document_takes_the_recommendations_date_and_country_and_lends_them(
    db: Session,
) -> None:
    add(db, document=DOC, paragraph="10", date="2019-03-14", country="Serbia", text="First.")
    second = add(db, document=DOC.lower(), paragraph="11", text="Second.")
    assert second == "CEDAW-2019-11"
    row = rows(db)[second]
    assert (row["document"], row["date"], row["country"]) == (DOC, "2019-03-14", "Serbia")
    assert db.exec(select(func.count()).select_from(Document)).one() == 1


def test_a_document_of_another_body_is_refused(db: Session) -> None:
    add(db, document=DOC)
    with pytest.raises(BadValue) as e:
        add(db, "GRETA", "Other.", document=DOC)
    assert str(e.value) == f"document {DOC} belongs to CEDAW, not GRETA"


def test_same_document_and_paragraph_is_a_duplicate(db: Session) -> None:
    add(db, document=DOC, paragraph="24(b)", date="2019")
    with pytest.raises(Duplicate) as e:
        add(db, text="A different text.", document=DOC.lower(), paragraph="24 (b)")
    assert e.value.key == "CEDAW-2019-24b"
    assert str(e.value) == (
        "already recorded as CEDAW-2019-24b (same document and paragraph); "
        "use --allow-duplicate to add it anyway"
    )


def test_same_body_and_text_is_a_duplicate_whatever_the_case_and_spacing(db: Session) -> None:
    key = add(db, "UPR", "Adopt a law on gender equality.")
    with pytest.raises(Duplicate, match=r"\(same body and text\)") as e:
        add(db, "upr", "  adopt A  LAW on\tgender equality. ")
    assert e.value.key == key


def test_same_text_from_another_body_or_paragraph_elsewhere_is_no_duplicate(
    db: Session,
) -> None:
    add(db, "UPR", "Adopt a law.", document="A/HRC/1", paragraph="5")
    assert add(db, "CEDAW", "Adopt a law.") == "CEDAW-0001"
    # Not a duplicate, but its paragraph key is taken: it gets a suffix.
    assert add(db, "UPR", "Other.", document="A/HRC/2", paragraph="5") == "UPR-5-2"


def test_same_text_in_one_document_is_a_duplicate_but_not_across_documents(
    db: Session,
) -> None:
    key = add(db, document=DOC, paragraph="24(b)", date="2019")
    with pytest.raises(Duplicate) as e:
        add(db, text="adopt A  LAW.", document=DOC, paragraph="25")
    assert str(e.value) == (
        f"already recorded as {key} (same document and text); "
        "use --allow-duplicate to add it anyway"
    )
    assert add(db, text="adopt A LAW.", document="CEDAW/C/SRB/CO/5") == "CEDAW-0001"
    assert rows(db)["CEDAW-0001"]["text"] == "adopt A LAW."


def test_without_a_document_the_same_text_is_a_duplicate_only_about_the_same_country(
    db: Session,
) -> None:
    key = add(db, "UPR", "Ratify.", country="Serbia")
    with pytest.raises(Duplicate, match=rf"^already recorded as {key} \(same body and text\)"):
        add(db, "UPR", " ratify. ", country="serbia")
    assert add(db, "UPR", "Ratify.", country="Croatia") == "UPR-0002"
    assert add(db, "UPR", "Ratify.") == "UPR-0003"


def test_allow_duplicate_adds_with_a_suffix(db: Session) -> None:
    common = {"document": DOC, "paragraph": "24(b)", "date": "2019-03"}
    assert add(db, text="First.", **common) == "CEDAW-2019-24b"
    for n, text in ((2, "Second."), (3, "First.")):
        key = add_recommendation(
            db, RecInput(body="CEDAW", text=text, **common), allow_duplicate=True
        )
        assert key == f"CEDAW-2019-24b-{n}"


# --- editing ----------------------------------------------------------------------------------


@pytest.fixture
def rec(db: Session) -> str:
    return add(db, document=DOC, paragraph="24(b)", date="2019", themes=["Courts", "Police"])


def test_edit_returns_each_changed_field_in_order_with_old_and_new(db: Session, rec: str) -> None:
    key, changes = edit_recommendation(
        db,
        rec.lower(),
        RecChanges(fields={"due": "June 2025", "priority": "High", "text": "Adopt a law."}),
    )
    assert key == rec
    assert changes == [Change("priority", None, "high"), Change("due", None, "2025-06")]
    assert (rows(db)[rec]["priority"], rows(db)[rec]["due"]) == ("high", "2025-06")


def test_none_clears_an_optional_field(db: Session, rec: str) -> None:
    edit_recommendation(db, rec, RecChanges(fields={"priority": "low"}))
    _, changes = edit_recommendation(db, rec, RecChanges(fields={"priority": "none"}))
    assert changes == [Change("priority", "low", None)]


def test_an_edit_that_changes_nothing_returns_no_change(db: Session, rec: str) -> None:
    before = db.exec(select(Recommendation.updated_at)).one()
    assert edit_recommendation(db, rec, RecChanges(fields={"text": " Adopt a law. "})) == (rec, [])
    assert db.exec(select(Recommendation.updated_at)).one() == before


def test_the_text_cannot_be_emptied(db: Session, rec: str) -> None:
    with pytest.raises(BadValue, match="^the text cannot be empty$"):
        edit_recommendation(db, rec, RecChanges(fields={"text": "  "}))


def test_new_key(db: Session, rec: str) -> None:
    key, changes = edit_recommendation(db, rec, RecChanges(key="CEDAW-2019-LAW"))
    assert key == "CEDAW-2019-LAW"
    assert changes == [Change("key", rec, "CEDAW-2019-LAW")]
    assert list(rows(db)) == ["CEDAW-2019-LAW"]


def test_a_key_taken_by_another_is_refused(db: Session, rec: str) -> None:
    other = add(db, "UPR", "Other.")
    with pytest.raises(Conflict, match=f"^key {other} is already taken$"):
        edit_recommendation(db, rec, RecChanges(key=other.lower()))


def test_themes_added_removed_and_replaced(db: Session, rec: str) -> None:
    _, changes = edit_recommendation(
        db, rec, RecChanges(themes=NameEdit(add=["Budget"], remove=["courts"]))
    )
    assert changes == [Change("themes", ["Courts", "Police"], ["Budget", "Police"])]
    _, changes = edit_recommendation(
        db, rec, RecChanges(institutions=NameEdit(replace=["Ministry of Justice"]))
    )
    assert changes == [Change("institutions", [], ["Ministry of Justice"])]
    _, changes = edit_recommendation(db, rec, RecChanges(themes=NameEdit(replace=["none"])))
    assert changes == [Change("themes", ["Budget", "Police"], [])]


def test_removing_a_theme_the_recommendation_lacks_is_refused(db: Session, rec: str) -> None:
    with pytest.raises(BadValue) as e:
        edit_recommendation(db, rec, RecChanges(themes=NameEdit(remove=["Budget"])))
    assert str(e.value) == "theme 'Budget' is not on this recommendation; it has: Courts, Police"


def test_none_with_other_names_is_refused(db: Session, rec: str) -> None:
    with pytest.raises(BadValue, match="^'none' clears the themes: give it alone$"):
        edit_recommendation(db, rec, RecChanges(themes=NameEdit(replace=["none", "Budget"])))


def test_a_new_body_needs_the_document_changed_or_cleared(db: Session, rec: str) -> None:
    with pytest.raises(BadValue) as e:
        edit_recommendation(db, rec, RecChanges(body="GRETA"))
    assert str(e.value) == (
        f"document {DOC} belongs to another body; "
        "change --document too, or clear it with --document none"
    )


def test_body_and_document_changed_together(db: Session, rec: str) -> None:
    _, changes = edit_recommendation(db, rec, RecChanges(body="greta", document="none"))
    assert changes == [Change("body", "CEDAW", "GRETA"), Change("document", DOC, None)]
    row = rows(db)[rec]  # the key stays
    assert (row["body"], row["document"]) == ("GRETA", None)


def test_an_edit_to_another_recommendations_paragraph_is_refused(db: Session, rec: str) -> None:
    other = add(db, text="Other.", document=DOC, paragraph="11")
    with pytest.raises(Conflict) as e:
        edit_recommendation(db, rec, RecChanges(fields={"paragraph": "11."}))
    assert str(e.value) == f"the edit would repeat {other} (same document and paragraph)"


def test_an_edit_to_the_text_of_another_in_its_document_is_refused(db: Session, rec: str) -> None:
    other = add(db, text="Other.", document=DOC, paragraph="11")
    with pytest.raises(Conflict) as e:
        edit_recommendation(db, rec, RecChanges(fields={"text": " other. "}))
    assert str(e.value) == f"the edit would repeat {other} (same document and text)"


def test_an_edit_to_the_text_of_one_outside_its_document_is_taken(db: Session, rec: str) -> None:
    add(db, text="Other.")
    _, changes = edit_recommendation(db, rec, RecChanges(fields={"text": "Other."}))
    assert changes == [Change("text", "Adopt a law.", "Other.")]


def test_editing_an_unknown_key_names_the_closest(db: Session, rec: str) -> None:
    with pytest.raises(NotFound) as e:
        edit_recommendation(db, "CEDAW-2019-24c", RecChanges())
    assert str(e.value) == f"no recommendation CEDAW-2019-24c; closest keys: {rec}"


# --- removing ---------------------------------------------------------------------------------


def test_removal_preview_counts_the_assessments_that_would_go(db: Session, rec: str) -> None:
    other = add(db, "UPR", "Other.")
    assess(db, [rec, other], AssessmentInput("partial", date="2020", recorded_by="t"))
    assess(db, [rec], AssessmentInput("implemented", date="2021", recorded_by="t"))
    # Each key with its summary, or else the start of its text.
    assert removal_preview(db, [rec.lower(), rec]) == ([(rec, "Adopt a law.")], 2)
    assert removal_preview(db, [other, rec]) == ([(other, "Other."), (rec, "Adopt a law.")], 3)


def test_remove_keeps_the_assessments_and_purge_takes_them_but_not_the_document(
    db: Session, rec: str
) -> None:
    other = add(db, "UPR", "Other.")
    assess(db, [rec, other], AssessmentInput("partial", date="2020", recorded_by="t"))
    assert remove_recommendations(db, [rec.lower()]) == [rec]
    assert list(rows(db)) == [other]
    assert db.exec(select(func.count()).select_from(Assessment)).one() == 2
    assert remove_recommendations(db, [rec], purge=True) == [rec]
    assert db.exec(select(func.count()).select_from(Assessment)).one() == 1
    assert db.exec(select(Document.symbol)).all() == [DOC]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (["CEDAW-2019-24b", "CEDAW-2019-25"], "no recommendation CEDAW-2019-25; closest keys: "),
        (["x", "y"], "no recommendations x, y"),
    ],
)
def test_removing_unknown_keys_names_them_and_removes_nothing(
    db: Session, rec: str, keys: list[str], message: str
) -> None:
    for call in (removal_preview, remove_recommendations):
        with pytest.raises(NotFound) as e:
            call(db, keys)
        assert str(e.value).startswith(message)
    assert list(rows(db)) == [rec]


def test_bodies_of_removed_recommendations_stay(db: Session, rec: str) -> None:
    remove_recommendations(db, [rec])
    assert db.exec(select(Body).where(Body.code == "CEDAW")).one().name.startswith("UN Committee")
