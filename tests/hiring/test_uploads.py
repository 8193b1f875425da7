"""Uploaded files: accepted by content and size, stored privately under random names."""

import importlib
import os
import re
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from hiring.models import Candidate
from hiring.uploads import DOCUMENTS, UploadValidator, upload_kind
from tests.hiring import documents as doc
from tests.hiring.factories import CandidateFactory

validate = UploadValidator(DOCUMENTS)

ACCEPTED = [
    ("cv.pdf", doc.PDF, "pdf"),
    ("cv.docx", doc.docx(), "docx"),
    ("cv.odt", doc.odt(), "odt"),
    ("cv.rtf", doc.RTF, "rtf"),
    ("cv.txt", doc.TEXT, "txt"),
    ("cv.txt", "\ufeff" + doc.TEXT, "txt"),  # UTF-8 with a byte-order mark
    ("cv.txt", doc.TEXT.encode("utf-16"), "txt"),  # Notepad's "Unicode"
    ("cv.txt", doc.DEVELOPER_TEXT, "txt"),  # a programmer's words are not a program
    ("cv", doc.PDF, "pdf"),  # no extension: the content decides
    ("cv.txt", doc.PDF, "pdf"),  # a wrong extension: the content decides
]

REFUSED = [
    ("cv.svg", doc.SVG, "markup"),
    ("cv.txt", doc.SVG, "markup"),  # an SVG renamed
    ("cv.html", doc.HTML, "markup"),
    ("cv.pdf", doc.HTML, "markup"),  # HTML renamed .pdf
    ("cv.pdf", b"  \n<html><body onload=alert(1)>hi</body></html>", "markup"),
    ("cv.js", doc.JS, "JavaScript"),
    ("cv.txt", doc.JS, "JavaScript"),  # a script renamed
    ("cv.pdf", b"alert(document.cookie)", "JavaScript"),
    ("cv.txt", "See javascript:alert(1) here", "JavaScript"),
    ("cv.txt", "x = 1;\nimport { steal } from './steal.js';\n", "JavaScript"),
    ("cv.js", doc.TEXT, ".js"),  # prose, but named as a script
    ("cv.docx", doc.plain_zip(), "ZIP archive"),
    ("cv.docx", doc.docx(macros=True), "macros"),
    ("cv.docx", b"PK\x03\x04" + b"\x00" * 60, "damaged"),
    ("cv.pdf", doc.PNG, ".png"),
    ("cv.txt", b"\x00\x01\x02binary\xff\xfe\x00", "binary"),
    ("cv.txt", b"caf\xe9 latin-1", "UTF-8"),
    ("cv.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "kind"), ACCEPTED)
def test_accepted_documents_are_recognised_by_their_content(name, content, kind):
    upload = doc.upload(name, content)
    validate(upload)
    assert upload_kind(upload).key == kind


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED)
def test_other_content_is_refused_with_a_clear_message(name, content, reason):
    with pytest.raises(ValidationError) as refused:
        validate(doc.upload(name, content))
    message = refused.value.messages[0]
    assert message.startswith("This file is not accepted: it is ")
    assert reason in message
    assert "PDF, Word (.docx), OpenDocument text (.odt), RTF or plain text" in message


def test_the_content_type_the_browser_claims_plays_no_part():
    with pytest.raises(ValidationError):
        validate(doc.upload("cv.pdf", doc.HTML, content_type="application/pdf"))


def test_the_size_limit_comes_from_the_setting(settings):
    assert settings.HIRELOOP_UPLOAD_MAX_MB == 10
    settings.HIRELOOP_UPLOAD_MAX_MB = 1
    validate(doc.upload("cv.pdf", doc.PDF + b"0" * (1024 * 1024 - len(doc.PDF))))
    with pytest.raises(ValidationError, match=r"This file is 1\.0 MB; files may be at most 1 MB\."):
        validate(doc.upload("cv.pdf", doc.PDF + b"0" * (1024 * 1024)))


def test_a_stored_file_is_not_checked_again(db, private_root):
    # given a file stored before types were checked
    candidate = CandidateFactory()
    candidate.resume.save("old.svg", ContentFile(doc.SVG), save=True)
    candidate.refresh_from_db()
    # when the candidate is edited, then the stored file does not stop the save
    candidate.full_clean()


# --- storage -----------------------------------------------------------------------------------


def test_files_are_stored_privately_under_random_names(db, private_root):
    candidate = CandidateFactory(name="Ada Lovelace")
    candidate.resume.save("Ada Lovelace CV 2026.pdf", ContentFile(doc.PDF), save=True)

    name = Candidate.objects.get(pk=candidate.pk).resume.name
    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.pdf", name)
    path = private_root / name
    assert path.read_bytes() == doc.PDF
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(private_root).st_mode) == 0o700


