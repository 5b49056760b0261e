import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parses domain input, turning zod issues into a `validation` AppError with field paths. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("validation", "The request is not valid.", {
    fieldErrors: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}
