"""Panels an app above the targets engine adds to a task's page (the task measures' figures are
the reporting app's): that app registers a function here when it starts; the task page renders
each panel's HTML without importing the app."""

from __future__ import annotations

from collections.abc import Callable

# (*, request, plan, task) → HTML (already escaped by the panel's own template), in order
TASK_PANELS: list[Callable[..., str]] = []


def task_panels_render(*, request, plan, task) -> list[str]:
    return [panel(request=request, plan=plan, task=task) for panel in TASK_PANELS]
