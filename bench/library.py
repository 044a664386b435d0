"""Benchmark: library search at scale, against the bare engine, and relevance on CISI.

Generates N published resources (default 100,000) shaped like the demo content: six languages
(English most, then French, Spanish, Russian, Chinese, Arabic), the six kinds, abstracts of 40
to 400 words drawn from a domain vocabulary per language plus a long tail of rarer words
(Zipf-distributed, as in real text), 1 to 3 countries, topics, action areas, ISCED levels, ICT
CFT competencies, licences and accessibility features, years weighted towards recent ones. They
are bulk-inserted and indexed with ``index_documents`` (the path ``iite reindex-library``
takes). Then, in one run:

- search with facets through HTTP (Django's test client: URL routing, middleware, the view,
  the template with facets and excerpts): p50 and p95 over a mix of queries;
- the same queries through ``search()`` (no HTTP, no template);
- the same queries on the bare engine: hand-written SQL doing the same work (FTS5 MATCH or
  tsvector @@, ranked page of 20, total count, facet counts), and the ranked page alone;
- OAI-PMH ListRecords at page 1 and page 500, if LIBRARY-OAI's ``bench/library_oai.py`` offers
  ``measure_list_records``;
- relevance on the CISI collection (1,460 documents, 76 judged queries): MAP and nDCG@10,
  indexed and searched exactly as the library does (any word may match, ranked).

    .venv/bin/python bench/library.py --size 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/library.py

It builds a throwaway database (SQLite in a temporary file, or test_iite_library_bench on
PostgreSQL) and drops it afterwards. The SQL here is assembled from names written in this file;
every value is a parameter.
"""

# ruff: noqa: RUF001  (the vocabularies are words in six scripts, not look-alike typos)

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CISI = ROOT.parent / "shared" / "data" / "search" / "cisi" / "cisi.json"

