"""One message catalogue for what people read in exported files (and, later, on the
terminal): English, Serbian in Latin script, and Serbian in Cyrillic script, which is made
from the Latin by transliteration so that the two never drift apart.

`text(msg_id, lang)` gives a label; `forms(msg_id)` every form of it, so that a file
written in one language is read back in any. Standard library only.
"""

from __future__ import annotations

import functools
import re

from rectrack.errors import BadValue

LANGUAGES = ("en", "sr-Latn", "sr-Cyrl")

# id -> (English, Serbian in Latin script)
_CATALOGUE: dict[str, tuple[str, str]] = {
    # Statuses
    "status.implemented": ("Implemented", "Sprovedeno"),
    "status.partial": ("Partial", "Delimično sprovedeno"),
    "status.in_progress": ("In progress", "U toku"),
    "status.not_implemented": ("Not implemented", "Nije sprovedeno"),
    "status.regressed": ("Regressed", "Nazadovanje"),
    "status.unknown": ("Unknown", "Nepoznato"),
    "status.not_applicable": ("Not applicable", "Nije primenljivo"),
    # Perspectives
    "perspective.ngo": ("NGO assessment", "Procena NVO"),
    "perspective.state": ("State's claim", "Tvrdnja države"),
    "perspective.body": ("Body's grade", "Ocena tela"),
    "who.ngo": ("NGO", "NVO"),
    "who.state": ("State", "Država"),
    "who.body": ("Body", "Telo"),
    # Priorities and responses
    "priority.high": ("high", "visok"),
    "priority.medium": ("medium", "srednji"),
    "priority.low": ("low", "nizak"),
    "response.supported": ("supported", "podržana"),
    "response.noted": ("noted", "primljena k znanju"),
    "response.partially_supported": ("partially supported", "delimično podržana"),
    "response.accepted": ("accepted", "prihvaćena"),
    "response.rejected": ("rejected", "odbijena"),
    # Kinds of action and of evidence
    "action.law": ("Law", "Zakon"),
    "action.bylaw": ("Bylaw", "Podzakonski akt"),
    "action.strategy": ("Strategy", "Strategija"),
    "action.action_plan": ("Action plan", "Akcioni plan"),
    "action.budget": ("Budget", "Budžet"),
    "action.institution": ("Institution", "Institucija"),
    "action.training": ("Training", "Obuka"),
    "action.practice": ("Practice", "Praksa"),
    "action.other": ("Other", "Drugo"),
    "evidence.document": ("Document", "Dokument"),
    "evidence.web": ("Web page", "Veb-stranica"),
    "evidence.statistics": ("Statistics", "Statistika"),
    "evidence.court_decision": ("Court decision", "Sudska odluka"),
    "evidence.shadow_report": ("Shadow report", "Alternativni izveštaj"),
    "evidence.media": ("Media", "Mediji"),
    "evidence.meeting": ("Meeting", "Sastanak"),
    "evidence.other": ("Other", "Drugo"),
    # Groupings
    "group.body": ("Body", "Telo"),
    "group.document": ("Document", "Dokument"),
    "group.theme": ("Theme", "Tema"),
    "group.institution": ("Institution", "Institucija"),
    "group.country": ("Country", "Država"),
    "group.priority": ("Priority", "Prioritet"),
    "group.recommending": ("Recommending state", "Država preporučilac"),
    "group.affected": ("Affected persons", "Na koga se odnosi"),
    "group.sdg": ("SDG target", "Cilj održivog razvoja"),
    "group.cluster": ("Recurring demand", "Zahtev koji se ponavlja"),
    "group.none": ("(none)", "(bez)"),
    # Sheets
    "sheet.summary": ("Summary", "Pregled"),
    "sheet.meeting": ("Meeting", "Sastanak"),
    "sheet.recommendations": ("Recommendations", "Preporuke"),
    "sheet.actions": ("Actions", "Mere"),
    "sheet.evidence": ("Evidence", "Dokazi"),
    "sheet.history": ("History", "Istorija"),
    "sheet.about": ("About", "O datoteci"),
    # Columns
    "col.key": ("Key", "Ključ"),
    "col.body": ("Body", "Telo"),
    "col.document": ("Document", "Dokument"),
    "col.paragraph": ("Paragraph", "Paragraf"),
    "col.date": ("Date", "Datum"),
    "col.country": ("Country", "Država"),
    "col.summary": ("Summary", "Ukratko"),
    "col.text": ("Text", "Tekst"),
    "col.themes": ("Themes", "Teme"),
    "col.institutions": ("Institutions", "Institucije"),
    "col.priority": ("Priority", "Prioritet"),
    "col.response": ("Response", "Odgovor države"),
    "col.due": ("Due", "Rok"),
    "col.overdue": ("Overdue", "Rok prošao"),
    "col.status": ("Status", "Status"),
    "col.since": ("Since", "Od"),
    "col.status_date": ("Status date", "Datum procene"),
    "col.state_claims": ("State claims", "Država tvrdi"),
    "col.ngo_assessment": ("NGO assessment", "Procena NVO"),
    "col.actions": ("Actions", "Mere"),
    "col.latest_action": ("Latest action", "Poslednja mera"),
    "col.evidence": ("Evidence", "Dokazi"),
    "col.latest_note": ("Latest note", "Poslednja napomena"),
    "col.new_status": ("New status", "Novi status"),
    "col.new_status_date": ("New status date", "Datum novog statusa"),
    "col.assessment_note": ("Assessment note", "Napomena uz procenu"),
    "col.recommendation": ("Recommendation", "Preporuka"),
    "col.reference": ("Reference", "Izvor"),
    "col.id": ("Id", "Oznaka"),
    "col.kind": ("Kind", "Vrsta"),
    "col.title": ("Title", "Naslov"),
    "col.institution": ("Institution", "Institucija"),
    "col.official_reference": ("Reference", "Službena oznaka"),
    "col.url": ("URL", "Veza"),
    "col.description": ("Description", "Opis"),
    "col.recommendations": ("Recommendations", "Preporuke"),
    "col.source": ("Source", "Izvor"),
    "col.file": ("File", "Datoteka"),
    "col.sha256": ("SHA-256", "SHA-256"),
    "col.note": ("Note", "Napomena"),
    "col.perspective": ("Perspective", "Perspektiva"),
    "col.grade": ("Grade", "Ocena"),
    "col.recorded_by": ("Recorded by", "Uneo"),
    "col.recorded_at": ("Recorded at", "Uneto"),
    "col.total": ("Total", "Ukupno"),
    # The Summary
    "title.default": ("Implementation of recommendations", "Sprovođenje preporuka"),
    "title.of": ("Implementation of recommendations: {what}", "Sprovođenje preporuka: {what}"),
    "summary.status_on": ("Status on", "Stanje na dan"),
    "summary.whose": ("Whose view", "Čija procena"),
    "summary.filters": ("Filters", "Filteri"),
    "summary.exported": ("Exported", "Izvezeno"),
    "summary.recommendations": ("Recommendations", "Broj preporuka"),
    "summary.all": ("All", "Sve"),
    "summary.share": ("Share", "Udeo"),
    "summary.chart": ("Status by {group}, {date}", "Status – {group}, {date}"),
    "summary.axis": ("Recommendations", "Broj preporuka"),
    "summary.counted_in_each": (
        "A recommendation with several values of this column counts in each row; All counts "
        "it once.",
        "Preporuka sa više vrednosti u ovoj koloni broji se u svakom redu; red Sve broji je "
        "jednom.",
    ),
    "summary.none": ("none", "nema"),
    # The Meeting sheet
    "meeting.para": ("para.", "par."),
    "meeting.overdue": ("overdue", "rok prošao"),
    "meeting.since": ("since", "od"),
    "meeting.in_each": (
        "A recommendation with several values of the grouping stands under each.",
        "Preporuka sa više vrednosti grupisanja stoji pod svakom.",
    ),
    "history.withdrawn": ("Withdrawn", "Povučeno"),
    # Print and properties
    "footer.page": ("Page &P of &N", "Strana &P od &N"),
    "footer.exported": ("Exported {date}", "Izvezeno {date}"),
    # Data entry
    "entry.dates_title": ("Dates", "Datumi"),
    "entry.dates": (
        "Write 2025-03-14, 2025-03 or 2025 (or 14 March 2025); leave empty for the export date.",
        "Upišite 2025-03-14, 2025-03 ili 2025; prazno znači datum izvoza.",
    ),
    "entry.due": (
        "Write 2025-03-14, 2025-03 or 2025 (or 14 March 2025); leave empty for no due date.",
        "Upišite 2025-03-14, 2025-03 ili 2025; prazno znači bez roka.",
    ),
    "entry.status_title": ("Not a status", "Nije status"),
    "entry.status": ("Choose a status from the list.", "Izaberite status sa liste."),
    "entry.priority_title": ("Not a priority", "Nije prioritet"),
    "entry.priority": ("Choose high, medium or low.", "Izaberite visok, srednji ili nizak."),
    # About
    "about.intro": (
        "Exported by rectrack. Fill in New status, New status date and Assessment note on the "
        "Recommendations or Meeting sheet (and edit Priority, Due, Themes or Institutions on "
        "the Recommendations sheet), then give the file to `rectrack import`.",
        "Izvezeno iz programa rectrack. Popunite Novi status, Datum novog statusa i Napomenu "
        "uz procenu na listu Preporuke ili Sastanak (a Prioritet, Rok, Teme ili Institucije "
        "izmenite na listu Preporuke), pa datoteku predajte komandi `rectrack import`.",
    ),
    "about.format": ("Format version", "Verzija formata"),
    "about.tool_version": ("rectrack version", "Verzija programa rectrack"),
    "about.schema_version": ("Schema version", "Verzija šeme"),
    "about.exported_at": ("Exported at", "Izvezeno"),
    "about.export_date": ("Export date", "Datum izvoza"),
    "about.as_of": ("Status on", "Stanje na dan"),
    "about.perspective": ("Perspective", "Perspektiva"),
    "about.group_by": ("Grouped by", "Grupisano po"),
    "about.filters": ("Filters", "Filteri"),
    "about.database": ("Database", "Baza podataka"),
    "about.recommendations": ("Recommendations", "Broj preporuka"),
    "about.title": ("Title", "Naslov"),
    "about.language": ("Language", "Jezik"),
    # Reports (`rectrack report`)
    "report.title": ("Implementation of recommendations", "Sprovođenje preporuka"),
    "report.made": (
        "Draft made with rectrack {version} on {made}: status on {as_of}, {perspective}.",
        "Nacrt napravljen programom rectrack {version} dana {made}: stanje na dan {as_of}, "
        "{perspective}.",
    ),
    "report.selection": ("Selection: {filters}.", "Izbor: {filters}."),
    "report.summary": ("Where things stand", "Stanje"),
    "report.status": ("Status", "Status"),
    "report.number": ("Number", "Broj"),
    "report.share": ("Share", "Udeo"),
    "report.total": ("Total", "Ukupno"),
    "report.by": ("By {what}", "Po grupama: {what}"),
    "report.chart": ("Statuses by group", "Statusi po grupama"),
    "report.view.ngo": ("Our assessment", "Naša procena"),
    "report.view.state": ("The state claims", "Država tvrdi"),
    "report.view.body": ("The body's assessment", "Procena tela"),
    "report.grade": ("grade {grade}", "ocena {grade}"),
    "report.gap": (
        "The state claims more than we found.",
        "Država tvrdi više nego što smo mi utvrdili.",
    ),
    "report.steps": ("What the state did", "Šta je država preduzela"),
    "report.no_steps": ("No action recorded.", "Nije zabeležena nijedna mera."),
    "report.evidence": ("Evidence", "Dokazi"),
    "report.linked": ("Linked", "Povezano"),
    "report.due": ("Follow-up due {due}", "Rok za praćenje {due}"),
    "report.overdue": ("Overdue follow-ups", "Istekli rokovi za praćenje"),
    "report.no_overdue": ("No follow-up is overdue.", "Nijedan rok za praćenje nije istekao."),
    "report.changes": ("What changed since {since}", "Šta se promenilo od {since}"),
    "report.no_changes": (
        "Nothing was recorded since {since}.",
        "Od {since} ništa nije zabeleženo.",
    ),
    "report.moved": ("Statuses that moved", "Promene statusa"),
    "report.notes": ("Notes", "Napomene"),
    "report.empty": ("No recommendation matches.", "Nijedna preporuka ne odgovara izboru."),
    "report.undated": ("undated", "bez datuma"),
    "link.repeats.0": ("repeats {key}", "ponavlja preporuku {key}"),
    "link.repeats.1": ("is repeated by {key}", "ponovljena je u preporuci {key}"),
    "link.follows_up.0": ("follows up {key}", "nastavlja preporuku {key}"),
    "link.follows_up.1": ("is followed up by {key}", "nastavlja je preporuka {key}"),
    "link.same_issue.0": ("is on the same issue as {key}", "o istom je pitanju kao {key}"),
    "link.same_issue.1": ("is on the same issue as {key}", "o istom je pitanju kao {key}"),
}

