"""Safe Excel/CSV imports: the bad-input corpus, all-or-nothing, scoping, re-import, the Celery path.

Every corpus file is refused with its own message (in Chinese, as the user reads it), nothing is
written, and the page answers without a 500.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divisions.models import CommunityProfile
from divisions.services import community_profile_save
from imports.jobs import import_apply_job
from imports.models import ImportBatch
from imports.reading import NotANumber, read_decimal, read_whole
from imports.services import import_confirm, import_upload
from reports.models import CountyReturn, ReportingPeriod
from targets.models import IndicatorValue
from tests.imports_helpers import (
    HEADER,
    community_rows,
    csv_bytes,
    ole_file,
    rezip,
    upload,
    villages,
    with_cached_value,
    xlsx_bytes,
    zip_bomb,
)

pytestmark = pytest.mark.django_db
KIND = ImportBatch.Kind.COMMUNITY_PROFILES


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def profiles() -> list[tuple]:
    return list(CommunityProfile.objects.order_by("region__code").values_list(
        "region__code", "households", "population", "is_relocation", "version"))


def messages(batch: ImportBatch) -> str:
    return " | ".join(f"{e['sheet']} {e['row']} {e['column']} {e['message']}" for e in batch.errors)


def upload_profiles(user, data: bytes, name: str = "村社区.xlsx") -> ImportBatch:
    return import_upload(user=user, kind=KIND, upload=upload(data, name))


# ---------------------------------------------------------------- the corpus: refused before parsing

CORPUS = {
    "pdf renamed .xlsx": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\0" * 64, "报表.xlsx",
                          "不是Excel工作簿"),
    "docx renamed .xlsx": (None, "报表.xlsx", "不是Excel工作簿"),
    "empty": (b"", "空.xlsx", "是空文件"),
    "macro part": (None, "宏.xlsx", "宏"),
    "xlsm by name": (None, "宏.xlsm", "宏"),
    "macro content type": (None, "宏2.xlsx", "宏"),
    "password-protected": (ole_file(encrypted=True), "加密.xlsx", "密码"),
    "legacy xls": (ole_file(encrypted=False), "旧.xls", ".xls"),
    "zip bomb": (None, "炸弹.xlsx", "压缩比"),
    "binary as csv": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "图.csv", "既不是Excel工作簿"),
    "utf-16 text": ("统计用区划代码\t户数\n".encode("utf-16"), "文本.csv", "UTF-16"),
}


def corpus_file(case: str) -> tuple[bytes, str, str]:
    data, name, expected = CORPUS[case]
    if case == "docx renamed .xlsx":
        data = rezip(xlsx_bytes([HEADER]), add={"word/document.xml": b"<w/>"},
                     edit=lambda n, c: c if n != "xl/workbook.xml" else c)
        import io
        import zipfile
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:  # a zip with content types but no workbook
            for info in source.infolist():
                if info.filename != "xl/workbook.xml":
                    target.writestr(info.filename, source.read(info))
        data = out.getvalue()
    elif case in ("macro part", "xlsm by name"):
        data = rezip(xlsx_bytes([HEADER]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"})
        if case == "xlsm by name":
            data = xlsx_bytes([HEADER])
    elif case == "macro content type":
        data = rezip(xlsx_bytes([HEADER]), edit=lambda n, c: c.replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml") if n == "[Content_Types].xml" else c)
    elif case == "zip bomb":
        data = zip_bomb()
    return data, name, expected


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_corpus_file_is_refused_with_its_message_and_nothing_written(case, personas):
    data, name, expected = corpus_file(case)
    before = profiles()
    batch = upload_profiles(personas["county_a"], data, name)
    assert batch.state == ImportBatch.State.REFUSED
    assert expected in messages(batch), messages(batch)
    assert not batch.file  # a refused file is not kept
    assert profiles() == before


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_corpus_file_gets_a_page_not_a_500(case, client_for):
    data, name, expected = corpus_file(case)
    client = client_for("county_a")
    response = client.post("/imports/communities/", {"file": upload(data, name)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert expected in page.content.decode()


def test_a_file_over_the_size_cap_is_refused_unread(personas, client_for):
    data = b"a" * (10 * 1024 * 1024 + 1)
    batch = upload_profiles(personas["county_a"], data, "大.csv")
    assert batch.state == ImportBatch.State.REFUSED
    assert "10.0 MB" in messages(batch) and batch.file_sha256 == ""
    response = client_for("county_a").post("/imports/communities/", {"file": upload(data, "大.csv")})
    assert response.status_code == 302


def test_zip_limits_entry_count_and_total_size(personas, settings):
    settings.IMPORT_ZIP_MAX_ENTRIES = 50
    many = rezip(xlsx_bytes([HEADER]), add={f"xl/media/{i}.bin": b"x" for i in range(60)})
    assert "部件" in messages(upload_profiles(personas["county_a"], many))
    settings.IMPORT_ZIP_MAX_ENTRIES = 1000
    settings.IMPORT_ZIP_MAX_UNCOMPRESSED = 1024 * 1024
    big = rezip(xlsx_bytes([HEADER]), add={"xl/media/a.bin": bytes(range(256)) * 8192})  # 2 MB, incompressible-ish
    assert "解压后" in messages(upload_profiles(personas["county_a"], big))


# ---------------------------------------------------------------- formulas, numbers, encodings


def test_a_formula_without_a_cached_value_names_its_cell(personas):
    v = villages("汉滨区", 2)
    data = xlsx_bytes([HEADER, community_rows(v[:1])[0], [v[1].code, "", "", 120, "=D2*3", "否"]])
    batch = upload_profiles(personas["county_a"], data)
    assert batch.state == ImportBatch.State.REFUSED
    assert batch.errors[0] == {"sheet": "Sheet1", "row": 3, "column": "E",
                               "message": "公式没有计算结果，请在Excel中保存后再上传"}
    page = pytest.importorskip("django.test").Client()
    page.force_login(personas["county_a"])
    assert "Sheet1 第3行 E列：公式没有计算结果" in page.get(f"/imports/{batch.pk}/").content.decode()
    assert profiles() == []


def test_a_formula_with_its_cached_value_reads_the_value(personas):
    v = villages("汉滨区", 1)
    data = with_cached_value(xlsx_bytes([HEADER, [v[0].code, "", "", 120, "=D2*3", "否"]]), "E2", "360")
    batch = upload_profiles(personas["county_a"], data)
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.preview["changes"][0]["new"] == {"households": 120, "population": 360, "is_relocation": False}


def test_a_formula_that_cached_an_error_is_an_error(personas):
    v = villages("汉滨区", 1)
    data = with_cached_value(xlsx_bytes([HEADER, [v[0].code, "", "", 120, "=1/0", "否"]]), "E2", "#DIV/0!")
    data = rezip(data, edit=lambda n, c: c.replace(b'<c r="E2"', b'<c r="E2" t="e"') if n.endswith("sheet1.xml") else c)
    assert "#DIV/0!" in messages(upload_profiles(personas["county_a"], data))


@pytest.mark.parametrize("raw, expected", [
    ("１２３", 123), ("1,234", 1234), ("１，２３４，５６７", 1234567), (12.0, 12), (7, 7), ("", None), (None, None),
])
def test_whole_numbers_normalised(raw, expected):
    assert read_whole(raw) == expected


@pytest.mark.parametrize("raw", ["1,23", "1.234,5", "12.5", 12.5, "1 234", "120人", "1e3", "-5", "①", True, "1,2345"])
def test_whole_numbers_refused_rather_than_guessed(raw):
    with pytest.raises(NotANumber):
        read_whole(raw)


@pytest.mark.parametrize("raw, expected", [("１２.５", "12.5"), ("1,234.50", "1234.50"), (0.1, "0.1"), (3, "3")])
def test_decimals(raw, expected):
    assert str(read_decimal(raw)) == expected


@pytest.mark.parametrize("raw", ["12%", "1,23.4", "NaN", "∞", float("nan"), "1.2.3"])
def test_decimals_refused(raw):
    with pytest.raises(NotANumber):
        read_decimal(raw)


def test_full_width_digits_and_separators_in_a_file(personas):
    v = villages("汉滨区", 2)
    rows = [HEADER, [v[0].code, "", "", "１２０", "1,234", "是"], [v[1].code, "", "", "1,23", "300", "否"]]
    batch = upload_profiles(personas["county_a"], xlsx_bytes(rows))
    assert batch.state == ImportBatch.State.REFUSED
    assert messages(batch) == "Sheet1 3 D “1,23”不是整数"
    rows[2][3] = "１２３"
    batch = upload_profiles(personas["county_a"], xlsx_bytes(rows))
    assert [c["new"] for c in batch.preview["changes"]] == [
        {"households": 120, "population": 1234, "is_relocation": True},
        {"households": 123, "population": 300, "is_relocation": False}]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_each_encoding_excel_writes(encoding, personas):
    v = villages("汉滨区", 3)
    batch = upload_profiles(personas["county_a"], csv_bytes([HEADER] + community_rows(v), encoding=encoding), "村.csv")
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.file_type == f"csv ({'gb18030' if encoding.startswith('gb') else encoding})"
    assert [c["name"] for c in batch.preview["changes"]] == [r.name for r in v]  # the names read back in Chinese
    import_confirm(batch=batch, user=personas["county_a"])
    assert [p[1] for p in profiles()] == [100, 101, 102]


# ---------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("position", [0, 2, 4])
def test_a_bad_row_anywhere_refuses_the_file(position, personas):
    v = villages("汉滨区", 5)
    rows = community_rows(v)
    rows[position][3] = "很多"
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + rows))
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(position + 2, "D")]
    with pytest.raises(ValidationError):
        import_confirm(batch=batch, user=personas["county_a"])
    assert profiles() == []


@pytest.mark.parametrize("position", [0, 2, 4])
def test_a_row_failing_while_applying_leaves_nothing_written(position, personas, settings):
    """A row that passed the preview but is refused while writing (someone saved it in between:
    a race past the re-check) rolls back every row, in whichever chunk it is."""
    from kernel.versioning import Conflict

    settings.IMPORT_ASYNC_ROWS = 100
    v = villages("汉滨区", 5)
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(v)))
    for r in v[:position + 1]:  # profiles to update, the last one "changed by someone"
        community_profile_save(region=r, households=1, population=1, is_relocation=False, version=1,
                               user=personas["city_admin"])
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(v)))
    before = profiles()

    def stale(record, version):
        if record.region.code == v[position].code:
            raise Conflict("模拟：已被他人修改")

    with mock.patch("divisions.services.refuse_if_stale", stale), mock.patch("imports.kinds.CHUNK", 2):
        batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.FAILED
    assert batch.errors[0]["row"] == position + 2 and "模拟：已被他人修改" in batch.errors[0]["message"]
    assert profiles() == before


def test_bulk_save_keeps_the_single_service_rules(personas):
    """The bulk path ends where community_profile_save would: versions, who, history and audit."""
    from audit.models import AuditEvent

    v = villages("汉滨区", 2)
    community_profile_save(region=v[0], households=1, population=2, is_relocation=False, version=1,
                           user=personas["county_a"])
    rows = [HEADER, [v[0].code, "", "", 5, 6, "是"], [v[1].code, "", "", 7, 8, "否"]]
    batch = import_confirm(batch=upload_profiles(personas["county_a"], xlsx_bytes(rows)), user=personas["county_a"])
    assert batch.state == ImportBatch.State.APPLIED
    assert [p[1:] for p in profiles()] == [(5, 6, True, 3), (7, 8, False, 2)]
    assert set(CommunityProfile.objects.values_list("updated_by", flat=True)) == {personas["county_a"].pk}
    changed = AuditEvent.objects.filter(model="divisions.communityprofile", reason__startswith=f"import #{batch.pk}")
    assert sorted(e.action for e in changed) == ["changed", "created"]
    assert {c["field"]: (c["old"], c["new"]) for c in changed.get(action="changed").changes}["households"] == (1, 5)


def test_data_changed_since_the_preview_is_previewed_again_not_applied(personas):
    v = villages("汉滨区", 3)
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(v)))
    community_profile_save(region=v[2], households=5, population=9, is_relocation=False, version=1,
                           user=personas["city_admin"])
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.READY and batch.summary["stale_preview"]
    assert profiles() == [(v[2].code, 5, 9, False, 2)]
    assert batch.preview["changes"][2]["old"] == {"households": 5, "population": 9, "is_relocation": False}
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.APPLIED
    assert [p[1] for p in profiles()] == [100, 101, 102]


def test_reimporting_the_same_file_changes_nothing_and_says_so(personas, client_for):
    v = villages("汉滨区", 4)
    data = xlsx_bytes([HEADER] + community_rows(v))
    first = import_confirm(batch=upload_profiles(personas["county_a"], data), user=personas["county_a"])
    assert first.state == ImportBatch.State.APPLIED and first.summary["created"] == 4
    state, history = profiles(), CommunityProfile.history.count()
    again = upload_profiles(personas["county_a"], data)
    assert again.state == ImportBatch.State.UNCHANGED
    assert again.summary["unchanged"] == 4 and again.summary["same_file_as"]["id"] == first.pk
    with pytest.raises(ValidationError):
        import_confirm(batch=again, user=personas["county_a"])
    assert profiles() == state and CommunityProfile.history.count() == history
    page = client_for("county_a").get(f"/imports/{again.pk}/").content.decode()
    assert "没有需要更改的内容" in page and f"导入 #{first.pk}" in page


def test_applied_import_is_traceable_to_its_file(personas, client_for):
    from audit.models import AuditEvent

    v = villages("汉滨区", 2)
    data = csv_bytes([HEADER] + community_rows(v))
    batch = import_confirm(batch=upload_profiles(personas["county_a"], data, "村.csv"), user=personas["county_a"])
    event = AuditEvent.objects.get(action=AuditEvent.Action.BULK_LOADED, object_repr__contains=f"import #{batch.pk}")
    assert batch.file_sha256 in event.object_repr and event.actor == personas["county_a"]
    assert CommunityProfile.history.count() > 0
    assert not CommunityProfile.history.exclude(history_user=personas["county_a"]).exists()
    response = client_for("county_a").get(f"/imports/{batch.pk}/file/")
    assert b"".join(response.streaming_content) == data


# ---------------------------------------------------------------- scoping


def test_a_row_naming_another_county_is_an_error_for_that_row(personas):
    v = villages("汉滨区", 3)
    rows = community_rows(v)
    rows[1][2] = "石泉县"
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + rows))
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "C")]
    assert "石泉县" in batch.errors[0]["message"] and "汉滨区" in batch.errors[0]["message"]
    assert profiles() == []


def test_county_a_cannot_import_county_b_villages(personas):
    ours, theirs = villages("汉滨区", 1), villages("石泉县", 1)
    rows = community_rows(ours) + community_rows(theirs, county="")
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + rows))
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "A")]
    assert "不是您所在的县" in batch.errors[0]["message"]


def test_the_city_administrator_imports_any_county(personas):
    rows = community_rows(villages("汉滨区", 1)) + community_rows(villages("石泉县", 1))
    batch = upload_profiles(personas["city_admin"], xlsx_bytes([HEADER] + rows))
    assert batch.scope_region is None
    assert import_confirm(batch=batch, user=personas["city_admin"]).state == ImportBatch.State.APPLIED
    assert len(profiles()) == 2


@pytest.mark.parametrize("persona", ["lead_officer", "leader", "auditor", "outsider"])
def test_who_may_not_import_village_data(persona, personas, client_for):
    with pytest.raises(PermissionDenied):
        upload_profiles(personas[persona], xlsx_bytes([HEADER]))
    assert client_for(persona).get("/imports/communities/").status_code in (302, 404)


def test_batches_are_scoped_and_only_the_uploader_confirms(personas, client_for):
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(villages("汉滨区", 1))))
    for persona in ("county_b", "lead_officer", "leader"):
        client = client_for(persona)
        assert client.get(f"/imports/{batch.pk}/").status_code == 404
        assert client.get(f"/imports/{batch.pk}/file/").status_code == 404
        assert client.get(f"/imports/{batch.pk}/progress.json").status_code == 404
        assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 404
    assert client_for("city_admin").post(f"/imports/{batch.pk}/confirm/").status_code == 404  # sees, cannot confirm
    assert client_for("anonymous").get(f"/imports/{batch.pk}/").status_code == 302
    assert profiles() == []


def test_the_registry_links_to_the_import(client_for):
    assert "/imports/communities/" in client_for("county_a").get("/communities/").content.decode()
    assert "/imports/communities/" not in client_for("leader").get("/communities/").content.decode()


# ---------------------------------------------------------------- the Celery path


def test_a_large_import_runs_as_a_job_with_progress(personas, settings, client_for, django_capture_on_commit_callbacks):
    settings.IMPORT_ASYNC_ROWS = 3
    v = villages("汉滨区", 6)
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(v)))
    client = client_for("county_a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/imports/{batch.pk}/confirm/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED and profiles() == []
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "progress.json" in page and 'role="progressbar"' in page
    assert client.get(f"/imports/{batch.pk}/progress.json").json() == {
        "state": "queued", "state_label": "排队中", "finished": False, "done": 0, "total": 6,
        "result_url": f"/imports/{batch.pk}/"}
    assert len(callbacks) == 1
    callbacks[0]()  # the job, enqueued after the commit (eager here)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED and len(profiles()) == 6
    progress = client.get(f"/imports/{batch.pk}/progress.json").json()
    assert (progress["finished"], progress["done"], progress["total"]) == (True, 6, 6)
    history = CommunityProfile.history.count()
    assert import_apply_job(batch_id=batch.pk) == "nothing to do"  # a second delivery writes nothing
    assert CommunityProfile.history.count() == history
    assert not CommunityProfile.history.exclude(history_user=personas["county_a"]).exists()  # the job names the user


def test_a_failing_job_writes_nothing(personas, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_ASYNC_ROWS = 1
    v = villages("汉滨区", 3)
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(v)))
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(batch=batch, user=personas["county_a"])
        community_profile_save(region=v[1], households=1, population=1, is_relocation=False, version=1,
                               user=personas["city_admin"])
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.READY and batch.summary["stale_preview"]  # re-previewed, not applied
    assert profiles() == [(v[1].code, 1, 1, False, 2)]


# ---------------------------------------------------------------- county returns

IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3's entry window
RETURN_HEADER = ["指标代码", "分项代码", "数值", "县（市、区）", "季度"]


@pytest.fixture
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def return_rows(county="汉滨区", period="2024Q3", scale=1) -> list[list]:
    from reports.services import reported_indicators

    rows = []
    for indicator in reported_indicators():
        for c in indicator.components.all():
            value = 10 * scale
            if indicator.kind == "ratio":
                value = (30 if indicator.direction == "at_most" else 900) if c.role == "numerator" else 1000
                value *= scale
            rows.append([indicator.code, c.code, value, county, period])
    return rows


def upload_return(user, rows, *, region="610902000000", period="2024Q3", name="季报.xlsx") -> ImportBatch:
    from divisions.models import Region

    return import_upload(user=user, kind=ImportBatch.Kind.COUNTY_RETURN, upload=upload(xlsx_bytes(rows), name),
                         region=Region.objects.get(code=region),
                         period=ReportingPeriod.objects.get(year=int(period[:4]), quarter=int(period[-1])))


def values() -> list[tuple]:
    return list(IndicatorValue.objects.order_by("indicator__code", "component__code").values_list(
        "indicator__code", "component__code", "value", "status", "source"))


def test_a_return_imported_is_a_draft_of_the_return_traced_to_its_batch(personas, in_window):
    rows = return_rows()
    batch = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.summary["created"] == len(rows)
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.APPLIED, messages(batch)
    r = CountyReturn.objects.get(region__code="610902000000", period__year=2024, period__quarter=3)
    assert r.state == CountyReturn.State.DRAFT and r.version == 2
    saved = IndicatorValue.objects.filter(region=r.region, year=2024, quarter=3)
    assert saved.count() == len(rows)
    assert {(v.status, v.source, v.source_ref) for v in saved} == {("draft", "import", f"return:{r.pk} import:{batch.pk}")}
    again = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert again.state == ImportBatch.State.UNCHANGED and again.summary["unchanged"] == len(rows)
    changed = [row[:] for row in rows]
    changed[0][2] = 11
    one = upload_return(personas["county_a"], [RETURN_HEADER] + changed)
    assert (one.summary["updated"], one.summary["unchanged"]) == (1, len(rows) - 1)
    assert import_confirm(batch=one, user=personas["county_a"]).state == ImportBatch.State.APPLIED
    assert IndicatorValue.objects.get(region=r.region, year=2024, quarter=3, indicator__code=rows[0][0],
                                      component__code=rows[0][1]).value == 11


def test_return_rows_naming_another_county_or_quarter_are_errors(personas, in_window):
    rows = return_rows()
    rows[0][3] = "石泉县"
    rows[-1][4] = "2024Q2"
    batch = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "D"), (len(rows) + 1, "E")]
    assert values() == []


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_a_bad_return_row_anywhere_writes_nothing(position, personas, in_window):
    rows = return_rows()
    index = {"first": 0, "middle": len(rows) // 2, "last": len(rows) - 1}[position]
    rows[index][2] = "-5"
    batch = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(index + 2, "C")]
    assert "不能为负数" in batch.errors[0]["message"]
    assert values() == [] and not CountyReturn.objects.exists()


def test_half_a_ratio_is_an_error_naming_the_rows(personas, in_window):
    rows = [r for r in return_rows() if r[0] == "willing_able_employment_rate"][:1]
    batch = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert batch.state == ImportBatch.State.REFUSED and batch.errors[0]["row"] == 2
    assert values() == []


def test_county_b_cannot_import_county_a_return(personas, client_for, in_window):
    with pytest.raises(PermissionDenied):
        upload_return(personas["county_b"], [RETURN_HEADER] + return_rows())
    assert client_for("county_b").get("/imports/returns/610902000000/2024Q3/").status_code == 404
    assert client_for("city_admin").get("/imports/returns/610902000000/2024Q3/").status_code == 404
    assert client_for("county_a").get("/imports/returns/610902000000/2024Q3/").status_code == 200


def test_a_closed_period_is_refused_at_preview(personas):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 11, 30)):
        batch = upload_return(personas["county_a"], [RETURN_HEADER] + return_rows())
    assert batch.state == ImportBatch.State.REFUSED and "2024年10月20日后关闭" in messages(batch)


def test_the_return_page_links_to_the_import(client_for, in_window):
    page = client_for("county_a").get("/reports/returns/610902000000/2024Q3/").content.decode()
    assert "/imports/returns/610902000000/2024Q3/" in page


def test_the_whole_return_flow_through_the_pages(client_for, in_window):
    client = client_for("county_a")
    response = client.post("/imports/returns/610902000000/2024Q3/",
                           {"file": upload(csv_bytes([RETURN_HEADER] + return_rows(), encoding="gbk"), "季报.csv")})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "确认导入" in page
    response = client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert len(values()) == batch.summary["created"] > 0


def test_the_samples_import_cleanly(personas, client_for, settings):
    from pathlib import Path

    sample = Path(settings.BASE_DIR) / "imports" / "samples" / "hanbin_communities.csv"
    batch = upload_profiles(personas["county_a"], sample.read_bytes(), sample.name)
    assert batch.state == ImportBatch.State.READY and batch.summary["created"] == 30, messages(batch)
    assert client_for("county_a").get("/imports/samples/communities/").status_code == 200


def test_a_return_saved_between_preview_and_confirmation_gets_a_new_preview(personas, in_window):
    """Confirming applies the preview at once (the return's version guards it) — unless the return
    was saved since: then nothing is written and the file is previewed again."""
    from reports.services import county_return_save

    rows = return_rows()
    first = upload_return(personas["county_a"], [RETURN_HEADER] + rows)
    assert import_confirm(batch=first, user=personas["county_a"]).state == ImportBatch.State.APPLIED
    changed = [row[:] for row in rows]
    changed[0][2] = 77
    batch = upload_return(personas["county_a"], [RETURN_HEADER] + changed)
    assert batch.summary["updated"] == 1
    r = CountyReturn.objects.get(region__code="610902000000", period__year=2024, period__quarter=3)
    indicator = IndicatorValue.objects.get(region=r.region, year=2024, quarter=3, indicator__code=rows[1][0],
                                           component__code=rows[1][1]).indicator
    figures = {indicator.code: {c.code: "55" for c in indicator.components.all()}}
    county_return_save(county_return=r, figures=figures, version=r.version, user=personas["county_a"])
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.READY and batch.summary.get("stale_preview"), messages(batch)
    assert IndicatorValue.objects.get(region=r.region, year=2024, quarter=3, indicator__code=rows[0][0],
                                      component__code=rows[0][1]).value != 77  # nothing written
    batch = import_confirm(batch=batch, user=personas["county_a"])  # the new preview, confirmed
    assert batch.state == ImportBatch.State.APPLIED
    assert IndicatorValue.objects.get(region=r.region, year=2024, quarter=3, indicator__code=rows[0][0],
                                      component__code=rows[0][1]).value == 77


def test_a_worker_lost_mid_import_leaves_it_queued_and_the_redelivered_job_applies_it(personas, settings):
    """The claim is held for the whole apply: a worker that dies half-way (here: an exception
    import_apply does not handle) rolls everything back, the claim included, so the job delivered
    again (reject on worker loss) still finds the batch QUEUED and applies it once."""
    from imports.services import import_confirm

    settings.IMPORT_ASYNC_ROWS = 3
    batch = upload_profiles(personas["county_a"], xlsx_bytes([HEADER] + community_rows(villages("汉滨区", 6))))
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.QUEUED
    with mock.patch("imports.kinds.CommunityProfileImporter.apply", side_effect=RuntimeError("worker lost")):
        with pytest.raises(RuntimeError):
            import_apply_job(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED and profiles() == []
    assert import_apply_job(batch_id=batch.pk) == ImportBatch.State.APPLIED
    assert len(profiles()) == 6
    assert import_apply_job(batch_id=batch.pk) == "nothing to do"