LANGUAGES = {"en": 0.45, "fr": 0.15, "es": 0.12, "ru": 0.10, "zh": 0.10, "ar": 0.08}
KINDS = {
    "publication": 0.35,
    "policy-brief": 0.12,
    "policy-document": 0.10,
    "case-study": 0.18,
    "oer": 0.20,
    "external-course": 0.05,
}
DOMAIN = {
    "en": "digital education teachers teacher school schools learning students ICT competency "
    "framework policy skills online distance inclusive assessment curriculum mobile artificial "
    "intelligence literacy data infrastructure connectivity broadband rural girls women "
    "accessibility disability health wellbeing open resources textbooks platform training "
    "professional development blended classroom pedagogy innovation evaluation ministry "
    "national strategy devices laptops tablets radio television coding computational thinking "
    "safety privacy cybersecurity early childhood secondary primary higher vocational research "
    "evidence equity quality leadership community parents budget financing partnership",
    "fr": "éducation numérique enseignants enseignant école écoles apprentissage élèves "
    "compétences référentiel politique formation distance inclusive évaluation programme "
    "mobile intelligence artificielle littératie données infrastructure connectivité rurales "
    "filles femmes accessibilité handicap santé bien-être ressources ouvertes manuels "
    "plateforme développement professionnel classe pédagogie innovation ministère stratégie "
    "nationale appareils tablettes radio télévision programmation sécurité vie privée "
    "préscolaire secondaire primaire supérieur professionnel recherche équité qualité",
    "es": "educación digital docentes docente escuela escuelas aprendizaje estudiantes "
    "competencias marco política formación distancia inclusiva evaluación currículo móvil "
    "inteligencia artificial alfabetización datos infraestructura conectividad rurales niñas "
    "mujeres accesibilidad discapacidad salud bienestar recursos abiertos libros plataforma "
    "desarrollo profesional aula pedagogía innovación ministerio estrategia nacional "
    "dispositivos tabletas radio televisión programación seguridad privacidad secundaria "
    "primaria superior investigación equidad calidad liderazgo comunidad familias",
    "ru": "цифровое образование учителя учитель школа школы обучение учащиеся ИКТ "
    "компетенции рамка политика навыки дистанционное инклюзивное оценивание программа "
    "мобильное искусственный интеллект грамотность данные инфраструктура подключение "
    "сельские девочки женщины доступность инвалидность здоровье благополучие открытые "
    "ресурсы учебники платформа профессиональное развитие класс педагогика инновации "
    "министерство национальная стратегия устройства планшеты радио телевидение "
    "программирование безопасность исследование качество равенство руководство",
    "ar": "التعليم الرقمي المعلمين المعلم المدرسة المدارس التعلم الطلاب تكنولوجيا "
    "المعلومات الكفاءات إطار السياسات المهارات عن بعد الشامل التقييم المناهج الهاتف الذكاء "
    "الاصطناعي محو الأمية البيانات البنية التحتية الاتصال الريفية الفتيات النساء إمكانية "
    "الوصول الإعاقة الصحة الرفاه الموارد المفتوحة الكتب المنصة التطوير المهني الفصل "
    "التربية الابتكار الوزارة الاستراتيجية الوطنية الأجهزة الإذاعة التلفزيون البرمجة",
    "zh": "数字 教育 教师 学校 学习 学生 信息 通信 技术 能力 框架 政策 技能 远程 全纳 评估 "
    "课程 移动 人工 智能 素养 数据 基础 设施 连接 农村 女童 妇女 无障碍 残疾 健康 福祉 开放 "
    "资源 教材 平台 专业 发展 课堂 教学法 创新 部委 国家 战略 设备 平板 广播 电视 编程 安全",
}
SYLLABLES = {
    "en": "ba be bi co da de di fa ge ha in ka la le li ma me mo na ne no pa pe ra re ri sa "
    "se si ta te ti to va ve",
    "fr": "ba bé ca ce da dé fa ge la le li ma mé mo na né pa pé ra ré sa sé ta té va vé",
    "es": "ba be ca ce da de fa ga la le li ma me mo na ne ña pa pe ra re sa se ta te va",
    "ru": "ба бе ва ве да де за ка ке ла ле ли ма ме на не па пе ра ре са се та те ча",
    "ar": "با بي تا تي جا دا را سا سي عا فا قا كا لا لي ما مي نا ني ها وا يا",
    "zh": "的 一 是 在 不 了 有 和 人 这 中 大 为 上 个 国 "
    "我 以 要 他 时 来 用 们 生 到 作 地 于 出",
}
BATCH = 10_000  # resources per transaction
QUERIES: list[tuple[str, dict[str, list[str]]]] = [
    ("digital education", {}),
    ("teachers", {}),
    ("mobile learning", {"language": ["en"]}),
    ("assessment", {"kind": ["publication"]}),
    ('"artificial intelligence"', {}),
    ("rural connectivity", {"country": ["KE"]}),
    ("accessibility disability", {}),
    ("open resources", {"year": ["2024"]}),
    ("école numérique", {}),
    ("enseignants formation", {"language": ["fr"]}),
    ("educación inclusiva", {}),
    ("docentes", {"kind": ["oer"]}),
    ("цифровое образование", {}),
    ("учителя", {}),
    ("التعليم الرقمي", {}),
    ("المعلمين", {}),
    ("教育", {}),
    ("数字教育", {}),
    ("教师", {"language": ["zh"]}),
    ("policy strategy", {"kind": ["policy-document", "policy-brief"]}),
    ("coding", {"isced": ["2"]}),
    ("", {"topic": []}),
]


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


class Words:
    """Per language: domain words (frequent) and a Zipf-distributed tail of rarer words."""

    def __init__(self, rng: random.Random, language: str, tail: int = 4000) -> None:
        self.rng = rng
        domain = DOMAIN[language].split()
        syllables = SYLLABLES[language].split()
        rare = list(
            dict.fromkeys(
                "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                for _ in range(tail * 2)
            )
        )[:tail]
        # A quarter of the words from the domain vocabulary, the rest from the Zipf tail.
        zipf = [1 / (rank + 1) ** 1.05 for rank in range(len(rare))]
        scale = 0.75 / sum(zipf)
        self.words = domain + rare
        self.cumulative = list(
            itertools.accumulate([0.25 / len(domain)] * len(domain) + [w * scale for w in zipf])
        )
        self.separator = "" if language == "zh" else " "

    def list(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, count: int) -> str:
        return self.separator.join(self.list(count))


