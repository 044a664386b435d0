"""Demo content for the library app, loaded by `iite demo` after the demo people exist.

Publications are real works of UNESCO and its institute, described with the facts their title
pages give (title, year, publisher, authors, licence); the summaries are ours. Case studies are
illustrative practices written for the demo and say so ("demo"), like the demo organisations.
"""

from __future__ import annotations

from typing import Any

from iite.accounts import selectors as account_selectors
from iite.accounts.models import User
from iite.library import services, workflow
from iite.library.models import Resource

BY_SA_IGO = "CC-BY-SA-3.0-IGO"
ALL_CFT = [f"{aspect}.{level}" for aspect in "123456" for level in ("KA", "KD", "KC")]

PUBLICATIONS: list[dict[str, Any]] = [
    {
        "kind": "publication",
        "title": "UNESCO ICT Competency Framework for Teachers, version 3",
        "language": "en",
        "creators": ["UNESCO"],
        "publisher": "UNESCO",
        "issued": "2018",
        "licence": BY_SA_IGO,
        "abstract": (
            "The framework sets out the competencies teachers need to teach effectively with "
            "ICT: eighteen competencies across six aspects of teachers' professional practice "
            "(understanding ICT in education policy, curriculum and assessment, pedagogy, "
            "application of digital skills, organization and administration, and teacher "
            "professional learning) at three levels of knowledge acquisition, deepening and "
            "creation."
        ),
        "keywords": ["ICT CFT", "teacher competencies", "professional development"],
        "topics": ["teacher-professional-development", "digital-skills"],
        "competencies": ALL_CFT,
        "audiences": ["teacher", "policyMaker"],
        "action_areas": ["ict-competencies"],
    },
    {
        "kind": "publication",
        "title": "AI and education: guidance for policy-makers",
        "language": "en",
        "creators": ["Miao, Fengchun", "Holmes, Wayne", "Huang, Ronghuai", "Zhang, Hui"],
        "publisher": "UNESCO",
        "issued": "2021",
        "licence": BY_SA_IGO,
        "abstract": (
            "Guidance for policy-makers on how artificial intelligence can serve education "
            "and the Sustainable Development Goal on education, with the risks it brings and "
            "recommendations for planning AI in education policies."
        ),
        "keywords": ["artificial intelligence", "education policy"],
        "topics": ["ai-in-education"],
        "audiences": ["policyMaker"],
        "competencies": ["1.KA", "1.KD"],
        "action_areas": ["policy-capacity"],
    },
    {
        "kind": "publication",
        "title": "Guidance for generative AI in education and research",
        "language": "en",
        "creators": ["Miao, Fengchun", "Holmes, Wayne"],
        "publisher": "UNESCO",
        "issued": "2023",
        "licence": BY_SA_IGO,
        "abstract": (
            "Steps for governments and institutions to regulate generative AI tools, protect "
            "data privacy and set age limits, and policies for using generative AI in teaching, "
            "learning and research in ways that keep human agency at the centre."
        ),
        "keywords": ["generative AI", "regulation", "research"],
        "topics": ["ai-in-education", "digital-safety"],
        "audiences": ["policyMaker", "researcher", "teacher"],
        "action_areas": ["research-pedagogy"],
    },
    {
        "kind": "publication",
        "title": "AI competency framework for teachers",
        "language": "en",
        "creators": ["Miao, Fengchun", "Cukurova, Mutlu"],
        "publisher": "UNESCO",
        "issued": "2024",
        "licence": BY_SA_IGO,
        "abstract": (
            "The competencies teachers need to understand, use and teach about artificial "
            "intelligence safely, effectively and ethically, organised by dimension and by "
            "level of progression."
        ),
        "keywords": ["artificial intelligence", "teacher competencies"],
        "topics": ["ai-in-education", "teacher-professional-development"],
        "audiences": ["teacher"],
        "competencies": ["2.KD", "3.KD", "4.KD"],
        "action_areas": ["ict-competencies"],
    },
    {
        "kind": "publication",
        "title": "Media and Information Literacy Curriculum for Teachers",
        "language": "en",
        "creators": [
            "Wilson, Carolyn",
            "Grizzle, Alton",
            "Tuazon, Ramon",
            "Akyempong, Kwame",
            "Cheung, Chi-Kim",
        ],
        "publisher": "UNESCO",
        "issued": "2011",
        "abstract": (
            "A curriculum framework and modules for teacher education on media and information "
            "literacy: understanding the functions of media and information providers, "
            "evaluating their content, and using them for self-expression and participation."
        ),
        "keywords": ["media literacy", "information literacy", "teacher education"],
        "topics": ["media-information-literacy", "teacher-professional-development"],
        "audiences": ["teacher"],
        "competencies": ["5.KA"],
        "action_areas": ["research-pedagogy"],
    },
    {
        "kind": "policy-brief",
        "title": "AI in Education: Change at the Speed of Learning",
        "language": "en",
        "creators": ["Duggan, Steven"],
        "publisher": "UNESCO Institute for Information Technologies in Education",
        "issued": "2020",
        "abstract": (
            "A policy brief of the institute on how artificial intelligence is entering "
            "classrooms and education systems, and what policy-makers should weigh as it does."
        ),
        "keywords": ["artificial intelligence", "policy brief"],
        "topics": ["ai-in-education"],
        "audiences": ["policyMaker"],
        "action_areas": ["policy-capacity"],
    },
    {
        "kind": "publication",
        "title": "Global Education Monitoring Report 2023: Technology in education: a tool on "
        "whose terms?",
        "language": "en",
        "creators": ["Global Education Monitoring Report Team"],
        "publisher": "UNESCO",
        "issued": "2023",
        "licence": BY_SA_IGO,
        "abstract": (
            "The 2023 report examines the use of technology in education around the world "
            "against four questions: is it appropriate, equitable, scalable and sustainable? "
            "It asks countries to set their own terms for technology in education."
        ),
        "keywords": ["educational technology", "monitoring", "SDG 4"],
        "topics": ["smart-education", "inclusive-education"],
        "audiences": ["policyMaker", "researcher"],
        "sdg_targets": ["4.1", "4.a"],
        "action_areas": ["research-pedagogy"],
    },
    {
        "kind": "publication",
        "title": "Open Educational Resources: Policy, Costs, Transformation",
        "language": "en",
        "creators": [
            {"family_name": "Miao", "given_names": "Fengchun", "role": "editor"},
            {"family_name": "Mishra", "given_names": "Sanjaya", "role": "editor"},
            {"family_name": "McGreal", "given_names": "Rory", "role": "editor"},
        ],
        "publisher": "UNESCO; Commonwealth of Learning",
        "issued": "2016",
        "abstract": (
            "Chapters on how governments and institutions adopt open educational resources: "
            "policies, the costs and savings involved, and how OER change teaching."
        ),
        "keywords": ["OER", "open licensing"],
        "topics": ["open-educational-resources"],
        "audiences": ["policyMaker", "researcher"],
        "action_areas": ["knowledge-sharing"],
    },
]

