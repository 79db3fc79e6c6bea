"""The labelled demo dataset: one account per role, for the embedded default only.

Every demo account is marked ``is_demo`` and named 【演示】…; pages show a DEMO banner while
DEMO_MODE is on. Production settings turn DEMO_MODE off and this refuses to run there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant
from divisions.models import Region
from tasks.models import Department

DEMO_PASSWORD = "Ankang-Demo-2022"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    department: str | None = None
    county: str | None = None
    town: str | None = None
    note: str = ""
    city: bool = False  # belongs to the city Region (the city's statistics officer)


DEMO_ACCOUNTS = [
    DemoAccount("demo_admin", "【演示】王立新", Role.CITY_ADMIN, department="市人社局",
                note="市就业工作领导小组办公室 city administrator"),
    DemoAccount("demo_admin2", "【演示】马文", Role.CITY_ADMIN, department="市人社局",
                note="second city administrator: checks (核稿) and issues (签发) what demo_admin drafts"),
    DemoAccount("demo_lead", "【演示】李静", Role.DEPT_OFFICER, department="市工信局",
                note="lead department of tasks 2 and 6"),
    DemoAccount("demo_dept", "【演示】赵强", Role.DEPT_OFFICER, department="市商务局",
                note="co-responsible department"),
    DemoAccount("demo_chain", "【演示】钱玉", Role.DEPT_OFFICER, department="市富硒办",
                note="member of 市重点产业链牵头单位: files the group's part of task 2"),
    DemoAccount("demo_hanbin", "【演示】陈敏", Role.COUNTY_OFFICER, department="汉滨区人社局", county="汉滨区",
                note="county officer, 汉滨区"),
    DemoAccount("demo_hanbin2", "【演示】孙丽", Role.COUNTY_OFFICER, department="汉滨区人社局", county="汉滨区",
                note="second county officer, 汉滨区: reviews what demo_hanbin submits"),
    DemoAccount("demo_town", "【演示】黄涛", Role.TOWN_OFFICER, county="汉滨区", town="新城街道",
                note="town officer, 汉滨区新城街道: first review of certification applications"),
    DemoAccount("demo_shiquan", "【演示】刘洋", Role.COUNTY_OFFICER, department="石泉县人社局", county="石泉县",
                note="county officer, 石泉县"),
    DemoAccount("demo_stats", "【演示】马骏", Role.CITY_STATS_OFFICER, department="市人社局", city=True,
                note="city statistics officer (市统计员): the city's own return, e.g. the surveyed unemployment rate"),
    DemoAccount("demo_leader", "【演示】周华", Role.LEADER, note="leader, reads everything"),
    DemoAccount("demo_auditor", "【演示】吴琳", Role.AUDITOR, note="auditor, audit trail only"),
    DemoAccount("demo_security", "【演示】郑磊", Role.SECURITY_ADMIN,
                note="security administrator (三员分立): lockouts and second-factor devices only"),
]


@transaction.atomic
def demo_accounts_seed() -> list[User]:
    """Create (or reset) the demo accounts. Requires DEMO_MODE."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo accounts are only created with DEMO_MODE on (never in production)")
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first() or User(username=account.username)
        user.full_name = account.full_name
        user.is_demo = True
        user.department = Department.objects.get(name=account.department) if account.department else None
        user.region = Region.objects.get(level=Region.Level.COUNTY, name=account.county) if account.county else None
        if account.city:
            user.region = Region.objects.get(level=Region.Level.CITY)
        if account.town:
            user.region = Region.objects.get(level=Region.Level.TOWN, county=user.region, name=account.town)
        user.set_password(DEMO_PASSWORD)
        user._change_reason = "demo_accounts_seed"
        user.save()
        role_grant(user=user, role=account.role, granted_by=None)
        users.append(user)
    return users
