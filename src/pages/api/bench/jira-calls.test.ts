import type { NextApiRequest, NextApiResponse } from "next";
import { describe, expect, it } from "vitest";

import handler from "./jira-calls";

describe("the benchmark's Jira-calls route", () => {
  it("does not exist unless BENCH_ROUTES is set: it answers 404", async () => {
    let status = 0;
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      end() {
        return this;
      },
    } as unknown as NextApiResponse;
    const req = {
      method: "POST",
      body: { site: "/site/acme-demo", authorization: "Basic eA==", fields: {} },
    } as NextApiRequest;
    await handler(req, res);
    expect(status).toBe(404);
  });
});