CASE_STUDIES: list[dict[str, Any]] = [
    {
        "title": "Tabletas sin conexión para escuelas rurales multigrado (demo)",
        "language": "es",
        "countries": ["PE"],
        "topics": ["distance-mobile-learning", "inclusive-education"],
        "abstract": "Caso ilustrativo para la demostración de la plataforma.",
        "case_study": {
            "context": "Escuelas multigrado de los Andes sin conexión estable a internet.",
            "solution": "Tabletas con un servidor local de recursos educativos abiertos que "
            "los docentes actualizan una vez al mes en la cabecera del distrito.",
            "actors": "Red de docentes rurales (demo); dirección regional de educación (demo).",
            "results": "Los docentes informan de más trabajo autónomo del alumnado; el uso "
            "semanal de las tabletas se registró en el 80 % de las aulas piloto.",
            "lessons": "La formación entre pares fue más útil que los talleres centrales.",
            "scalability": "El modelo no depende de la conectividad y puede replicarse.",
            "contacts": "demo@example.org",
        },
    },
    {
        "title": "Offline tablets for rural multigrade schools (demo)",
        "language": "en",
        "countries": ["PE"],
        "topics": ["distance-mobile-learning", "inclusive-education"],
        "abstract": "An illustrative case study for the platform's demo; the English edition.",
        "case_study": {
            "context": "Multigrade schools in the Andes without a stable internet connection.",
            "solution": "Tablets with a local server of open educational resources, refreshed "
            "by teachers once a month at the district centre.",
            "actors": "A rural teachers' network (demo); a regional education office (demo).",
            "results": "Teachers report more independent work by pupils; weekly tablet use "
            "was recorded in 80% of the pilot classrooms.",
            "lessons": "Peer training helped more than central workshops.",
            "scalability": "The model does not depend on connectivity and can be repeated.",
            "contacts": "demo@example.org",
        },
    },
    {
        "title": "Radio et SMS pour la continuité pédagogique (démo)",
        "language": "fr",
        "countries": ["SN"],
        "topics": ["distance-mobile-learning"],
        "abstract": "Étude de cas illustrative pour la démonstration de la plateforme.",
        "case_study": {
            "context": "Fermetures d'écoles et faible accès à internet dans les zones rurales.",
            "solution": "Leçons radiodiffusées, suivies de questions envoyées par SMS aux "
            "familles et corrigées par les enseignants.",
            "actors": "Radio communautaire (démo), inspection académique (démo).",
            "results": "Les enseignants ont pu suivre les progrès de la moitié des élèves.",
            "lessons": "Associer les parents dès le début.",
            "scalability": "Coûts faibles ; dépend des radios locales.",
            "contacts": "demo@example.org",
        },
    },
    {
        "title": "Сетевое сообщество учителей информатики малых городов (демо)",
        "language": "ru",
        "countries": ["KZ"],
        "topics": ["teacher-professional-development"],
        "abstract": "Иллюстративный пример для демонстрации платформы.",
        "case_study": {
            "context": "Учителя информатики в малых городах работают в одиночку.",
            "solution": "Еженедельные онлайн-встречи и общий банк уроков.",
            "actors": "Методический центр (демо).",
            "results": "Участники подготовили и опубликовали 120 открытых уроков.",
            "lessons": "Нужны модераторы из числа самих учителей.",
            "scalability": "Подходит для других предметов.",
            "contacts": "demo@example.org",
        },
    },
]

