import { z } from "zod";

/** `{id}` of every admin API path that names one row. */
export const idParams = z.object({ id: z.uuid() });
