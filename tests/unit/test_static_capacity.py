"""Static capacity against a hand calculation of the small scenario (tests/small.yaml)."""
import pytest

from sim import validate_scenario
from sim.analysis.capacity import shop_capacity, station_capacity

MIX_FACTOR = 0.25 * 0.90 + 0.45 * 1.00 + 0.30 * 1.15  # 1.02: work content of the mix


def test_station_rates_by_hand(small_raw):
    table = station_capacity(validate_scenario(small_raw)).set_index("station")
    # paced body line: index = max(takt 120, slowest mix cycle) -> 30 cars/h
    framing_mix = 0.25 * 105 * 0.90 + 0.45 * 105 + 0.30 * 125  # T7 has its own time, not scaled
    assert table.loc["framing", "mix_cycle_s"] == pytest.approx(framing_mix)
    assert table.loc["framing", "cars_per_hour"] == pytest.approx(30.0)
    # respot: triangular(90, 100, 120) mean, availability MTBF/(MTBF+MTTR) = 360/370
    respot_cycle = (90 + 100 + 120) / 3 * MIX_FACTOR
    assert table.loc["respot", "cars_per_hour"] == pytest.approx(3600 / respot_cycle * 360 / 370)
    # paint quality loop: FPY 0.88, 12% rework, 67% back to inspection, 33% back to topcoat
    reworks = 0.12 / 0.88
    assert table.loc["inspection", "visits_per_car"] == pytest.approx(1 / 0.88)
    assert table.loc["topcoat", "visits_per_car"] == pytest.approx(1 + 0.33 * reworks)
    assert table.loc["spot_repair", "visits_per_car"] == pytest.approx(0.67 * reworks)
    assert table.loc["topcoat", "cars_per_hour"] == pytest.approx(3600 / (110 * MIX_FACTOR) / (1 + 0.33 * reworks))
    # ED oven: 40 min at pitch 116 s holds round(2400 / 116) = 21 bodies, one out every 2400 / 21 s
    assert table.loc["ed_oven", "cars_per_hour"] == pytest.approx(3600 / (2400 / 21))


def test_shop_capacity_from_calendar(small_raw):
    shops = shop_capacity(validate_scenario(small_raw), 246)
    # body: 2 shifts x (8 h - 30 min) x 246 days at 30 cars/h, limited by the paced line
    assert shops["body"]["net_hours_per_year"] == pytest.approx(2 * 7.5 * 246)
    assert shops["body"]["annual_units"] == pytest.approx(30 * 2 * 7.5 * 246)
    assert shops["paint"]["limiting_station"] == "topcoat"