def _through(field: str) -> tuple[str, str, str]:
    """Table and columns of one of Resource's many-to-many tables."""
    from iite.library.models import Resource

    through = getattr(Resource, field).through
    resource_column = target_column = ""
    for column in through._meta.get_fields():
        if getattr(column, "many_to_one", False):
            if column.related_model is Resource:
                resource_column = column.column
            else:
                target_column = column.column
    return through._meta.db_table, resource_column, target_column


RESOURCE_COLUMNS = (
    "id, created_at, updated_at, uuid, work, kind, status, title, abstract, keywords, "
    "language_id, publisher, issued, isbn, doi, url, licence_id, cover, accessibility_summary, "
    "published_at, withdrawal_reason, external_identifier, datestamp"
)


def insert_resources(cursor: Any, resources: list[Any]) -> None:
    """Insert resources with one executemany, giving them ids (bulk_create's per-field
    preparation costs more than the insert itself)."""
    from django.db import connection

    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    cursor.execute("SELECT coalesce(max(id), 0) FROM library_resource")
    next_id = cursor.fetchone()[0] + 1
    rows = []
    for number, resource in enumerate(resources, start=next_id):
        resource.pk = number
        stamp = ops.adapt_datetimefield_value(resource.published_at)
        rows.append(
            (
                number,
                stamp,
                stamp,
                resource.uuid if native_uuid else resource.uuid.hex,
                resource.work if native_uuid else resource.work.hex,
                resource.kind,
                resource.status,
                resource.title,
                resource.abstract,
                json.dumps(resource.keywords, ensure_ascii=False),
                resource.language_id,
                resource.publisher,
                ops.adapt_datefield_value(resource.issued),
                "",
                "",
                "",
                resource.licence_id,
                "",
                "",
                stamp,
                "",
                "",
                stamp,
            )
        )
    marks = ", ".join(["%s"] * len(RESOURCE_COLUMNS.split(",")))
    cursor.executemany(
        f"INSERT INTO library_resource ({RESOURCE_COLUMNS}) VALUES ({marks})",  # noqa: S608
        rows,
    )
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('library_resource', 'id'), max(id)) "
            "FROM library_resource"
        )


