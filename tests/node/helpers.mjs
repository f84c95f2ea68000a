// Shared helpers for the JS SDK tests. The server under test is given by the environment
// (set by tests/node/test_js_sdk.py): PB_URL, PB_SUPERUSER_EMAIL, PB_SUPERUSER_PASSWORD.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import PocketBase, { ClientResponseError } from "pocketbase";

/** The base URL of the server under test; the tests refuse to guess one. */
export const BASE_URL = process.env.PB_URL ?? "";
export const SUPERUSER_EMAIL = process.env.PB_SUPERUSER_EMAIL ?? "";
export const SUPERUSER_PASSWORD = process.env.PB_SUPERUSER_PASSWORD ?? "";

if (!BASE_URL || !SUPERUSER_EMAIL || !SUPERUSER_PASSWORD) {
  throw new Error("PB_URL, PB_SUPERUSER_EMAIL and PB_SUPERUSER_PASSWORD must be set (run through test_js_sdk.py)");
}

/** PocketBase's datetime shape: UTC, a space, exactly 3 fractional digits, a literal Z. */
export const PB_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A 15-character record id. */
export const PB_ID = /^[a-z0-9]{15}$/;

/** A fresh SDK client with no auth; auto-cancellation is off so parallel calls are independent. */
export function client() {
  const pb = new PocketBase(BASE_URL);
  pb.autoCancellation(false);
  return pb;
}

/** A client logged in as the superuser created by the harness. */
export async function superuserClient() {
  const pb = client();
  await pb.collection("_superusers").authWithPassword(SUPERUSER_EMAIL, SUPERUSER_PASSWORD);
  return pb;
}

/** A short random suffix so names do not collide if the suite runs twice on one server. */
export function suffix() {
  return randomBytes(4).toString("hex");
}

/**
 * Assert that `promise` rejects with a ClientResponseError of the given HTTP status,
 * and return the error for further checks.
 */
export async function rejectsWithStatus(promise, status, message) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    assert.ok(err instanceof ClientResponseError, `expected ClientResponseError, got ${err}`);
    assert.equal(err.status, status, `status ${err.status} (${JSON.stringify(err.response)})`);
    if (message !== undefined) {
      assert.equal(err.response.message, message);
    }
    return true;
  });
  return caught;
}