def test_two_uploads_of_the_same_name_get_different_names(db, private_root):
    first, second = CandidateFactory(), CandidateFactory()
    first.resume.save("cv.pdf", ContentFile(doc.PDF))
    second.resume.save("cv.pdf", ContentFile(doc.PDF))
    assert first.resume.name != second.resume.name


def test_the_stored_extension_is_the_contents(db, private_root):
    candidate = CandidateFactory()
    candidate.resume.save("cv.txt", ContentFile(doc.docx()))
    assert candidate.resume.name.endswith(".docx")
    candidate.resume.save("cv.exe", ContentFile(doc.SVG))  # saved by code, not a form: no extension
    assert re.fullmatch(r"resumes/[0-9a-f]{32}", candidate.resume.name)


def test_the_private_storage_is_outside_every_served_folder(settings):
    private = os.path.realpath(storages["private"].location)
    for served in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        served = os.path.realpath(served)
        assert os.path.commonpath([private, served]) != served


def test_a_files_url_is_the_checked_download_view_not_a_storage_url(db, private_root, settings):
    candidate = CandidateFactory()
    candidate.resume.save("cv.pdf", ContentFile(doc.PDF))
    assert candidate.resume.url == reverse("admin:hiring_candidate_download_resume", args=[candidate.pk])
    assert settings.MEDIA_URL not in candidate.resume.url


# --- the migration of files uploaded before -------------------------------------------------------


def test_the_migration_moves_earlier_files_into_the_private_storage(db, settings, tmp_path, private_root):
    from django.apps import apps

    migration = importlib.import_module("hiring.migrations.0006_candidate_resume_private_storage")
    # given a résumé stored the old way: default storage, the uploader's name
    settings.MEDIA_ROOT = str(tmp_path / "media")
    old = storages["default"]
    old_name = old.save("resumes/2026/05/Ada Lovelace.pdf", ContentFile(doc.PDF))
    candidate = CandidateFactory()
    Candidate.objects.filter(pk=candidate.pk).update(resume=old_name)
    candidate.history.model.objects.filter(id=candidate.pk).update(resume=old_name)
    missing = CandidateFactory()
    Candidate.objects.filter(pk=missing.pk).update(resume="resumes/2026/05/gone.pdf")

    # when the migration runs (twice: a second run changes nothing)
    migration.move_resumes_to_private_storage(apps, None)
    moved = Candidate.objects.get(pk=candidate.pk).resume.name
    migration.move_resumes_to_private_storage(apps, None)

    # then the file is private, under a random name, and every row points at it
    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.pdf", moved)
    assert Candidate.objects.get(pk=candidate.pk).resume.name == moved
    assert (private_root / moved).read_bytes() == doc.PDF
    assert not old.exists(old_name)
    assert set(candidate.history.model.objects.filter(id=candidate.pk).values_list("resume", flat=True)) == {
        moved
    }
    assert Candidate.objects.get(pk=missing.pk).resume.name == "resumes/2026/05/gone.pdf"


def test_a_private_folder_inside_a_served_folder_is_an_error(settings, tmp_path):
    from hiring.checks import private_storage_is_not_served

    assert private_storage_is_not_served() == []
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    assert [e.id for e in private_storage_is_not_served()] == ["hireloop.E001"]


def test_a_private_folder_others_may_read_is_a_deploy_warning(private_root):
    from hiring.checks import private_storage_is_private

    assert private_storage_is_private() == []  # not created yet
    private_root.mkdir(mode=0o700)
    assert private_storage_is_private() == []
    private_root.chmod(0o755)
    assert [w.id for w in private_storage_is_private()] == ["hireloop.W001"]
