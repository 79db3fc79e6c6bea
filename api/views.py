"""REST API v1. Reads start from each model's ``for_user`` scoping; writes call the same services
as the pages (reports.services), so a rule lives once."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.models import Certification
from divisions.models import Region
from kernel.quarters import Quarter
from reports.models import CountyReturn, ReportingPeriod, TaskMeasureFigure, TaskReport, TaskReportPart
from reports.services import (
    county_return_open,
    county_return_save,
    county_return_submit,
    period_closed_message,
    period_entry_check,
    period_is_open_for,
    task_part_open,
    task_part_save,
    task_part_submit,
    task_report_open,
    task_report_save,
    task_report_submit,
)
from targets.models import Indicator, IndicatorValue, QuotaSet, Snapshot, Target
from targets.selectors import outside_window_message
from tasks.models import Department, Plan, Responsibility, Task, TaskMeasure

from . import serializers
from .models import ApiClient, IdempotencyRecord
from .permissions import ReadsPlan, WritesReturns, WritesTaskReports
from .schema import ErrorSerializer
from .services import return_values_check
from .sync import SINCE_PARAMS, ConditionalRead, SyncedList, SyncPages

Pages = SyncPages


def last_change(model):
    """When a row last changed: its newest history record (every save, bulk or not, writes one)."""
    history = model.history.model
    return Subquery(history.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1])


class RefusesNul:
    """PostgreSQL text cannot hold a NUL character, and psycopg2 refuses to send one: a filter or
    code containing it is a 400, not a server error."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        texts = [*kwargs.values(), *(text for pair in request.query_params.lists() for text in (pair[0], *pair[1]))]
        if any("\x00" in str(text) for text in texts):
            from rest_framework.exceptions import ParseError

            raise ParseError(_("The request contains a NUL character (code 0), which no field can hold."))


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def body_limit() -> int:
    """The largest body an API write takes: API_MAX_BODY_BYTES, and never more than Django reads
    (DATA_UPLOAD_MAX_MEMORY_SIZE, above which ``request.body`` refuses with an HTML 400)."""
    limits = [settings.API_MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE]
    return min(limit for limit in limits if limit is not None)


def body_too_large(size: int) -> BodyTooLarge:
    return BodyTooLarge(_("The request body is %(size)s MB; the limit is %(limit)s MB: send the values in several "
                          "requests.") % {"size": f"{size / 1048576:.1f}", "limit": f"{body_limit() / 1048576:g}"})


