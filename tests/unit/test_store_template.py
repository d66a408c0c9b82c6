"""The store template (``sim.model.flow.store``): its rules, and the buffer's inlined copy of them.

The buffer writes the template's try_put and try_get out with its hooks inlined (for speed); here both run
the same random sequences of puts, gets and blocked puts and must agree on every car, every level change
and every event they trigger. Then the rules themselves, by hand: first untriggered, hand over first,
admit on take (capacity 0 included), the blocked put's reply naming the store that took the car.
"""

from __future__ import annotations

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.flow.buffer import BUFFER, Buffer
from sim.model.flow.car import Car
from sim.model.flow.store import Store
from sim.scenario.window import Window

WINDOW = Window(0.0, 1e9)


class TemplateBuffer(Buffer):
    """A buffer that serves by the template's own try_put and try_get (its hooks)."""

    try_put = Store.try_put
    try_get = Store.try_get


def replay(kind, capacity: int, steps: list[tuple[str, int]]) -> list:
    """What a buffer of ``kind`` does under ``steps`` (op, argument), as a list of observations."""
    env = simpy.Environment()
    buffer = kind(env, "b", shop="s", kind=BUFFER, capacity=capacity, window=WINDOW)
    seen, cars, events = [], iter(range(10 ** 6)), []
    for op, arg in steps:
        env.run(until=env.now + 1.0)
        if op == "put":
            car = Car(0, False, env.now, seq=next(cars))
            placed = buffer.try_put(car, priority=bool(arg % 2))
            if not placed:
                events.append(("put", car.seq, buffer.put(car, priority=bool(arg % 2))))
            seen.append(("put", placed))
        elif op == "get":
            car = buffer.try_get()
            if car is None and arg % 3 == 0:
                events.append(("get", None, buffer.get()))
            seen.append(("get", None if car is None else car.seq))
        else:  # a waiting event served elsewhere meanwhile (a merge's other input, a split's other branch)
            live = [e for _, _, e in events if not e.triggered]
            if live:
                live[arg % len(live)].succeed(None)
        seen.append(("level", buffer.level, buffer.monitor.area, buffer.monitor.full, buffer.monitor.max_ever))
        seen.append(("events", [(what, seq, e.triggered, e.value is buffer if e.triggered and what == "put"
                                 else getattr(e.value, "seq", None) if e.triggered else None)
                                for what, seq, e in events]))
    return seen


@settings(max_examples=150, deadline=None)
@given(capacity=st.integers(0, 3),
       steps=st.lists(st.tuples(st.sampled_from(["put", "get", "serve"]), st.integers(0, 11)), max_size=40))
def test_the_buffers_inlined_rules_are_the_templates(capacity, steps):
    assert replay(Buffer, capacity, steps) == replay(TemplateBuffer, capacity, steps)


def store(env, capacity=1) -> Buffer:
    return TemplateBuffer(env, "b", shop="s", kind=BUFFER, capacity=capacity, window=WINDOW)


def test_first_untriggered_taker_gets_the_car():
    env = simpy.Environment()
    a, b = store(env), store(env)
    merged = env.event()
    a.add_getter(merged)
    b.add_getter(merged)  # one station waiting on two stores, as a merge does
    first = Car(0, False, 0.0, seq=1)
    assert b.try_put(first) and merged.triggered and merged.value is first
    second = Car(0, False, 0.0, seq=2)
    assert a.try_put(second) and a.level == 1  # a skipped the served taker: the car waits in the store


def test_capacity_zero_hands_the_blocked_car_straight_over_and_replies_with_the_store():
    env = simpy.Environment()
    handover = store(env, capacity=0)
    car = Car(0, False, 0.0, seq=1)
    assert not handover.try_put(car)
    blocked = handover.put(car)
    assert handover.try_get() is car and blocked.triggered and blocked.value is handover


def test_a_car_offered_to_two_stores_is_placed_by_the_first_with_room():
    env = simpy.Environment()
    a, b = store(env), store(env)
    a.try_put(Car(0, False, 0.0, seq=1))
    b.try_put(Car(0, False, 0.0, seq=2))
    offered = env.event()
    offered.car = Car(0, False, 0.0, seq=3)
    a.add_putter(offered)
    b.add_putter(offered)  # a split to the shortest queue offers the car to every branch
    assert b.try_get().seq == 2 and offered.value is b and b.level == 1
    assert a.try_get().seq == 1 and a.level == 0  # a skipped the offer b took
