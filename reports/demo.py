"""Demo returns over the demo figures (see targets/demo.py): approved up to 2026Q2; for 2026Q3
submitted and awaiting the city's review, except 石泉县's, which the city returned with a comment
and reopened for a week by an exception, so every step of the workflow can be tried."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communities.models import Region
from targets.demo import DEMO_REF, FIRST, LAST, LAST_APPROVED
from targets.models import IndicatorValue

from .models import CountyReturn, PeriodException, ReportingPeriod
from .quarters import Quarter


@transaction.atomic
def demo_returns_seed(*, admin) -> int:
    if not settings.DEMO_MODE:
        raise RuntimeError("demo returns are only created with DEMO_MODE on (never in production)")
    if CountyReturn.objects.exists():
        return 0
    now = timezone.now()
    periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}
    returns = []
    for county in Region.objects.counties().order_by("code"):
        for q in Quarter.between(FIRST.start, LAST.end):
            approved = q <= LAST_APPROVED
            returns.append(CountyReturn(
                region=county, period=periods[(q.year, q.number)],
                state=CountyReturn.State.APPROVED if approved else CountyReturn.State.SUBMITTED,
                submitted_by=admin, submitted_at=now, reviewed_by=admin if approved else None,
                reviewed_at=now if approved else None, updated_by=admin, updated_at=now,
                explanation="【演示数据】"))
    CountyReturn.objects.bulk_create(returns, batch_size=500)
    shiquan = CountyReturn.objects.get(region__name="石泉县", period__year=LAST.year, period__quarter=LAST.number)
    shiquan.state = CountyReturn.State.RETURNED
    shiquan.review_comment = "【演示】城镇新增就业人数较上季度波动较大，请核实后重新报送。"
    shiquan.reviewed_by, shiquan.reviewed_at = admin, now
    shiquan.save()
    IndicatorValue.objects.filter(region=shiquan.region, year=LAST.year, quarter=LAST.number,
                                  source_ref=DEMO_REF).update(status=IndicatorValue.Status.RETURNED)
    PeriodException.objects.create(period=shiquan.period, region=shiquan.region, opened_by=admin,
                                   open_until=timezone.localdate() + datetime.timedelta(days=7),
                                   reason="【演示】退回修改，延长填报一周")
    return len(returns)
