// The JS SDK's realtime (`collection(...).subscribe`) over Node's `eventsource`, against a live
// server: a guest, two users and a superuser each receive exactly what the rules let them see.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { EventSource } from "eventsource";

import { client, suffix, superuserClient } from "./helpers.mjs";

globalThis.EventSource = EventSource;

const TAG = suffix();
const ITEMS = `rt_items_${TAG}`;
const PASSWORD = "realtime-pass-1";
const VISIBLE = "owner = @request.auth.id || public = true";

/** Resolves once `check()` holds (polling), or fails after `ms`. */
async function waitFor(check, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("JS SDK realtime", () => {
  let su;
  const guest = client();
  const alice = client();
  const bob = client();
  const users = {};
  const received = { guest: [], alice: [], bob: [], su: [] };
  const stops = [];

  before(async () => {
    su = await superuserClient();
    for (const name of ["alice", "bob"]) {
      const email = `${name}_${TAG}@example.com`;
      users[name] = await su.collection("users").create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
    }
    await alice.collection("users").authWithPassword(`alice_${TAG}@example.com`, PASSWORD);
    await bob.collection("users").authWithPassword(`bob_${TAG}@example.com`, PASSWORD);
    await su.collections.create({
      name: ITEMS,
      type: "base",
      listRule: VISIBLE,
      viewRule: VISIBLE,
      createRule: "",
      updateRule: "",
      deleteRule: "",
      fields: [
        { name: "title", type: "text" },
        { name: "public", type: "bool" },
        { name: "owner", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1 },
        { name: "note", type: "text", hidden: true },
      ],
    });
    for (const [name, pb] of [["guest", guest], ["alice", alice], ["bob", bob], ["su", su]]) {
      stops.push(await pb.collection(ITEMS).subscribe("*", (e) => received[name].push(e)));
    }
  });

  after(async () => {
    for (const pb of [guest, alice, bob, su]) {
      pb.realtime.unsubscribe().catch(() => {});
    }
  });

  it("connects each client with the id from PB_CONNECT", () => {
    for (const pb of [guest, alice, bob, su]) {
      assert.equal(pb.realtime.isConnected, true);
      assert.match(pb.realtime.clientId, /^[A-Za-z0-9]{40}$/);
    }
  });

  it("delivers each create to exactly the clients its rules allow", async () => {
    const open = await su.collection(ITEMS).create({ title: "for everyone", public: true, note: "n1" });
    const mine = await su.collection(ITEMS).create({ title: "alice's", owner: users.alice.id });
    const theirs = await su.collection(ITEMS).create({ title: "bob's", owner: users.bob.id });
    await waitFor(() => received.su.length === 3, 5000, "three events for the superuser");
    await settle();
    const ids = (name) => received[name].map((e) => [e.action, e.record.id]).sort();
    const sorted = (...list) => list.map((r) => ["create", r.id]).sort();
    assert.deepEqual(ids("guest"), sorted(open));
    assert.deepEqual(ids("alice"), sorted(open, mine));
    assert.deepEqual(ids("bob"), sorted(open, theirs));
    assert.deepEqual(ids("su"), sorted(open, mine, theirs));
    // Hidden fields go to superusers only.
    assert.equal(received.su.find((e) => e.record.id === open.id).record.note, "n1");
    assert.equal("note" in received.guest[0].record, false);
    assert.equal(received.guest[0].record.collectionName, ITEMS);
  });

  it("delivers updates and deletes, and honours options on a record topic", async () => {
    for (const name of Object.keys(received)) received[name].length = 0;
    const item = await su.collection(ITEMS).create({ title: "shared", public: true });
    await waitFor(() => received.guest.length === 1, 5000, "the guest's create");
    const picked = [];
    stops.push(
      await guest.collection(ITEMS).subscribe(item.id, (e) => picked.push(e), { fields: "id,title" }),
    );
    await su.collection(ITEMS).update(item.id, { title: "renamed" });
    await su.collection(ITEMS).delete(item.id);
    await waitFor(() => picked.length === 2 && received.guest.length === 3, 5000, "update and delete");
    assert.deepEqual(
      picked.map((e) => [e.action, e.record]),
      [
        ["update", { id: item.id, title: "renamed" }],
        ["delete", { id: item.id, title: "renamed" }],
      ],
    );
    assert.deepEqual(
      received.guest.map((e) => e.action),
      ["create", "update", "delete"],
    );
  });

  it("stops delivering after unsubscribe and disconnects when nothing is left", async () => {
    await guest.realtime.unsubscribe();
    assert.equal(guest.realtime.isConnected, false);
    for (const name of Object.keys(received)) received[name].length = 0;
    await su.collection(ITEMS).create({ title: "after", public: true });
    await waitFor(() => received.alice.length === 1, 5000, "alice's event");
    await settle();
    assert.equal(received.guest.length, 0);
  });
});
