import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

import { AppError } from "~/server/errors";

async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The AppError a service call was refused with (the test fails if it resolved or threw anything else). */
export const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AppError);

/** The TRPCError a procedure call was refused with. */
export const trpcRejection = (promise: Promise<unknown>) => rejectionOf(promise, TRPCError);
