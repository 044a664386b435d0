"""Demo content for the learning app, loaded by `iite demo` after the demo people exist.

One complete path per ICT CFT aspect (six, in English) and one in French, each with the demo
library's published resources aligned to its competencies (found through the library's
selectors, so nothing depends on their ids), an activity reviewed by a facilitator and a quiz;
a capacity-building cohort on the policy path, and (when the portal's demo teacher exists) a
completed pedagogy path with its signed badge. Paths are found by their slug, so running it
again creates nothing twice (it only adds resource steps for resources published since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from iite.accounts.models import User
from iite.learning import services
from iite.learning.models import Cohort, Enrolment, Path, Step
from iite.library import selectors as library_selectors

DEMO_TEACHER = "teacher@demo.iite.example"  # made by the portal's demo, before this runs


@dataclass(frozen=True)
class DemoPath:
    slug: str
    aspect: str
    title: str
    summary: str
    activity: str
    quiz: tuple[tuple[str, tuple[str, ...], int], ...]
    language: str = "en"
    course: str = ""


PATHS = (
    DemoPath(
        "demo-ict-policy",
        "1",
        "ICT in education policy for the classroom",
        "Read your country's ICT-in-education policy and see what it asks of your teaching.",
        "Find one goal of your national or school ICT policy and describe, in a few lines, "
        "how a lesson of yours could serve it.",
        (
            (
                "What does an ICT-in-education policy set out?",
                ("Goals and means", "A timetable"),
                0,
            ),
            ("Who should know the policy?", ("Only ministries", "Every teacher"), 1),
        ),
        course="https://www.unesco.org/en/digital-education",
    ),
    DemoPath(
        "demo-curriculum-assessment",
        "2",
        "Digital tools in curriculum and assessment",
        "Use digital tools to plan to the curriculum and to assess learning fairly.",
        "Describe one assessment of your subject that a digital tool could make quicker or "
        "fairer, and how you would check it still measures what it should.",
        (
            ("A digital quiz should first of all…", ("measure the curriculum goal", "be fun"), 0),
            ("Feedback works best when it is…", ("late and general", "timely and specific"), 1),
        ),
    ),
    DemoPath(
        "demo-pedagogy",
        "3",
        "Teaching with ICT: first steps in pedagogy",
        "Plan lessons where technology supports how students learn, not only what they see.",
        "Plan a 40-minute lesson in which students use a digital tool to work on a problem "
        "together. Say what you and they will do.",
        (
            (
                "Technology helps learning most when it…",
                ("replaces the teacher", "supports active work"),
                1,
            ),
            ("Group work with ICT needs…", ("clear roles and goals", "one device per class"), 0),
        ),
    ),
    DemoPath(
        "demo-digital-skills",
        "4",
        "Applying digital skills in teaching",
        "The everyday digital skills of a teacher: files, online safety, accessible documents.",
        "Make one of your teaching documents accessible (headings, alternative text, enough "
        "contrast) and describe what you changed.",
        (
            (
                "Alternative text describes…",
                ("an image for those who cannot see it", "the file name"),
                0,
            ),
            ("A strong password is…", ("your birthday", "long and unique"), 1),
        ),
    ),
    DemoPath(
        "demo-organisation",
        "5",
        "Organising a classroom with technology",
        "Organise devices, time and space so that every student can use technology safely.",
        "Describe how you would share ten devices among thirty students over a week so that "
        "everyone takes part.",
        (
            ("Rules for devices should be…", ("agreed with students", "kept secret"), 0),
            (
                "Before a lesson with devices, check…",
                ("nothing", "that they are charged and work"),
                1,
            ),
        ),
    ),
    DemoPath(
        "demo-professional-learning",
        "6",
        "Learning as a teacher in a digital world",
        "Keep learning with colleagues online: communities, open resources and reflection.",
        "Join or start a community of practice (online or at school) and write what you will "
        "share with it this month.",
        (
            (
                "Open educational resources may be…",
                ("reused under their licence", "never changed"),
                0,
            ),
            ("Reflection on practice is best…", ("done once", "regular and shared"), 1),
        ),
    ),
    DemoPath(
        "demo-pedagogie",
        "3",
        "Enseigner avec le numérique : premiers pas",
        "Préparer des séances où la technologie soutient la façon dont les élèves apprennent.",
        "Préparez une séance de 40 minutes où les élèves résolvent un problème ensemble avec "
        "un outil numérique.",
        (
            (
                "La technologie aide surtout quand elle…",
                ("remplace l'enseignant", "soutient le travail actif"),
                1,
            ),
            (
                "Le travail de groupe demande…",
                ("des rôles et des buts clairs", "un seul appareil"),
                0,
            ),
        ),
        language="fr",
    ),
)


def _resource_steps(path: Path, codes: list[str], admin: User) -> None:
    """Add a step for each published demo resource on these competencies not yet in the path."""
    present = set(path.steps.exclude(resource=None).values_list("resource_id", flat=True))
    language = path.language
    resources = library_selectors.resources_published(competencies=codes, language=language)
    for resource in list(resources[:3]):
        if resource.pk in present:
            continue
        services.step_add(
            path=path,
            kind=Step.Kind.RESOURCE,
            title=resource.title[:200],
            resource=resource,
            competencies=codes,
            by=admin,
        )


def _demo_badge(admin: User) -> None:
    """The demo teacher completes the pedagogy path once, so a signed badge is there to see."""
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    path = Path.objects.get(slug="demo-pedagogy")
    if teacher is None or Enrolment.objects.filter(path=path, learner=teacher).exists():
        return
    enrolment = services.enrol(path=path, user=teacher)
    for step in path.steps.order_by("order"):
        if step.kind == Step.Kind.ACTIVITY:
            progress = services.activity_submit(
                enrolment=enrolment,
                step=step,
                user=teacher,
                text="Students compare two maps of our town in pairs and present what changed.",
            )
            services.submission_review(progress=progress, accept=True, by=admin)
        elif step.kind == Step.Kind.QUIZ:
            answers = {n: question["answer"] for n, question in enumerate(step.questions)}
            services.quiz_submit(enrolment=enrolment, step=step, user=teacher, answers=answers)
        else:
            services.step_complete(enrolment=enrolment, step=step, user=teacher)


@transaction.atomic
def demo_load(*, admin: User) -> None:
    """Load this app's demo content; safe to run again (changes nothing the second time)."""
    for demo in PATHS:
        codes = [f"{demo.aspect}.KA"]
        path = Path.objects.filter(slug=demo.slug).first()
        if path is not None:
            _resource_steps(path, codes, admin)
            continue
        path = services.path_create(
            slug=demo.slug,
            title=demo.title,
            summary=demo.summary,
            language=demo.language,
            estimated_minutes=90,
            competencies=codes,
            by=admin,
        )
        _resource_steps(path, codes, admin)
        if demo.course:
            services.step_add(
                path=path,
                kind=Step.Kind.EXTERNAL,
                title="UNESCO: digital learning and transformation of education",
                url=demo.course,
                competencies=codes,
                by=admin,
            )
        services.step_add(
            path=path,
            kind=Step.Kind.ACTIVITY,
            title="À vous" if demo.language == "fr" else "Your turn",
            instructions=demo.activity,
            estimated_minutes=30,
            competencies=codes,
            by=admin,
        )
        services.step_add(
            path=path,
            kind=Step.Kind.QUIZ,
            title="Quiz",
            questions=[
                {"question": question, "choices": list(choices), "answer": answer}
                for question, choices, answer in demo.quiz
            ],
            estimated_minutes=10,
            competencies=codes,
            by=admin,
        )
        path.facilitators.add(admin)
        services.path_publish(path=path, by=admin)
    _demo_badge(admin)
    policy = Path.objects.get(slug="demo-ict-policy")
    if not Cohort.objects.filter(path=policy, name="Ministry workshop (demo)").exists():
        today = timezone.localdate()
        services.cohort_create(
            path=policy,
            name="Ministry workshop (demo)",
            starts_on=today,
            ends_on=today + timedelta(days=14),
            facilitators=[admin],
            by=admin,
        )
