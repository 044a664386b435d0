"""The seven roles of the platform, held as data, with their names in the six UN languages."""

from django.db import migrations

# code, scope, names (ar, en, es, fr, ru, zh)
ROLES = [
    (
        "member",
        "global",
        {
            "ar": "عضو",
            "en": "Member",
            "es": "Miembro",
            "fr": "Membre",
            "ru": "Участник",
            "zh": "成员",
        },
    ),
    (
        "editor",
        "global",
        {
            "ar": "محرر",
            "en": "Editor",
            "es": "Editor",
            "fr": "Éditeur",
            "ru": "Редактор",
            "zh": "编辑",
        },
    ),
    (
        "reviewer",
        "global",
        {
            "ar": "مراجع",
            "en": "Reviewer",
            "es": "Revisor",
            "fr": "Évaluateur",
            "ru": "Рецензент",
            "zh": "审稿人",
        },
    ),
    (
        "focal-point",
        "country",
        {
            "ar": "جهة الاتصال الوطنية",
            "en": "National focal point",
            "es": "Punto focal nacional",
            "fr": "Point focal national",
            "ru": "Национальный координатор",
            "zh": "国家联络人",
        },
    ),
    (
        "school-coordinator",
        "organisation",
        {
            "ar": "منسق المدرسة",
            "en": "School coordinator",
            "es": "Coordinador escolar",
            "fr": "Coordinateur d’établissement",
            "ru": "Школьный координатор",
            "zh": "学校协调员",
        },
    ),
    (
        "partner-manager",
        "global",
        {
            "ar": "مدير الشراكات",
            "en": "Partnership manager",
            "es": "Gestor de alianzas",
            "fr": "Responsable des partenariats",
            "ru": "Менеджер по партнёрствам",
            "zh": "合作伙伴关系经理",
        },
    ),
    (
        "admin",
        "global",
        {
            "ar": "مسؤول النظام",
            "en": "Administrator",
            "es": "Administrador",
            "fr": "Administrateur",
            "ru": "Администратор",
            "zh": "管理员",
        },
    ),
]


def roles_create(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for order, (code, scope, names) in enumerate(ROLES, start=1):
        Role.objects.update_or_create(
            code=code, defaults={"scope": scope, "names": names, "order": order}
        )


def roles_delete(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    codes = [code for code, _scope, _names in ROLES]
    RoleAssignment.objects.filter(role__code__in=codes).delete()
    Role.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(roles_create, roles_delete)]