def generate(size: int, seed: int) -> dict[str, Any]:
    """Insert ``size`` published resources with their creators and classification, and index
    them, in transactions of ``BATCH`` resources; the timings."""
    from django.db import connection, transaction
    from django.utils import timezone

    from iite.library.models import Resource
    from iite.library.search import bitmaps
    from iite.library.search.facets import ACCESSIBILITY_VOCABULARY, competency_key
    from iite.library.search.index import Document, index_documents
    from iite.reference.models import (
        ActionArea,
        Competency,
        Country,
        IscedLevel,
        Language,
        Licence,
        Term,
        Topic,
    )

    rng = random.Random(seed)
    languages = {row.code: row for row in Language.objects.filter(code__in=list(LANGUAGES))}
    words = {code: Words(rng, code) for code in LANGUAGES}
    countries = list(Country.objects.select_related("unesco_region").order_by("alpha2"))
    rng.shuffle(countries)
    country_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(countries)))
    )
    topics = list(Topic.objects.values_list("pk", "code"))
    areas = list(ActionArea.objects.values_list("pk", "code"))
    levels = list(IscedLevel.objects.values_list("pk", "code"))
    competencies = [
        (c.pk, competency_key(c.framework.code, c.framework.version, c.code))
        for c in Competency.objects.select_related("framework")
    ]
    licences = {row.spdx_id: row for row in Licence.objects.all()}
    # The demo's publications are mostly CC BY-SA 3.0 IGO (UNESCO's open access licence).
    licence_weights = {"CC-BY-SA-3.0-IGO": 0.55, "CC-BY-4.0": 0.25, "CC-BY-NC-SA-4.0": 0.1}
    licence_weights = {k: v for k, v in licence_weights.items() if k in licences}
    features = list(
        Term.objects.filter(vocabulary__code=ACCESSIBILITY_VOCABULARY).values_list("pk", "code")
    )
    tables = {
        name: _through(name)
        for name in (
            "countries",
            "topics",
            "action_areas",
            "isced_levels",
            "competencies",
            "accessibility_features",
        )
    }
    creator_sql = (
        'INSERT INTO library_creator (resource_id, "order", kind, role, family_name, '
        "given_names, affiliation, orcid) VALUES (%s, %s, 'person', 'author', %s, %s, '', '')"
    )
    now = timezone.now()
    started = time.perf_counter()
    timings = {"text": 0.0, "rows": 0.0, "index": 0.0}
    for start in range(0, size, BATCH):
        tick = time.perf_counter()
        resources, extras = [], []
        for _ in range(min(BATCH, size - start)):
            language = weighted(rng, LANGUAGES)
            text = words[language]
            abstract_words = max(40, min(400, int(rng.lognormvariate(math.log(150), 0.5))))
            year = min(2026, 2026 - int(rng.expovariate(1 / 5)))
            issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
            spdx = weighted(rng, licence_weights) if rng.random() < 0.85 else ""
            stamp = now - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            kind = weighted(rng, KINDS)
            resource = Resource(
                uuid=uuid.uuid4(),
                work=uuid.uuid4(),
                kind=kind,
                status=Resource.Status.PUBLISHED,
                title=text.text(rng.randint(4, 12)).capitalize()[:500],
                abstract=text.text(abstract_words),
                keywords=text.list(rng.randint(2, 5)),
                language=languages[language],
                publisher="UNESCO IITE" if rng.random() < 0.5 else "",
                issued=issued,
                licence=licences.get(spdx),
                published_at=stamp,
                datestamp=stamp,
            )
            # Case studies and national policies are about one country; others about up to 3.
            spread = 1 if kind in ("case-study", "policy-document") else rng.randint(0, 3)
            chosen = list(
                {
                    c.pk: c for c in rng.choices(countries, cum_weights=country_weights, k=spread)
                }.values()
            )
            links = {
                "countries": [(c.pk, c.alpha2) for c in chosen],
                "topics": rng.sample(topics, rng.randint(1, 3)),
                "action_areas": rng.sample(areas, rng.randint(1, 2)),
                "isced_levels": rng.sample(levels, rng.randint(0, 2)),
                "competencies": rng.sample(competencies, rng.choice((0, 0, 1, 2, 3))),
                "accessibility_features": rng.sample(features, rng.randint(0, 3)),
            }
            creators = [
                (words["en"].text(1).capitalize(), words["en"].text(1).capitalize())
                for _ in range(rng.randint(1, 4))
            ]
            resources.append(resource)
            extras.append((links, creators, chosen, year, spdx))
        tock = time.perf_counter()
        timings["text"] += tock - tick
        with transaction.atomic():
            with connection.cursor() as cursor:
                insert_resources(cursor, resources)
                cursor.executemany(
                    creator_sql,
                    [
                        (resource.pk, order, family, given)
                        for resource, (_links, creators, *_rest) in zip(
                            resources, extras, strict=True
                        )
                        for order, (family, given) in enumerate(creators)
                    ],
                )
                for name, (table, left, right) in tables.items():
                    cursor.executemany(
                        f"INSERT INTO {table} ({left}, {right}) VALUES (%s, %s)",  # noqa: S608
                        [
                            (resource.pk, pk)
                            for resource, (links, *_rest) in zip(resources, extras, strict=True)
                            for pk, _code in links[name]
                        ],
                    )
            tick = time.perf_counter()
            timings["rows"] += tick - tock
            documents = []
            for resource, (links, creators, chosen, year, spdx) in zip(
                resources, extras, strict=True
            ):
                facets = [
                    ("kind", resource.kind),
                    ("language", resource.language.code),
                    ("year", str(year)),
                    *([("licence", spdx)] if spdx else []),
                    *[("country", c.alpha2) for c in chosen],
                    *[("region", c.unesco_region.code) for c in chosen if c.unesco_region],
                    *[("topic", code) for _pk, code in links["topics"]],
                    *[("area", code) for _pk, code in links["action_areas"]],
                    *[("isced", code) for _pk, code in links["isced_levels"]],
                    *[("competency", code) for _pk, code in links["competencies"]],
                    *[("accessibility", code) for _pk, code in links["accessibility_features"]],
                ]
                documents.append(
                    Document(
                        resource_id=resource.pk,
                        uuid=resource.uuid,
                        kind=resource.kind,
                        language=resource.language.code,
                        title=resource.title,
                        creators="; ".join(f"{given} {family}" for family, given in creators),
                        keywords="; ".join(resource.keywords),
                        abstract=resource.abstract,
                        publisher=resource.publisher,
                        issued=resource.issued,
                        licence=spdx,
                        published_at=resource.published_at,
                        facets=list(dict.fromkeys(facets)),
                    )
                )
            index_documents(documents, bitmaps_now=False)
            timings["index"] += time.perf_counter() - tick
        print(f"  {start + len(resources):,} resources", end="\r", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    tick = time.perf_counter()
    with transaction.atomic():
        bitmaps.rebuild_all()
    optimise()
    timings["bitmaps_and_optimise"] = time.perf_counter() - tick
    timings["seconds"] = time.perf_counter() - started
    return timings


def optimise() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO library_search_fts(library_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE library_search_entry")
            cursor.execute("VACUUM ANALYZE library_search_facet")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_engine(q: str, filters: dict[str, list[str]]) -> None:
    """The engine's own work for the query, in hand-written SQL: the ranked page of 20 and the
    total (filters as value-id subqueries). Then, timed apart, facet counts the way SQL does
    them (grouping the facet rows of every match), which is what search() replaces."""
    from django.db import connection

    from iite.library.search.engines import engine
    from iite.library.search.text import parse_query

    terms = parse_query(q)
    match = engine().match(terms, any_term=False) if terms else None
    filter_sql, filter_params = "", []
    with connection.cursor() as cursor:
        for name, values in filters.items():
            if values:
                marks = ", ".join(["%s"] * len(values))
                filter_sql += (
                    " AND e.resource_id IN (SELECT f.entry_id FROM library_search_facet f"  # noqa: S608
                    " JOIN library_search_value v ON v.id = f.value_id"
                    f" WHERE v.facet = %s AND v.value IN ({marks}))"
                )
                filter_params += [name, *values]
        if match is None:
            condition, params = "1 = 1", []
            ranked = (
                "SELECT e.resource_id FROM library_search_entry e WHERE 1 = 1"  # noqa: S608
                f"{filter_sql} ORDER BY e.issued DESC LIMIT 20"
            )
            ranked_params = filter_params
        elif connection.vendor == "sqlite":
            condition, params = match.sql, match.params
            join = "JOIN library_search_entry e ON e.resource_id = f.rowid " if filter_sql else ""
            ranked = (
                f"SELECT f.rowid FROM library_search_fts f {join}"  # noqa: S608
                "WHERE library_search_fts MATCH %s"
                f"{filter_sql} ORDER BY bm25(library_search_fts) LIMIT 20"
            )
            ranked_params = [match.params[0], *filter_params]
        else:
            condition, params = match.sql, match.params
            ranked = (
                "SELECT e.resource_id FROM library_search_entry e WHERE "  # noqa: S608
                f"e.document @@ %s::tsquery{filter_sql} "
                "ORDER BY ts_rank_cd(e.document, %s::tsquery) DESC LIMIT 20"
            )
            ranked_params = [match.params[0], *filter_params, match.params[0]]
        where = f"WHERE {condition}{filter_sql}"
        started = time.perf_counter()
        cursor.execute(ranked, ranked_params)
        cursor.fetchall()
        BARE_RANKED.append(time.perf_counter() - started)
        cursor.execute(
            f"SELECT count(*) FROM library_search_entry e {where}",  # noqa: S608
            [*params, *filter_params],
        )
        cursor.fetchall()
        BARE.append(time.perf_counter() - started)
        started = time.perf_counter()
        cursor.execute(
            "SELECT f.value_id, count(*) FROM library_search_facet f WHERE f.entry_id IN "  # noqa: S608
            f"(SELECT e.resource_id FROM library_search_entry e {where}) GROUP BY f.value_id",
            [*params, *filter_params],
        )
        cursor.fetchall()
        BARE_FACETS.append(time.perf_counter() - started)


BARE: list[float] = []
BARE_RANKED: list[float] = []
BARE_FACETS: list[float] = []


def measure(
    label: str, function: Callable[[str, dict[str, list[str]]], Any], rounds: int
) -> list[float]:
    durations = []
    for _ in range(rounds):
        for q, filters in QUERIES:
            started = time.perf_counter()
            function(q, filters)
            durations.append(time.perf_counter() - started)
    return durations


def relevance() -> dict[str, float]:
    """MAP (over the top 1,000) and nDCG@10 on CISI, indexed and searched as the library does."""
    from django.db import transaction

    from iite.library.models import Resource
    from iite.library.search import bitmaps
    from iite.library.search.engines import engine
    from iite.library.search.index import Document, index_documents
    from iite.library.search.query import _page_ids
    from iite.library.search.text import parse_query
    from iite.reference.models import Language

    data = json.loads(CISI.read_text(encoding="utf-8"))
    english = Language.objects.get(code="en")
    with transaction.atomic():
        resources = Resource.objects.bulk_create(
            Resource(
                kind="publication",
                status=Resource.Status.PUBLISHED,
                title=doc["title"][:500],
                abstract=doc["abstract"],
                language=english,
                external_identifier=str(doc["doc_id"]),
            )
            for doc in data["docs"]
        )
        documents = [
            Document(
                resource_id=resource.pk,
                uuid=resource.uuid,
                kind="publication",
                language="en",
                title=doc["title"],
                creators="; ".join(doc.get("authors") or []),
                abstract=doc["abstract"],
            )
            for resource, doc in zip(resources, data["docs"], strict=True)
        ]
        index_documents(documents)
    ids = {resource.pk: int(resource.external_identifier) for resource in resources}
    average_precisions, ndcgs = [], []
    for query in data["queries"]:
        relevant = set(data["qrels"].get(str(query["query_id"]), []))
        if not relevant:
            continue
        # The ranking search() pages through, 1,000 deep in one call (no excerpts needed).
        terms = parse_query(query["text"])
        match = engine().match(terms, any_term=True)
        ranked = _page_ids(match, {}, "relevance", 1000, 0) if match else []
        ranking = [ids[resource_id] for resource_id, _score in ranked if resource_id in ids]
        hits, precision_sum = 0, 0.0
        for rank, doc_id in enumerate(ranking[:1000], start=1):
            if doc_id in relevant:
                hits += 1
                precision_sum += hits / rank
        average_precisions.append(precision_sum / len(relevant))
        dcg = sum(
            1 / math.log2(rank + 1) for rank, d in enumerate(ranking[:10], 1) if d in relevant
        )
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(10, len(relevant)) + 1))
        ndcgs.append(dcg / ideal)
    with transaction.atomic():
        Resource.objects.filter(pk__in=list(ids)).delete()
        bitmaps.rebuild_all()  # the cascade removed their index rows, not their bits
    return {
        "queries": len(average_precisions),
        "map": statistics.mean(average_precisions),
        "ndcg10": statistics.mean(ndcgs),
    }


