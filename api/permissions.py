from rest_framework import permissions

from accounts.scoping import can_read_plan, officer_reporting_region_id
from reports.access import own_department_id

from .models import ApiClient


class ReadsPlan(permissions.BasePermission):
    """Anyone who may read the plan's data: officers, leaders, the office, county systems."""

    def has_permission(self, request, view) -> bool:
        return can_read_plan(request.user)


class WritesReturns(permissions.BasePermission):
    """A county officer (or the city's statistics officer) in a browser session, or a county's (or
    the city's) system whose key may write."""

    message = "此接口密钥为只读，不能写入。"

    def has_permission(self, request, view) -> bool:
        if officer_reporting_region_id(request.user) is None:
            return False
        if isinstance(request.auth, ApiClient):
            return request.auth.can_write
        return True


class WritesTaskReports(permissions.BasePermission):
    """A department officer in a browser session, or a department system whose key may write."""

    message = "只有部门填报人员或可写的部门接口密钥才能填报任务进展。"

    def has_permission(self, request, view) -> bool:
        if own_department_id(request.user) is None:
            return False
        if isinstance(request.auth, ApiClient):
            return request.auth.can_write
        return True