class BoundedBody:
    """An API write refuses a body over ``body_limit()`` with the API's JSON 413 before reading it
    (issue 15, finding 5): by its declared length, and by what was read when the length lies."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > body_limit():
                raise body_too_large(declared)
            if len(request.body) > body_limit():  # the declared length was wrong
                raise body_too_large(len(request.body))


def _in_period(qs, label: str | None):
    """``qs`` (rows with a reporting period) in the period ``label`` names, like 2024Q3; none for a
    label that is not a quarter; all of them without one."""
    if not label:
        return qs
    try:
        quarter = Quarter.parse(label)
    except ValueError:
        return qs.none()
    return qs.filter(period__year=quarter.year, period__quarter=quarter.number)


class ReadView(RefusesNul, ConditionalRead, generics.ListAPIView):
    permission_classes = [ReadsPlan]
    pagination_class = Pages


def _param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, description=description)


def _period(label: str) -> ReportingPeriod:
    try:
        quarter = Quarter.parse(label)
    except ValueError as exc:
        raise NotFound(_("No period %(label)s: write it like 2024Q3.") % {"label": label}) from exc
    return get_object_or_404(ReportingPeriod, year=quarter.year, quarter=quarter.number)


PLAN_PARAM = ("plan code, e.g. ankang-2022 (default: the plan in force today, else the last to have started); "
              "an unknown code answers 404")


def _plan_asked(request) -> Plan | None:
    """The plan named by ``?plan=`` (404 with the reason if there is none such), else the plan in force."""
    plans = Plan.objects.for_user(request.user)
    code = request.query_params.get("plan")
    if not code:
        return plans.current(timezone.localdate())
    plan = plans.filter(code=code).first()
    if plan is None:
        raise NotFound(_("No plan %(code)s: the plans' codes are listed at /api/v1/plans/.") % {"code": code})
    return plan


class PlanList(ReadView):
    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).order_by("period_start", "code")


class PlanDetail(RefusesNul, ConditionalRead, generics.RetrieveAPIView):
    permission_classes = [ReadsPlan]
    serializer_class = serializers.PlanSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user)


@extend_schema(parameters=[_param("plan", "plan code, e.g. ankang-2022")])
class TaskList(ReadView):
    serializer_class = serializers.TaskSerializer

    def get_queryset(self):
        qs = Task.objects.for_user(self.request.user).select_related("plan", "section").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("order")))
        if self.request.query_params.get("plan"):
            qs = qs.filter(plan__code=self.request.query_params["plan"])
        return qs.order_by("plan__period_start", "plan__code", "number")


class DepartmentList(ReadView):
    serializer_class = serializers.DepartmentSerializer

    def get_queryset(self):
        return Department.objects.for_user(self.request.user).prefetch_related("aliases").order_by("order", "name")


@extend_schema(parameters=[_param("level", "city | county | town | village"),
                           _param("parent", "NBS code of the parent unit")])
class RegionList(ReadView):
    serializer_class = serializers.RegionSerializer

    def get_queryset(self):
        qs = Region.objects.for_user(self.request.user).select_related("parent", "county")
        params = self.request.query_params
        if params.get("level"):
            qs = qs.filter(level=params["level"])
        if params.get("parent"):
            qs = qs.filter(parent__code=params["parent"])
        return qs.order_by("code")


class RegionDetail(RefusesNul, ConditionalRead, generics.RetrieveAPIView):
    permission_classes = [ReadsPlan]
    serializer_class = serializers.RegionDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Region.objects.for_user(self.request.user).select_related("parent", "county").prefetch_related(
            Prefetch("children", queryset=Region.objects.select_related("parent", "county").order_by("code")))


class IndicatorList(ReadView):
    serializer_class = serializers.IndicatorSerializer

    def get_queryset(self):
        return Indicator.objects.for_user(self.request.user).prefetch_related("components").order_by("order", "code")


@extend_schema(parameters=[_param("plan", PLAN_PARAM)])
class TargetList(ReadView):
    """One plan's targets: the plan asked for, or the plan in force."""

    serializer_class = serializers.TargetSerializer

    def get_queryset(self):
        plan = _plan_asked(self.request)
        qs = Target.objects.for_user(self.request.user).select_related("plan", "indicator", "task").prefetch_related(
            Prefetch("quota_sets", queryset=QuotaSet.objects.prefetch_related("quotas__region")))
        return qs.filter(plan=plan).order_by("order", "code") if plan else qs.none()


class PeriodList(ReadView):
    serializer_class = serializers.PeriodSerializer

    def get_queryset(self):
        return ReportingPeriod.objects.order_by("year", "quarter")


@extend_schema(parameters=[_param("plan", PLAN_PARAM), _param("indicator", "indicator code"),
                           _param("region", "NBS code"),
                           _param("period", "e.g. 2024Q3; a quarter outside the plan's period answers 404 with the "
                                            "reason (a plan has no figures outside its period)"), *SINCE_PARAMS])
class SnapshotList(SyncedList, ReadView):
    """One plan's figures: the plan asked for, or the plan in force. A value counts toward every
    plan whose period holds its quarter; each plan's figures are its own."""

    serializer_class = serializers.SnapshotSerializer
    changed_at_expression = F("computed_at")

    def get_queryset(self):
        plan = _plan_asked(self.request)
        if plan is None:
            return Snapshot.objects.none()
        qs = Snapshot.objects.for_user(self.request.user).filter(plan=plan).select_related("plan", "indicator",
                                                                                          "region")
        params = self.request.query_params
        if params.get("indicator"):
            qs = qs.filter(indicator__code=params["indicator"])
        if params.get("region"):
            qs = qs.filter(region__code=params["region"])
        if params.get("period"):
            try:
                quarter = Quarter.parse(params["period"])
            except ValueError:
                return qs.none()
            if not plan.covers(quarter):
                raise NotFound(outside_window_message(plan, quarter))
            qs = qs.filter(year=quarter.year, quarter=quarter.number)
        return qs.order_by("indicator__order", "indicator__code", "region__code", "year", "quarter")


