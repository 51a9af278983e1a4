import "server-only";

import { jwtVerify } from "jose";

import { env } from "~/env";

/**
 * Deliveries of the dynamic webhooks TicketBridge registers through its OAuth app carry
 * `Authorization: Bearer <JWT>`, HS256-signed with the app's client secret. The JWT is checked
 * with `jose` rather than by hand: it pins the algorithm (no `none`, no RS/HS confusion), compares
 * signatures in constant time and validates exp / iat / aud / iss with one tested implementation.
 *
 * Claims required, as Jira sends them to OAuth apps: `aud` is our client id, `iss` the Jira site
 * the integration points at (a token for one site is useless for another), `exp` in the future and
 * `iat` recent. The token does not sign the body; TLS and its short life limit a replay to minutes.
 */

const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_AGE = "15m";

export type JwtCheck = { ok: true; why?: undefined } | { ok: false; why: string };

export async function verifyWebhookJwt(authorization: string | null, siteUrl: string): Promise<JwtCheck> {
  const token = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(
    authorization?.trim() ?? "",
  )?.[1];
  if (!token) return { ok: false, why: "no bearer JWT" };
  const site = siteUrl.replace(/\/+$/, "");
  try {
    await jwtVerify(token, new TextEncoder().encode(env.ATLASSIAN_CLIENT_SECRET), {
      algorithms: ["HS256"],
      audience: env.ATLASSIAN_CLIENT_ID,
      issuer: [site, `${site}/`],
      requiredClaims: ["exp", "iat"],
      maxTokenAge: MAX_TOKEN_AGE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return { ok: true };
  } catch (error) {
    // jose's error codes say what failed (expired, bad signature, wrong claim) without the token.
    const code = (error as { code?: unknown }).code;
    return { ok: false, why: typeof code === "string" ? code : "invalid JWT" };
  }
}
