import asyncio
from dataclasses import dataclass

from palapy.hooks.catalog import HOOK_DOCS, HookCatalog
from palapy.hooks.hook import Event, Hook


@dataclass(eq=False)
class Ev(Event):
    log: list[str]


def test_chain_runs_by_priority_then_final() -> None:
    hook: Hook[Ev] = Hook()
    hook.bind(lambda e: (e.log.append("b"), e.next())[1], priority=5)
    hook.bind(lambda e: (e.log.append("a"), e.next())[1], priority=1)
    ev = Ev([])
    out = hook.trigger(ev, lambda e: e.log.append("final") or "result")
    assert ev.log == ["a", "b", "final"]
    assert out == "result"


def test_handler_that_skips_next_stops_the_chain() -> None:
    hook: Hook[Ev] = Hook()
    hook.bind(lambda e: e.log.append("stop"))
    ev = Ev([])
    hook.trigger(ev, lambda e: e.log.append("final"))
    assert ev.log == ["stop"]


def test_tagged_handlers_only_fire_for_their_collection() -> None:
    hook: Hook[Ev] = Hook()
    hook.bind(lambda e: (e.log.append("posts"), e.next())[1], tags=["posts"])
    ev = Ev([])
    hook.trigger(ev, lambda e: None, tags=["comments"])
    assert ev.log == []
    hook.trigger(ev, lambda e: None, tags=["posts"])
    assert ev.log == ["posts"]


def test_unbind_removes_by_id() -> None:
    hook: Hook[Ev] = Hook()
    hid = hook.bind(lambda e: e.log.append("x"))
    hook.unbind(hid)
    assert hook.length() == 0


def test_async_chain_awaits_handlers() -> None:
    hook: Hook[Ev] = Hook()

    async def handler(e: Ev) -> object:
        e.log.append("async")
        return await e.next()

    hook.bind(handler)
    ev = Ev([])

    async def final(e: Ev) -> str:
        e.log.append("final")
        return "ok"

    assert asyncio.run(hook.atrigger(ev, final)) == "ok"
    assert ev.log == ["async", "final"]


def test_every_hook_is_documented() -> None:
    assert sorted(HookCatalog().names()) == sorted(HOOK_DOCS)


def test_a_chain_without_handlers_runs_the_default_action_alone() -> None:
    hook: Hook[Ev] = Hook()
    ev = Ev([])
    assert hook.trigger(ev, lambda e: e.log.append("final") or "sync") == "sync"
    assert hook.trigger(ev) is None

    async def final(e: Ev) -> str:
        e.log.append("async final")
        return "async"

    assert asyncio.run(hook.atrigger(ev, final)) == "async"
    assert asyncio.run(hook.atrigger(ev, lambda e: "plain")) == "plain"
    assert asyncio.run(hook.atrigger(ev)) is None
    assert ev.log == ["final", "async final"]
    assert ev._next is None  # a stale continuation from an earlier chain never survives