@extend_schema(parameters=[_param("period", "e.g. 2024Q3"), *SINCE_PARAMS])
class TaskReportList(SyncedList, ReadView):
    serializer_class = serializers.TaskReportStateSerializer
    changed_at_expression = staticmethod(lambda: last_change(TaskReport))

    def get_queryset(self):
        qs = TaskReport.objects.for_user(self.request.user).select_related("task", "period")
        qs = _in_period(qs, self.request.query_params.get("period"))
        return qs.order_by("period__year", "period__quarter", "task__number")


@extend_schema(parameters=[_param("plan", PLAN_PARAM), _param("task", "task number")])
class TaskMeasureList(ReadView):
    """The task measures (任务指标) of a plan's tasks: what a department enters in ``figures``."""

    serializer_class = serializers.TaskMeasureSerializer

    def get_queryset(self):
        qs = TaskMeasure.objects.filter(task__in=Task.objects.for_user(self.request.user),
                                        task__plan=_plan_asked(self.request))
        task = self.request.query_params.get("task")
        if task is not None:
            qs = qs.filter(task__number=int(task)) if task.isdigit() and len(task) < 6 else qs.none()
        return qs.select_related("task").prefetch_related("reporting_units").order_by("task__number", "order")


@extend_schema(parameters=[_param("period", "e.g. 2024Q3"), _param("task", "task number"),
                           _param("measure", "measure code"), *SINCE_PARAMS])
class TaskMeasureFigureList(SyncedList, ReadView):
    """The task measures' figures the caller sees: its own department's in every state, and those
    of the reports and parts it may read."""

    serializer_class = serializers.TaskMeasureFigureSerializer
    changed_at_expression = staticmethod(lambda: last_change(TaskMeasureFigure))

    def get_queryset(self):
        qs = TaskMeasureFigure.objects.for_user(self.request.user).select_related(
            "measure__task", "period", "department", "part", "report")
        params = self.request.query_params
        qs = _in_period(qs, params.get("period"))
        task = params.get("task")
        if task is not None:
            qs = qs.filter(measure__task__number=int(task)) if task.isdigit() and len(task) < 6 else qs.none()
        if params.get("measure"):
            qs = qs.filter(measure__code=params["measure"])
        return qs.order_by("period__year", "period__quarter", "measure__task__number", "measure__order",
                           "department__order", "pk")


@extend_schema(parameters=[_param("county", "NBS code of the county"), _param("tier", "tier code"), *SINCE_PARAMS])
class CertificationList(SyncedList, ReadView):
    serializer_class = serializers.CertificationSerializer
    changed_at_expression = staticmethod(lambda: last_change(Certification))

    def get_queryset(self):
        qs = Certification.objects.for_user(self.request.user).select_related("community__county", "tier")
        params = self.request.query_params
        if params.get("county"):
            qs = qs.filter(community__county__code=params["county"])
        if params.get("tier"):
            qs = qs.filter(tier__code=params["tier"])
        return qs.order_by("tier__rank", "community__code", "certificate_number")


@extend_schema(parameters=[_param("period", "e.g. 2024Q3"), *SINCE_PARAMS])
class CountyReturnList(SyncedList, ReadView):
    serializer_class = serializers.CountyReturnSerializer
    changed_at_expression = staticmethod(lambda: last_change(CountyReturn))

    def get_queryset(self):
        qs = CountyReturn.objects.for_user(self.request.user).select_related("region", "period")
        qs = _in_period(qs, self.request.query_params.get("period"))
        return qs.order_by("period__year", "period__quarter", "region__code")


@extend_schema(parameters=[_param("period", "e.g. 2024Q3"), _param("region", "NBS code"),
                           _param("indicator", "indicator code"), *SINCE_PARAMS])
class ValueList(SyncedList, ReadView):
    """Reported figures, one row per indicator, component, region and quarter: a county system
    reads back what it pushed, its state, and (with updated_since) what changed since — a review's
    approval or sending back, a correction."""

    serializer_class = serializers.ValueSerializer
    changed_at_expression = staticmethod(lambda: last_change(IndicatorValue))

    def get_queryset(self):
        qs = IndicatorValue.objects.for_user(self.request.user).select_related("indicator", "component", "region")
        params = self.request.query_params
        if params.get("period"):
            try:
                quarter = Quarter.parse(params["period"])
            except ValueError:
                return qs.none()
            qs = qs.filter(year=quarter.year, quarter=quarter.number)
        if params.get("region"):
            qs = qs.filter(region__code=params["region"])
        if params.get("indicator"):
            qs = qs.filter(indicator__code=params["indicator"])
        return qs.order_by("year", "quarter", "region__code", "indicator__order", "indicator__code",
                           "component__code")


