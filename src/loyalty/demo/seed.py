"""Demo data for development: policy v1, the group's companies, staff logins (a group-wide HR admin and
one scoped to two companies), a roster of about fifty employees of those companies and several cities, one registered employee, and the partner catalog with a partner admin. Safe to run again: it adds only what is missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.core.access import Role
from loyalty.core.runtime import Runtime
from loyalty.demo.catalog import load_catalog
from loyalty.demo.catalog_seed import PARTNER_ADMIN_EMAIL, PARTNER_ADMIN_PASSWORD, seed_catalog
from loyalty.identity.models import AccountStatus, User
from loyalty.privacy.consent import record_consent
from loyalty.privacy.models import PolicyVersion
from loyalty.privacy.policies import PurposeChoice
from loyalty.roster.models import RosterEntry

DEMO_PASSWORDS = {
    "admin": "Demo-Admin-Steppe-2026",
    "hr": "Demo-HR-Steppe-2026",
    "hr_scoped": "Demo-HR-Dala-2026",
    "employee": "Demo-Employee-Steppe-2026",
}
ADMIN_EMAIL = "admin@demo.loyalty.kz"
HR_EMAIL = "hr@demo.loyalty.kz"
SCOPED_HR_EMAIL = "hr.dala@demo.loyalty.kz"
EMPLOYEE_NUMBER = "DE-0001"

COMPANIES = ["Dala Energy", "Steppe Telecom", "Altyn Finance", "Qazaq Retail Group", "Caspian Logistics"]
# The scoped demo HR admin works for these companies only; the other one is group-wide.
SCOPED_HR_COMPANIES = ["Dala Energy", "Caspian Logistics"]
CITIES = ["Astana", "Almaty", "Shymkent", "Atyrau", "Aktau", "Karaganda"]
DEPARTMENTS = ["Finance", "IT", "Human Resources", "Operations", "Sales", "Legal", "Customer Care"]
FIRST_NAMES = [
    "Aigerim",
    "Nursultan",
    "Dana",
    "Yerlan",
    "Madina",
    "Askar",
    "Aruzhan",
    "Daniyar",
    "Saule",
    "Timur",
    "Zarina",
    "Arman",
    "Gulnara",
    "Olzhas",
    "Kamila",
    "Ruslan",
    "Asel",
    "Bauyrzhan",
    "Elena",
    "Dmitry",
    "Alina",
    "Sergey",
    "Aliya",
    "Marat",
    "Togzhan",
]
LAST_NAMES = [
    "Abenova",
    "Bekov",
    "Zhaksylykova",
    "Nurlanov",
    "Sarsenova",
    "Omarov",
    "Tulegenova",
    "Akhmetov",
    "Kassymova",
    "Iskakov",
    "Ivanova",
    "Petrov",
    "Mukanova",
    "Seitkali",
    "Kim",
    "Dzhaksybekov",
]

POLICY_TEXTS = {
    "ru": (
        "Политика конфиденциальности loyalty, версия 1.\n\nМы обрабатываем ваши ФИО, рабочую почту, табельный "
        "номер, компанию, отдел и город, чтобы подтверждать, что вы сотрудник группы, показывать доступные вам "
        "скидки партнёров и выдавать коды на скидку (цель «core», обязательна). С вашего согласия мы присылаем "
        "подборки предложений (цель «marketing») и считаем обезличенную статистику использования (цель "
        "«analytics»). Партнёры никогда не видят, кто вы. Вы можете получить копию своих данных, исправить их, "
        "ограничить обработку, отозвать согласие и удалить аккаунт в разделе «Мои данные»."
    ),
    "kk": (
        "loyalty құпиялылық саясаты, 1-нұсқа.\n\nСіздің топ қызметкері екеніңізді растау, серіктестердің сізге "
        "қолжетімді жеңілдіктерін көрсету және жеңілдік кодтарын беру үшін аты-жөніңізді, жұмыс поштаңызды, "
        "табель нөміріңізді, компанияңызды, бөліміңізді және қалаңызды өңдейміз («core» мақсаты, міндетті). "
        "Келісіміңізбен ұсыныстар жинағын жібереміз («marketing») және иесіздендірілген статистиканы есептейміз "
        "(«analytics»). Серіктестер сіздің кім екеніңізді ешқашан көрмейді. «Менің деректерім» бөлімінде "
        "деректеріңіздің көшірмесін алуға, оларды түзетуге, өңдеуді шектеуге, келісімді қайтарып алуға және "
        "тіркелгіні жоюға болады."
    ),
    "en": (
        "loyalty privacy policy, version 1.\n\nWe process your name, work email, employee number, company, "
        "department and city to confirm that you work for the group, show you the partner discounts you may use "
        "and issue discount codes (purpose 'core', required). With your consent we send you offer digests "
        "('marketing') and compute anonymised usage statistics ('analytics'). Partners never see who you are. "
        "Under 'My data' you can get a copy of your data, correct it, restrict processing, withdraw consent and "
        "delete your account."
    ),
}
POLICY_PURPOSES: list[dict[str, Any]] = [
    {
        "code": "core",
        "required": True,
        "title": {"kk": "Негізгі қызмет", "ru": "Основной сервис", "en": "Core service"},
        "description": None,
    },
    {
        "code": "marketing",
        "required": False,
        "title": {"kk": "Ұсыныстар жинағы", "ru": "Подборки предложений", "en": "Offer digests"},
        "description": None,
    },
    {
        "code": "analytics",
        "required": False,
        "title": {"kk": "Статистика", "ru": "Статистика использования", "en": "Usage statistics"},
        "description": None,
    },
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def demo_roster() -> list[dict[str, str]]:
    """About fifty employees, deterministic so that a second run finds them all present."""
    entries = []
    for index in range(50):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        entries.append(
            {
                "employee_number": f"DE-{index + 1:04d}",
                "email": f"{first}.{last}.{index + 1}@demo.loyalty.kz".lower(),
                "full_name": f"{first} {last}",
                "company": COMPANIES[index % len(COMPANIES)],
                "department": DEPARTMENTS[(index * 3) % len(DEPARTMENTS)],
                "city": CITIES[(index * 5) % len(CITIES)],
            }
        )
    return entries


async def seed_demo(runtime: Runtime) -> SeedReport:
    report = SeedReport()
    catalog = load_catalog()  # a mistake in the file stops here, before anything is written
    async with runtime.db_config.get_session() as session:
        policy = await session.scalar(select(PolicyVersion).where(PolicyVersion.version == "1"))
        if policy is None:
            now = runtime.clock.now()
            policy = PolicyVersion(
                version="1",
                texts=POLICY_TEXTS,
                purposes=POLICY_PURPOSES,
                effective_at=datetime(2026, 1, 1, tzinfo=UTC),
                published_at=now,
            )
            session.add(policy)
            report.created["policy_versions"] = 1

        existing = set(await session.scalars(select(Company.name)))
        companies = [Company(name=name) for name in COMPANIES if name not in existing]
        session.add_all(companies)
        report.created["companies"] = len(companies)
        await session.flush()
        company_ids = {
            company.name: company.id
            for company in await session.scalars(select(Company).where(Company.name.in_(COMPANIES)))
        }

        known = set(await session.scalars(select(RosterEntry.employee_number)))
        roster = [RosterEntry(**row) for row in demo_roster() if row["employee_number"] not in known]
        session.add_all(roster)
        report.created["roster_entries"] = len(roster)
        await session.flush()

        for key, email, name, role, scope in (
            ("admin", ADMIN_EMAIL, "Demo Admin", Role.ADMIN, None),
            ("hr", HR_EMAIL, "Demo HR", Role.HR_ADMIN, []),
            ("hr_scoped", SCOPED_HR_EMAIL, "Demo HR Dala", Role.HR_ADMIN, SCOPED_HR_COMPANIES),
        ):
            if await session.scalar(select(User.id).where(User.email == email)) is None:
                user = User(
                    email=email,
                    full_name=name,
                    role=role,
                    status=AccountStatus.ACTIVE,
                    password_hash=await runtime.hasher.hash(DEMO_PASSWORDS[key]),
                    hr_group_wide=None if scope is None else not scope,
                )
                session.add(user)
                await session.flush()
                session.add_all(
                    StaffCompanyScope(
                        user_id=user.id, company_id=company_ids[company], created_at=runtime.clock.now()
                    )
                    for company in scope or []
                )
                report.created[f"{key}_accounts"] = 1
            report.logins.append((role.value, email, DEMO_PASSWORDS[key]))

        entry = await session.scalar(
            select(RosterEntry).where(RosterEntry.employee_number == EMPLOYEE_NUMBER)
        )
        assert entry is not None
        if await session.scalar(select(User.id).where(User.roster_entry_id == entry.id)) is None:
            employee = User(
                email=entry.email,
                full_name=entry.full_name,
                role=Role.EMPLOYEE,
                status=AccountStatus.ACTIVE,
                roster_entry_id=entry.id,
                password_hash=await runtime.hasher.hash(DEMO_PASSWORDS["employee"]),
            )
            session.add(employee)
            await session.flush()
            await record_consent(
                session,
                employee,
                policy,
                PurposeChoice(granted=["core", "marketing"], declined=["analytics"]),
                language="ru",
                method="registration",
                now=runtime.clock.now(),
                ip=None,
                user_agent="loyalty seed-demo",
            )
            report.created["employee_accounts"] = 1
        report.logins.append((Role.EMPLOYEE.value, entry.email, DEMO_PASSWORDS["employee"]))
        report.created |= await seed_catalog(session, runtime, catalog)
        report.logins.append((Role.PARTNER_ADMIN.value, PARTNER_ADMIN_EMAIL, PARTNER_ADMIN_PASSWORD))
        report.created["roster_total"] = int(await session.scalar(select(func.count(RosterEntry.id))) or 0)
        await session.commit()
    return report


def print_logins(report: SeedReport, echo: Callable[[str], Any]) -> None:
    added = {kind: count for kind, count in report.created.items() if count and kind != "roster_total"}
    echo(
        f"demo data: {'added ' + str(added) if added else 'already present'}; "
        f"{report.created.get('roster_total', 0)} people on the roster"
    )
    echo("demo logins (POST /api/v1/auth/login):")
    for role, email, password in report.logins:
        echo(f"  {role:<14} {email:<40} {password}")
