# Reporting periods, department task reports and county returns arrive with the quarterly
# reporting issue; until then this app holds the quarter arithmetic (quarters.py) they build on.
