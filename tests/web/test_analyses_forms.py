"""The analyses forms after a change of scenario or term (issue 19): the offer picked, the range
tried and the rate analysed are those of the new choice, never left over from the previous one."""
from __future__ import annotations

import re

import pytest

from app.scenarios import service as scenario_service
from app.scenarios.models import SavedScenario
from app.simulator.effect import package_effect
from tests.web.test_analyses_pages import HX, create


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def test_offers_are_picked_by_key_whatever_the_scenario(client, auth):
    auth.login("union")
    sid = create(auth, workers=60)
    on_preset = _options(client.get("/analyses/frontier?source=preset:delivery")
                         .get_data(as_text=True), "chosen")
    on_scenario = _options(client.get(f"/analyses/frontier?source=scenario:{sid}")
                           .get_data(as_text=True), "chosen")
    assert on_preset[0][0] == "today" and f"scenario:{sid}" in dict(on_scenario)
    # The scenario's own row shifts the others down: the pick must not move with the row.
    key, name = on_scenario[-1]
    r = auth.post("/analyses/frontier", {
        "source": f"scenario:{sid}", "for_source": "preset:delivery", "x_key": "pay.per_km",
        "y_key": "pay.base_per_order", "measure": "p25_net_per_working_hour", "n": "2",
        "chosen": key}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:2000]
    assert f"“{name}”" in html
    assert re.search(rf'<option value="{re.escape(key)}" selected>', html)
    bad = auth.post("/analyses/frontier", {
        "source": f"scenario:{sid}", "x_key": "pay.per_km", "y_key": "pay.base_per_order",
        "measure": "p25_net_per_working_hour", "n": "2", "chosen": "offer:0"}, headers=HX)
    assert bad.status_code == 400 and 'id="err-chosen"' in bad.get_data(as_text=True)


def test_a_changed_term_gets_its_own_range(client, auth):
    auth.login("union")
    html = client.get("/analyses/frontier").get_data(as_text=True)
    assert (_value(html, "y_lo"), _value(html, "y_hi")) == ("0", "31")  # hourly floor
    assert _value(html, "y_for") == "pay.hourly_floor"
    changed = {"source": "preset:delivery", "for_source": "preset:delivery",
               "x_key": "pay.base_per_order", "x_for": "pay.base_per_order", "x_lo": "5",
               "x_hi": "9", "y_key": "pay.weather_subsidy_rain_per_order",
               "y_for": "pay.hourly_floor", "y_lo": "0", "y_hi": "31",
               "measure": "p25_net_per_working_hour", "n": "2", "chosen": "today"}
    redrawn = client.get("/analyses/frontier", query_string=changed, headers=HX)
    html = redrawn.get_data(as_text=True)
    assert redrawn.status_code == 200 and html.lstrip().startswith('<div id="analysis">')
    assert (_value(html, "y_lo"), _value(html, "y_hi")) == ("0", "10")
    assert (_value(html, "x_lo"), _value(html, "x_hi")) == ("5", "9")  # the user's, kept
    assert _value(html, "y_for") == "pay.weather_subsidy_rain_per_order"
    # Posted without the redraw (no JavaScript): the stale range is not used either.
    r = auth.post("/analyses/frontier", changed, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:2000]
    rows = "".join(t.split("</table>", 1)[0] for t in html.split("an-frontier")[1:])
    ys = {float(v) for v in re.findall(r'<tr><td>[^<]*</td><td>([\d.]+)</td>', rows)}
    assert ys and max(ys) <= 10 and "31.00" not in html


def test_a_changed_scenario_resets_its_ranges_to_its_own(client, auth):
    auth.login("union")
    sid = create(auth, workers=60)
    html = client.get("/analyses/frontier", headers=HX, query_string={
        "source": f"scenario:{sid}", "for_source": "preset:freight", "x_key": "pay.per_km",
        "x_for": "pay.per_km", "x_lo": "100", "x_hi": "200"}).get_data(as_text=True)
    assert (_value(html, "x_lo"), _value(html, "x_hi")) == ("0.5", "1.5")
    assert _value(html, "for_source") == f"scenario:{sid}"


@pytest.mark.parametrize("fresh", [False, True])
def test_behaviour_uses_the_chosen_scenarios_rate(client, auth, session, fresh):
    """The static gain is the workbench's for the same package: with the scenario's own rate,
    also when the form was drawn for the preset (its rate 8.8) before the scenario was chosen."""
    auth.login("union")
    sid = create(auth, workers=120)
    record = session.get(SavedScenario, sid)
    assert record.data["pay"]["base_per_order"] == pytest.approx(8.8)
    record.data = {**record.data, "pay": {**record.data["pay"], "base_per_order": 10.3}}
    session.commit()
    session.expire_all()
    record = session.get(SavedScenario, sid)
    scenario = scenario_service.to_scenario(record)
    effect = package_effect(scenario, scenario_service.baseline_of(record), record.seed)
    workbench_gain = effect["package"]["mean_net_monthly"] - effect["baseline"]["mean_net_monthly"]
    form = {"source": f"scenario:{sid}", "labour_supply_elasticity": "0.2",
            "demand_price_elasticity": "0.5", "pass_through": "0.5", "max_hours_change": "0.5"}
    if fresh:
        page = client.get(f"/analyses/behaviour?source=scenario:{sid}").get_data(as_text=True)
        form = {**form, "for_source": f"scenario:{sid}",
                "base_per_order": _value(page, "base_per_order")}
    else:  # drawn for the preset, then the scenario picked in the select
        form = {**form, "for_source": "preset:delivery", "base_per_order": "8.8"}
    r = auth.post("/analyses/behaviour", form, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:2000]
    assert _value(html, "base_per_order") == "10.3"
    static = re.search(r'<th>[^<]*</th><td>([\d,.]+)</td><td>([\d,.]+)</td>', html)
    base, package = (float(v.replace(",", "")) for v in static.groups())
    assert workbench_gain > 50
    assert package - base == pytest.approx(workbench_gain, abs=1.0)
