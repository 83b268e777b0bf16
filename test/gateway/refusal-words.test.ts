/**
 * Refusals read in the reader's words, through the API in en, ru and kk: the regulator's safeguards refusals name the
 * safeguard in words and prices in tenge per tonne (the engine's reason, journaled, writes the field's wire name and
 * tiyn; English keeps it as published), and an unknown instrument is quoted once in every language, with the bare
 * id in the details, though the engine's journaled rejection carries it quoted.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, T0, TestServer } from "../support/server.ts";

let server: TestServer;
let regulator: Session;
let trader: Session;
let operator: Session;

beforeAll(async () => {
  server = await TestServer.start();
  regulator = await server.login("regulator");
  trader = await server.login("aktau-trader");
  operator = await server.login("operator");
});
afterAll(async () => {
  await server.close();
});

async function call(session: Session, method: string, path: string, body: unknown, language: string) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      cookie: session.cookie,
      "x-csrf-token": session.csrf,
      "accept-language": language,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } },
  };
}

/** Numbers are grouped with a no-break space; the expectations below write a plain one. */
function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, " ");
}

const SAFEGUARDS = `/api/regulator/instruments/${INSTRUMENT}/safeguards`;

describe("the regulator's safeguards refusals", () => {
  it.each([
    ["en", "Safeguards are not valid: ceiling 1.50 ₸/t must be a price on the tick 1 ₸/t."],
    [
      "ru",
      "Ограничительные меры недействительны: предельная цена: значение 1,50 ₸/т должно быть ценой, кратной шагу цены 1 ₸/т.",
    ],
    ["kk", "Шектеу шаралары жарамсыз: шекті баға: 1,50 ₸/т мәні 1 ₸/т баға қадамына еселі баға болуы керек."],
  ])(
    "a ceiling off the tick in %s: the field in words and the prices in tenge per tonne",
    async (language, sentence) => {
      const reply = await call(regulator, "PATCH", SAFEGUARDS, { ceiling: 150, reason: "typo" }, language);
      expect([reply.status, reply.body.error.code]).toEqual([400, "SAFEGUARDS_INVALID"]);
      // The details keep the engine's English reason, as journaled.
      expect(reply.body.error.details).toEqual({ reason: "ceiling 150 must be a price on the tick 100" });
      expect(plain(reply.body.error.message)).toBe(sentence);
    },
  );

  it.each([
    ["ru", "Ограничительные меры недействительны: минимальная цена 140 000 ₸/т выше предельной цены 130 000 ₸/т."],
    ["kk", "Шектеу шаралары жарамсыз: 140 000 ₸/т ең төменгі баға 130 000 ₸/т шекті бағадан жоғары."],
  ])("a floor above the ceiling in %s: prices in tenge per tonne", async (language, sentence) => {
    const body = { ceiling: 13_000_000, floor: 14_000_000, reason: "typo" };
    const inverted = await call(regulator, "PATCH", SAFEGUARDS, body, language);
    expect(plain(inverted.body.error.message)).toBe(sentence);
  });

  it.each([
    ["en", "Safeguards are not valid: ceiling path step 100,000 ₸/t is below the floor 120,000 ₸/t."],
    [
      "ru",
      "Ограничительные меры недействительны: ступень предельной цены 100 000 ₸/т ниже минимальной цены 120 000 ₸/т.",
    ],
    ["kk", "Шектеу шаралары жарамсыз: 100 000 ₸/т шекті баға сатысы 120 000 ₸/т ең төменгі бағадан төмен."],
  ])(
    "a ceiling step below the floor in %s: the step in words and the prices in tenge per tonne",
    async (language, sentence) => {
      const body = {
        floor: 12_000_000,
        ceilingPath: [{ effectiveFromMs: T0 + 86_400_000, ceiling: 10_000_000 }],
        reason: "typo",
      };
      const reply = await call(regulator, "PATCH", SAFEGUARDS, body, language);
      expect([reply.status, plain(reply.body.error.message)]).toEqual([400, sentence]);
    },
  );
});

