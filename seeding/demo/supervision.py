"""Demo leaders' instructions (督办) in every state: open, replied, returned, closed and overdue —
given by demo_leader through the services, replied to by the demo units, reviewed by demo_admin."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from divisions.models import Region
from reports.models import Instruction
from reports.services import instruction_give, instruction_reply, instruction_reply_close, instruction_reply_return
from seeding.demo.figures import LAST
from tasks.models import Department, Task


def _task(number: int) -> Task:
    """The task of that number in the plan the demo's last reported quarter belongs to."""
    end = LAST.end
    return (Task.objects.filter(number=number, kind=Task.Kind.TASK, plan__period_start__lte=end,
                                plan__period_end__gte=end).order_by("-plan__period_start").first()
            or Task.objects.get(plan__code="ankang-2022", number=number))


def demo_instructions_seed(*, users: dict) -> int:
    """Five instructions, once: open (市工信局, 汉滨区), replied (市商务局: for demo_admin to close or
    return), returned (石泉县: demo_shiquan replies again), closed (市工信局), and one past its
    deadline (汉滨区 and 市商务局 have not replied: on demo_leader's 我的工作)."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo instructions are only created with DEMO_MODE on (never in production)")
    if Instruction.objects.filter(text__startswith="【演示】").exists():
        return 0
    today = timezone.localdate()
    leader, admin = users["demo_leader"], users["demo_admin"]
    gongxin, shangwu = Department.objects.get(name="市工信局"), Department.objects.get(name="市商务局")
    hanbin, shiquan = Region.objects.get(level="county", name="汉滨区"), Region.objects.get(level="county", name="石泉县")
    days = datetime.timedelta

    def give(number, text, units, deadline, given=today):
        return instruction_give(task=_task(number), text=f"【演示】{text}", user=leader, deadline=deadline,
                                units=units, today=given)

    def reply(instruction, unit, who, text):
        addressee = instruction.addressees.get(**unit)
        return instruction_reply(addressee=addressee, text=f"【演示】{text}", version=addressee.version,
                                 user=users[who])

    give(6, "请市工信局会同汉滨区摸清园区企业缺工情况，提出保障措施。", [gongxin, hanbin], today + days(10))
    replied = give(6, "请市商务局梳理商贸企业用工需求，形成清单。", [shangwu], today + days(5))
    reply(replied, {"department": shangwu}, "demo_dept", "已梳理商贸企业岗位需求860个，形成清单报市就业办。")
    returned = give(2, "请石泉县报告返乡创业园区吸纳就业进展。", [shiquan], today + days(7))
    answer = reply(returned, {"region": shiquan}, "demo_shiquan", "园区吸纳就业情况良好。")
    instruction_reply_return(addressee=answer, version=answer.version, reviewer=admin,
                             comment="【演示】请补充吸纳就业人数和岗位类型。")
    closed = give(2, "请市工信局报告新开工项目用工保障情况。", [gongxin], today + days(3), given=today - days(20))
    answer = reply(closed, {"department": gongxin}, "demo_lead", "已对接新开工项目12个，保障用工1,300人。")
    instruction_reply_close(addressee=answer, version=answer.version, reviewer=admin, comment="【演示】办结。")
    give(6, "请于限期内报送稳岗返还政策落实情况。", [hanbin, shangwu], today - days(3), given=today - days(15))
    return 5
