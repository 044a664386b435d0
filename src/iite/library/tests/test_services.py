"""Resources and their workflow through the services: who may, what is recorded, who is told."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import selectors, services, workflow
from iite.library.models import HarvestSource, Resource, ReviewAssignment, Transition
from iite.library.tests.conftest import CASE, case_study, person, publication, published
from iite.reference.models import Country

pytestmark = pytest.mark.django_db


def test_an_editor_creates_a_resource_with_codes_for_every_controlled_value(editor):
    resource = publication(
        editor,
        abstract="A guide.",
        creators=["Butcher, Neil", "UNESCO Institute for Information Technologies in Education"],
        licence="CC-BY-SA-3.0-IGO",
        countries=["fr", "KE"],
        topics=["ai-in-education"],
        competencies=["3.KD"],
        accessibility_features=["alternativeText"],
        issued="2019",
        isbn="978-92-3-100316-5",
        doi="https://doi.org/10.54675/ABCD1234",
        keywords="AI; teachers",
    )
    assert resource.status == Resource.Status.DRAFT
    assert resource.submitted_by == editor
    assert [c.display_name for c in resource.creators.all()] == [
        "Neil Butcher",
        "UNESCO Institute for Information Technologies in Education",
    ]
    assert [c.kind for c in resource.creators.all()] == ["person", "organisation"]
    assert sorted(c.alpha2 for c in resource.countries.all()) == ["FR", "KE"]
    assert resource.issued == date(2019, 1, 1)
    assert resource.doi == "10.54675/ABCD1234"
    assert resource.keywords == ["AI", "teachers"]
    assert resource.licence is not None
    assert resource.licence.spdx_id == "CC-BY-SA-3.0-IGO"


def test_bad_input_is_refused_field_by_field_and_saves_nothing(editor):
    with pytest.raises(ApplicationError) as refused:
        publication(
            editor,
            title="  ",
            language="xx",
            isbn="978-92-3-100316-6",
            doi="not a doi",
            url="javascript:alert(1)",
            countries=["FR", "ZZ"],
            licence="WTFPL-9",
            issued="next year",
            colour="blue",
        )
    fields = {detail["field"] for detail in refused.value.details}
    assert fields == {
        "title",
        "language",
        "isbn",
        "doi",
        "url",
        "countries",
        "licence",
        "issued",
        "colour",
    }
    assert Resource.objects.count() == 0


def test_a_member_may_write_a_case_study_but_not_a_publication(member):
    resource = case_study(member)
    assert resource.case_study.results.startswith("Attendance")
    with pytest.raises(PermissionDenied):
        publication(member)
    assert Resource.objects.count() == 1


def test_the_whole_review_workflow_is_recorded_and_the_submitter_told(
    editor, reviewer, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _review_and_publish(editor, reviewer, member)
    resource = Resource.objects.get()
    steps = [
        (t.from_status, t.to_status, t.by) for t in Transition.objects.filter(resource=resource)
    ]
    assert steps == [
        ("draft", "draft", member),
        ("draft", "submitted", member),
        ("submitted", "in-review", editor),
        ("in-review", "in-review", reviewer),
        ("in-review", "published", editor),
    ]
    to_member = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_member) == 3  # submitted, in review, published
    assert "Published" in to_member[-1].subject
    assert any(m.to == [reviewer.email] for m in mail.outbox)
    assert selectors.review_summary(resource)["means"]["impact"] == 4.0


def _review_and_publish(editor, reviewer, member):
    resource = case_study(member)
    workflow.resource_submit(resource=resource, by=member)
    assignment = workflow.review_assign(resource=resource, reviewer=reviewer, by=editor)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.IN_REVIEW

    with pytest.raises(ApplicationError, match="review is complete"):
        workflow.resource_publish(resource=resource, by=editor)

    workflow.review_save(
        assignment=assignment,
        by=reviewer,
        scores=dict.fromkeys(selectors.CRITERIA, 4),
        comment="Strong evidence.",
        recommendation="publish",
    )
    workflow.resource_publish(resource=resource, by=editor)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.published_at is not None
    assert resource.datestamp is not None


def test_a_returned_case_study_can_be_corrected_and_resubmitted(
    editor, member, django_capture_on_commit_callbacks
):
    resource = case_study(member)
    workflow.resource_submit(resource=resource, by=member)
    with pytest.raises(ApplicationError):
        workflow.resource_return(resource=resource, by=editor, feedback=" ")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.resource_return(resource=resource, by=editor, feedback="Add figures on results.")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.RETURNED
    assert "Add figures" in mail.outbox[-1].body
    services.resource_update(
        resource=resource, by=member, case_study={**CASE, "results": "Up 12 points."}
    )
    workflow.resource_submit(resource=resource, by=member)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED
    assert resource.case_study.results == "Up 12 points."


def test_an_incomplete_case_study_cannot_be_submitted(member):
    resource = case_study(member, case_study={"context": "Only the context."})
    with pytest.raises(ApplicationError) as refused:
        workflow.resource_submit(resource=resource, by=member)
    assert {d["field"] for d in refused.value.details} == {
        "case_study.solution",
        "case_study.results",
    }
    resource.refresh_from_db()
    assert resource.status == Resource.Status.DRAFT


def test_nobody_but_the_roles_in_the_table_moves_a_resource(editor, reviewer, member):
    resource = case_study(member)
    other = person()
    with pytest.raises(PermissionDenied):
        workflow.resource_submit(resource=resource, by=other)
    workflow.resource_submit(resource=resource, by=member)
    for actor in (member, reviewer):
        with pytest.raises(PermissionDenied):
            workflow.resource_publish(resource=resource, by=actor)
        with pytest.raises(PermissionDenied):
            workflow.review_assign(resource=resource, reviewer=reviewer, by=actor)
    with pytest.raises(ApplicationError, match="reviewer role"):
        workflow.review_assign(resource=resource, reviewer=other, by=editor)
    assignment = workflow.review_assign(resource=resource, reviewer=reviewer, by=editor)
    with pytest.raises(PermissionDenied):
        workflow.review_save(
            assignment=assignment, by=editor, scores={}, comment="x", recommendation="publish"
        )
    with pytest.raises(ApplicationError) as refused:
        workflow.review_save(
            assignment=assignment,
            by=reviewer,
            scores={"innovation": 9, "beauty": 3},
            comment="",
            recommendation="maybe",
        )
    assert "scores.innovation" in {d["field"] for d in refused.value.details}
    assert "scores.beauty" in {d["field"] for d in refused.value.details}
    assert ReviewAssignment.objects.get(pk=assignment.pk).completed_at is None


def test_withdrawing_leaves_a_tombstone_and_moves_the_datestamp(editor):
    resource = published(editor)
    first = resource.datestamp
    with pytest.raises(ApplicationError):
        workflow.resource_withdraw(resource=resource, by=editor, reason="")
    workflow.resource_withdraw(
        resource=resource, by=editor, reason="Superseded by the 2024 edition."
    )
    resource.refresh_from_db()
    assert resource.status == Resource.Status.WITHDRAWN
    assert resource.withdrawal_reason == "Superseded by the 2024 edition."
    assert resource.datestamp is not None
    assert first is not None
    assert resource.datestamp > first
    assert selectors.resource_published(resource.uuid) is None
    assert selectors.resource_for_page(resource.uuid, user=None) == resource
    with pytest.raises(ApplicationError):
        services.resource_update(resource=resource, by=editor, title="Back")


def test_editing_a_published_resource_moves_its_datestamp(editor):
    resource = published(editor)
    before = resource.datestamp
    services.resource_update(resource=resource, by=editor, title="A better title")
    resource.refresh_from_db()
    assert resource.title == "A better title"
    assert resource.datestamp is not None
    assert before is not None
    assert resource.datestamp > before


def test_editions_link_works_in_other_languages_only(editor):
    english = published(editor, title="Guidelines", language="en")
    french = published(editor, title="Lignes directrices", language="fr")
    russian = published(editor, title="Руководство", language="ru")
    services.edition_link(resource=french, to=english, by=editor)
    services.edition_link(resource=russian, to=english, by=editor)
    assert [e.language.code for e in selectors.resource_editions(english)] == ["fr", "ru"]
    another_french = published(editor, title="Encore", language="fr")
    with pytest.raises(ApplicationError, match="already has an edition"):
        services.edition_link(resource=another_french, to=english, by=editor)


def test_the_selectors_other_apps_use(editor):
    kenya = Country.objects.get(alpha2="KE")
    ai = published(editor, title="AI", countries=["KE"], competencies=["3.KD"], language="fr")
    published(editor, title="Other", kind="oer")
    publication(editor, title="Draft only", countries=["KE"])
    assert list(selectors.resources_published(country=kenya)) == [ai]
    assert list(selectors.resources_published(country="ke")) == [ai]
    assert list(selectors.resources_published(competencies=["3.KD", "1.KA"])) == [ai]
    assert list(selectors.resources_published(language="fr")) == [ai]
    assert [r.title for r in selectors.resources_published(kinds=["oer"])] == ["Other"]
    assert selectors.resource_published(ai.uuid) == ai
    assert selectors.resource_published("not-a-uuid") is None


def test_a_harvested_record_is_published_deduplicated_and_withdrawn_when_deleted(editor):
    source = HarvestSource.objects.create(name="Zenodo", base_url="https://zenodo.org/oai2d")
    record = {
        "title": ["Mobile learning in Africa"],
        "creator": ["Traxler, John", "UNESCO"],
        "subject": ["mobile learning", "Africa"],
        "description": ["A review."],
        "date": ["2021-05-03"],
        "type": ["info:eu-repo/semantics/report"],
        "identifier": ["https://doi.org/10.5281/zenodo.123456", "https://zenodo.org/record/1"],
        "language": ["eng"],
        "rights": ["https://creativecommons.org/licenses/by/4.0/legalcode"],
    }
    resource = workflow.harvested_resource_upsert(
        source=source, identifier="oai:zenodo.org:1", datestamp=None, metadata=record, deleted=False
    )
    assert resource is not None
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.doi == "10.5281/zenodo.123456"
    assert resource.language.code == "en"
    assert resource.licence is not None
    assert resource.licence.spdx_id == "CC-BY-4.0"
    assert resource.keywords == ["mobile learning", "Africa"]
    assert resource.issued == date(2021, 5, 3)

    again = workflow.harvested_resource_upsert(
        source=source,
        identifier="oai:zenodo.org:1",
        datestamp=None,
        metadata={**record, "title": ["Mobile learning in Africa (2nd ed.)"]},
        deleted=False,
    )
    assert again is not None
    assert again.pk == resource.pk
    assert Resource.objects.count() == 1
    assert again.title.endswith("(2nd ed.)")

    gone = workflow.harvested_resource_upsert(
        source=source, identifier="oai:zenodo.org:1", datestamp=None, metadata={}, deleted=True
    )
    assert gone is not None
    assert gone.status == Resource.Status.WITHDRAWN
    assert (
        workflow.harvested_resource_upsert(
            source=source, identifier="oai:never", datestamp=None, metadata={}, deleted=True
        )
        is None
    )
    with pytest.raises(ApplicationError):
        workflow.harvested_resource_upsert(
            source=source, identifier="oai:x", datestamp=None, metadata={"title": []}, deleted=False
        )


def test_usage_counts_each_visitor_once_a_day_and_stores_no_address(editor, member):
    resource = published(editor)
    kenya = Country.objects.get(alpha2="KE")
    visitor = services.visitor_key(user=member, session_key=None)
    assert visitor is not None
    assert len(visitor) == 64
    assert visitor != services.visitor_key(user=editor, session_key=None)
    day = date(2026, 3, 4)
    assert services.usage_record(
        resource=resource, action="view", visitor=visitor, country=kenya, today=day
    )
    assert not services.usage_record(
        resource=resource, action="view", visitor=visitor, country=kenya, today=day
    )
    assert services.usage_record(
        resource=resource, action="download", visitor=visitor, country=kenya, today=day
    )
    assert services.usage_record(
        resource=resource, action="view", visitor=visitor, country=kenya, today=date(2026, 3, 5)
    )
    assert selectors.usage_totals(resource) == {"views": 2, "downloads": 1}
    assert selectors.usage_by_country(resource)[0]["country__alpha2"] == "KE"


def test_a_mail_server_that_is_down_loses_no_step(
    member, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    resource = case_study(member)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.resource_submit(resource=resource, by=member)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED
    assert Transition.objects.filter(resource=resource, to_status="submitted").count() == 1
