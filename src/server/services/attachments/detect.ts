import { formatBytes, MAX_SCREENSHOT_BYTES, type ScreenshotType } from "./attachments.schema";

/**
 * What a screenshot is, decided by its bytes (magic numbers) and never by its name or the type the
 * browser claimed: three formats have short, fixed signatures, so no library is needed. Files
 * that are not one of them are named when recognisable, so the person knows what they sent.
 */

export type Detection = { ok: true; contentType: ScreenshotType } | { ok: false; reason: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (data: Uint8Array, bytes: readonly number[], offset = 0) =>
  data.length >= offset + bytes.length && bytes.every((byte, index) => data[offset + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

export function detectImageType(data: Uint8Array): ScreenshotType | null {
  // PNG: the 8-byte signature, then the IHDR chunk.
  if (startsWith(data, PNG_SIGNATURE) && startsWith(data, ascii("IHDR"), 12)) return "image/png";
  // JPEG: start-of-image marker followed by another marker.
  if (startsWith(data, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // WebP: a RIFF container of type WEBP holding a VP8 / VP8L / VP8X chunk.
  if (
    startsWith(data, ascii("RIFF")) &&
    startsWith(data, ascii("WEBP"), 8) &&
    startsWith(data, ascii("VP8"), 12)
  )
    return "image/webp";
  return null;
}

/** A name for what the bytes are, for the refusal message; null when unknown. */
function describeOther(data: Uint8Array): string | null {
  if (startsWith(data, ascii("GIF8"))) return "a GIF image";
  if (startsWith(data, ascii("%PDF"))) return "a PDF document";
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return "a ZIP archive (or an Office document)";
  if (startsWith(data, ascii("BM"))) return "a BMP image";
  if (startsWith(data, PNG_SIGNATURE)) return "a damaged PNG";
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(data.subarray(0, 1024))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (/<svg[\s>]/.test(text) || text.includes("<!doctype svg")) return "an SVG";
  if (
    /^<(!doctype html|html|head|body|script|iframe|meta|div|a\s)/.test(text) ||
    /<(html|script)[\s>]/.test(text)
  )
    return "an HTML page";
  if (text.startsWith("<?xml")) return "an XML document";
  return null;
}

/** Checks one upload's bytes; the reason names the file and what to do. */
export function checkScreenshot(filename: string, data: Uint8Array): Detection {
  if (data.length === 0) return { ok: false, reason: `“${filename}” is empty; choose the screenshot again.` };
  if (data.length > MAX_SCREENSHOT_BYTES) {
    return {
      ok: false,
      reason: `“${filename}” is ${formatBytes(data.length)}; screenshots can be up to ${formatBytes(MAX_SCREENSHOT_BYTES)} each.`,
    };
  }
  const contentType = detectImageType(data);
  if (contentType) return { ok: true, contentType };
  const what = describeOther(data);
  return {
    ok: false,
    reason: `“${filename}” is ${what ?? "not a PNG, JPEG or WebP image"}; only PNG, JPEG or WebP screenshots are accepted.`,
  };
}

const MAX_FILENAME_LENGTH = 200;

/**
 * A file name as a person sees it: no folders (`/`, `\`), no `..`, no control characters. Such a
 * name is refused rather than cleaned, so what is stored is exactly what was sent.
 */
export function checkFilename(
  filename: string,
): { ok: true; filename: string } | { ok: false; reason: string } {
  const name = filename.trim();
  const shown = JSON.stringify(name.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, 80));
  if (name === "") return { ok: false, reason: "The file has no name; rename it and try again." };
  if (/[/\\]|\.\.|[\u0000-\u001f\u007f]/.test(name)) {
    return {
      ok: false,
      reason: `The file name ${shown} contains /, \\, .. or control characters; rename the file and try again.`,
    };
  }
  if (name.length > MAX_FILENAME_LENGTH) {
    return {
      ok: false,
      reason: `The file name ${shown}… is longer than ${MAX_FILENAME_LENGTH} characters; rename the file and try again.`,
    };
  }
  return { ok: true, filename: name };
}
