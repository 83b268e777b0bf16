/**
 * A refused API-key signature is explained whole in the reader's language: the inner reason (a wrong signature, a
 * stale timestamp, a replayed request) goes through the phrase catalogue like the sentence around it.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../src/gateway/signing.ts";
import { TestServer } from "../support/server.ts";

let server: TestServer;
const KEY = "key-signature-language";
const SECRET = "secret-signature-language";
const PATH = "/api/accounts/AKTAU-1/balances";

beforeAll(async () => {
  server = await TestServer.start();
  await server.putApiKey({ id: KEY, user: "aktau-trader", secret: SECRET, scopes: ["read"] });
});
afterAll(() => server.close());

async function signed(language: string, timestampMs: number, signature = sign(SECRET, timestampMs, "GET", PATH, "")) {
  const response = await fetch(`${server.url}${PATH}`, {
    headers: {
      "x-sauda-key": KEY,
      "x-sauda-timestamp": String(timestampMs),
      "x-sauda-signature": signature,
      "accept-language": language,
    },
  });
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, code: body.error?.code, message: body.error?.message };
}

const EXPECTED = {
  en: {
    bad: "The request signature is not valid: the signature does not match the request.",
    stale:
      "The request signature is not valid: the timestamp is missing or more than 30 s away from the exchange's clock.",
    replayed: "The request signature is not valid: this exact request was already received.",
  },
  ru: {
    bad: "Подпись запроса недействительна: подпись не соответствует запросу.",
    stale:
      "Подпись запроса недействительна: метка времени отсутствует или расходится с часами биржи более чем на 30 с.",
    replayed: "Подпись запроса недействительна: точно такой же запрос уже был получен.",
  },
  kk: {
    bad: "Сұраудың қолтаңбасы жарамсыз: қолтаңба сұрауға сәйкес келмейді.",
    stale: "Сұраудың қолтаңбасы жарамсыз: уақыт белгісі жоқ немесе биржа сағатынан 30 с-тан артық алшақ.",
    replayed: "Сұраудың қолтаңбасы жарамсыз: дәл осындай сұрау бұрын алынған.",
  },
} as const;

describe("API-key signature refusals in the reader's language", () => {
  it.each(["en", "ru", "kk"] as const)("%s: a wrong signature, a stale timestamp and a replay", async (language) => {
    const offset = { en: 1, ru: 2, kk: 3 }[language];
    const bad = await signed(language, server.nowMs - offset, "0".repeat(64));
    expect(bad).toEqual({ status: 401, code: "AUTH_SIGNATURE_INVALID", message: EXPECTED[language].bad });
    const stale = await signed(language, server.nowMs - 30_001);
    expect(stale).toEqual({ status: 401, code: "AUTH_SIGNATURE_INVALID", message: EXPECTED[language].stale });
    const once = await signed(language, server.nowMs - 100 - offset);
    expect(once.status).toBe(200);
    const twice = await signed(language, server.nowMs - 100 - offset);
    expect(twice).toEqual({ status: 401, code: "AUTH_SIGNATURE_INVALID", message: EXPECTED[language].replayed });
  });
});
