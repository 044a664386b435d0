"""The one search function on the database the suite runs on (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iite.core.errors import ApplicationError
from iite.library.models import Resource
from iite.library.search.index import index_resource, remove_resource
from iite.library.search.models import Entry, Facet
from iite.library.search.query import search
from iite.library.search.tests.factories import make_resource, zenodo_record
from iite.reference.models import Country, Licence, Term, Topic

pytestmark = pytest.mark.django_db


def plain(description: str) -> str:
    """Zenodo's descriptions are escaped HTML: the text a person reads."""
    return html.unescape(re.sub(r"<[^>]+>", " ", html.unescape(description)))


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def test_words_are_found_in_title_abstract_creators_keywords_and_full_text() -> None:
    make_resource(title="Digital skills for teachers")
    make_resource(title="B", abstract="A framework for school leadership.")
    make_resource(title="C", creators=[{"family_name": "Okonkwo", "given_names": "Ada"}])
    make_resource(title="D", keywords=["microlearning"])
    make_resource(title="E", body="Chapter 3 discusses bandwidth in rural classrooms.")
    assert titles(search(q="digital skills")) == ["Digital skills for teachers"]
    assert titles(search(q="leadership")) == ["B"]
    assert titles(search(q="okonkwo")) == ["C"]
    assert titles(search(q="microlearning")) == ["D"]
    assert titles(search(q="bandwidth rural")) == ["E"]
    assert search(q="nothing-like-this").total == 0


def test_stemming_and_folded_diacritics_match() -> None:
    make_resource(title="L'École numérique en Côte d'Ivoire", language="fr")
    make_resource(title="Educación inclusiva y tecnología", language="es")
    make_resource(title="Teachers teaching with mobile phones")
    assert titles(search(q="ecole numerique")) == ["L'École numérique en Côte d'Ivoire"]
    assert titles(search(q="educacion tecnologia")) == ["Educación inclusiva y tecnología"]
    assert titles(search(q="teacher")) == ["Teachers teaching with mobile phones"]


def test_russian_from_a_real_record_and_io_folded() -> None:
    dc = zenodo_record("oai:zenodo.org:20637409")
    make_resource(title=dc["title"][0], abstract=plain(dc["description"][0]), language="ru")
    make_resource(title="Ёлка и её учёные", language="ru")
    assert search(q="хронических заболеваний").total == 1
    assert search(q="приверженность лечению").total == 1
    assert titles(search(q="елка")) == ["Ёлка и её учёные"]
    assert search(q="ГАДАЕВ").total == 0  # creators were not given here
    result = search(q="пациентов")
    assert "<mark>" in result.hits[0].excerpt_html


def test_chinese_is_matched_without_spaces_from_a_real_record() -> None:
    dc = zenodo_record("oai:zenodo.org:19371553")
    make_resource(
        title=dc["title"][0],
        creators=[{"family_name": name, "kind": "person"} for name in dc["creator"]],
        language="zh",
    )
    make_resource(title="International trade and privacy")
    for query in ("隱私", "隱私保護", "國際貿易", "全球趨勢", "貿易 研究"):
        assert titles(search(q=query)) == [dc["title"][0]], query
    assert search(q="隱私研究").total == 0  # the phrase is not in the title as one run
    hit = search(q="隱私").hits[0]
    assert "<mark>隱私</mark>" in hit.title_html


def test_arabic_with_and_without_vowel_marks_and_forms_of_alef() -> None:
    make_resource(
        title="إعداد المُعَلِّمين لاستخدام التكنولوجيا في المدرسة",
        abstract="يُقدِّم هذا التقرير أدوات لتقييم كفاءات المُعَلِّمين الرقمية.",
        language="ar",
    )
    assert search(q="المعلمين").total == 1
    assert search(q="اعداد").total == 1  # alef with hamza below, typed as a bare alef
    hit = search(q="كفاءات").hits[0]
    assert "<mark>" in hit.excerpt_html
    assert "المُعَلِّمين" in hit.excerpt_html  # the excerpt keeps the original's vowel marks


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "(",
        "a)",
        "title:digital",
        "NEAR(digital skills, 2)",
        "digital AND OR NOT",
        "* - + ^",
        "'; DROP TABLE library_search_entry; --",
        "\\",
        "%_%",
        "\x00digital",
        "{title} : digital",
        "digital*",
        "()",
    ],
)
def test_query_syntax_is_only_text(query: str) -> None:
    make_resource(title="Digital skills")
    result = search(q=query)
    assert result.total in (0, 1)
    assert Entry.objects.count() == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_is_searched_without_error(query: str) -> None:
    result = search(q=query)
    assert result.total >= 0