COLLECTIONS = [
    (
        "ai-in-education",
        "collection",
        {
            "ar": "الذكاء الاصطناعي في التعليم",
            "en": "AI in education",
            "es": "La IA en la educación",
            "fr": "L'IA dans l'éducation",
            "ru": "ИИ в образовании",
            "zh": "教育中的人工智能",
        },
    ),
    (
        "policy-briefs",
        "series",
        {
            "ar": "موجزات السياسات",
            "en": "Policy briefs",
            "es": "Notas de política",
            "fr": "Notes d'orientation",
            "ru": "Аналитические записки",
            "zh": "政策简报",
        },
    ),
]


def _person(email: str, fallback: User) -> User:
    return account_selectors.user_by_email(email) or fallback


def demo_load(*, admin: User) -> None:
    """Load this app's demo content; safe to run again (changes nothing the second time)."""
    if Resource.objects.filter(title=PUBLICATIONS[0]["title"]).exists():
        return
    editor = _person("editor@demo.iite.example", admin)
    reviewer = _person("reviewer@demo.iite.example", admin)
    teacher = _person("teacher@demo.iite.example", admin)
    published = {}
    for fields in PUBLICATIONS:
        resource = services.resource_create(by=editor, **fields)
        published[fields["title"]] = workflow.resource_publish(resource=resource, by=editor)
    collections = {
        code: services.collection_save(by=editor, code=code, kind=kind, names=names)
        for code, kind, names in COLLECTIONS
    }
    for resource in published.values():
        if any(t.code == "ai-in-education" for t in resource.topics.all()):
            services.collection_add(
                collection=collections["ai-in-education"], resource=resource, by=editor
            )
        if resource.kind == "policy-brief":
            services.collection_add(
                collection=collections["policy-briefs"], resource=resource, by=editor
            )
    cases = []
    for fields in CASE_STUDIES:
        case = services.resource_create(by=teacher, kind="case-study", **fields)
        workflow.resource_submit(resource=case, by=teacher)
        cases.append(case)
    # Three go through review to publication; the last waits for its reviewer.
    for case in cases[:3]:
        assignment = workflow.review_assign(resource=case, reviewer=reviewer, by=editor)
        workflow.review_save(
            assignment=assignment,
            by=reviewer,
            scores={
                "innovation": 4,
                "impact": 3,
                "inclusion": 5,
                "scalability": 4,
                "sustainability": 3,
            },
            comment="Clear practice; the evidence of impact would gain from figures over time.",
            recommendation="publish",
        )
        workflow.resource_publish(resource=case, by=editor)
    services.edition_link(resource=cases[1], to=cases[0], by=editor)
    workflow.review_assign(resource=cases[3], reviewer=reviewer, by=editor)
