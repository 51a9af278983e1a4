import { deflateSync } from "node:zlib";

import { ACME_SITE_URL } from "../integrations/wizard";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, sandbox } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

/** A small solid-colour PNG (width × height, RGB), built here so the test needs no fixture file. */
function makePng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("a customer attaches a screenshot to a bug report: previewed, sent, and attached to the Jira issue", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page, "Screenshots Jira");
  await page.goto("/integrations");
  await page.getByRole("link", { name: integration }).click();
  const supportDefault = page.getByLabel(/^Default for support requests/);
  await supportDefault.click();
  await expect(supportDefault).toBeChecked({ timeout: 15_000 });

  const png = makePng(16, 12, [220, 40, 40]);
  const summary = `Chart renders blank ${Date.now()}`;
  await page.goto("/support");
  await page.getByLabel("Bug report").check();
  await page.getByLabel("Summary").fill(summary);
  await page.getByLabel("Description").fill("The revenue chart is an empty box.");

  // A file that only claims to be a PNG is refused with the reason, and nothing is kept.
  await page.getByLabel("Screenshots", { exact: true }).setInputFiles({
    name: "disguised.png",
    mimeType: "image/png",
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
  });
  const previews = page.getByTestId("screenshot-preview");
  await expect(previews).toHaveCount(1);
  await expect(previews.first()).toContainText("is an SVG; only PNG, JPEG or WebP screenshots are accepted");
  await previews
    .first()
    .getByRole("button", { name: /Remove/ })
    .click();
  await expect(previews).toHaveCount(0);

  await page
    .getByLabel("Screenshots")
    .setInputFiles({ name: "blank-chart.png", mimeType: "image/png", buffer: png });
  await expect(previews).toHaveCount(1);
  await expect(previews.first().getByRole("img", { name: "Preview of blank-chart.png" })).toBeVisible();
  await expect(previews.first()).toContainText("Ready", { timeout: 15_000 });
  await page.getByRole("button", { name: "Send bug report" }).click();

  const filed = page.getByTestId("support-filed");
  await expect(filed).toBeVisible({ timeout: 20_000 });
  await expect(filed).toContainText("1 screenshot is attached");
  const key = ((await filed.textContent()) ?? "").match(/DEMO-\d+/)![0];

  // In Jira: the issue carries the file, with the bytes that were sent.
  await expect
    .poll(
      async () => {
        const issue = (await (await sandbox.getIssue(ACME_SITE_URL, key)).json()) as {
          fields: { attachment?: { filename: string; mimeType: string; size: number }[] };
        };
        return issue.fields.attachment?.map(({ filename, mimeType, size }) => ({ filename, mimeType, size }));
      },
      { timeout: 20_000 },
    )
    .toEqual([{ filename: "blank-chart.png", mimeType: "image/png", size: png.length }]);

  // On the customer's ticket page: a thumbnail linking to the full image.
  await filed.getByTestId("support-number").click();
  const thumbnail = page.getByTestId("screenshot-thumbnail");
  await expect(thumbnail).toHaveCount(1);
  await expect(thumbnail.getByRole("img", { name: "blank-chart.png" })).toBeVisible();
  const href = await thumbnail.getByRole("link").getAttribute("href");
  const image = await page.request.get(href!);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");
  expect(image.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Buffer.from(await image.body()).equals(png)).toBe(true);

  // And on the team's ticket page.
  const ticketId = page.url().split("/").pop()!;
  await page.goto(`/tickets/${ticketId}`);
  await expect(
    page.getByTestId("screenshot-thumbnail").getByRole("img", { name: "blank-chart.png" }),
  ).toBeVisible();
});
