/**
 * A request refused for its shape (REQUEST_INVALID from schema validation) is explained in Russian and Kazakh from
 * our own catalogue, keyed by the validator's keyword: for every keyword the real validator (ajv, with the formats the
 * gateway adds) raises on a bad value, the sentence in each language is the language's words only — no Latin word but
 * the field's name and the values the rule itself names (allowed codes, a pattern) — and names the field and the
 * limit; a keyword the catalogue does not know gets a generic translated sentence. Over HTTP the details carry the
 * keyword, part, field and limit, the code stays the same, and English keeps the validator's sentence.
 */

import { Ajv, type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localize } from "../../src/domain/messages.ts";
import { FIELD_KEYWORDS, VALIDATION_KEYWORDS, type ValidationKeyword } from "../../src/domain/messages-validation.ts";
import { CASE_NOTE_LENGTH_MAX } from "../../src/engine/surveillance.ts";
import { SENT_VALUE_CHARS_MAX, validationDetails } from "../../src/gateway/errors.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats.default(ajv);

/** For each keyword: a schema for an object with the field `qty` (or the object itself), and a value that breaks it. */
const CASES: Readonly<Record<ValidationKeyword, { schema: object; value: unknown; limit?: string; names?: string[] }>> =
  {
    required: { schema: { type: "object", required: ["qty"] }, value: {} },
    type: { schema: field({ type: "integer" }), value: { qty: "x" } },
    minimum: { schema: field({ minimum: 1000 }), value: { qty: 5 }, limit: "1 000" },
    maximum: { schema: field({ maximum: 2500.5 }), value: { qty: 9000 }, limit: "2 500,5" },
    exclusiveMinimum: { schema: field({ exclusiveMinimum: 0 }), value: { qty: 0 }, limit: "0" },
    exclusiveMaximum: { schema: field({ exclusiveMaximum: 100 }), value: { qty: 100 }, limit: "100" },
    minLength: { schema: field({ minLength: 10 }), value: { qty: "short" }, limit: "10" },
    maxLength: { schema: field({ maxLength: 64 }), value: { qty: "x".repeat(65) }, limit: "64" },
    // The pattern stays in the details; the sentence says the value is not in a valid form.
    pattern: { schema: field({ pattern: "^[0-9]+$" }), value: { qty: "1a" }, names: ["^[0-9]+$"] },
    enum: { schema: field({ enum: ["buy", "sell"] }), value: { qty: "hold" }, names: ["buy", "sell"] },
    const: { schema: field({ const: "instrument" }), value: { qty: "market" }, names: ["instrument"] },
    additionalProperties: { schema: { type: "object", additionalProperties: false }, value: { qty: 1 } },
    format: { schema: field({ type: "string", format: "date" }), value: { qty: "7 May" } },
    minItems: { schema: field({ type: "array", minItems: 2 }), value: { qty: [1] }, limit: "2" },
    maxItems: { schema: field({ type: "array", maxItems: 3 }), value: { qty: [1, 2, 3, 4] }, limit: "3" },
    uniqueItems: { schema: field({ type: "array", uniqueItems: true }), value: { qty: [1, 1] } },
    multipleOf: { schema: field({ multipleOf: 0.01 }), value: { qty: 0.005 }, limit: "0,01" },
    minProperties: { schema: field({ type: "object", minProperties: 2 }), value: { qty: { a: 1 } }, limit: "2" },
    maxProperties: { schema: field({ type: "object", maxProperties: 1 }), value: { qty: { a: 1, b: 2 } }, limit: "1" },
    anyOf: { schema: field({ anyOf: [{ type: "integer" }, { type: "boolean" }] }), value: { qty: "x" } },
    oneOf: { schema: field({ oneOf: [{ type: "integer" }, { type: "number" }] }), value: { qty: 1 } },
  };

function field(rule: object): object {
  return { type: "object", properties: { qty: rule } };
}

/** The keywords whose message is one sentence naming the field (messages-validation.ts, `fieldSentence`). */
const FIELD_RULES: ReadonlySet<string> = new Set(FIELD_KEYWORDS);

