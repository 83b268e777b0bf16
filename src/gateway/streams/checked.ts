/**
 * The stream side of the API contract: in tests (validateResponses), every message a connection sends is checked
 * against the published server-message schema (wire/stream.ts). A message that does not match is a bug on the
 * server's side: it is logged and recorded in the context's violations, which the test server refuses to close over.
 */

import { Ajv, type ValidateFunction } from "ajv";
import { SERVER_MESSAGE } from "../wire/stream.ts";

let validator: ValidateFunction | null = null;

/** What is wrong with a message text against the schema, or null when it matches. */
export function streamMessageProblem(text: string): string | null {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(SERVER_MESSAGE);
  const message: unknown = JSON.parse(text);
  if (validator(message)) return null;
  const first = validator.errors?.[0];
  return `stream message ${text.slice(0, 200)} does not match the schema: ${first?.instancePath ?? ""} ${first?.message ?? ""}`;
}
