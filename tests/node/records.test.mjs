// The official JS SDK against a live server: superuser and user auth, a collection with every
// field type, record CRUD with filter/sort/expand and modifiers, rules, authRefresh, health.
// Each `it` depends on the previous ones (one story), so they run in order inside one describe.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  BASE_URL,
  PB_DATE,
  PB_ID,
  SUPERUSER_EMAIL,
  client,
  rejectsWithStatus,
  suffix,
  superuserClient,
} from "./helpers.mjs";

const TAG = suffix();
const THINGS = `things_${TAG}`;
const LABELS = `labels_${TAG}`;
const OWNER_RULE = "owner = @request.auth.id";

// The body of the first record; every value must come back exactly as sent (dates normalised).
const DOC_TEXT = "hello from the js sdk\n";
const FIRST = {
  title: "First thing",
  views: 2,
  score: -12.25,
  published: true,
  contact: "someone@example.com",
  link: "https://example.com/a?b=c",
  body: "<p>Hello <strong>world</strong> ☃</p>",
  due: "2025-01-02 10:00:00.123Z",
  status: "draft",
  tags: ["a", "b"],
  meta: { nested: { list: [1, 2.5, "x", null, true] }, unicode: "żółw 🐢", empty: {} },
  loc: { lon: 23.319941, lat: 42.698334 },
};

