// The JS SDK's `pb.createBatch()` against a live server (batches are enabled by the harness):
// creates with files, updates, upserts and deletes in one transaction, and a failing batch
// that leaves nothing behind.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import { PB_ID, client, rejectsWithStatus, suffix, superuserClient } from "./helpers.mjs";

const ITEMS = `batch_items_${suffix()}`;

describe("JS SDK batch", () => {
  const guest = client();
  let su;
  const state = {};

  before(async () => {
    su = await superuserClient();
    await su.collections.create({
      name: ITEMS,
      type: "base",
      listRule: "",
      viewRule: "",
      createRule: "",
      updateRule: "",
      deleteRule: "",
      fields: [
        { name: "title", type: "text", required: true },
        { name: "doc", type: "file", maxSelect: 1, maxSize: 100000 },
      ],
    });
    state.kept = await guest.collection(ITEMS).create({ title: "kept" });
    state.doomed = await guest.collection(ITEMS).create({ title: "doomed" });
  });

  it("runs creates with files, updates, upserts and deletes and answers each in order", async () => {
    const batch = guest.createBatch();
    const doc = new Blob(["hello batch\n"], { type: "text/plain" });
    batch.collection(ITEMS).create({ title: "with file", doc: new File([doc], "notes.txt") });
    batch.collection(ITEMS).update(state.kept.id, { title: "kept and changed" }, { fields: "id,title" });
    batch.collection(ITEMS).upsert({ id: "upsertedrecord1", title: "upserted" });
    batch.collection(ITEMS).delete(state.doomed.id);
    const results = await batch.send();

    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 204],
    );
    const [created, updated, upserted, deleted] = results.map((r) => r.body);
    assert.match(created.id, PB_ID);
    assert.equal(created.title, "with file");
    assert.match(created.doc, /^notes[a-z0-9_]*\.txt$/);
    assert.deepEqual(updated, { id: state.kept.id, title: "kept and changed" });
    assert.equal(upserted.id, "upsertedrecord1");
    assert.equal(deleted, null);

    const url = guest.files.getURL(created, created.doc);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "hello batch\n");
    await rejectsWithStatus(guest.collection(ITEMS).getOne(state.doomed.id), 404);
  });

  it("upserts an existing id as an update", async () => {
    const batch = guest.createBatch();
    batch.collection(ITEMS).upsert({ id: "upsertedrecord1", title: "upserted twice" });
    const [result] = await batch.send();
    assert.equal(result.status, 200);
    assert.equal(result.body.title, "upserted twice");
    const all = await guest.collection(ITEMS).getFullList({ filter: `id = "upsertedrecord1"` });
    assert.equal(all.length, 1);
  });

  it("rolls the whole batch back when one request fails and names it", async () => {
    const before = await guest.collection(ITEMS).getFullList({ sort: "title", fields: "id,title" });
    const batch = guest.createBatch();
    batch.collection(ITEMS).create({ title: "never stored" });
    batch.collection(ITEMS).update(state.kept.id, { title: "" });
    let failure;
    try {
      await batch.send();
    } catch (err) {
      failure = err;
    }
    assert.ok(failure, "the batch must fail");
    assert.equal(failure.status, 400);
    assert.equal(failure.response.message, "Batch transaction failed.");
    const entry = failure.response.data.requests["1"];
    assert.equal(entry.code, "batch_request_failed");
    assert.equal(entry.response.status, 400);
    assert.equal(entry.response.data.title.code, "validation_required");
    const after = await guest.collection(ITEMS).getFullList({ sort: "title", fields: "id,title" });
    assert.deepEqual(after, before);
  });
});
