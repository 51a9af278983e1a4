import { readFileSync } from "node:fs";
import { OpenAPIRouter, type Document } from "openapi-backend";
import { describe, expect, it } from "vitest";
import { loadJiraOpenApi, specCandidates } from "./openapi";

describe("operation matching", () => {
  it("picks the same operation as openapi-backend's router for every path and method of the document", async () => {
    const spec = await loadJiraOpenApi();
    const definition = JSON.parse(readFileSync(specCandidates().at(-1)!, "utf8")) as Document;
    const reference = new OpenAPIRouter({ definition });
    const operations = reference.getOperations();
    reference.getOperations = () => operations; // it rebuilds the list on every call otherwise
    expect(operations.length).toBeGreaterThan(500);
    for (const { path, method } of operations) {
      // A concrete request: every template parameter filled, as a client would send it.
      const concrete = path.replace(/\{[^}]+\}/g, "X10001");
      for (const verb of [method, "get", "delete"]) {
        const expected = reference.matchOperation({ method: verb, path: concrete, headers: {} });
        expect(spec.match(verb.toUpperCase(), concrete)?.operationId, `${verb} ${concrete}`).toBe(
          expected?.operationId,
        );
      }
    }
  });

  it("returns the path parameters decoded once", async () => {
    const spec = await loadJiraOpenApi();
    const matched = spec.match("PUT", "/rest/api/3/issue/DEMO-7/properties/ticketbridge%2525id%20x/");
    expect(matched?.operationId).toBe("setIssueProperty");
    expect(matched?.params).toEqual({ issueIdOrKey: "DEMO-7", propertyKey: "ticketbridge%25id x" });
  });
});
