import datetime

from django.core.management.base import BaseCommand, CommandError

from seeding.plan import plan_clone
from tasks.models import Plan


class Command(BaseCommand):
    help = "Start a successor plan by cloning an existing one (sections, tasks, departments, targets)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="code of the plan to clone, e.g. ankang-2022")
        parser.add_argument("--code", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--doc-number", required=True)
        parser.add_argument("--start", required=True, type=datetime.date.fromisoformat)
        parser.add_argument("--end", required=True, type=datetime.date.fromisoformat)

    def handle(self, *args, source, code, title, doc_number, start, end, **options):
        try:
            plan = plan_clone(source=Plan.objects.get(code=source), code=code, title=title,
                              doc_number=doc_number, period_start=start, period_end=end)
        except Plan.DoesNotExist as exc:
            raise CommandError(f"no plan with code {source!r}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"created {plan.code}: {plan.tasks.count()} tasks, {plan.targets.count()} targets"))
        self.stdout.write(f"its figures are computed by the next roll-up (nightly, or now: manage.py rollup), "
                          f"for its own period {plan.period_start}–{plan.period_end}")