describe("the regulator's safeguards refused by the request schema", () => {
  // [the change, the language, the sentence]: the field named in words, rates as percentages, prices in tenge per
  // tonne, durations in words and times in exchange time; the details keep the field's wire name.
  it.each<[Record<string, unknown>, string, string]>([
    [{ bandBps: 0 }, "en", "The price band must be positive (sent: 0.00%)."],
    [{ bandBps: 0 }, "ru", "Ценовой коридор должен быть больше нуля (передано: 0,00 %)."],
    [{ bandBps: 0 }, "kk", "Баға дәлізі нөлден үлкен болуы керек (жіберілгені: 0,00 %)."],
    [{ breakerBps: 1.5 }, "ru", "Порог приостановки торгов должен быть целым числом (передано: 1,5 б.п.)."],
    [
      { maxShareBps: 10_001 },
      "kk",
      "Бір сатып алушыға ұсыныстың ең үлкен үлесі ең көбі 100,00 % болуы керек (жіберілгені: 100,01 %).",
    ],
    [{ maxActiveOrders: 0 }, "ru", "Предел активных заявок на счёт должен быть не меньше 1 (передано: 0)."],
    [{ maxLotsPerOrder: 0 }, "kk", "Өтінімдегі лоттар шегі кемінде 1 болуы керек (жіберілгені: 0)."],
    [
      { breakerAuctionMs: 5 },
      "ru",
      "Длительность аукциона после приостановки должна быть не меньше 1 секунды (передано: 5 миллисекунд).",
    ],
    [
      { resumptionAuctionMs: 3_600_001 },
      "kk",
      "Қайта бастаудағы аукцион ұзақтығы ең көбі 1 сағат болуы керек (жіберілгені: 1 сағат 1 миллисекунд).",
    ],
    [{ floor: 0 }, "ru", "Минимальная цена должна быть больше нуля (передано: 0 ₸/т)."],
    [
      { ceilingPath: [{ effectiveFromMs: -1, ceiling: 100 }] },
      "ru",
      "Время начала ступени предельной цены должно быть не меньше 01.01.1970 05:00 (время Казахстана) (передано: 01.01.1970 04:59 (время Казахстана)).",
    ],
    [
      { eligibleCategories: [] },
      "kk",
      "Сұрау жарамсыз: сұрау денесіндегі «жіберілген сатып алушылар санаттары» өрісі: элементтер саны кемінде 1 болуы керек.",
    ],
  ])("%j in %s is named in words", async (change, language, sentence) => {
    const reply = await call(regulator, "PATCH", SAFEGUARDS, { ...change, reason: "typo" }, language);
    expect([reply.status, reply.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect(reply.body.error.details.field).toMatch(new RegExp(`^${Object.keys(change)[0]}\\b`));
    expect(plain(reply.body.error.message)).toBe(sentence);
  });
});

describe("an unknown instrument", () => {
  const ORDER = {
    instrument: "NOPE",
    account: "AKTAU-1",
    clientOrderId: "nope-1",
    side: "buy",
    price: 13_000_000,
    quantity: 1000,
  };

  it.each([
    ["en", "No instrument 'NOPE' is listed."],
    ["ru", "Инструмент 'NOPE' не допущен к торгам."],
    ["kk", "'NOPE' құралы саудаға жіберілмеген."],
  ])("is quoted once in %s, and the details carry the bare id", async (language, sentence) => {
    const reply = await call(trader, "POST", "/api/orders", { ...ORDER, clientOrderId: `nope-${language}` }, language);
    expect([reply.status, reply.body.error.code, reply.body.error.details]).toEqual([
      404,
      "INSTRUMENT_NOT_FOUND",
      { id: "NOPE" },
    ]);
    expect(plain(reply.body.error.message)).toBe(sentence);
  });
});

describe("the operator's clearing-terms refusals", () => {
  const TERMS = `/api/admin/instruments/${INSTRUMENT}`;

  it("name the rate in words and its basis points as a percentage in ru and kk, and change nothing", async () => {
    const before = await call(operator, "PATCH", TERMS, { clearing: { feeBps: 5 }, reason: "same" }, "en");
    expect(before.status).toBe(200);
    const sentences: Record<string, string> = {};
    for (const language of ["en", "ru", "kk"]) {
      const reply = await call(
        operator,
        "PATCH",
        TERMS,
        { clearing: { collateralBps: 10_001 }, reason: "typo" },
        language,
      );
      expect([reply.status, reply.body.error.code, reply.body.error.details.field]).toEqual([
        400,
        "REQUEST_INVALID",
        "clearing/collateralBps",
      ]);
      sentences[language] = plain(reply.body.error.message);
    }
    expect(sentences).toEqual({
      en: "The collateral rate must be at most 100.00% (sent: 100.01%).",
      ru: "Ставка гарантийного взноса должна быть не больше 100,00 % (передано: 100,01 %).",
      kk: "Кепілдік жарна мөлшерлемесі ең көбі 100,00 % болуы керек (жіберілгені: 100,01 %).",
    });
    const fraction = await call(operator, "PATCH", TERMS, { clearing: { feeBps: 1.5 }, reason: "typo" }, "ru");
    expect(plain(fraction.body.error.message)).toBe(
      "Ставка биржевого сбора должна быть целым числом (передано: 1,5 б.п.).",
    );
    const penalty = await call(operator, "PATCH", TERMS, { clearing: { sellerPenaltyBps: -1 }, reason: "typo" }, "kk");
    expect(plain(penalty.body.error.message)).toBe(
      "Сатушының жеткізбеуі үшін айыппұл мөлшерлемесі кемінде 0,00 % болуы керек (жіберілгені: −0,01 %).",
    );
    const to = await call(
      operator,
      "PATCH",
      TERMS,
      { clearing: { buyerDefaultCollateralTo: "me" }, reason: "typo" },
      "ru",
    );
    expect(plain(to.body.error.message)).toBe(
      "Получатель гарантийного взноса неисполнившего покупателя должен быть одним из значений: «seller», «exchange» (передано: «me»).",
    );
    expect(
      (before.body as unknown as { instrument: { clearing: { collateralBps: number } } }).instrument.clearing
        .collateralBps,
    ).toBe(500);
    // Nothing changed: the terms read back as they were.
    const after = await call(operator, "PATCH", TERMS, { clearing: { feeBps: 5 }, reason: "same" }, "en");
    expect((after.body as unknown as { instrument: { clearing: unknown } }).instrument.clearing).toEqual(
      (before.body as unknown as { instrument: { clearing: unknown } }).instrument.clearing,
    );
  });
});

describe("the operator's payment and delivery windows", () => {
  const TERMS = `/api/admin/instruments/${INSTRUMENT}`;

  // [the window sent, the language, the sentence]: milliseconds said as a duration in the reader's words.
  it.each<[Record<string, unknown>, string, string]>([
    [{ paymentWindowMs: 0 }, "ru", "Срок оплаты должен быть больше нуля (передано: 0 миллисекунд)."],
    [{ paymentWindowMs: 1.5 }, "kk", "Төлем мерзімі бүтін сан болуы керек (жіберілгені: 1,5 миллисекунд)."],
    [
      { deliveryWindowMs: 31_622_400_001 },
      "en",
      "The delivery window must be at most 366 days (sent: 366 days 1 millisecond).",
    ],
    [
      { deliveryWindowMs: 31_622_400_001 },
      "ru",
      "Срок поставки должен быть не больше 366 дней (передано: 366 дней 1 миллисекунда).",
    ],
    [
      { deliveryWindowMs: 40_000_000_000 },
      "kk",
      "Жеткізу мерзімі ең көбі 366 күн болуы керек (жіберілгені: 462 күн 23 сағат 6 минут 40 секунд).",
    ],
  ])("%j in %s: the limit and the value as durations in words", async (window, language, sentence) => {
    const reply = await call(operator, "PATCH", TERMS, { clearing: window, reason: "typo" }, language);
    expect([reply.status, reply.body.error.code, reply.body.error.details.field]).toEqual([
      400,
      "REQUEST_INVALID",
      `clearing/${Object.keys(window)[0]}`,
    ]);
    expect(plain(reply.body.error.message)).toBe(sentence);
  });
});