const NBSP = /[\u00a0\u202f]/g;
const latinWords = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];

describe("schema-validation reasons in Russian and Kazakh", () => {
  for (const keyword of VALIDATION_KEYWORDS) {
    it(`${keyword}: a sentence of the language's words, naming the field and the limit`, () => {
      const { schema, value, limit, names = [] } = CASES[keyword];
      const validate = ajv.compile(schema);
      expect(validate(value)).toBe(false);
      const error = (validate.errors ?? []).find((e: ErrorObject) => e.keyword === keyword) ?? validate.errors?.[0];
      // The rule the validator names is the one this case is for (anyOf/oneOf report their own keyword last).
      expect(validate.errors?.map((e: ErrorObject) => e.keyword)).toContain(keyword);
      const details = { reason: "ajv's English", ...validationDetails("body", error) };
      expect(details).toMatchObject({ keyword, part: "body", field: "qty" });
      for (const language of ["ru", "kk"] as const) {
        const sentence = localize("REQUEST_INVALID", details, language).replace(NBSP, " ");
        expect(sentence, `${language} ${keyword}`).toContain("«qty»");
        if (limit !== undefined) expect(sentence, `${language} ${keyword}`).toContain(limit);
        let rest = sentence.split("qty").join(" ");
        for (const name of [...names, ...(limit === undefined ? [] : [limit])]) rest = rest.split(name).join(" ");
        expect(latinWords(rest), `${language} ${keyword}: ${sentence}`).toEqual([]);
        expect(sentence).toMatch(/[а-яәғқңөұүһі]{4}/i);
        expect(sentence).not.toContain("ajv");
        expect(sentence).not.toContain("?");
      }
      // The rules a person meets in a form are one sentence naming the field, in English too; the others keep
      // the validator's English.
      if (FIELD_RULES.has(keyword) || keyword === "format") {
        expect(localize("REQUEST_INVALID", details, "en")).toMatch(/^The field "qty" /);
      } else expect(localize("REQUEST_INVALID", details, "en")).toBe("The request is not valid: ajv's English.");
    });
  }

  it("writes the sentences exactly, the limit in the language's conventions", () => {
    // A price's limit in tenge per tonne, the field named by the last segment of its path.
    const minimum = { reason: "x", keyword: "minimum", part: "body", field: "legs/0/price", limit: 1_000_000 };
    expect(localize("REQUEST_INVALID", minimum, "ru")).toBe("Цена должна быть не меньше 10\u00a0000 ₸/т.");
    expect(localize("REQUEST_INVALID", minimum, "kk")).toBe("Баға кемінде 10\u00a0000 ₸/т болуы керек.");
    expect(localize("REQUEST_INVALID", minimum, "en")).toBe("The price must be at least 10,000 ₸/t.");
    const required = { reason: "x", keyword: "required", part: "querystring", field: "from" };
    expect(localize("REQUEST_INVALID", required, "ru")).toBe("Поле «from» не указано.");
    expect(localize("REQUEST_INVALID", required, "kk")).toBe("«from» өрісі көрсетілмеген.");
    expect(localize("REQUEST_INVALID", required, "en")).toBe('The field "from" is missing.');
    const type = { reason: "x", keyword: "type", part: "body", field: "", type: "object" };
    expect(localize("REQUEST_INVALID", type, "kk")).toBe("Сұрау жарамсыз: сұрау денесі: нысан күтіледі.");
    expect(localize("REQUEST_INVALID", { ...type, type: "string,null" }, "ru")).toBe(
      "Запрос недействителен: тело запроса: ожидается строка или пустое значение.",
    );
  });

  it("says a day that is not a calendar date as a day, in English too (not the validator's format name)", () => {
    // GET /api/bulletin?day=2026-13-45: the pattern passes, the format "date" does not.
    const details = { reason: 'querystring/day must match format "date"', keyword: "format", part: "querystring" };
    const day = { ...details, field: "day", format: "date" };
    expect(localize("REQUEST_INVALID", day, "en")).toBe("The day must be a day as YYYY-MM-DD.");
    expect(localize("REQUEST_INVALID", day, "ru")).toBe("День: ожидается день в виде ГГГГ-ММ-ДД.");
    expect(localize("REQUEST_INVALID", day, "kk")).toBe("Күн: ЖЖЖЖ-АА-КК түріндегі күн күтіледі.");
    // Another format keeps the general sentence.
    const time = { ...details, field: "at", format: "date-time" };
    expect(localize("REQUEST_INVALID", time, "ru")).toBe(
      "Запрос недействителен: поле «at» в строке запроса: ожидается дата и время.",
    );
  });

  it("says a duration in words, in Russian's genitive after a comparison and its nominative for the value sent", () => {
    const window = (limit: number, value: number, keyword = "minimum") => ({
      keyword,
      part: "body",
      field: "clearing/paymentWindowMs",
      limit,
      value,
    });
    const day = 86_400_000;
    expect(localize("REQUEST_INVALID", window(21 * day, 3_600_000), "ru")).toBe(
      "Срок оплаты должен быть не меньше 21 дня (передано: 1 час).",
    );
    expect(localize("REQUEST_INVALID", window(2 * day + 60_000, 22 * day, "maximum"), "ru")).toBe(
      "Срок оплаты должен быть не больше 2 дней 1 минуты (передано: 22 дня).",
    );
    expect(localize("REQUEST_INVALID", window(2 * day + 60_000, 22 * day, "maximum"), "kk")).toBe(
      "Төлем мерзімі ең көбі 2 күн 1 минут болуы керек (жіберілгені: 22 күн).",
    );
    expect(localize("REQUEST_INVALID", window(1000, 11_000), "en")).toBe(
      "The payment window must be at least 1 second (sent: 11 seconds).",
    );
  });

  it("says a number sent beyond 2^53 is too large, not the rounded figure the server read", () => {
    const price = {
      reason: "body/price must be <= 1000000000",
      keyword: "maximum",
      part: "body",
      field: "price",
      limit: 1_000_000_000,
      value: 100_000_000_000_000_000,
    };
    const sentences = (["en", "ru", "kk"] as const).map((language) =>
      localize("REQUEST_INVALID", price, language).replaceAll(NBSP, " "),
    );
    expect(sentences).toEqual([
      "The price must be at most 10,000,000 ₸/t (sent: a number above 9,007,199,254,740,991, too large to read exactly).",
      "Цена должна быть не больше 10 000 000 ₸/т (передано: число больше 9 007 199 254 740 991, слишком большое для точного чтения).",
      "Баға ең көбі 10 000 000 ₸/т болуы керек (жіберілгені: 9 007 199 254 740 991 санынан үлкен, дәл оқуға тым үлкен сан).",
    ]);
    // The largest whole number read exactly is still written as sent, the reader's way.
    expect(localize("REQUEST_INVALID", { ...price, value: Number.MAX_SAFE_INTEGER }, "en")).toBe(
      "The price must be at most 10,000,000 ₸/t (sent: 90,071,992,547,409.91 ₸/t).",
    );
  });

  it("names a WebSocket message as the part", () => {
    const extra = { reason: "x", keyword: "additionalProperties", part: "message", field: "extra" };
    expect(localize("REQUEST_INVALID", extra, "kk")).toBe("Сұрау жарамсыз: хабарламада артық «extra» өрісі бар.");
    expect(localize("REQUEST_INVALID", extra, "ru")).toBe("Запрос недействителен: в сообщении лишнее поле «extra».");
  });

  it("gives an unknown keyword a generic translated sentence", () => {
    const details = { reason: "x", keyword: "dependentRequired", part: "params", field: "id" };
    expect(localize("REQUEST_INVALID", details, "ru")).toBe(
      "Запрос недействителен: поле «id» в адресе запроса: значение недопустимо.",
    );
    expect(localize("REQUEST_INVALID", details, "kk")).toBe(
      "Сұрау жарамсыз: сұрау мекенжайындағы «id» өрісі: мәні жарамсыз.",
    );
  });

  it("leaves a REQUEST_INVALID without a keyword (not from the validator) to the phrase catalogue", () => {
    expect(localize("REQUEST_INVALID", { reason: "the body is not valid JSON" }, "kk")).toBe(
      "Сұрау жарамсыз: сұрау денесі дұрыс JSON емес.",
    );
  });
});

