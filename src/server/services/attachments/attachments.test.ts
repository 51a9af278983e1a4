import { describe, expect, it } from "vitest";

import { ADA } from "../../../../sandbox/test-helpers";

import { DELETE as removeRoute, GET as readRoute } from "~/app/api/attachments/[id]/route";
import { POST as uploadRoute } from "~/app/api/attachments/route";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { fileSupportRequest, getMyTicket } from "~/server/services/support/support";
import { sendExternalChange } from "~/server/services/tickets/external-changes";
import { retryExternalIssue } from "~/server/services/tickets/tickets";
import { sandboxAdmin, sandboxUrl } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";
import { rejection } from "~/test/rejections";

import { supportDesk } from "~/server/services/support/test-support";

import { readAttachment, uploadScreenshot } from "./attachments";

setupTestDatabase();

/** A 1×1 PNG, and the signatures of the other accepted formats. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa65e0c0000000049454e44ae426082",
  "hex",
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x1a, 0, 0, 0]),
  Buffer.from("WEBPVP8L"),
  Buffer.alloc(14),
]);

const bug = (attachmentIds: string[]) => ({
  kind: "bug" as const,
  summary: unique("Broken chart"),
  description: "The chart is blank.",
  priority: "medium" as const,
  attachmentIds,
});

const draftsOf = (viewer: Viewer) => db.attachment.count({ where: { uploaderId: viewer.userId } });

async function cookieFor(viewer: Viewer) {
  const sessionToken = unique("token");
  await db.session.create({
    data: { sessionToken, userId: viewer.userId, expires: new Date(Date.now() + 3_600_000) },
  });
  return `authjs.session-token=${sessionToken}`;
}

async function upload(viewer: Viewer | null, files: { name: string; data: Buffer; type?: string }[]) {
  const form = new FormData();
  for (const file of files)
    form.append("file", new Blob([new Uint8Array(file.data)], { type: file.type ?? "image/png" }), file.name);
  const headers = new Headers(viewer ? { cookie: await cookieFor(viewer) } : {});
  return uploadRoute(
    new Request("http://localhost/api/attachments", { method: "POST", body: form, headers }),
  );
}

async function fetchFile(viewer: Viewer, id: string) {
  const request = new Request(`http://localhost/api/attachments/${id}`, {
    headers: { cookie: await cookieFor(viewer) },
  });
  return readRoute(request, { params: Promise.resolve({ id }) });
}

describe("uploading screenshots", () => {
  it("stores PNG, JPEG and WebP by their bytes, whatever the name or claimed type says", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const png = await uploadScreenshot(alice, { filename: "screen.png", data: PNG });
    const jpeg = await uploadScreenshot(alice, { filename: "photo.png", data: JPEG });
    const webp = await uploadScreenshot(alice, { filename: "shot.webp", data: WEBP });
    expect([png.contentType, jpeg.contentType, webp.contentType]).toEqual([
      "image/png",
      "image/jpeg",
      "image/webp",
    ]);
    expect(png).toMatchObject({ filename: "screen.png", size: PNG.length });
    const stored = await db.attachment.findUniqueOrThrow({ where: { id: png.id } });
    expect(stored).toMatchObject({
      ticketId: null,
      uploaderId: alice.userId,
      organizationId: alice.organizationId,
    });
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [
      "an oversized file",
      "big.png",
      Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]),
      /is 5\.0 MB; screenshots can be up to 5\.0 MB each/,
    ],
    [
      "a GIF",
      "anim.png",
      Buffer.from("GIF89a\x01\x00\x01\x00"),
      /is a GIF image; only PNG, JPEG or WebP screenshots are accepted/,
    ],
    [
      "an SVG disguised as .png",
      "logo.png",
      Buffer.from(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
      /“logo\.png” is an SVG; only PNG, JPEG or WebP screenshots are accepted/,
    ],
    [
      "HTML disguised as .png",
      "page.png",
      Buffer.from("<!DOCTYPE html><html><script>alert(1)</script></html>"),
      /is an HTML page; only PNG, JPEG or WebP/,
    ],
    ["an empty file", "empty.png", Buffer.alloc(0), /“empty\.png” is empty/],
    ["random bytes", "noise.png", Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), /is not a PNG, JPEG or WebP image/],
    ["a name with /", "../etc/passwd.png", PNG, /contains \/, \\, \.\. or control characters/],
    ["a name with \\", "C:\\Users\\me\\shot.png", PNG, /contains \/, \\, \.\. or control characters/],
    ["a name with ..", "shot..png", PNG, /contains \/, \\, \.\. or control characters/],
    ["a name with NUL", "shot\u0000.png", PNG, /contains \/, \\, \.\. or control characters/],
    [
      "a name with a control character",
      "shot\u001b[2J.png",
      PNG,
      /contains \/, \\, \.\. or control characters/,
    ],
  ])("refuses %s with a reason, and stores nothing", async (_, filename, data, reason) => {
    const { alice } = await supportDesk({ withJira: false });
    const error = await rejection(uploadScreenshot(alice, { filename, data }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(reason);
    expect(await draftsOf(alice)).toBe(0);
  });

  it("the upload route: 201 with the draft, 400 with the reason (nothing stored), 401 signed out", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const ok = await upload(alice, [{ name: "screen.png", data: PNG, type: "image/svg+xml" }]);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      filename: "screen.png",
      size: PNG.length,
      contentType: "image/png",
    });

    const svg = await upload(alice, [{ name: "x.png", data: Buffer.from("<svg></svg>"), type: "image/png" }]);
    expect(svg.status).toBe(400);
    expect(await svg.json()).toEqual({
      error: "“x.png” is an SVG; only PNG, JPEG or WebP screenshots are accepted.",
    });
    const two = await upload(alice, [
      { name: "a.png", data: PNG },
      { name: "b.png", data: PNG },
    ]);
    expect(two.status).toBe(400);
    expect((await upload(null, [{ name: "a.png", data: PNG }])).status).toBe(401);
    expect(await draftsOf(alice)).toBe(1);
  });

  it("refuses a body sent without a length once it passes the limit, without reading the rest", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 1_000)
          controller.close(); // 64 MB at most, should it ever get that far
        else controller.enqueue(chunk);
      },
    });
    const response = await uploadRoute(
      new Request("http://localhost/api/attachments", {
        method: "POST",
        body: endless,
        duplex: "half",
        headers: { cookie: await cookieFor(alice), "content-type": "multipart/form-data; boundary=x" },
      } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "The screenshot is larger than 5 MB; screenshots can be up to 5 MB each.",
    });
    expect(sent).toBeLessThan(100); // about 5 MB read, not 64
    expect(await draftsOf(alice)).toBe(0);
  });

  it("refuses more than 5 screenshots on one report, and screenshots on other kinds, filing nothing", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const ids = [];
    for (let index = 0; index < 6; index += 1)
      ids.push((await uploadScreenshot(alice, { filename: `s${index}.png`, data: PNG })).id);
    const tooMany = await rejection(fileSupportRequest(alice, bug(ids)));
    expect(tooMany.code).toBe("BAD_REQUEST");
    expect(tooMany.message).toMatch(/at most 5 screenshots/);
    const feature = await rejection(
      fileSupportRequest(alice, {
        kind: "feature",
        summary: "Dark mode",
        description: "Please.",
        priority: "low",
        attachmentIds: ids.slice(0, 1),
      }),
    );
    expect(feature.message).toMatch(/bug reports only/);
    expect(await db.ticket.count({ where: { reporterId: alice.userId } })).toBe(0);
    expect(await db.attachment.count({ where: { uploaderId: alice.userId, ticketId: { not: null } } })).toBe(
      0,
    );
  });
});

describe("who can see a screenshot", () => {
  it("its reporter and the staff; another customer, or anyone for someone else's draft, gets 404", async () => {
    const { staff, alice, bob } = await supportDesk({ withJira: false });
    const sent = await uploadScreenshot(alice, { filename: "sent.png", data: PNG });
    const draft = await uploadScreenshot(alice, { filename: "draft.png", data: PNG });
    const filed = await fileSupportRequest(alice, bug([sent.id]));
    const other = await createMember("OWNER");
    const outsider: Viewer = { userId: other.user.id, organizationId: other.organization!.id, role: "OWNER" };

    const mine = await fetchFile(alice, sent.id);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("image/png");
    expect(mine.headers.get("x-content-type-options")).toBe("nosniff");
    expect(mine.headers.get("cache-control")).toMatch(/^private/);
    expect(mine.headers.get("content-disposition")).toBe(
      `inline; filename="sent.png"; filename*=UTF-8''sent.png`,
    );
    expect(Buffer.from(await mine.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetchFile(staff, sent.id)).status).toBe(200);
    expect((await fetchFile(alice, draft.id)).status).toBe(200);

    const missing = await fetchFile(bob, "no-such-id");
    expect(missing.status).toBe(404);
    const missingBody = await missing.json();
    for (const [viewer, id] of [
      [bob, sent.id],
      [bob, draft.id],
      [staff, draft.id],
      [outsider, sent.id],
    ] as const) {
      const response = await fetchFile(viewer, id);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(missingBody);
    }

    expect((await getMyTicket(alice, filed.id)).attachments).toEqual([
      { id: sent.id, filename: "sent.png", size: PNG.length, contentType: "image/png" },
    ]);
    expect((await rejection(getMyTicket(bob, filed.id))).code).toBe("NOT_FOUND");
    expect((await rejection(readAttachment(bob, sent.id))).code).toBe("NOT_FOUND");
  });

  it("filing with someone else's draft, or one already sent, is refused and nothing is filed", async () => {
    const { alice, bob } = await supportDesk({ withJira: true });
    const alices = await uploadScreenshot(alice, { filename: "alice.png", data: PNG });
    const bobs = await uploadScreenshot(bob, { filename: "bob.png", data: PNG });

    const stolen = await rejection(fileSupportRequest(bob, bug([bobs.id, alices.id])));
    expect(stolen.code).toBe("NOT_FOUND");
    expect(stolen.message).toMatch(/not found among your uploads/);
    expect(await db.ticket.count({ where: { reporterId: bob.userId } })).toBe(0);
    expect(
      await db.attachment.findMany({
        where: { id: { in: [alices.id, bobs.id] } },
        select: { ticketId: true },
      }),
    ).toEqual([{ ticketId: null }, { ticketId: null }]);
    expect(await db.externalChange.count({ where: { organizationId: bob.organizationId } })).toBe(0);

    await fileSupportRequest(alice, bug([alices.id]));
    const again = await rejection(fileSupportRequest(alice, bug([alices.id])));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/“alice\.png” was already sent with another report/);
    expect(await db.ticket.count({ where: { reporterId: alice.userId } })).toBe(1);
  });

  it("a draft can be removed by its uploader only", async () => {
    const { alice, bob } = await supportDesk({ withJira: false });
    const draft = await uploadScreenshot(alice, { filename: "d.png", data: PNG });
    const remove = async (viewer: Viewer) =>
      removeRoute(
        new Request(`http://localhost/api/attachments/${draft.id}`, {
          method: "DELETE",
          headers: { cookie: await cookieFor(viewer) },
        }),
        { params: Promise.resolve({ id: draft.id }) },
      );
    expect((await remove(bob)).status).toBe(404);
    expect((await remove(alice)).status).toBe(204);
    expect(await draftsOf(alice)).toBe(0);
  });
});

describe("screenshots in Jira", () => {
  it("are uploaded once to the bug report's issue, with the Jira attachment id kept", async () => {
    const { alice } = await supportDesk({ withJira: true });
    const one = await uploadScreenshot(alice, { filename: "one.png", data: PNG });
    const two = await uploadScreenshot(alice, { filename: "two.jpg", data: JPEG });
    const filed = await fileSupportRequest(alice, bug([one.id, two.id]));
    expect(filed.externalKey).toMatch(/^DEMO-\d+$/);

    const issue = await sandboxAdmin(`/issues?project=DEMO`);
    const found = (
      issue.body as { key: string; attachments?: { filename: string; mimeType: string }[] }[]
    ).find((candidate) => candidate.key === filed.externalKey);
    expect(found).toBeDefined();
    const jira = await fetch(
      `${sandboxUrl()}/site/acme-demo/rest/api/3/issue/${filed.externalKey}?fields=attachment`,
      {
        headers: { Authorization: `Basic ${Buffer.from(`${ADA.email}:${ADA.apiToken}`).toString("base64")}` },
      },
    ).then(
      (response) =>
        response.json() as Promise<{
          fields: { attachment: { id: string; filename: string; mimeType: string; size: number }[] };
        }>,
    );
    // Both are sent at once: Jira lists them in the order they arrived.
    const onIssue = jira.fields.attachment.sort((a, b) => a.filename.localeCompare(b.filename));
    expect(onIssue.map(({ filename, mimeType, size }) => ({ filename, mimeType, size }))).toEqual([
      { filename: "one.png", mimeType: "image/png", size: PNG.length },
      { filename: "two.jpg", mimeType: "image/jpeg", size: JPEG.length },
    ]);
    const stored = await db.attachment.findMany({
      where: { ticketId: filed.id },
      orderBy: { filename: "asc" },
    });
    expect(stored.map((row) => row.externalId)).toEqual(onIssue.map((attachment) => attachment.id));

    const changes = await db.externalChange.findMany({
      where: { kind: "ATTACHMENT", externalIssue: { ticketId: filed.id } },
    });
    expect(changes.map((change) => change.syncState)).toEqual(["CREATED", "CREATED"]);
    // Running a change again sends nothing more.
    await db.externalChange.update({ where: { id: changes[0]!.id }, data: { syncState: "PENDING" } });
    expect(await sendExternalChange(changes[0]!.id)).toBe("SENT");
    const after = await fetch(
      `${sandboxUrl()}/site/acme-demo/rest/api/3/issue/${filed.externalKey}?fields=attachment`,
      {
        headers: { Authorization: `Basic ${Buffer.from(`${ADA.email}:${ADA.apiToken}`).toString("base64")}` },
      },
    ).then((response) => response.json() as Promise<{ fields: { attachment: unknown[] } }>);
    expect(after.fields.attachment).toHaveLength(2);
  });

  it("wait while the issue is being created, without spending attempts", async () => {
    const { alice } = await supportDesk({ withJira: true });
    const shot = await uploadScreenshot(alice, { filename: "wait.png", data: PNG });
    const filed = await fileSupportRequest(alice, bug([shot.id]));
    const change = await db.externalChange.findFirstOrThrow({
      where: { kind: "ATTACHMENT", externalIssue: { ticketId: filed.id } },
    });
    // Back to the state of a creation still under way.
    await db.externalIssue.update({ where: { id: change.externalIssueId }, data: { syncState: "PENDING" } });
    await db.externalChange.update({ where: { id: change.id }, data: { syncState: "PENDING", attempts: 0 } });
    expect(await sendExternalChange(change.id)).toBe("RETRY");
    expect(await db.externalChange.findUniqueOrThrow({ where: { id: change.id } })).toMatchObject({
      syncState: "PENDING",
      attempts: 0,
      lastError: "Waiting for the external issue to be created.",
    });
  });

  it("given up because the issue could not be created, are sent after all once a Retry creates it", async () => {
    const { staff, alice } = await supportDesk({ withJira: true });
    const shot = await uploadScreenshot(alice, { filename: "later.png", data: PNG });
    const filed = await fileSupportRequest(alice, bug([shot.id]));
    const change = await db.externalChange.findFirstOrThrow({
      where: { kind: "ATTACHMENT", externalIssue: { ticketId: filed.id } },
    });
    // As if the creation had failed for good before the screenshot went out.
    await db.externalIssue.update({ where: { id: change.externalIssueId }, data: { syncState: "FAILED" } });
    await db.attachment.update({ where: { id: shot.id }, data: { externalId: null } });
    await db.externalChange.update({ where: { id: change.id }, data: { syncState: "PENDING", attempts: 0 } });
    expect(await sendExternalChange(change.id)).toBe("FAILED");

    const retried = await retryExternalIssue(staff, { externalIssueId: change.externalIssueId });

    expect(retried).toMatchObject({ success: true, externalTicketId: filed.externalKey });
    expect(await db.externalChange.findUniqueOrThrow({ where: { id: change.id } })).toMatchObject({
      syncState: "CREATED",
      lastError: null,
    });
    // The issue had the file already: it is adopted, not uploaded a second time.
    const jira = await fetch(
      `${sandboxUrl()}/site/acme-demo/rest/api/3/issue/${filed.externalKey}?fields=attachment`,
      {
        headers: { Authorization: `Basic ${Buffer.from(`${ADA.email}:${ADA.apiToken}`).toString("base64")}` },
      },
    ).then((response) => response.json() as Promise<{ fields: { attachment: { id: string }[] } }>);
    expect(jira.fields.attachment).toHaveLength(1);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: shot.id } })).externalId).toBe(
      jira.fields.attachment[0]!.id,
    );
  });
});
