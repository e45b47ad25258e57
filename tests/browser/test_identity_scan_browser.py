"""Role by role, app by app: no child's identity on a page of a role that may not see it (Rule 14).

For every role and every app of ``domain.access.APPS`` that exists as a notebook (so an app added
later is scanned without touching this test), plus the home page, the app is rendered in Chromium
over the demo database as that role (``?demo_role=``). Every tab of the app is opened in turn and
the page is read whole: the text of every element, shown or hidden (``textContent``: collapsed
sections and other tabs included), and the values of every field. The text is searched for the
identity data of the demo children, read from the database and decrypted here: each child's full
name and surname with first name, IIN and phone numbers, and the names and phone numbers of
their legal representatives and of applicants.

A hit fails the test and names role, app and field. The only pages where identity may appear are
those of ``IDENTITY_SHOWN``: the apps where the roles that may ``SEE_IDENTITY`` (the access table)
work with a named child. Everywhere else — the home page, diagnostics, staffing, intervision
material, reports, risk models, and any app added later — identity is a leak, for every role.
The test also checks that it can see a name where one is shown (an identity role finds a child
by IIN in the intake app), so a scanner that reads nothing cannot pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Column, String, select

from pcenter_lib.config import load_settings
from pcenter_lib.domain.access import APPS, ROLE_CODES, UseCase, may
from pcenter_lib.models import (
    Base,
    ChildIdentity,
    EducationOrganization,
    LegalRepresentative,
    Request,
)
from pcenter_lib.workbench import open_workbench
from tests.browser.conftest import PROJECT_ROOT, VoilaServer

pytestmark = pytest.mark.browser

NOTEBOOKS = PROJECT_ROOT / "notebooks"
HOME = "index"
RENDER_TIMEOUT_MS = 90_000
SETTLE_MS = 500
TABS = ".pcenter-body .lm-TabBar-tab, .pcenter-body .p-TabBar-tab"
FIELDS = ("name", "IIN", "phone")
# Where a role that may SEE_IDENTITY (domain.access) sees children's identity: the journal and
# registration of requests (Rules 13, 15: the child and the family are contacted) and the review
# of a named child's case by the supervisor (Rule 11.4). Nowhere else, and never for other roles.
IDENTITY_SHOWN: dict[str, frozenset[str]] = {
    "intake": frozenset(FIELDS),
    "supervision": frozenset(FIELDS),
}
READ_PAGE = """() => {
  const root = document.body;
  const parts = [root.textContent];
  for (const el of root.querySelectorAll("input, textarea")) parts.push(el.value);
  for (const el of root.querySelectorAll("[title]")) parts.push(el.getAttribute("title"));
  return parts.join("\\n");
}"""
NUMBER_RUN = re.compile(r"\+?\d[\d\s\-()]{8,}\d")


@dataclass(frozen=True)
class Identities:
    """The identity data to look for: field → the strings (phones as digits only)."""

    names: frozenset[str]
    iins: frozenset[str]
    phones: frozenset[str]
    sample_iin: str  # a child's IIN to search for, whose name the intake app then shows
    sample_name: str
    others: tuple[str, ...] = ()  # names shown on purpose (staff, users, schools), longest first


def scan_text(text: str, identities: Identities) -> set[str]:
    """The fields of ``identities`` that occur in ``text``.

    Any run of white space counts as one space: a select's options show their spaces as
    no-break spaces (U+00A0), which must not hide a name.
    """
    text = re.sub(r"\s+", " ", text)
    for other in identities.others:  # a staff member may share a child's surname and first name
        text = text.replace(other, " ")
    found = set()
    if any(name in text for name in identities.names):
        found.add("name")
    digits = [re.sub(r"\D", "", run) for run in NUMBER_RUN.findall(text)]
    digits += re.findall(r"\d{12}", text)
    if any(iin in run for run in digits for iin in identities.iins):
        found.add("IIN")
    if any(phone in run for run in digits for phone in identities.phones):
        found.add("phone")
    return found


def hit_names(text: str, identities: Identities) -> list[str]:
    """The names found in ``text`` (for the failure message)."""
    text = re.sub(r"\s+", " ", text)
    for other in identities.others:
        text = text.replace(other, " ")
    return sorted(name for name in identities.names if name in text)[:3]


def _name_needles(full_name: str | None) -> set[str]:
    words = (full_name or "").split()
    return {" ".join(words), " ".join(words[:2])} if len(words) >= 2 else set()


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


def read_identities(server: VoilaServer) -> Identities:
    """Every child's (and representative's, and applicant's) identity, decrypted from the database.

    The names kept in clear — every ``full_name`` column (staff, users, intervision participants
    and whatever table a new app adds) and the schools' names — are shown on purpose (who is
    signed in, who leads a group, a school that applied): they are taken out of a page's text
    before it is searched, so a colleague who shares a child's surname and first name is not a
    hit, and the child's own name still is.
    """
    workbench = open_workbench(load_settings(server.env))
    decrypt = workbench.cipher.decrypt
    try:
        with workbench.sessions() as session:
            children = session.execute(
                select(ChildIdentity.full_name_enc, ChildIdentity.iin_enc,
                       ChildIdentity.contacts_enc)
            ).all()
            others = session.execute(
                select(LegalRepresentative.full_name_enc, LegalRepresentative.contacts_enc)
            ).all()
            applicants = session.scalars(
                select(Request.applicant_name_enc).where(Request.applicant_name_enc.is_not(None))
            ).all()
            public = [
                *session.scalars(select(EducationOrganization.name_kk)),
                *session.scalars(select(EducationOrganization.name_ru)),
            ]
            for column in person_name_columns():  # staff, users, intervision participants…
                public += [str(v) for v in session.scalars(select(column)) if v]
    finally:
        workbench.engine.dispose()
    names: set[str] = set()
    iins: set[str] = set()
    phones: set[str] = set()
    sample: tuple[str, str] | None = None
    for name_enc, iin_enc, contacts_enc in children:
        name, iin = decrypt(name_enc), decrypt(iin_enc)
        names |= _name_needles(name)
        phones.add(_digits(decrypt(contacts_enc)))
        if iin:
            iins.add(iin)
            if sample is None and name:
                sample = (iin, name)
    for name_enc, contacts_enc in others:
        names |= _name_needles(decrypt(name_enc))
        phones.add(_digits(decrypt(contacts_enc)))
    for name_enc in applicants:
        names |= _name_needles(decrypt(name_enc))
    assert sample is not None and names and iins, "the demo database has no identity data"
    return Identities(
        frozenset(names), frozenset(iins), frozenset(p for p in phones if len(p) >= 10),
        sample[0], sample[1],
        tuple(sorted({" ".join(p.split()) for p in public}, key=len, reverse=True)),
    )


def person_name_columns() -> list[Column[Any]]:
    """Every plain-text ``full_name`` column of the schema: people other than children."""
    return [
        table.c.full_name
        for table in Base.metadata.tables.values()
        if "full_name" in table.c and isinstance(table.c.full_name.type, String)
    ]


def notebook_apps() -> list[str]:
    """The apps of the access table that exist as notebooks, and the home page."""
    return [HOME] + [app.code for app in APPS if (NOTEBOOKS / f"{app.code}.ipynb").is_file()]


def roles_of(app: str) -> list[str]:
    if app == HOME:
        return list(ROLE_CODES)
    (entry,) = [a for a in APPS if a.code == app]
    return [role for role in ROLE_CODES if role in entry.roles]


def allowed_fields(role: str, app: str) -> frozenset[str]:
    if may([role], UseCase.SEE_IDENTITY):
        return IDENTITY_SHOWN.get(app, frozenset())
    return frozenset()


def open_app(page: Page, server: VoilaServer, app: str, role: str) -> None:
    page.goto(f"{server.base_url}/voila/render/{app}.ipynb?demo_role={role}&lang=ru")
    page.locator(f".pcenter-app-{app} .pcenter-body").wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(SETTLE_MS)


def scan_app(page: Page, identities: Identities, role: str, app: str) -> Iterator[str]:
    """Every leak on the page of ``app`` as ``role``, one per tab and field."""
    tabs = page.locator(TABS)
    for index in range(max(tabs.count(), 1)):
        where = "page"
        if tabs.count() > index:
            tab = tabs.nth(index)
            where = f"tab {index + 1} «{tab.inner_text().strip()}»"
            tab.click()
            page.wait_for_timeout(SETTLE_MS)
        text = page.evaluate(READ_PAGE)
        for field in sorted(scan_text(text, identities) - allowed_fields(role, app)):
            detail = f" {hit_names(text, identities)}" if field == "name" else ""
            yield f"role {role}, app {app}, {where}: a child's {field}{detail}"


@pytest.fixture(scope="module")
def identities(voila_server: VoilaServer) -> Identities:
    return read_identities(voila_server)


def test_the_scanner_finds_each_field_in_text() -> None:
    identities = Identities(
        frozenset({"Ахметова Дана Серіккызы", "Ахметова Дана"}), frozenset({"120315600123"}),
        frozenset({"77015551234"}), "120315600123", "Ахметова Дана Серіккызы",
    )
    assert scan_text("Ахметова Дана · 9 сынып", identities) == {"name"}
    assert scan_text("Ахметова\xa0Дана\n", identities) == {"name"}
    assert scan_text("ЖСН 120315600123", identities) == {"IIN"}
    assert scan_text("тел.: +7 701 555 12 34", identities) == {"phone"}
    assert scan_text("Ахметов Нұрлан, 2026/000123, 12 оқушы", identities) == set()
    colleague = replace(identities, others=("Ахметова Дана Ерланқызы",))  # a staff member
    assert scan_text("жетекші: Ахметова Дана Ерланқызы", colleague) == set()
    assert scan_text("Ахметова Дана Ерланқызы, Ахметова Дана (9 сынып)", colleague) == {"name"}


def test_no_role_sees_a_childs_identity_where_it_may_not(
    voila_server: VoilaServer, browser: Browser, identities: Identities
) -> None:
    leaks: list[str] = []
    scanned: list[str] = []
    for role in ROLE_CODES:
        context = browser.new_context(locale="ru-RU")
        page = context.new_page()
        for app in notebook_apps():
            if role not in roles_of(app):
                continue
            open_app(page, voila_server, app, role)
            leaks += scan_app(page, identities, role, app)
            scanned.append(f"{role}/{app}")
        context.close()
    assert leaks == [], "\n".join(leaks)
    every_pair = {f"{r}/{a}" for a in notebook_apps() for r in roles_of(a)}
    assert set(scanned) == every_pair


def test_the_scan_sees_a_name_where_the_role_may_see_it(
    voila_server: VoilaServer, browser: Browser, identities: Identities
) -> None:
    """The specialist finds a child by IIN in intake: the scan must see the name listed."""
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    try:
        open_app(page, voila_server, "intake", "specialist")
        page.locator(".pcenter-intake-child-search input").first.fill(identities.sample_iin)
        page.locator(".pcenter-intake-child-search-button").first.click()
        page.wait_for_function(
            "() => document.querySelector('.pcenter-intake-child-found select').options.length > 1",
            timeout=30_000,
        )
        found = scan_text(page.evaluate(READ_PAGE), identities)
    finally:
        context.close()
    assert "name" in found
    assert allowed_fields("specialist", "intake") >= found
    assert allowed_fields("analyst", "intake") == frozenset()


def test_every_notebook_app_is_scanned() -> None:
    """A new app notebook whose code is in the access table joins the scan without edits here."""
    on_disk = {p.stem for p in Path(NOTEBOOKS).glob("*.ipynb")}
    assert set(notebook_apps()) == on_disk & ({HOME} | {a.code for a in APPS})
