import { z } from "zod";
import { jsonResponse, type OpenApiOperation } from "../shared";

const health = z
  .object({ status: z.enum(["ok", "degraded"]), db: z.enum(["ok", "down"]), redis: z.enum(["ok", "down"]) })
  .meta({ id: "Health" });

export const healthOperations: OpenApiOperation[] = [
  {
    method: "get",
    path: "/api/health",
    operation: {
      operationId: "health",
      tags: ["health"],
      summary: "Liveness of the database and Redis",
      responses: { "200": jsonResponse("Up (Redis may be down: the public API still works)", health), "503": jsonResponse("The database is down", health) },
    },
  },
];