describe("JS SDK story: collections, users, records, rules", () => {
  const su = client();
  const guest = client();
  const user = client();
  const other = client();
  const state = {};

  it("reports health", async () => {
    const health = await guest.health.check();
    assert.equal(health.code, 200);
    assert.equal(health.message, "API is healthy.");
    assert.deepEqual(health.data, {});
  });

  it("rejects a wrong superuser password with 400", async () => {
    await rejectsWithStatus(
      client().collection("_superusers").authWithPassword(SUPERUSER_EMAIL, "wrong-password-1"),
      400,
      "Failed to authenticate.",
    );
  });

  it("logs the superuser in", async () => {
    const auth = await su.collection("_superusers").authWithPassword(SUPERUSER_EMAIL, process.env.PB_SUPERUSER_PASSWORD);
    assert.ok(auth.token.split(".").length === 3, "a JWT");
    assert.equal(auth.record.email, SUPERUSER_EMAIL);
    assert.equal(auth.record.collectionName, "_superusers");
    assert.match(auth.record.id, PB_ID);
    assert.ok(su.authStore.isValid);
    assert.ok(su.authStore.isSuperuser);
  });

  it("keeps guests out of the collections API", async () => {
    await rejectsWithStatus(guest.collections.getList(1, 10), 401);
  });

  it("creates collections with every field type", async () => {
    const labels = await su.collections.create({
      name: LABELS,
      type: "base",
      listRule: "",
      viewRule: "",
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [{ name: "name", type: "text", required: true, max: 50 }],
    });
    assert.equal(labels.name, LABELS);
    assert.match(labels.id, /^pbc_\d+$/);
    state.labels = labels;

    const things = await su.collections.create({
      name: THINGS,
      type: "base",
      listRule: OWNER_RULE,
      viewRule: OWNER_RULE,
      createRule: `@request.auth.id != "" && ${OWNER_RULE}`,
      updateRule: OWNER_RULE,
      deleteRule: OWNER_RULE,
      fields: [
        { name: "title", type: "text", required: true, max: 200 },
        { name: "views", type: "number", onlyInt: true },
        { name: "score", type: "number" },
        { name: "published", type: "bool" },
        { name: "contact", type: "email" },
        { name: "link", type: "url" },
        { name: "body", type: "editor" },
        { name: "due", type: "date" },
        { name: "status", type: "select", values: ["draft", "live", "archived"], maxSelect: 1 },
        { name: "tags", type: "select", values: ["a", "b", "c", "d"], maxSelect: 4 },
        { name: "doc", type: "file", maxSelect: 1, maxSize: 1048576 },
        { name: "owner", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1, required: true },
        { name: "labels", type: "relation", collectionId: labels.id, maxSelect: 5 },
        { name: "meta", type: "json" },
        { name: "loc", type: "geoPoint" },
        { name: "created", type: "autodate", onCreate: true, onUpdate: false },
        { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
      ],
    });
    state.things = things;
    assert.equal(things.name, THINGS);
    assert.equal(things.type, "base");
    assert.equal(things.listRule, OWNER_RULE);
    assert.equal(things.createRule, `@request.auth.id != "" && ${OWNER_RULE}`);
    const byName = Object.fromEntries(things.fields.map((f) => [f.name, f]));
    const types = Object.fromEntries(things.fields.map((f) => [f.name, f.type]));
    assert.deepEqual(types, {
      id: "text",
      title: "text",
      views: "number",
      score: "number",
      published: "bool",
      contact: "email",
      link: "url",
      body: "editor",
      due: "date",
      status: "select",
      tags: "select",
      doc: "file",
      owner: "relation",
      labels: "relation",
      meta: "json",
      loc: "geoPoint",
      created: "autodate",
      updated: "autodate",
    });
    assert.equal(byName.id.primaryKey, true);
    assert.equal(byName.id.system, true);
    assert.equal(byName.views.onlyInt, true);
    assert.deepEqual(byName.tags.values, ["a", "b", "c", "d"]);
    assert.equal(byName.tags.maxSelect, 4);
    assert.equal(byName.owner.collectionId, "_pb_users_auth_");
    assert.equal(byName.labels.collectionId, labels.id);
    assert.equal(byName.doc.maxSize, 1048576);
    assert.equal(byName.updated.onUpdate, true);
    for (const field of things.fields) {
      assert.match(field.id, /^[a-zA-Z]+\d+$/, `field id of ${field.name}`);
    }
    assert.match(things.created, PB_DATE);

    const fetched = await su.collections.getOne(THINGS);
    assert.equal(fetched.id, things.id);
    assert.deepEqual(
      fetched.fields.map((f) => f.name),
      things.fields.map((f) => f.name),
    );
  });

  it("lets the superuser create labels and hides create from others", async () => {
    const red = await su.collection(LABELS).create({ name: "red" });
    const blue = await su.collection(LABELS).create({ name: "blue" });
    assert.match(red.id, PB_ID);
    assert.equal(red.collectionName, LABELS);
    assert.equal(red.collectionId, state.labels.id);
    state.red = red;
    state.blue = blue;
    await rejectsWithStatus(guest.collection(LABELS).create({ name: "green" }), 403, "Only superusers can perform this action.");
  });

  it("creates users through the users collection and logs one in", async () => {
    const email = `user_${TAG}@example.com`;
    const created = await guest.collection("users").create({
      email,
      password: "user-pass-123",
      passwordConfirm: "user-pass-123",
      name: "User One",
    });
    assert.match(created.id, PB_ID);
    assert.equal(created.name, "User One");
    assert.equal(created.verified, false);
    assert.equal(created.password, undefined);
    assert.equal(created.tokenKey, undefined);
    await guest.collection("users").create({
      email: `other_${TAG}@example.com`,
      password: "other-pass-123",
      passwordConfirm: "other-pass-123",
    });

    await rejectsWithStatus(
      guest.collection("users").create({ email: `bad_${TAG}@example.com`, password: "x-pass-1234", passwordConfirm: "nope-1234" }),
      400,
    );

    const auth = await user.collection("users").authWithPassword(email, "user-pass-123");
    assert.equal(auth.record.id, created.id);
    assert.equal(auth.record.email, email);
    assert.equal(auth.record.collectionName, "users");
    assert.ok(user.authStore.isValid);
    assert.equal(user.authStore.isSuperuser, false);
    state.user = auth.record;

    const otherAuth = await other.collection("users").authWithPassword(`other_${TAG}@example.com`, "other-pass-123");
    state.other = otherAuth.record;
  });

  it("keeps regular users out of superuser-only routes", async () => {
    await rejectsWithStatus(user.collections.getList(1, 10), 403);
    await rejectsWithStatus(user.collection(LABELS).create({ name: "x" }), 403);
  });

  it("creates a record with a file and every value round-trips", async () => {
    const body = {
      ...FIRST,
      owner: state.user.id,
      labels: [state.red.id, state.blue.id],
      doc: new Blob([DOC_TEXT], { type: "text/plain" }),
    };
    // A Blob makes the SDK send multipart with objects in @jsonPayload and scalars as form values.
    const rec = await user.collection(THINGS).create(body);
    state.first = rec;
    assert.match(rec.id, PB_ID);
    assert.equal(rec.collectionId, state.things.id);
    assert.equal(rec.collectionName, THINGS);
    for (const [key, value] of Object.entries(FIRST)) {
      assert.deepEqual(rec[key], value, `field ${key}`);
    }
    assert.equal(rec.owner, state.user.id);
    assert.deepEqual(rec.labels, [state.red.id, state.blue.id]);
    assert.match(rec.doc, /^blob_[a-z0-9]{10}\.txt$|^[a-z0-9_]+\.txt$/);
    assert.match(rec.created, PB_DATE);
    assert.equal(rec.updated, rec.created);
    assert.equal(rec.expand, undefined);

    const url = user.files.getURL(rec, rec.doc);
    assert.ok(url.startsWith(`${BASE_URL.replace(/\/$/, "")}/api/files/${state.things.id}/${rec.id}/`), url);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), DOC_TEXT);
  });

  it("creates records from JSON bodies, normalising dates and empty values", async () => {
    const second = await user.collection(THINGS).create({
      title: "Second thing",
      views: 5,
      score: 1e21,
      published: false,
      due: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 7)),
      status: "live",
      tags: ["b", "c", "b"],
      owner: state.user.id,
      labels: [state.blue.id],
      meta: [1, "two", { three: 3 }],
      loc: { lon: -122.4194, lat: 37.7749 },
    });
    assert.equal(second.due, "2024-02-29 23:59:59.007Z");
    assert.equal(second.score, 1e21);
    assert.deepEqual(second.tags, ["b", "c"]);
    assert.deepEqual(second.meta, [1, "two", { three: 3 }]);
    assert.equal(second.doc, "");
    assert.equal(second.contact, "");
    assert.equal(second.body, "");
    state.second = second;

    const third = await user.collection(THINGS).create({ title: "it's \"quoted\"", owner: state.user.id });
    assert.equal(third.views, 0);
    assert.equal(third.score, 0);
    assert.equal(third.published, false);
    assert.equal(third.due, "");
    assert.equal(third.status, "");
    assert.deepEqual(third.tags, []);
    assert.deepEqual(third.labels, []);
    assert.equal(third.meta, null);
    assert.deepEqual(third.loc, { lon: 0, lat: 0 });
    state.third = third;

    await rejectsWithStatus(user.collection(THINGS).create({ owner: state.user.id }), 400, "Failed to create record.").then((err) => {
      assert.equal(err.response.data.title.code, "validation_required");
    });
    await rejectsWithStatus(
      user.collection(THINGS).create({ title: "bad", owner: state.user.id, status: "nope", views: 1.5 }),
      400,
    ).then((err) => {
      assert.equal(err.response.data.status.code, "validation_invalid_value");
      assert.equal(err.response.data.views.code, "validation_only_int_constraint");
    });
  });

  it("reads a record back identically with getOne", async () => {
    const got = await user.collection(THINGS).getOne(state.first.id);
    assert.deepEqual(got, state.first);
    const picked = await user.collection(THINGS).getOne(state.first.id, { fields: "id,title,loc" });
    assert.deepEqual(picked, { id: state.first.id, title: FIRST.title, loc: FIRST.loc });
  });

  it("lists with filter, sort and expand", async () => {
    const page = await user.collection(THINGS).getList(1, 2, {
      filter: user.filter("views >= {:min} && tags:each ?= {:tag}", { min: 2, tag: "b" }),
      sort: "-views,title",
      expand: "owner,labels",
    });
    assert.equal(page.page, 1);
    assert.equal(page.perPage, 2);
    assert.equal(page.totalItems, 2);
    assert.equal(page.totalPages, 1);
    assert.deepEqual(
      page.items.map((r) => r.id),
      [state.second.id, state.first.id],
    );
    const first = page.items[1];
    assert.equal(first.expand.owner.id, state.user.id);
    assert.equal(first.expand.owner.email, state.user.email);
    assert.deepEqual(
      first.expand.labels.map((l) => l.name),
      ["red", "blue"],
    );
    const { expand, ...plain } = first;
    assert.ok(expand);
    assert.deepEqual(plain, state.first);

    const all = await user.collection(THINGS).getList(1, 30, { sort: "created,title" });
    assert.equal(all.totalItems, 3);

    const paged = await user.collection(THINGS).getList(2, 2, { sort: "title" });
    assert.equal(paged.totalItems, 3);
    assert.equal(paged.totalPages, 2);
    assert.deepEqual(
      paged.items.map((r) => r.title),
      ["it's \"quoted\""],
    );

    const byDate = await user.collection(THINGS).getList(1, 10, {
      filter: user.filter("due > {:d}", { d: new Date(Date.UTC(2024, 5, 1)) }),
    });
    assert.deepEqual(
      byDate.items.map((r) => r.id),
      [state.first.id],
    );

    const geo = await user.collection(THINGS).getList(1, 10, {
      filter: "geoDistance(loc.lon, loc.lat, 23.32, 42.70) < 5",
    });
    assert.deepEqual(
      geo.items.map((r) => r.id),
      [state.first.id],
    );

    const skip = await user.collection(THINGS).getList(1, 1, { skipTotal: true, sort: "-views" });
    assert.equal(skip.totalItems, -1);
    assert.equal(skip.totalPages, -1);
    assert.equal(skip.items[0].id, state.second.id);

    await rejectsWithStatus(user.collection(THINGS).getList(1, 10, { filter: "nope_field = 1" }), 400);
  });

  it("gets the full list and the first matching item", async () => {
    const full = await user.collection(THINGS).getFullList({ sort: "title", batch: 2 });
    assert.deepEqual(
      full.map((r) => r.title),
      ["First thing", "Second thing", "it's \"quoted\""],
    );
    const found = await user
      .collection(THINGS)
      .getFirstListItem(user.filter("title = {:t}", { t: "it's \"quoted\"" }));
    assert.equal(found.id, state.third.id);
    await rejectsWithStatus(user.collection(THINGS).getFirstListItem('title = "missing"'), 404);
  });

  it("updates with modifiers", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await user.collection(THINGS).update(state.first.id, {
      "views+": 3,
      "score-": 0.75,
      "tags+": ["c"],
      "tags-": "a",
      "labels-": [state.red.id],
      published: false,
      meta: { replaced: true },
    });
    assert.equal(updated.views, 5);
    assert.equal(updated.score, -13);
    assert.deepEqual(updated.tags, ["b", "c"]);
    assert.deepEqual(updated.labels, [state.blue.id]);
    assert.equal(updated.published, false);
    assert.deepEqual(updated.meta, { replaced: true });
    assert.equal(updated.title, FIRST.title);
    assert.deepEqual(updated.loc, FIRST.loc);
    assert.equal(updated.doc, state.first.doc);
    assert.equal(updated.created, state.first.created);
    assert.match(updated.updated, PB_DATE);
    assert.ok(updated.updated > state.first.updated, `${updated.updated} > ${state.first.updated}`);

    const prepended = await user.collection(THINGS).update(state.first.id, { "+tags": "d" }, { expand: "labels" });
    assert.deepEqual(prepended.tags, ["d", "b", "c"]);
    assert.deepEqual(
      prepended.expand.labels.map((l) => l.name),
      ["blue"],
    );
    state.first = await user.collection(THINGS).getOne(state.first.id);
  });

  it("enforces the collection rules for guests and other users", async () => {
    const id = state.first.id;
    const guestList = await guest.collection(THINGS).getList(1, 10);
    assert.equal(guestList.totalItems, 0);
    assert.deepEqual(guestList.items, []);
    await rejectsWithStatus(guest.collection(THINGS).getOne(id), 404, "The requested resource wasn't found.");
    await rejectsWithStatus(guest.collection(THINGS).update(id, { title: "hijacked" }), 404);
    await rejectsWithStatus(guest.collection(THINGS).delete(id), 404);
    await rejectsWithStatus(
      guest.collection(THINGS).create({ title: "guest", owner: state.user.id }),
      400,
      "Failed to create record.",
    );

    const otherList = await other.collection(THINGS).getList(1, 10);
    assert.equal(otherList.totalItems, 0);
    await rejectsWithStatus(other.collection(THINGS).getOne(id), 404);
    await rejectsWithStatus(other.collection(THINGS).update(id, { title: "hijacked" }), 404);
    await rejectsWithStatus(other.collection(THINGS).create({ title: "spoof", owner: state.user.id }), 400);
    // The users collection shows each user only itself.
    await rejectsWithStatus(other.collection("users").getOne(state.user.id), 404);
    await rejectsWithStatus(guest.collection(`missing_${TAG}`).getList(1, 10), 404);

    const still = await user.collection(THINGS).getOne(id);
    assert.deepEqual(still, state.first);
    const labels = await guest.collection(LABELS).getFullList({ sort: "name" });
    assert.deepEqual(
      labels.map((l) => l.name),
      ["blue", "red"],
    );
  });

  it("refreshes the user's auth", async () => {
    const before = user.authStore.token;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = await user.collection("users").authRefresh();
    assert.equal(refreshed.record.id, state.user.id);
    assert.equal(refreshed.record.email, state.user.email);
    assert.ok(refreshed.token.split(".").length === 3);
    assert.notEqual(refreshed.token, before, "a new token with a later exp");
    assert.equal(user.authStore.token, refreshed.token);
    assert.ok(user.authStore.isValid);
    await rejectsWithStatus(guest.collection("users").authRefresh(), 401);
    await rejectsWithStatus(su.collection("users").authRefresh(), 403);
    const suRefreshed = await su.collection("_superusers").authRefresh();
    assert.equal(suRefreshed.record.email, SUPERUSER_EMAIL);
  });

  it("deletes records", async () => {
    await rejectsWithStatus(other.collection(THINGS).delete(state.third.id), 404);
    assert.equal(await user.collection(THINGS).delete(state.third.id), true);
    await rejectsWithStatus(user.collection(THINGS).getOne(state.third.id), 404);
    await rejectsWithStatus(user.collection(THINGS).delete(state.third.id), 404);
    const left = await user.collection(THINGS).getFullList({ sort: "title" });
    assert.deepEqual(
      left.map((r) => r.id),
      [state.first.id, state.second.id],
    );
    // The superuser bypasses the rules.
    const seen = await su.collection(THINGS).getList(1, 10);
    assert.equal(seen.totalItems, 2);
  });
});
