"""The store template: what every store of cars does the same way, written once.

A *store* holds cars between stations (a buffer, a sorting store, the finished-car
yard) or hands them out (the launch, a shop's kit gate). As SimPy's ``BaseResource``
does for its resources, the template owns the two queues and the rules that serve
them; each store kind is a few hooks.

The queues:

- ``getters``: *takers* waiting for a car, in the order they asked. A taker is a SimPy
  event (a station's server that called ``get``) or a standing ``Request`` of a store
  that takes its cars from this one (a kit gate from the buffer in front of its shop).
  Either offers ``triggered`` and ``succeed(car)``.
- ``putters``: blocked puts, each a SimPy event carrying its ``car``. When the car is
  placed the event fires with the store that took it as its value, so a split that
  offered one car to several branches learns which branch took it.

The rules (the protocol the builder, the stations, merges and splits rely on):

1. *First untriggered*: a taker or a blocked put may sit in several stores' queues at
   once (a merge waits on its re-entry lane and its main buffer; a split's car waits on
   every branch with room). The first store that serves it triggers it; the others skip
   it when they reach it. So a store never serves an entry already triggered.
2. *Hand over first*: a car put into a store with a taker waiting goes straight to the
   taker (the store was empty).
3. *Admit on take*: each car taken lets the first blocked put place its car (a capacity
   0 store hands the blocked car straight over).
4. Other stores reach a store only through ``add_getter`` and ``add_putter``.

Waiting is two-step everywhere (``protocol``): ``try_get``/``try_put`` first, the event of
``get``/``put`` only when that fails, so a car flowing freely costs no SimPy event.

Every store declares the parts of the plant it leads to (``links``), so the wiring
check walks each store, router and node the same way (``wiring.check_wiring``).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .car import Car


class Request:
    """A store's standing request for a car from another store (its entry): served like a waiting station, but
    synchronously, with no SimPy event. ``triggered`` while the requester no longer wants a car."""

    __slots__ = ("store",)

    def __init__(self, store):
        self.store = store

    @property
    def triggered(self) -> bool:
        return not self.store.wants_car()

    def succeed(self, car) -> None:
        self.store.receive(car)


class Store:
    """The template: the getter and putter queues and their rules; the kinds fill in the hooks.

    Hooks (defaults suit a store that holds no cars):

    - ``_has_car()`` / ``_take()``: whether a car can be taken now, and take it (by the kind's rule);
    - ``_has_room()`` / ``_place(car, priority)``: whether a car fits, and place it;
    - ``_entered()`` / ``_left()``: the level went up (a car placed by ``try_put``) or down (a car taken and
      no blocked car took its place); a blocked car taking the freed place changes nothing;
    - ``_handed(car)``: a car went straight to a waiting taker (a store that logs its cars records it);
    - ``_blocked(event)``: a put is about to wait (the yard starts counting blocked time).
    """

    __slots__ = ()
    # subclasses declare env, getters, putters among their slots (or have a __dict__)

    def _queues(self, env) -> None:
        self.env = env
        self.getters: deque = deque()
        self.putters: deque = deque()

    # ------------------------------------------------------------ the protocol

    def try_put(self, car: Car, priority: bool = False) -> bool:
        """Place a car now: to a waiting taker, or into the room; False (nothing changed) when full."""
        getters = self.getters
        while getters:
            getter = getters.popleft()
            if not getter.triggered:  # rule 1: served meanwhile by another store it waits on
                self._handed(car)
                getter.succeed(car)
                return True
        if self._has_room():
            self._place(car, priority)
            self._entered()
            return True
        return False

    def put(self, car: Car, priority: bool = False):
        """Event that fires once the car has been placed (after ``try_put`` failed); its value: this store."""
        event = self.env.event()
        event.car = car
        self._blocked(event)
        if priority:
            self.putters.appendleft(event)
        else:
            self.putters.append(event)
        return event

    def try_get(self) -> Car | None:
        """Take the next car now (the kind's rule), or None (nothing changed)."""
        if self._has_car():
            car = self._take()
            event = self.next_putter() if self.putters else None
            if event is not None:  # rule 3: the blocked car takes the place just freed
                self._place(event.car, False)
                event.succeed(self)
            else:
                self._left()
            return car
        event = self.next_putter() if self.putters else None
        if event is not None:  # capacity 0: the car comes straight off the blocked station
            self._handed(event.car)
            event.succeed(self)
            return event.car
        return None

    def get(self):
        """Event whose value is the next car (after ``try_get`` returned None)."""
        event = self.env.event()
        self.add_getter(event)
        return event

    def add_getter(self, taker) -> None:
        """Wait for a car: ``taker`` (an event, or a ``Request``) is served in turn (a merge adds one event
        to two stores)."""
        self.getters.append(taker)

    def waits(self, taker) -> bool:
        """Whether ``taker`` is in the queue of takers (a standing request is added once)."""
        return any(getter is taker for getter in self.getters)

    def add_putter(self, event) -> None:
        """A blocked car offered to this store too (a split to the shortest queue offers it to every branch):
        placed here if this store makes room first."""
        self.putters.append(event)

    def next_putter(self):
        """The first blocked put still waiting (rule 1), taken off the queue; None when there is none."""
        putters = self.putters
        while putters:
            event = putters.popleft()
            if not event.triggered:
                return event
        return None

    def waiting_taker(self) -> bool:
        """Whether a taker still waits (those served elsewhere dropped from the head)."""
        getters = self.getters
        while getters and getters[0].triggered:
            getters.popleft()
        return bool(getters)

    def links(self) -> list[tuple[str, object]]:
        """The parts of the plant this store leads to, named (the wiring check walks them); a store that only
        holds cars leads nowhere."""
        return []

    # ------------------------------------------------------------ hooks

    def _has_car(self) -> bool:
        return False

    def _take(self) -> Car:
        raise NotImplementedError

    def _has_room(self) -> bool:
        return False

    def _place(self, car: Car, priority: bool) -> None:
        raise NotImplementedError

    def _handed(self, car: Car) -> None:
        pass

    def _entered(self) -> None:
        pass

    def _left(self) -> None:
        pass

    def _blocked(self, event) -> None:
        pass