# ---------------------------------------------------------------- writes


def _idempotent(view_post):
    """Replay the first response to a retried request carrying the same Idempotency-Key; refuse
    the key's reuse for a different request."""

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_post(self, request, *args, **kwargs)
        if len(key) > 100:
            return Response({"detail": _("The Idempotency-Key is longer than 100 characters.")}, status=400)
        digest = hashlib.sha256(request.method.encode() + request.path.encode() + request.body).hexdigest()
        previous = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if previous is not None:
            if previous.request_hash != digest:
                return Response({"detail": _("This Idempotency-Key was used for a different request.")}, status=409)
            response = Response(previous.body, status=previous.status_code)
            response["Idempotent-Replay"] = "true"
            return response
        response = view_post(self, request, *args, **kwargs)
        if response.status_code < 500:
            IdempotencyRecord.objects.create(
                user=request.user, client=request.auth if isinstance(request.auth, ApiClient) else None, key=key,
                request_hash=digest, status_code=response.status_code, body=json.loads(json.dumps(response.data,
                                                                                                   default=str)))
        return response

    return wrapper


IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                               description="Retrying with the same key returns the first response and writes nothing.")


class ReturnValues(BoundedBody, APIView):
    """Push figures of the caller's county for one period. All or nothing; ``dry_run`` checks and
    reports without writing."""

    permission_classes = [WritesReturns]

    @extend_schema(request=serializers.BulkValuesSerializer,
                   responses={200: serializers.ImportSummarySerializer, 413: ErrorSerializer},
                   parameters=[IDEMPOTENCY], operation_id="returns_values_push")
    @_idempotent
    def post(self, request, period: str):
        period_obj = _period(period)
        data = serializers.bulk_values_validate(request.data)  # BulkValuesSerializer's result, fast for 10,000 values
        county = request.user.region
        # a period closed or not yet open: the same refusal for a dry run as for the real request
        period_entry_check(period=period_obj, today=timezone.localdate(), region=county)
        existing = CountyReturn.objects.filter(region=county, period=period_obj).first()
        if existing is not None:  # the county and period just read, not read again
            existing.region, existing.period = county, period_obj
        results, figures, catalogue = return_values_check(values=data["values"], county=county, period=period_obj,
                                                          existing=existing)
        outcomes = Counter(result["outcome"] for result in results)
        summary = {outcome: outcomes[outcome] for outcome in ("created", "updated", "unchanged", "rejected")}
        body = {"dry_run": data["dry_run"], "written": False, **summary, "results": results,
                "return_state": existing.state if existing else None,
                "return_version": existing.version if existing else None}
        if summary["rejected"]:
            body["detail"] = _("%(n)d values were rejected (see results); nothing was written.") % {
                "n": summary["rejected"]}
            return Response(body, status=status.HTTP_200_OK if data["dry_run"] else status.HTTP_400_BAD_REQUEST)
        if data["dry_run"] or not (summary["created"] or summary["updated"]):
            return Response(body)
        # All or nothing: a refused save leaves no newly opened return behind. Inside the request's
        # transaction (ATOMIC_REQUESTS) no savepoint of its own: a refusal rolls the whole request back.
        with transaction.atomic(savepoint=False):
            county_return = existing or county_return_open(region=county, period=period_obj, user=request.user)
            version = data.get("version", county_return.version)
            county_return = county_return_save(county_return=county_return, figures=figures, version=version,
                                               user=request.user, catalogue=catalogue)
        body.update(written=True, return_state=county_return.state, return_version=county_return.version)
        return Response(body)


class ReturnSubmit(BoundedBody, APIView):
    """Submit the caller's county's return for the period for review (complete or refused whole)."""

    permission_classes = [WritesReturns]

    @extend_schema(request=serializers.SubmitSerializer, responses={200: serializers.CountyReturnSerializer},
                   parameters=[IDEMPOTENCY], operation_id="returns_submit")
    @_idempotent
    def post(self, request, period: str):
        period_obj = _period(period)
        payload = serializers.SubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        county_return = get_object_or_404(CountyReturn.objects.for_user(request.user), region=request.user.region,
                                          period=period_obj)
        county_return = county_return_submit(county_return=county_return, version=payload.validated_data["version"],
                                             user=request.user,
                                             explanation=payload.validated_data["explanation"])
        return Response(serializers.CountyReturnSerializer(county_return).data)