_DIGRAPHS = {"Lj": "Љ", "LJ": "Љ", "lj": "љ", "Nj": "Њ", "NJ": "Њ", "nj": "њ"}
_DIGRAPHS |= {"Dž": "Џ", "DŽ": "Џ", "dž": "џ"}
_LETTERS = dict(
    zip(
        "abcčćdđefghijklmnoprsštuvzž",
        "абцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_LETTERS |= {k.upper(): v.upper() for k, v in _LETTERS.items()}
# Kept as written: placeholders ({date}), print codes (&P), code (`rectrack import`), and
# abbreviations of Latin letters (SHA-256, URL) that stay Latin in Serbian Cyrillic text.
_KEEP = re.compile(r"(\{[^}]*\}|&[A-Z]|`[^`]*`|SHA-256|URL|rectrack)")


def to_cyrillic(latin: str) -> str:
    """Serbian text in Latin script, in Cyrillic script."""
    out = []
    for i, part in enumerate(_KEEP.split(latin)):
        if i % 2:
            out.append(part)
            continue
        for digraph, letter in _DIGRAPHS.items():
            part = part.replace(digraph, letter)
        out.append("".join(_LETTERS.get(ch, ch) for ch in part))
    return "".join(out)


def language(value: str | None) -> str:
    """A language code as the user wrote it (`sr-latn`, `SR-Cyrl`, `en`); BadValue else."""
    if value is None:
        return "en"
    for lang in LANGUAGES:
        if value.strip().casefold() == lang.casefold():
            return lang
    raise BadValue(f"'{value}' is not a language of rectrack; valid values: {', '.join(LANGUAGES)}")


@functools.cache
def text(msg_id: str, lang: str = "en") -> str:
    """The label `msg_id` in `lang`."""
    english, latin = _CATALOGUE[msg_id]
    if lang == "en":
        return english
    return latin if lang == "sr-Latn" else _cyrillic_label(latin)


@functools.cache
def _cyrillic_label(latin: str) -> str:
    """A label of the catalogue in Cyrillic script, transliterated once: an export asks for
    the same few labels on every row."""
    return to_cyrillic(latin)


@functools.cache
def forms(msg_id: str) -> tuple[str, ...]:
    """Every form of a label, in every language."""
    return tuple(dict.fromkeys(text(msg_id, lang) for lang in LANGUAGES))


def reader(prefix: str) -> dict[str, str]:
    """Every form of every label under `prefix` ("status."), folded, to the code it stands
    for: what a file written in any language says, read back."""
    out: dict[str, str] = {}
    for msg_id in _CATALOGUE:
        if msg_id.startswith(prefix):
            code = msg_id[len(prefix) :]
            out[code.casefold()] = code
            for form in forms(msg_id):
                out[" ".join(form.casefold().split())] = code
    return out