def oai_figures(deep_page: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from library_oai import measure_list_records
    except ImportError:
        return "bench/library_oai.py has no measure_list_records yet: ListRecords not measured"
    try:
        figures = measure_list_records(deep_page=deep_page)
    except SystemExit as stop:
        return f"not measured ({stop})"
    return ", ".join(f"{key} {value}" for key, value in figures.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="Passes over the query mix.")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--skip-oai", action="store_true")
    parser.add_argument(
        "--per-query", action="store_true", help="Also print each query's median through HTTP."
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        os.environ.setdefault("TEST_DATABASE_NAME", "test_iite_library_bench")
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from iite.library.search.query import search
        from iite.reference.services import reference_load

        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        try:
            reference_load()
            tick = time.perf_counter()
            quality = relevance()
            print(f"  CISI in {time.perf_counter() - tick:.0f} s", file=sys.stderr)
            built = generate(args.size, args.seed)
            client = Client()

            def http(q: str, filters: dict[str, list[str]]) -> None:
                response = client.get("/en/library/", {"q": q, **filters})
                assert response.status_code == 200, response.status_code

            def function(q: str, filters: dict[str, list[str]]) -> None:
                search(q=q, filters=filters)

            for q, filters in QUERIES:  # warm caches once
                http(q, filters)
                bare_engine(q, filters)
            for kept in (BARE, BARE_RANKED, BARE_FACETS):
                kept.clear()
            http_times = measure("http", http, args.rounds)
            function_times = measure("function", function, args.rounds)
            measure("bare", bare_engine, args.rounds)
            totals = [search(q=q, filters=f, facets=False).total for q, f in QUERIES]
            oai = (
                "skipped" if args.skip_oai else oai_figures(max(2, min(500, args.size // 100 - 1)))
            )
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    def ms(values: list[float], share: float) -> str:
        return f"{percentile(values, share) * 1000:7.1f} ms"

    print(
        f"database: {connection.vendor}; {args.size:,} resources; "
        f"{len(QUERIES)} queries x {args.rounds}"
    )
    print(
        f"  generated and indexed in {built['seconds']:.0f} s "
        f"({args.size / built['seconds']:.0f} resources/s: text {built['text']:.0f} s, "
        f"library rows {built['rows']:.0f} s, index {built['index']:.0f} s, "
        f"bitmaps and optimise {built['bitmaps_and_optimise']:.0f} s)"
    )
    print(f"  results per query: median {statistics.median(totals):,.0f}, max {max(totals):,}")
    with_facets = [a + b for a, b in zip(BARE, BARE_FACETS, strict=True)]
    for label, values in (
        ("HTTP page (search + facets + template)", http_times),
        ("search() function (with facets)", function_times),
        ("bare engine: ranked page of 20 + count", BARE),
        ("bare engine: ranked page of 20 only", BARE_RANKED),
        ("bare SQL facet counts (GROUP BY)", BARE_FACETS),
        ("bare engine + SQL facet counts", with_facets),
    ):
        print(f"  {label:40s} p50 {ms(values, 0.5)}   p95 {ms(values, 0.95)}")
    http95 = percentile(http_times, 0.95)
    ratio = http95 / percentile(BARE, 0.95)
    print(f"  ratio HTTP / bare engine (page + count) at p95: {ratio:.2f}")
    print(
        "  ratio HTTP / bare engine + SQL facet counts at p95: "
        f"{http95 / percentile(with_facets, 0.95):.2f}"
    )
    if args.per_query:
        for index, (q, filters) in enumerate(QUERIES):
            mine = http_times[index :: len(QUERIES)]
            shown = f"{q!r} {filters}" if any(filters.values()) else repr(q)
            median = statistics.median(mine) * 1000
            print(f"    {median:7.1f} ms  {totals[index]:>7,} results  {shown}")
    print(f"  OAI-PMH ListRecords: {oai}")
    print(
        f"  CISI relevance ({quality['queries']} judged queries): "
        f"MAP {quality['map']:.3f}, nDCG@10 {quality['ndcg10']:.3f}"
    )
    print(f"  run at {datetime.now():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main()
