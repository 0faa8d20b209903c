"""Attachments: real type checked, stored outside the web root, served only through the gate."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import assert_isolated, login
from weerbaar.signals import actions
from weerbaar.signals.models import Attachment, Signal
from weerbaar.signals.retention import purge

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def signal_of(world):  # type: ignore[no-untyped-def]
    return actions.create_signal(
        world["medewerker"],
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="met bijlage"
        ),
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("foto.jpg", PNG, "image/png"),
        ("stuk.pdf", PDF, "application/pdf"),
        (
            "verslag.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notitie.txt", b"Gezien om 23:00 uur", "text/plain"),
    ],
)
def test_real_type_is_recorded_whatever_the_name(world, name, content, expected):
    attachment = actions.add_attachment(
        world["medewerker"], signal_of(world), SimpleUploadedFile(name, content)
    )
    assert attachment.content_type == expected and attachment.original_name == name
    assert name not in attachment.file.name  # stored under a random name
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="signals.Attachment"
    ).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "Dit soort bestand"),
        ("pagina.html", b"\x00\x01binary", "Dit soort bestand"),
    ],
)
def test_wrong_types_are_refused(world, name, content, message):
    with pytest.raises(Exception, match=message):
        actions.add_attachment(
            world["medewerker"], signal_of(world), SimpleUploadedFile(name, content)
        )
    assert not Attachment.objects.exists()


def test_too_large(world, settings):
    settings.SIGNAL_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(Exception, match="groter dan"):
        actions.add_attachment(
            world["medewerker"], signal_of(world), SimpleUploadedFile("a.txt", b"x" * 11)
        )


def test_staff_form_upload_and_gated_download(world):
    client = login(Client(), world["medewerker"])
    data = {
        "description": "Foto van de loods",
        "betrokkene-TOTAL_FORMS": "0",
        "betrokkene-INITIAL_FORMS": "0",
        "attachment": SimpleUploadedFile("loods.png", PNG),
    }
    assert client.post(reverse("signals:create"), data).status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("signals:attachment", args=[attachment.signal_id, attachment.pk])
    response = login(Client(), world["regisseur"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert (
        response["Content-Disposition"].startswith("attachment")
        and response["X-Content-Type-Options"] == "nosniff"
    )
    assert AuditEntry.objects.filter(action=Action.READ, object_type="signals.Attachment").exists()
    for outsider in (world["regisseur_dordrecht"], world["partner"], world["bestuurder"]):
        assert login(Client(), outsider).get(url).status_code in (403, 404)
    assert not str(attachment.file.path).startswith(str(default_storage.base_location) + "/static")


def test_bad_attachment_keeps_the_form_and_saves_nothing(world):
    client = login(Client(), world["medewerker"])
    data = {
        "description": "Met een vreemd bestand",
        "betrokkene-TOTAL_FORMS": "0",
        "betrokkene-INITIAL_FORMS": "0",
        "attachment": SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 50),
    }
    response = client.post(reverse("signals:create"), data)
    assert response.status_code == 400 and "Dit soort bestand" in response.content.decode()
    assert "Met een vreemd bestand" in response.content.decode()
    assert not Signal.objects.exists()


def test_retention_deletes_the_files_too(world, django_capture_on_commit_callbacks):
    signal = signal_of(world)
    attachment = actions.add_attachment(
        world["medewerker"], signal, SimpleUploadedFile("a.png", PNG)
    )
    name = attachment.file.name
    actions.change_status(world["regisseur"], signal, "afgesloten")
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=800))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge() == 1
    assert not default_storage.exists(name)


def test_detail_lists_attachments_only_to_those_who_may_see(world):
    signal = signal_of(world)
    actions.add_attachment(
        world["medewerker"], signal, SimpleUploadedFile("geheim-bestand.png", PNG)
    )
    assert_isolated(
        reverse("signals:detail", args=[signal.pk]),
        owner=world["regisseur"],
        outsiders=[world["regisseur_dordrecht"], world["medewerker"]],
        markers=["geheim-bestand.png"],
    )
