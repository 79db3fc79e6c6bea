#!/bin/sh
# Regenerate the Chinese catalogue from the source and the term tables, then compile it.
#   sh locale/update.sh        (from the project root; uses .venv)
set -e
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans -i ".venv/*" -i "var/*" --no-obsolete -v0
.venv/bin/python locale/zh_hans_terms.py
.venv/bin/python manage.py compilemessages -l zh_Hans -i .venv -v0