class ReturnValuesBackfill(BoundedBody, APIView):
    """Back-fill: values of the caller's county for several periods in one request, each value
    naming its period. All or nothing across the periods: every period must be open for the county
    (one closed period refuses the whole request, naming it), every return editable and, if
    ``versions`` names it, at that version; one rejected value and nothing is written."""

    permission_classes = [WritesReturns]

    @extend_schema(request=serializers.BackfillValuesSerializer,
                   responses={200: serializers.BackfillSummarySerializer, 413: ErrorSerializer},
                   parameters=[IDEMPOTENCY], operation_id="returns_values_backfill")
    @_idempotent
    def post(self, request):
        payload = serializers.BackfillValuesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data, county, today = payload.validated_data, request.user.region, timezone.localdate()
        groups: dict[str, list[int]] = {}
        for index, value in enumerate(data["values"]):
            groups.setdefault(value["period"], []).append(index)
        periods = {}
        for label in sorted(groups, key=Quarter.parse):
            quarter = Quarter.parse(label)
            period = ReportingPeriod.objects.filter(year=quarter.year, quarter=quarter.number).first()
            if period is None:
                raise NotFound(_("No period %(label)s: write it like 2024Q3.") % {"label": label})
            periods[label] = period
        closed = [label for label, period in periods.items()
                  if not period_is_open_for(period=period, today=today, region=county)]
        if closed:
            return Response({"detail": _("Nothing was written: %(periods)s closed for entry. %(why)s") % {
                "periods": "、".join(closed), "why": " ".join(period_closed_message(periods[label]) for label in closed)},
                "errors": {"periods": closed}}, status=status.HTTP_409_CONFLICT)
        versions = data.get("versions", {})
        unknown = sorted(set(versions) - set(periods))
        if unknown:
            raise ValidationError({"versions": [_("versions names %(periods)s, for which no value is sent.")
                                                % {"periods": "、".join(unknown)}]})
        results: list[dict | None] = [None] * len(data["values"])
        checked = {}
        for label, period in periods.items():
            existing = CountyReturn.objects.filter(region=county, period=period).first()
            if existing is not None and not existing.is_editable_state:
                return Response({"detail": _("Nothing was written: the return of %(period)s is %(state)s.") % {
                    "period": label, "state": existing.get_state_display()}, "errors": {"periods": [label]}},
                    status=status.HTTP_409_CONFLICT)
            indexes = groups[label]
            period_results, figures, catalogue = return_values_check(
                values=[data["values"][i] for i in indexes], county=county, period=period, existing=existing)
            for index, result in zip(indexes, period_results, strict=True):
                results[index] = {**result, "index": index, "period": label}
            checked[label] = (existing, figures, catalogue, period_results)
        outcomes = Counter(result["outcome"] for result in results)
        summary = {outcome: outcomes[outcome] for outcome in ("created", "updated", "unchanged", "rejected")}
        per_period = []
        for label, (existing, _figures, _catalogue, period_results) in checked.items():
            counted = Counter(r["outcome"] for r in period_results)
            per_period.append({"period": label, **{o: counted[o] for o in ("created", "updated", "unchanged")},
                               "return_state": existing.state if existing else None,
                               "return_version": existing.version if existing else None})
        body = {"dry_run": data["dry_run"], "written": False, **summary, "results": results, "periods": per_period}
        if summary["rejected"]:
            body["detail"] = _("%(n)d values were rejected (see results); nothing was written.") % {
                "n": summary["rejected"]}
            return Response(body, status=status.HTTP_200_OK if data["dry_run"] else status.HTTP_400_BAD_REQUEST)
        if data["dry_run"] or not (summary["created"] or summary["updated"]):
            return Response(body)
        with transaction.atomic():  # every period or none (a stale version or a lock raises and rolls back all)
            for row, (label, (existing, figures, catalogue, period_results)) in zip(per_period, checked.items(),
                                                                                   strict=True):
                if not any(r["outcome"] in ("created", "updated") for r in period_results):
                    continue
                county_return = existing or county_return_open(region=county, period=periods[label], user=request.user)
                county_return = county_return_save(county_return=county_return, figures=figures,
                                                   version=versions.get(label, county_return.version),
                                                   user=request.user, catalogue=catalogue)
                row.update(return_state=county_return.state, return_version=county_return.version)
        body["written"] = True
        return Response(body)


