"""M/M/1 and M/M/c: Poisson arrivals into an unbounded queue, exponential service.

``launch: {interarrival: exponential}`` launches each car on arrival into the
"arrivals" buffer in front of the first station, and the last station hands
cars to the end of line (never blocked), so a one-station plant is exactly an
M/M/c queue with FIFO service. Known answers (Erlang C):

* Wq = C(c, a) / (c mu - lambda), a = lambda / mu, measured as mean(lead time) - 1/mu;
* Lq = lambda Wq, measured as the time-average level of the arrivals buffer (a car
  taken at once by an idle server never enters the buffer);
* the per-server utilisation rho = lambda / (c mu), measured as share_working.

Tolerance: 99 % t-interval over independent replications, plus a bias margin of
2 % of the theoretical value for the empty start (the relaxation time of these
queues is ~1-2 h, the warm-up is a day) and for the window edges.
"""

import numpy as np
import pytest

from helpers import assert_in_interval, buffer_row, expo, mmc_wq, replicate, row, scenario, station


def run_mmc(servers, mean_interarrival, mean_service, days, reps):
    scn = scenario([station("a", expo(mean_service), servers=servers)], days=days, warmup=1,
                   launch=expo(mean_interarrival))

    def measure(res):
        assert len(res.lead_times) > 5000   # enough cars per replication
        return (res.lead_times.mean() * 3600.0 - mean_service,
                buffer_row(res, "arrivals").mean_level,
                row(res, "a").share_working)

    return np.array(replicate(scn, measure, reps, seed=2024))


@pytest.mark.slow
@pytest.mark.parametrize("servers, interarrival, service", [
    (1, 100.0, 75.0),   # M/M/1, rho = 0.75: Wq = 225 s, Lq = 2.25
    (3, 30.0, 72.0),    # M/M/3, rho = 0.80: Wq = 77.7 s, Lq = 2.59 (Erlang C = 0.518)
])
def test_mmc_waiting_time_queue_length_and_utilisation(servers, interarrival, service):
    lam, mu = 1 / interarrival, 1 / service
    wq = mmc_wq(servers, lam, mu)
    rho = lam / (servers * mu)
    if servers == 1:  # cross-check the Erlang C helper with the M/M/1 closed form
        assert wq == pytest.approx(rho / (mu - lam))
    days, reps = (10, 16) if servers == 1 else (6, 12)
    values = run_mmc(servers, interarrival, service, days, reps)
    assert_in_interval(values[:, 0], wq, 0.02 * wq, f"M/M/{servers} Wq [s]")
    assert_in_interval(values[:, 1], lam * wq, 0.02 * lam * wq, f"M/M/{servers} Lq")
    assert_in_interval(values[:, 2], rho, 0.002, f"M/M/{servers} utilisation")


@pytest.mark.parametrize("kind", ["free station", "paced line"])
def test_md1_queue_in_front_of_a_fixed_cycle(kind):
    # Theory: Poisson arrivals (mean 80 s) at a server with a fixed 60 s cycle form an M/D/1
    # queue, rho = 0.75, Pollaczek-Khinchine: Lq = rho^2 / (2 (1 - rho)) = 1.125 cars waiting.
    # A paced line (takt 60 s) is the same server for its entry queue: it takes a car, indexes
    # after one takt, and waits (stopped) when no car is there. Tolerance: 99 % t-interval over
    # replications plus 2 % of Lq for the empty start and the window edges.
    if kind == "free station":
        scn = scenario([station("a", 60)], days=10, warmup=1, launch=expo(80))
    else:
        scn = scenario([station("a", 50, line="L"), station("b", 60, line="L")], days=10, warmup=1,
                       lines={"L": {"takt": 60}}, launch=expo(80))
    rho = 60 / 80
    lq = rho ** 2 / (2 * (1 - rho))
    values = replicate(scn, lambda res: buffer_row(res, "arrivals").mean_level, 16, seed=5)
    assert_in_interval(values, lq, 0.02 * lq, f"M/D/1 Lq ({kind})")
