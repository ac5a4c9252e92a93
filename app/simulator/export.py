"""One row per simulated worker: a month's totals, for spreadsheets and scripts."""
from __future__ import annotations

import csv

#: Columns of :func:`write_workers_csv`, in order (money in 元, time in hours, distance in km).
WORKER_COLUMNS = ("group", "days_worked", "online_hours", "order_hours", "working_hours",
                  "orders", "km", "gross_pay", "subsidies", "commission_paid", "customer_fares",
                  "costs", "net_income")


def worker_rows(result):
    """Rows of :data:`WORKER_COLUMNS`, one per worker. With ``days`` ≠ 30 the simulated totals
    are scaled to a 30-day month (as ``net_monthly`` is)."""
    w = result.workers
    scale = 30.0 / result.scenario.workforce.days
    cols = {
        "days_worked": w.days_worked, "online_hours": w.online_hours,
        "order_hours": w.engaged_hours, "working_hours": w.working_hours, "orders": w.orders,
        "km": w.km, "gross_pay": w.gross_pay,
        "subsidies": w.weather_subsidy + w.heat_allowance, "commission_paid": w.commission,
        "customer_fares": w.fares, "costs": w.costs, "net_income": w.net_income,
    }
    for i in range(len(w)):
        row = {"group": w.group_names[w.group[i]]}
        for k, v in cols.items():
            row[k] = round(float(v[i]) * scale, 4)
        yield row


def write_workers_csv(result, stream) -> int:
    """Write the header and one row per worker to a text ``stream``; returns the rows written."""
    writer = csv.DictWriter(stream, fieldnames=WORKER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in worker_rows(result):
        writer.writerow(row)
        n += 1
    return n