def test_excerpts_are_escaped_html_with_marked_words() -> None:
    make_resource(
        title="<b>Bold</b> claims", abstract="Use <script>alert(1)</script> safely online."
    )
    hit = search(q="safely").hits[0]
    assert "<script" not in hit.excerpt_html
    assert "<mark>safely</mark>" in hit.excerpt_html
    assert "<b>" not in hit.title_html


def test_only_published_resources_are_found_and_withdrawal_removes_them() -> None:
    draft = make_resource(title="Draft on robotics", status=Resource.Status.DRAFT)
    published = make_resource(title="Robotics in schools")
    assert titles(search(q="robotics")) == ["Robotics in schools"]
    published.status = Resource.Status.WITHDRAWN
    published.save()
    index_resource(published)
    assert search(q="robotics").total == 0
    assert not Facet.objects.filter(entry_id=published.pk).exists()
    draft.status = Resource.Status.PUBLISHED
    draft.save()
    index_resource(draft)
    assert titles(search(q="robotics")) == ["Draft on robotics"]
    remove_resource(draft.pk)
    assert search(q="robotics").total == 0


def test_reindexing_an_edited_resource_replaces_its_row() -> None:
    resource = make_resource(title="Mobile learning")
    resource.title = "Blended learning"
    resource.save()
    index_resource(resource)
    assert search(q="mobile").total == 0
    assert titles(search(q="blended")) == ["Blended learning"]
    assert Entry.objects.count() == 1


def test_relevance_puts_title_matches_first_and_sorts_by_date_and_title() -> None:
    make_resource(title="Zebra", abstract="Mentions assessment once.", issued=date(2024, 1, 1))
    make_resource(title="Assessment of digital skills", issued=date(2019, 1, 1))
    make_resource(title="Apple", abstract="Assessment, assessment.", issued=date(2021, 1, 1))
    assert titles(search(q="assessment"))[0] == "Assessment of digital skills"
    assert titles(search(q="assessment", sort="date")) == [
        "Zebra",
        "Apple",
        "Assessment of digital skills",
    ]
    assert titles(search(q="assessment", sort="title")) == [
        "Apple",
        "Assessment of digital skills",
        "Zebra",
    ]
    assert titles(search(sort="relevance"))[0] == "Zebra"  # without words: newest first


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    """Both engines weigh words by rarity. "Satellite" is in 2 of 12 resources, "broadband" in
    all: the resource saying the rare word five times comes before the one with more passages
    holding both words (three, against one), of the same length and indexed later."""
    for number in range(10):
        make_resource(title=f"Filler {number}", abstract="Broadband in schools.")
    make_resource(
        title="Rare", abstract="Satellite satellite satellite satellite satellite broadband."
    )
    make_resource(
        title="Common", abstract="Satellite broadband broadband satellite broadband broadband."
    )
    assert titles(search(q="satellite broadband")) == ["Rare", "Common"]
    assert titles(search(q="broadband satellite")) == ["Rare", "Common"]


def test_a_page_of_a_ranked_search_is_the_engines_ranked_page() -> None:
    """On PostgreSQL a search scores every match in the pass that finds them and takes the page
    from those; it must give exactly the page the engine ranks in SQL, filters and ties
    included (on SQLite both are the engine's page)."""
    from iite.library.search.bitmaps import snapshot
    from iite.library.search.engines import engine
    from iite.library.search.query import _page_ids
    from iite.library.search.text import parse_query

    for number in range(9):
        make_resource(
            title=f"Radio lessons {number}",
            abstract="Radio " * (number % 3 + 1) + "and lessons at a distance.",
            kind=Resource.Kind.POLICY_BRIEF if number % 2 else Resource.Kind.PUBLICATION,
        )
    match = engine().match(parse_query("radio lessons"), any_term=False)
    assert match is not None
    for filters, pages in (({}, 3), ({"kind": ["policy-brief"]}, 2)):
        for page in range(1, pages + 1):
            found = search(q="radio lessons", filters=filters, page=page, page_size=3)
            expected = _page_ids(match, filters, "relevance", 3, (page - 1) * 3, snapshot())
            assert [hit.resource_id for hit in found.hits] == [pk for pk, _score in expected]


def test_all_words_must_match_else_any_with_a_notice() -> None:
    make_resource(title="Open educational resources")
    make_resource(title="Educational radio")
    assert titles(search(q="educational radio")) == ["Educational radio"]
    relaxed = search(q="radio open")
    assert relaxed.relaxed
    assert relaxed.total == 2
    assert not search(q="educational").relaxed


