// The JS SDK's `impersonate()`: a superuser gets a client holding a non-refreshable token for
// another auth record.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import { PB_ID, client, rejectsWithStatus, suffix, superuserClient } from "./helpers.mjs";

const MEMBERS = `members_${suffix()}`;

describe("JS SDK impersonate", () => {
  let su;
  let member;

  before(async () => {
    su = await superuserClient();
    await su.collections.create({ name: MEMBERS, type: "auth", viewRule: "id = @request.auth.id" });
    member = await su.collection(MEMBERS).create({
      email: `m_${suffix()}@example.com`,
      password: "12345678",
      passwordConfirm: "12345678",
    });
  });

  it("gives a client acting as the record, whose token refresh keeps the same token", async () => {
    const as = await su.collection(MEMBERS).impersonate(member.id, 60);
    assert.equal(as.authStore.record.id, member.id);
    assert.match(as.authStore.record.id, PB_ID);
    const token = as.authStore.token;
    const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(payload.refreshable, false);
    assert.ok(payload.exp - Date.now() / 1000 <= 61);

    const seen = await as.collection(MEMBERS).getOne(member.id);
    assert.equal(seen.id, member.id);
    const refreshed = await as.collection(MEMBERS).authRefresh();
    assert.equal(refreshed.token, token);
  });

  it("is refused to anyone but a superuser", async () => {
    const guest = client();
    await rejectsWithStatus(guest.collection(MEMBERS).impersonate(member.id, 60), 401);
    await guest.collection(MEMBERS).authWithPassword(member.email, "12345678");
    await rejectsWithStatus(guest.collection(MEMBERS).impersonate(member.id, 60), 403);
  });
});
