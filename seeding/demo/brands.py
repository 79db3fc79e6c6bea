"""Demo labour brands (劳务品牌, task 11), recorded through the brands service by demo_admin and
labelled 【演示】: most counties have built two by now, a few one, and one none — so the target
page shows how many counties meet "1–2 per county"."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from brands.models import LabourBrand
from brands.services import labour_brand_save
from divisions.models import Region

# county → (brand, work type, year recognised, workers employed)
DEMO_BRANDS = {
    "汉滨区": [("安康家政", "家政服务", 2021, 3200), ("汉滨建工", "建筑工匠", 2023, 2100),
              ("安康月嫂", "母婴护理", 2024, 860)],
    "汉阴县": [("汉阴技工", "机械加工", 2022, 940), ("凤堰农艺", "现代农业", 2024, 520)],
    "石泉县": [("石泉蚕桑", "蚕桑养殖", 2021, 780), ("鬼谷厨师", "中式烹调", 2023, 610)],
    "宁陕县": [],
    "紫阳县": [("紫阳修脚师", "足部保健", 2021, 4100), ("紫阳茶艺", "茶叶加工", 2022, 1300)],
    "岚皋县": [("岚皋魔芋", "魔芋加工", 2022, 560)],
    "平利县": [("平利绞股蓝", "茶饮加工", 2022, 690), ("平利电子", "电子装配", 2024, 830)],
    "镇坪县": [("镇坪药工", "中药材种植", 2025, 310)],
    "白河县": [("白河木瓜", "林果加工", 2023, 420), ("白河锂电", "电池装配", 2024, 570)],
    "旬阳市": [("旬阳拐枣", "林果加工", 2021, 880), ("旬阳建工", "建筑施工", 2022, 1500)],
}


@transaction.atomic
def demo_brands_seed(*, admin) -> int:
    """Create the demo labour brands once (a second call finds them and does nothing)."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo labour brands are only created with DEMO_MODE on (never in production)")
    if LabourBrand.objects.filter(is_demo=True).exists():
        return 0
    n = 0
    for county in Region.objects.counties().order_by("code"):
        for name, work_type, year, workers in DEMO_BRANDS.get(county.name, []):
            labour_brand_save(name=f"【演示】{name}", work_type=work_type, county=county, year_recognised=year,
                              workers_employed=workers, note="【演示数据】", user=admin, is_demo=True)
            n += 1
    return n