describe("over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it("a body missing a field: a sentence naming the field in kk, ru and en; the details keep the validator's English", async () => {
    // Signed out: the caller is not known yet, so Accept-Language decides.
    const answers: { status: number; body: { error: { code: string; message: string; details: unknown } } }[] = [];
    for (const language of ["kk", "ru", "en"]) {
      const response = await fetch(`${server.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": language },
        body: JSON.stringify({ user: "aktau-trader" }),
      });
      answers.push({ status: response.status, body: (await response.json()) as (typeof answers)[number]["body"] });
    }
    for (const reply of answers) {
      expect([reply.status, reply.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
      expect(reply.body.error.details).toEqual({
        reason: "body must have required property 'password'",
        keyword: "required",
        part: "body",
        field: "password",
      });
    }
    expect(answers.map((reply) => reply.body.error.message)).toEqual([
      "Құпиясөз көрсетілмеген.",
      "Пароль не указан.",
      "The password is missing.",
    ]);
  });

  it("an id in a wrong form says which characters are allowed, in en, ru and kk; nothing is made", async () => {
    const operator = await server.login("operator");
    const replies: { status: number; code: string; message: string; details: Record<string, unknown> }[] = [];
    for (const language of ["en", "ru", "kk"]) {
      const response = await fetch(`${server.url}/api/admin/users`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "accept-language": language,
          cookie: operator.cookie,
          "x-csrf-token": operator.csrf,
        },
        body: JSON.stringify({
          id: "new trader",
          name: "New",
          role: "trader",
          member: "AKTAU",
          password: "a-long-enough-password-1",
        }),
      });
      const body = (await response.json()) as { error: { code: string; message: string; details: never } };
      replies.push({ status: response.status, ...body.error });
    }
    expect(
      replies.map((reply) => [reply.status, reply.code, reply.details["field"], reply.details["pattern"]]),
    ).toEqual(replies.map(() => [400, "REQUEST_INVALID", "id", "^[A-Za-z0-9_.-]+$"]));
    expect(replies.map((reply) => reply.details["lengthMax"])).toEqual([64, 64, 64]);
    expect(replies.map((reply) => reply.message)).toEqual([
      'The field "id" must be written with Latin letters, digits and the signs . _ - only, without spaces, at most 64 characters (sent: "new trader").',
      "Поле «id»: ожидается текст из латинских букв, цифр и знаков . _ - без пробелов, не длиннее 64 символов (передано: «new trader»).",
      "«id» өрісі: латын әріптерінен, цифрлардан және . _ - таңбаларынан тұратын, 64 таңбадан аспайтын бос орынсыз мәтін күтіледі (жіберілгені: «new trader»).",
    ]);
    const users = await server.call(operator, "GET", "/api/admin/users");
    expect(users.status).toBe(200);
    expect(JSON.stringify(users.body)).not.toContain("new trader");
  });

  it("a number under its limit: the limit written the reader's way", async () => {
    const trader = await server.login("aktau-trader");
    const order = { instrument: INSTRUMENT, account: "AKTAU-1", clientOrderId: "v-1", side: "buy", price: 13_300_000 };
    const response = await fetch(`${server.url}/api/orders`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": "kk",
        cookie: trader.cookie,
        "x-csrf-token": trader.csrf,
      },
      body: JSON.stringify({ ...order, quantity: 0 }),
    });
    const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
    expect([response.status, body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect(body.error.details).toEqual({
      reason: "body/quantity must be >= 1",
      keyword: "minimum",
      part: "body",
      field: "quantity",
      limit: 1,
      value: 0,
    });
    expect(body.error.message).toBe("Көлем нөлден үлкен болуы керек (жіберілгені: 0 т).");
    const order1 = await server.call(trader, "GET", "/api/accounts/AKTAU-1/orders/v-1");
    expect([order1.status, order1.body.error.code]).toEqual([404, "ORDER_NOT_FOUND"]);
  });
  it("a case note at its limits: empty, blank and one over the most refused in words naming the note; one character and the most pass the schema", async () => {
    const regulator = await server.login("regulator");
    const note = async (text: string, language: string) => {
      const response = await fetch(`${server.url}/api/regulator/surveillance/cases/CASE-404/notes`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "accept-language": language,
          cookie: regulator.cookie,
          "x-csrf-token": regulator.csrf,
        },
        body: JSON.stringify({ note: text }),
      });
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      return {
        status: response.status,
        code: body.error.code,
        message: body.error.message,
        details: body.error.details,
      };
    };
    const languages = ["en", "ru", "kk"] as const;
    const empty = await Promise.all(languages.map((language) => note("", language)));
    expect(empty.map((reply) => [reply.status, reply.code])).toEqual(languages.map(() => [400, "REQUEST_INVALID"]));
    for (const reply of empty) {
      expect(reply.details).toEqual({
        reason: "body/note must NOT have fewer than 1 characters",
        keyword: "minLength",
        part: "body",
        field: "note",
        limit: 1,
        value: "",
        length: 0,
      });
    }
    const notEmpty = [
      "The note must not be empty.",
      "Примечание не должно быть пустым.",
      "Ескертпе бос болмауы керек.",
    ];
    expect(empty.map((reply) => reply.message)).toEqual(notEmpty);
    // Only spaces: the same sentence (the schema asks for one character that is not white space).
    const blank = await Promise.all(languages.map((language) => note("   ", language)));
    expect(blank.map((reply) => reply.details)).toEqual(
      languages.map(() => expect.objectContaining({ keyword: "pattern" })),
    );
    expect(blank.map((reply) => reply.message)).toEqual(notEmpty);
    const over = await Promise.all(languages.map((language) => note("x".repeat(CASE_NOTE_LENGTH_MAX + 1), language)));
    expect(over.map((reply) => [reply.status, reply.code])).toEqual(languages.map(() => [400, "REQUEST_INVALID"]));
    // The note sent is cut short in the details; the sentence names its length.
    expect(over[0]?.details).toMatchObject({
      keyword: "maxLength",
      field: "note",
      limit: CASE_NOTE_LENGTH_MAX,
      value: `${"x".repeat(SENT_VALUE_CHARS_MAX - 1)}…`,
      length: CASE_NOTE_LENGTH_MAX + 1,
    });
    expect(over.map((reply) => reply.message.replaceAll(NBSP, " "))).toEqual([
      "The note must be at most 4,000 characters long (sent: 4,001 characters).",
      "Примечание должно быть не длиннее 4 000 символов (передано: 4 001 символ).",
      "Ескертпе 4 000 таңбадан аспауы керек (жіберілгені: 4 001 таңба).",
    ]);
    // One character and exactly the most pass the schema: the refusal is then the handler's (no such case).
    for (const text of ["x", "x".repeat(CASE_NOTE_LENGTH_MAX)]) {
      const reply = await note(text, "ru");
      expect([reply.status, reply.code]).toEqual([404, "CASE_NOT_FOUND"]);
    }
  });

  it("a value outside a union of literals names every allowed value, not the first branch's", async () => {
    const trader = await server.login("aktau-trader");
    const answers: { error: { code: string; message: string; details: unknown } }[] = [];
    for (const language of ["ru", "en"]) {
      const response = await fetch(`${server.url}/api/accounts/AKTAU-1/obligations?status=all`, {
        headers: { "accept-language": language, cookie: trader.cookie },
      });
      expect(response.status).toBe(400);
      answers.push((await response.json()) as (typeof answers)[number]);
    }
    for (const body of answers) {
      expect(body.error.code).toBe("REQUEST_INVALID");
      expect(body.error.details).toEqual({
        reason: "querystring/status must be one of open, settled, defaulted, voided",
        keyword: "enum",
        part: "querystring",
        field: "status",
        allowed: "open, settled, defaulted, voided",
        value: "all",
      });
    }
    expect(answers.map((body) => body.error.message)).toEqual([
      "Статус должен быть одним из значений: «open», «settled», «defaulted», «voided» (передано: «all»).",
      'The status must be one of: "open", "settled", "defaulted", "voided" (sent: "all").',
    ]);
  });

  it("a value outside a union of literals and null names every allowed value, null included, not the first literal", async () => {
    const trader = await server.login("aktau-trader");
    const said = await Promise.all(
      (["en", "ru", "kk"] as const).map(async (language) => {
        const response = await fetch(`${server.url}/api/notifications/preferences`, {
          method: "PUT",
          headers: {
            "accept-language": language,
            "content-type": "application/json",
            cookie: trader.cookie,
            "x-csrf-token": trader.csrf,
          },
          body: JSON.stringify({ web: ["fill"], mail: [], email: null, language: "de" }),
        });
        expect(response.status).toBe(400);
        return ((await response.json()) as { error: { code: string; message: string; details: unknown } }).error;
      }),
    );
    for (const error of said) {
      expect(error.code).toBe("REQUEST_INVALID");
      expect(error.details).toEqual({
        reason: "body/language must be one of en, ru, kk, null",
        keyword: "enum",
        part: "body",
        field: "language",
        allowed: "en, ru, kk, null",
        value: "de",
      });
    }
    expect(said.map((error) => error.message)).toEqual([
      'The language must be one of: "en", "ru", "kk", "null" (sent: "de").',
      "Язык должен быть одним из значений: «en», «ru», «kk», «null» (передано: «de»).",
      "Тіл мына мәндердің бірі болуы керек: «en», «ru», «kk», «null» (жіберілгені: «de»).",
    ]);
    // Nothing was changed: the settings read back as they were.
    const back = await server.call(trader, "GET", "/api/notifications/preferences");
    expect(back.body.language).toBeNull();
  });

  it("a query parameter at its limits: the refusal names the value sent, in en, ru and kk; the limits themselves pass", async () => {
    const book = async (depth: string, language: string) => {
      const response = await fetch(`${server.url}/api/instruments/${INSTRUMENT}/book?depth=${depth}`, {
        headers: { "accept-language": language },
      });
      const body = (await response.json()) as { error?: { code: string; message: string; details: unknown } };
      return { status: response.status, error: body.error };
    };
    for (const depth of ["1", "1000"]) expect((await book(depth, "en")).status).toBe(200);
    const said = async (depth: string) =>
      Promise.all(
        (["en", "ru", "kk"] as const).map(async (language) => {
          const reply = await book(depth, language);
          expect([reply.status, reply.error?.code]).toEqual([400, "REQUEST_INVALID"]);
          return reply.error?.message.replaceAll(NBSP, " ");
        }),
      );
    expect((await book("0", "en")).error?.details).toMatchObject({ keyword: "minimum", field: "depth", value: 0 });
    expect(await said("0")).toEqual([
      'The field "depth" must be at least 1 (sent: 0).',
      "Поле «depth» должно быть не меньше 1 (передано: 0).",
      "«depth» өрісі кемінде 1 болуы керек (жіберілгені: 0).",
    ]);
    expect(await said("1001")).toEqual([
      'The field "depth" must be at most 1,000 (sent: 1,001).',
      "Поле «depth» должно быть не больше 1 000 (передано: 1 001).",
      "«depth» өрісі ең көбі 1 000 болуы керек (жіберілгені: 1 001).",
    ]);
    // Text sent where a number belongs is quoted, and cut short when long.
    const long = "z".repeat(SENT_VALUE_CHARS_MAX + 10);
    const cut = `${"z".repeat(SENT_VALUE_CHARS_MAX - 1)}…`;
    expect(await said(long)).toEqual([
      `The field "depth" must be a whole number (sent: "${cut}").`,
      `Поле «depth» должно быть целым числом (передано: «${cut}»).`,
      `«depth» өрісі бүтін сан болуы керек (жіберілгені: «${cut}»).`,
    ]);
  });
});