def test_facets_count_the_result_and_filters_narrow_it() -> None:
    france, kenya = Country.objects.get(alpha2="FR"), Country.objects.get(alpha2="KE")
    ai = Topic.objects.order_by("code").first()
    cc_by = Licence.objects.get(spdx_id="CC-BY-4.0")
    feature = Term.objects.filter(vocabulary__code="accessibility-feature").first()
    assert ai is not None
    assert feature is not None
    make_resource(title="Policy one", countries=[france], topics=[ai], licence=cc_by)
    make_resource(
        title="Policy two",
        countries=[france, kenya],
        kind=Resource.Kind.POLICY_BRIEF,
        accessibility_features=[feature],
        issued=date(2023, 5, 1),
    )
    make_resource(title="Policy three", countries=[kenya], language="fr")
    make_resource(title="Unrelated")
    result = search(q="policy")
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in result.facets}
    assert facets["country"] == {"FR": 2, "KE": 2}
    assert facets["kind"] == {"publication": 2, "policy-brief": 1}
    assert facets["language"] == {"en": 2, "fr": 1}
    assert facets["year"] == {"2020": 2, "2023": 1}
    assert facets["topic"] == {ai.code: 1}
    assert facets["licence"] == {"CC-BY-4.0": 1}
    assert facets["accessibility"] == {feature.code: 1}
    assert "europe-north-america" in facets["region"] or facets["region"]
    labels = {facet.name: {v.value: v.label for v in facet.values} for facet in result.facets}
    assert labels["country"]["KE"] == "Kenya"

    narrowed = search(q="policy", filters={"country": ["KE"]})
    assert sorted(titles(narrowed)) == ["Policy three", "Policy two"]
    counts = {facet.name: {v.value: v for v in facet.values} for facet in narrowed.facets}
    # The chosen facet keeps counting as if unchosen, so its other values can be added.
    assert counts["country"]["FR"].count == 2
    assert not counts["country"]["FR"].selected
    assert counts["country"]["KE"].selected
    assert {v: c.count for v, c in counts["kind"].items()} == {"publication": 1, "policy-brief": 1}
    either = search(q="policy", filters={"country": ["KE", "FR"], "language": ["en"]})
    assert sorted(titles(either)) == ["Policy one", "Policy two"]
    assert search(filters={"year": ["2023"]}).total == 1


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"country": ["XX"]}, "country"),
        ({"colour": ["red"]}, "colour"),
        ({"year": ["twenty"]}, "year"),
        ({"kind": ["novel"]}, "kind"),
        ({"topic": ["no-such-topic"]}, "topic"),
    ],
)
def test_unknown_facets_and_values_are_refused(filters: dict[str, list[str]], field: str) -> None:
    with pytest.raises(ApplicationError) as error:
        search(q="policy", filters=filters)
    assert error.value.code == "unknown_facet_value"
    assert error.value.status == 400
    assert error.value.details[0]["field"] == field


def test_pages_and_absurd_page_numbers() -> None:
    for number in range(5):
        make_resource(title=f"Literacy study {number}", issued=date(2010 + number, 1, 1))
    first = search(q="literacy", page_size=2, sort="date")
    last = search(q="literacy", page_size=2, page=3, sort="date")
    assert first.pages == 3
    assert titles(first) == ["Literacy study 4", "Literacy study 3"]
    assert titles(last) == ["Literacy study 0"]
    for page in (0, -1, 4, 10**9):
        with pytest.raises(ApplicationError) as error:
            search(q="literacy", page_size=2, page=page)
        assert error.value.code == "page_out_of_range"
    with pytest.raises(ApplicationError) as error:
        search(q="literacy", sort="popularity")
    assert error.value.code == "invalid_sort"
    with pytest.raises(ApplicationError):
        search(q="literacy", page_size=1000)
    assert search(q="no such words at all").page == 1  # page 1 of nothing is fine


def test_postgresql_keeps_documents_in_their_rows_and_indexes_the_sorts() -> None:
    """Matching and ranking a broad word reads every row: the tsvector stays inline (MAIN);
    a page sorted by date or title reads an index in that order."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attname = 'document' "
            "AND attrelid = 'library_search_entry'::regclass"
        )
        assert cursor.fetchone() == ("m",)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'library_search_entry' "
            "AND indexname IN ('library_search_entry_date', 'library_search_entry_title') "
            "ORDER BY indexname"
        )
        date_index, title_index = (row[0] for row in cursor.fetchall())
    assert "(issued DESC NULLS LAST, resource_id DESC)" in date_index
    assert "(title_sort, resource_id)" in title_index