# ---------------------------------------------------------------- department systems


def _task(request, number: int) -> Task:
    """Task ``number`` of the plan asked for (``?plan=``), else of the plan in force."""
    plan = _plan_asked(request)
    return get_object_or_404(Task.objects.for_user(request.user), plan=plan, number=number)


def _content(request) -> tuple[dict, int | None, dict | None]:
    """The text fields, the version and the task measures' figures of a report or part."""
    payload = serializers.ReportContentInSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    data = dict(payload.validated_data)
    return data, data.pop("version", None), data.pop("figures", None)


PLAN_QUERY = _param("plan", PLAN_PARAM)


class TaskReportWrite(BoundedBody, APIView):
    """The lead department's report on a task for a period: created on first use, then saved as
    a draft (the same rules as the page: the lead department only, an open period, an editable
    state, the version you read)."""

    permission_classes = [WritesTaskReports]

    @extend_schema(request=serializers.ReportContentInSerializer, responses={200: serializers.TaskReportSerializer},
                   parameters=[PLAN_QUERY, IDEMPOTENCY], operation_id="task_reports_save")
    @_idempotent
    def post(self, request, period: str, task: int):
        period_obj, task_obj = _period(period), _task(request, task)
        fields, version, figures = _content(request)
        report = TaskReport.objects.filter(task=task_obj, period=period_obj).first()
        if report is None:
            report = task_report_open(task=task_obj, period=period_obj, user=request.user)
        report = task_report_save(report=report, fields=fields, version=report.version if version is None else version,
                                  user=request.user, figures=figures)
        return Response(serializers.TaskReportSerializer(report).data)


class TaskReportSubmit(BoundedBody, APIView):
    """Send the compiled report to the office of the leading group; with co-responsible units'
    parts missing, only with the lead's reason in ``explanation``."""

    permission_classes = [WritesTaskReports]

    @extend_schema(request=serializers.SubmitSerializer, responses={200: serializers.TaskReportSerializer},
                   parameters=[PLAN_QUERY, IDEMPOTENCY], operation_id="task_reports_submit")
    @_idempotent
    def post(self, request, period: str, task: int):
        period_obj, task_obj = _period(period), _task(request, task)
        payload = serializers.SubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = get_object_or_404(TaskReport.objects.for_user(request.user), task=task_obj, period=period_obj)
        # with co-responsible units' parts missing, ``explanation`` is the lead's reason (the office sees it)
        report = task_report_submit(report=report, version=payload.validated_data["version"], user=request.user,
                                    missing_parts_reason=payload.validated_data["explanation"])
        return Response(serializers.TaskReportSerializer(report).data)


class TaskPartWrite(BoundedBody, APIView):
    """The caller's department's part of a task's report (a co-responsible department), saved as a draft."""

    permission_classes = [WritesTaskReports]

    @extend_schema(request=serializers.ReportContentInSerializer,
                   responses={200: serializers.TaskReportPartSerializer},
                   parameters=[PLAN_QUERY, IDEMPOTENCY], operation_id="task_report_parts_save")
    @_idempotent
    def post(self, request, period: str, task: int):
        period_obj, task_obj = _period(period), _task(request, task)
        fields, version, figures = _content(request)
        department = request.user.department
        part = TaskReportPart.objects.filter(task=task_obj, period=period_obj, department=department).first()
        if part is None:
            part = task_part_open(task=task_obj, department=department, period=period_obj, user=request.user)
        part = task_part_save(part=part, fields=fields, version=part.version if version is None else version,
                              user=request.user, figures=figures)
        return Response(serializers.TaskReportPartSerializer(part).data)


class TaskPartSubmit(BoundedBody, APIView):
    """Send the caller's department's part to the lead department."""

    permission_classes = [WritesTaskReports]

    @extend_schema(request=serializers.SubmitSerializer, responses={200: serializers.TaskReportPartSerializer},
                   parameters=[PLAN_QUERY, IDEMPOTENCY], operation_id="task_report_parts_submit")
    @_idempotent
    def post(self, request, period: str, task: int):
        period_obj, task_obj = _period(period), _task(request, task)
        payload = serializers.SubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        part = get_object_or_404(TaskReportPart.objects.editable_by(request.user), task=task_obj, period=period_obj)
        part = task_part_submit(part=part, version=payload.validated_data["version"], user=request.user)
        return Response(serializers.TaskReportPartSerializer(part).data)
