import type { z } from "zod";

/**
 * A handler's answer through the schema its OpenAPI document declares: dates become ISO strings
 * (as JSON would make them), fields the schema does not name are dropped (no column reaches a
 * client by accident), and an answer off its schema fails here, loudly, instead of surprising a
 * generated client.
 */
export function shapeResponse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(JSON.parse(JSON.stringify(value)));
}
