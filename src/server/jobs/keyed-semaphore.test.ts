import { describe, expect, it } from "vitest";

import { KeyedSemaphore } from "./keyed-semaphore";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("KeyedSemaphore", () => {
  it("runs at most `limit` tasks per key at once, the rest in order, and keys independently", async () => {
    const semaphore = new KeyedSemaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      order.push(n);
      running -= 1;
      return n;
    };
    const other = semaphore.run("b", task(100));
    expect(semaphore.load("b")).toEqual({ running: 1, waiting: 0 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => semaphore.run("a", task(n))));
    await other;
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBeLessThanOrEqual(3); // two of "a" and the one of "b"
    expect(order.filter((n) => n < 100)).toEqual([1, 2, 3, 4, 5]);
    expect(semaphore.load("a")).toEqual({ running: 0, waiting: 0 });
  });

  it("frees the slot when a task fails", async () => {
    const semaphore = new KeyedSemaphore(1);
    await expect(semaphore.run("a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await semaphore.run("a", () => Promise.resolve("next"))).toBe("next");
    expect(semaphore.load("a")).toEqual({ running: 0, waiting: 0 });
  });
});
