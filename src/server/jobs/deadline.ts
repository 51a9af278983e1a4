/**
 * Waits for `work` at most `ms`; "deadline" when it took longer (the work itself goes on). The
 * timer is cleared as soon as the work ends: left running, it would keep the work's result
 * reachable (through the race's reactions) until it fired, seconds later, for every call.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | "deadline"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(resolve, ms, "deadline");
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
