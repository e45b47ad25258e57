"""Draft a de-identified case vignette for an intervision session (Order No. 264, Rule 11.3).

From plain case facts the drafter writes a short vignette in Kazakh, Russian or English:

* names of the child, the family and the staff become roles ("[the mother]", "[анасы]");
* IIN, school, address, phone numbers and e-mail addresses become labels ("[school]");
* dates become times relative to the most recent event ("three months earlier", "үш ай бұрын",
  "за три месяца до этого");
* rare details are generalized: the exact age becomes a three-year band, the settlement only
  "a city", "a town" or "a rural district".

The draft is checked with the leak check, given every identifying string of the facts as
``known``; whatever the check still finds is replaced too, so a draft never leaves this module
with a finding. The methodologist then edits it, and the export gate checks it again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal

from pcenter_lib.deidentify.dates import find_dates
from pcenter_lib.deidentify.findings import Finding
from pcenter_lib.deidentify.gate import mask
from pcenter_lib.deidentify.known import find_known
from pcenter_lib.deidentify.relative import age_in_years, band_text, relative_phrase
from pcenter_lib.deidentify.scan import find_identifiers
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_, Translator, check_language

Sex = Literal["male", "female"]
SettlementKind = Literal["city", "town", "village"]

# Labels that stand in for what was removed; message ids, translated in the vignette's language.
ROLE_LABELS: Final = {
    "child": N_("the child"),
    "mother": N_("the mother"),
    "father": N_("the father"),
    "grandmother": N_("the grandmother"),
    "grandfather": N_("the grandfather"),
    "brother": N_("the brother"),
    "sister": N_("the sister"),
    "guardian": N_("the guardian"),
    "stepfather": N_("the stepfather"),
    "stepmother": N_("the stepmother"),
    "relative": N_("a relative"),
    "class_teacher": N_("the class teacher"),
    "school_psychologist": N_("the school psychologist"),
    "social_pedagogue": N_("the social pedagogue"),
    "school_head": N_("the school head"),
    "center_specialist": N_("the Center's specialist"),
    "staff": N_("a staff member"),
}
KIND_PLACEHOLDERS: Final = {
    "iin": N_("IIN"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "school": N_("school"),
    "address": N_("address"),
    "date": N_("date"),
    "person": N_("a person"),
    "known": N_("removed"),
}
# A settlement named in free text becomes what the opening line says of it.
SETTLEMENT_LABELS: Final = {
    "city": N_("a city"),
    "town": N_("a small town"),
    "village": N_("a rural district"),
}
SETTLEMENT_PHRASES: Final = {
    "city": N_("The family lives in a city."),
    "town": N_("The family lives in a small town."),
    "village": N_("The family lives in a rural district."),
}
CHILD_PHRASES: Final = {
    "female": N_("A girl aged {band}"),
    "male": N_("A boy aged {band}"),
    None: N_("A child aged {band}"),
}
_SHAPED_KINDS: Final = frozenset({"iin", "phone", "email"})
_REPEATED_LABEL: Final = re.compile(r"(\[[^\[\]]+\])(?:\s+\1)+")
CHILD_PHRASES_NO_AGE: Final = {"female": N_("A girl"), "male": N_("A boy"), None: N_("A child")}
# Exact ages in free text: "13 лет", "13 жаста", "13 жасар", "aged 13", "13-year-old".
_AGE: Final = re.compile(
    r"(?i)(?<![\d–-])(\d{1,2})(?=\s*(?:лет|год|года|жас\w*|years?\s+old|-year-old|-летн\w*))"
    r"|(?<=aged\s)(\d{1,2})(?![\d–-])"
)


@dataclass(frozen=True, slots=True)
class CasePerson:
    """A person of the case other than the child: a full name and a role (``ROLE_LABELS``)."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLE_LABELS:
            raise ValidationError(
                "Unknown role {role!r}; use one of: {roles}.",
                role=self.role, roles=", ".join(ROLE_LABELS),
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """Something that happened on a day, in the words of the case record."""

    on: date
    text: str


@dataclass(frozen=True)
class CaseFacts:
    """The facts of a case a vignette is drafted from (plain data, nothing from the database)."""

    child_name: str
    child_sex: Sex | None = None
    child_iin: str = ""
    birth_on: date | None = None
    school: str = ""
    address: str = ""
    settlement: str = ""
    settlement_kind: SettlementKind = "city"
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    family: tuple[CasePerson, ...] = ()
    staff: tuple[CasePerson, ...] = ()
    events: tuple[CaseEvent, ...] = ()
    notes: str = ""
    reference_on: date | None = None  # the day relative times count from; default: last event

    def known(self) -> tuple[str, ...]:
        """Every identifying string of the facts: what the leak check must not find."""
        values = [self.child_name, self.child_iin, self.school, self.address, self.settlement]
        values += [p.name for p in (*self.family, *self.staff)]
        values += [*self.phones, *self.emails]
        return tuple(v for v in values if v and v.strip())

    def anchor(self) -> date | None:
        """The reference day: given, or the most recent event."""
        if self.reference_on is not None:
            return self.reference_on
        return max((e.on for e in self.events), default=None)


@dataclass(frozen=True)
class VignetteDraft:
    """A drafted vignette: its language, text and how many replacements of each kind were made."""

    lang: str
    title: str
    text: str
    replacements: dict[str, int] = field(default_factory=dict)


def _labelled_terms(facts: CaseFacts) -> list[tuple[str, str]]:
    """(known string, label message id), most specific first: the child before the family."""
    terms = [(facts.child_name, ROLE_LABELS["child"])]
    terms += [(p.name, ROLE_LABELS[p.role]) for p in (*facts.family, *facts.staff)]
    terms += [(facts.school, KIND_PLACEHOLDERS["school"]),
              (facts.address, KIND_PLACEHOLDERS["address"]),
              (facts.settlement, SETTLEMENT_LABELS[facts.settlement_kind])]  # fmt: skip
    return [(term, label) for term, label in terms if term.strip()]


def _date_phrase(text: str, anchor: date | None, t: Translator) -> str | None:
    mentions = find_dates(text)
    if anchor is None or len(mentions) != 1:
        return None
    value = mentions[0].value(default_year=anchor.year)
    if value is not None and mentions[0].year is None and value > anchor + timedelta(days=31):
        value = mentions[0].value(default_year=anchor.year - 1)
    return None if value is None else relative_phrase(value, anchor, t.lang)


def scrub_text(text: str, facts: CaseFacts, lang: str, counts: Counter[str] | None = None) -> str:
    """``text`` with every identifier of ``facts`` replaced by a role, label or relative time."""
    t = Translator(lang)
    counts = counts if counts is not None else Counter()
    known = facts.known()
    anchor = facts.anchor()
    text = _AGE.sub(lambda m: band_text(int(m.group(1) or m.group(2))), text)
    labels: list[tuple[int, int, str]] = []
    for term, label in _labelled_terms(facts):  # the child first: a shared surname is the child's
        labels += [
            (m.start, m.end, label)
            for m in find_known(text, [term])
            if not any(s < m.end and m.start < e for s, e, _ in labels)
        ]
    for _ in range(3):  # a label rarely creates a finding; check rather than assume
        findings = find_identifiers(text, known=known)
        if not findings:
            break
        labels = [(s, e, label) for s, e, label in labels if e <= len(text)]
        for finding in reversed(findings):
            piece = text[finding.start : finding.end]
            replacement = None
            if finding.kind == "date":
                replacement = _date_phrase(piece, anchor, t)
            if replacement is None:
                replacement = _replacement(finding, labels, t)
            counts[finding.kind] += 1
            text = text[: finding.start] + replacement + text[finding.end :]
        labels = []  # offsets moved; later rounds use the generic labels
    leftover = find_identifiers(text, known=known)
    if leftover:  # a label itself reads as an identifier (a village called "Мектеп"): mask it
        counts["masked"] += len(leftover)
        text = mask(text, leftover)
    return _REPEATED_LABEL.sub(r"\1", text)


def _replacement(finding: Finding, labels: list[tuple[int, int, str]], t: Translator) -> str:
    """Roles of the people (or places) a finding covers, in order; else a label of its kind."""
    if finding.kind not in _SHAPED_KINDS:
        overlapping = sorted((s, lb) for s, e, lb in labels if s < finding.end and finding.start < e)
        roles = list(dict.fromkeys(label for _, label in overlapping))
        if roles:
            return " ".join(f"[{t(label)}]" for label in roles)
    return f"[{t(KIND_PLACEHOLDERS.get(finding.kind, KIND_PLACEHOLDERS['known']))}]"


def draft_vignette(facts: CaseFacts, *, lang: str) -> VignetteDraft:
    """A de-identified vignette of ``facts`` in ``lang`` (kk, ru or en) that passes the leak check."""
    t = Translator(check_language(lang))
    if not facts.child_name.strip():
        raise ValidationError("A vignette needs the child's name, to be sure it is removed.")
    counts: Counter[str] = Counter()
    anchor = facts.anchor()
    if facts.birth_on is not None and anchor is not None:
        band = band_text(age_in_years(facts.birth_on, anchor))
        opening = t(CHILD_PHRASES[facts.child_sex]).format(band=band)
    else:
        opening = t(CHILD_PHRASES_NO_AGE[facts.child_sex])
    lines = [f"{opening}. {t(SETTLEMENT_PHRASES[facts.settlement_kind])}"]
    family = [t(ROLE_LABELS[p.role]) for p in facts.family]
    if family:
        lines.append(t("Family members in the case: {members}.").format(members=", ".join(family)))
    if facts.events and anchor is not None:
        lines += ["", t("Timeline (counted from the most recent event):")]
        for event in sorted(facts.events, key=lambda e: e.on):
            when = relative_phrase(event.on, anchor, lang)
            lines.append(f"— {when}: {scrub_text(event.text, facts, lang, counts)}")
    if facts.notes.strip():
        lines += ["", t("Notes:"), scrub_text(facts.notes, facts, lang, counts)]
    text = "\n".join(lines)
    text = scrub_text(text, facts, lang, counts)  # the composed text is checked as a whole too
    return VignetteDraft(lang, t("Case vignette (de-identified draft)"), text, dict(counts))


def known_of(facts: Iterable[CaseFacts]) -> tuple[str, ...]:
    """The known strings of several cases (a session may discuss more than one)."""
    return tuple(dict.fromkeys(k for f in facts for k in f.known()))
