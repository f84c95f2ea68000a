// The JS SDK's files API against a live server: uploads through FormData (what the SDK builds
// from File values), `pb.files.getURL` with thumbs and `download`, protected files with a file
// token, the `field+` / `field-` modifiers and a refused MIME type.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { deflateSync } from "node:zlib";

import { client, rejectsWithStatus, suffix, superuserClient } from "./helpers.mjs";

const FILES = `sdk_files_${suffix()}`;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A real RGB PNG of `width` x `height` (a horizontal gradient), built by hand. */
function png(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x * 5, y * 5, 128], y * (1 + width * 3) + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** The width and height a PNG declares in its IHDR chunk. */
function pngSize(bytes) {
  const buf = Buffer.from(bytes);
  assert.equal(buf.subarray(1, 4).toString("ascii"), "PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe("JS SDK files", () => {
  const guest = client();
  const photo = png(40, 20);
  let su;
  let record;

  before(async () => {
    su = await superuserClient();
    await su.collections.create({
      name: FILES,
      type: "base",
      listRule: "",
      viewRule: '@request.auth.id != ""',
      createRule: "",
      updateRule: "",
      fields: [
        { name: "title", type: "text" },
        {
          name: "photos",
          type: "file",
          maxSelect: 5,
          maxSize: 1000000,
          mimeTypes: ["image/png", "text/plain"],
          thumbs: ["20x10"],
        },
        { name: "secret", type: "file", maxSelect: 1, protected: true },
      ],
    });
    record = await su.collection(FILES).create({
      title: "album",
      photos: [new File([photo], "Holiday Photo.png"), new File(["just text\n"], "notes.txt")],
      secret: new File(["top secret\n"], "secret.txt"),
    });
  });

  it("stores uploads under PocketBase's names", () => {
    assert.equal(record.photos.length, 2);
    assert.match(record.photos[0], /^holiday_photo_[a-z0-9]{10}\.png$/);
    assert.match(record.photos[1], /^notes_[a-z0-9]{10}\.txt$/);
    assert.match(record.secret, /^secret_[a-z0-9]{10}\.txt$/);
  });

  it("serves a file through getURL, inline, and as an attachment with download", async () => {
    const res = await fetch(guest.files.getURL(record, record.photos[0]));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.match(res.headers.get("content-disposition"), /^inline; filename=/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), photo);

    const attachment = await fetch(guest.files.getURL(record, record.photos[0], { download: true }));
    assert.match(attachment.headers.get("content-disposition"), /^attachment; filename=/);
    await attachment.arrayBuffer();
  });

  it("makes the thumbs the field lists and the default one, and serves the original otherwise", async () => {
    for (const [thumb, size] of [
      ["20x10", [20, 10]],
      ["100x100", [100, 100]],
    ]) {
      const res = await fetch(guest.files.getURL(record, record.photos[0], { thumb }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.deepEqual(pngSize(await res.arrayBuffer()), size, `thumb ${thumb}`);
    }
    const unlisted = await fetch(guest.files.getURL(record, record.photos[0], { thumb: "30x30" }));
    assert.deepEqual(Buffer.from(await unlisted.arrayBuffer()), photo);
    const text = await fetch(guest.files.getURL(record, record.photos[1], { thumb: "20x10" }));
    assert.equal(await text.text(), "just text\n");
  });

  it("serves a protected file only with a file token", async () => {
    const bare = await fetch(guest.files.getURL(record, record.secret));
    assert.equal(bare.status, 404);
    await bare.arrayBuffer();
    await rejectsWithStatus(guest.files.getToken(), 401);
    const token = await su.files.getToken();
    const res = await fetch(guest.files.getURL(record, record.secret, { token }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "top secret\n");
  });

  it("appends with field+ and removes with field-", async () => {
    const appended = await su.collection(FILES).update(record.id, {
      "photos+": new File([png(8, 8)], "small.png"),
    });
    assert.equal(appended.photos.length, 3);
    assert.deepEqual(appended.photos.slice(0, 2), record.photos);
    assert.match(appended.photos[2], /^small_[a-z0-9]{10}\.png$/);

    const removed = await su.collection(FILES).update(record.id, { "photos-": [record.photos[1]] });
    assert.deepEqual(removed.photos, [record.photos[0], appended.photos[2]]);
    const gone = await fetch(guest.files.getURL(record, record.photos[1]));
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
  });

  it("refuses a file whose content is not an allowed type", async () => {
    const err = await rejectsWithStatus(
      su.collection(FILES).update(record.id, {
        "photos+": new File([Buffer.from([0, 1, 2, 3, 255, 254])], "data.png"),
      }),
      400,
    );
    assert.equal(err.response.data.photos.code, "validation_invalid_mime_type");
  });
});
