// The response contract: what a generated client would believe. Validates the OpenAPI documents
// themselves (the OpenAPI 3.1 JSON schema, via @seriousme/openapi-schema-validator, and every
// schema object compiled as JSON Schema 2020-12 by Ajv), and checks a recorded answer of an
// operation against what its document declares: the status, the content type and the body.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { adminOpenApiDocument, publicOpenApiDocument, routeRegistry } from "../../app/_server/routes/registry";

/** One answer of a registry operation, as the dispatch observer saw it. */
export interface RecordedResponse {
  operationId: string;
  status: number;
  contentType: string | null;
  body: string;
  /** The test file that caused it, for the report. */
  file?: string;
}

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

export const contractDocuments = () => ({
  public: JSON.parse(JSON.stringify(publicOpenApiDocument())) as Json,
  admin: JSON.parse(JSON.stringify(adminOpenApiDocument())) as Json,
});

/** Problems of one document: OpenAPI 3.1 schema violations and schemas Ajv cannot compile. */
export async function documentProblems(document: Json): Promise<string[]> {
  const problems: string[] = [];
  const result = await new Validator().validate(structuredClone(document));
  if (!result.valid) problems.push(`not valid OpenAPI ${String(document.openapi)}: ${JSON.stringify(result.errors).slice(0, 2000)}`);
  // Ajv only warns about a format it does not know; a generated client would not know it either.
  const ajv = contractAjv(document, (warning) => problems.push(warning));
  for (const [pointer] of schemaPointers(document)) {
    try {
      ajv.compile({ $ref: `doc#${pointer}` });
    } catch (error) {
      problems.push(`${pointer}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

function contractAjv(document: Json, warn: (warning: string) => void = () => {}): Ajv2020 {
  // strict off: OpenAPI documents carry keywords Ajv does not know (openapi, paths, example…).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: { log() {}, warn: (...args: unknown[]) => warn(args.join(" ")), error() {} } });
  addFormats.default(ajv);
  ajv.addSchema(document, "doc");
  return ajv;
}

const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

/** JSON pointers of every response, request body and component schema in a document. */
function* schemaPointers(document: Json): Generator<[string, Json]> {
  const components = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  for (const name of Object.keys(components)) yield [`/components/schemas/${escape(name)}`, components[name]!];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const base = `/paths/${escape(path)}/${method}`;
      const body = (operation.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content ?? {};
      for (const [type, media] of Object.entries(body)) yield [`${base}/requestBody/content/${escape(type)}/schema`, media.schema];
      for (const [status, response] of Object.entries((operation as unknown as Operation).responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) yield [`${base}/responses/${status}/content/${escape(type)}/schema`, media.schema];
      }
    }
  }
}

/**
 * A checker over both documents: the problem with a recorded answer, or null when the document
 * declares its status, its content type (or no content for an empty body) and its body matches
 * the declared schema.
 */
export function createResponseChecker(documents = contractDocuments()): (record: RecordedResponse) => string | null {
  const byOperation = new Map<string, { operation: Operation; pointer: string; ajv: Ajv2020 }>();
  for (const document of Object.values(documents)) {
    const ajv = contractAjv(document);
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(item)) {
        byOperation.set(operation.operationId, { operation, pointer: `/paths/${escape(path)}/${method}`, ajv });
      }
    }
  }
  // The documents' own routes (GET …/openapi.json) are in the registry but in neither document;
  // a route a test makes for its own router (not in the registry) is no part of the contract.
  const registry = new Set(routeRegistry.map((r) => r.id));
  const undocumented = new Set(routeRegistry.filter((r) => !byOperation.has(r.id)).map((r) => r.id));
  const validators = new Map<string, ValidateFunction>();

  return (record) => {
    if (undocumented.has(record.operationId) || !registry.has(record.operationId)) return null;
    const entry = byOperation.get(record.operationId)!;
    const declared = entry.operation.responses[String(record.status)];
    if (!declared) return `${record.operationId}: answered ${record.status}, which its document does not declare (declared: ${Object.keys(entry.operation.responses).join(", ")})`;
    const content = declared.content ?? {};
    const mediaType = record.contentType?.split(";")[0]!.trim().toLowerCase() ?? null;
    if (Object.keys(content).length === 0) {
      return record.body === "" ? null : `${record.operationId} ${record.status}: a body where the document declares none: ${record.body.slice(0, 200)}`;
    }
    if (!mediaType || !content[mediaType]) {
      return `${record.operationId} ${record.status}: content type ${mediaType ?? "(none)"}, the document declares ${Object.keys(content).join(", ")}`;
    }
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      return `${record.operationId} ${record.status}: the body is not JSON: ${record.body.slice(0, 200)}`;
    }
    const pointer = `${entry.pointer}/responses/${record.status}/content/${escape(mediaType)}/schema`;
    let validate = validators.get(pointer);
    if (!validate) {
      validate = entry.ajv.compile({ $ref: `doc#${pointer}` });
      validators.set(pointer, validate);
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
    return `${record.operationId} ${record.status}: the body does not match the declared schema: ${errors.join("; ")} — body: ${record.body.slice(0, 300)}`;
  };
}
