"""The session protocol: DOCX in kk and ru that LibreOffice opens, with the signer and time."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.formats import format_moment
from pcenter_lib.models import Report, SupervisionCase
from pcenter_lib.services.supervision_protocol import export_protocol
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW
from tests.supervision.test_supervision_services import _signed
from tests.supervision.world import build_supervision_world

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def test_the_protocol_opens_in_libreoffice_with_signer_and_time(
    workbench: Workbench, tmp_path: Path
) -> None:
    world = build_supervision_world(workbench)
    record = _signed(world)
    files = []
    with workbench.sessions.begin() as session:
        held = session.get_one(SupervisionCase, record).supervision_session_id
        for lang in ("kk", "ru"):
            exported = export_protocol(session, actor="supervisor1", session_id=held, lang=lang,
                                       now=NOW)  # fmt: skip
            stored = session.get_one(Report, exported.report_id)
            assert stored.sha256 == hashlib.sha256(exported.content).hexdigest()
            path = tmp_path / exported.filename
            path.write_bytes(exported.content)
            files.append(path)
        with pytest.raises(ValidationError):
            export_protocol(session, actor="supervisor1", session_id=held, lang="en", now=NOW)
        with pytest.raises(PermissionDeniedError):
            export_protocol(session, actor="analyst1", session_id=held, lang="ru", now=NOW)
    out = tmp_path / "txt"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "txt:Text", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = {p.stem.rsplit("-", 1)[1]: (out / f"{p.stem}.txt").read_text("utf-8") for p in files}
    assert "Протокол супервизии" in text["ru"] and "Подписал(а) supervisor1" in text["ru"]
    assert format_moment(NOW, "ru") in text["ru"] and "Weekly contact" in text["ru"]
    assert "Шкала безопасности" in text["ru"] and "Meet the class teacher" in text["ru"]
    assert "supervisor1" in text["kk"] and "Супервизия хаттамасы" in text["kk"]
    with workbench.sessions() as session:
        assert len(session.scalars(select(Report)).all()) == 2
