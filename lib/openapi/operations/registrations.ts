import {
  registerBody,
  registerResponse,
  registrationIdParams,
  registrationStatusResponse,
  verifyBody,
  verifyResponse,
} from "@/lib/registrations/registrations.schema";
import { bodyErrors, jsonBody, jsonResponse, type OpenApiOperation, problemResponse } from "../shared";

export const registrationOperations: OpenApiOperation[] = [
  {
    method: "post",
    path: "/api/v1/registrations",
    operation: {
      operationId: "register",
      tags: ["registrations"],
      summary: "Register a phone number and get a verification code by SMS",
      description:
        "Any common phone format; `country` reads national numbers. Registering a phone that is already registered answers exactly the same (no enumeration), sends a fresh code, and keeps its place.",
      requestBody: jsonBody(registerBody),
      responses: { "202": jsonResponse("Accepted: a verification code is on its way", registerResponse), ...bodyErrors },
    },
  },
  {
    method: "post",
    path: "/api/v1/registrations/{id}/verify",
    operation: {
      operationId: "verifyRegistration",
      tags: ["registrations"],
      summary: "Verify the phone with the SMS code; join the queue",
      requestParams: { path: registrationIdParams },
      requestBody: jsonBody(verifyBody),
      responses: { "200": jsonResponse("Verified", verifyResponse), ...bodyErrors },
    },
  },
  {
    method: "get",
    path: "/api/v1/registrations/me",
    operation: {
      operationId: "getMyRegistration",
      tags: ["registrations"],
      summary: "My status and exact position in the queue",
      security: [{ statusToken: [] }],
      responses: {
        "200": jsonResponse("The registration", registrationStatusResponse),
        "401": problemResponse(401),
        "429": problemResponse(429),
      },
    },
  },
];
