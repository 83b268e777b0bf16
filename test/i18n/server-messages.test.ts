/**
 * The server speaks the reader's language: every error code has a sentence in every language, naming the same values
 * as the English one; values are written in the language's conventions; and over HTTP a rejected order asked for in
 * Kazakh comes back with the Kazakh sentence, its code unchanged.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS, type ErrorCode } from "../../src/domain/errors.ts";
import { LANGUAGES, languageOfAcceptLanguage } from "../../src/domain/locale.ts";
import {
  ERROR_CATALOGUES,
  localize,
  PLACEHOLDER_KINDS,
  placeholdersOf,
  rejectionMessage,
} from "../../src/domain/messages.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";

const CODES = Object.keys(ERRORS) as ErrorCode[];
const NBSP = "\u00a0";

describe("error catalogues", () => {
  it("have a sentence for every code in every language, naming exactly the English values", () => {
    expect(CODES.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const language of LANGUAGES) {
      if (language === "en") continue;
      const catalogue = ERROR_CATALOGUES[language] as Readonly<Record<string, string | undefined>>;
      for (const code of CODES) {
        const template = catalogue[code];
        if (typeof template !== "string" || template.trim().length === 0) {
          problems.push(`${language}: ${code} has no sentence`);
          continue;
        }
        if (template === ERRORS[code].template) problems.push(`${language}: ${code} is the English sentence`);
        if (!/[а-яё]/i.test(template)) problems.push(`${language}: ${code} has no Cyrillic word`);
        const english = new Set(placeholdersOf(ERRORS[code].template).map((p) => p.name));
        const translated = placeholdersOf(template);
        const names = new Set(translated.map((p) => p.name));
        for (const name of english) if (!names.has(name)) problems.push(`${language}: ${code} drops {${name}}`);
        for (const name of names) if (!english.has(name)) problems.push(`${language}: ${code} invents {${name}}`);
        for (const { name, kind } of translated) {
          if (kind !== null && !(PLACEHOLDER_KINDS as readonly string[]).includes(kind)) {
            problems.push(`${language}: ${code} {${name}:${kind}} has an unknown kind`);
          }
        }
      }
      for (const code of Object.keys(catalogue)) {
        if (!Object.hasOwn(ERRORS, code)) problems.push(`${language}: ${code} is not a registry code`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("Kazakh differs from Russian wherever a sentence has words", () => {
    const same = CODES.filter((code) => ERROR_CATALOGUES.kk[code] === ERROR_CATALOGUES.ru[code]);
    expect(same).toEqual([]);
  });

  it("writes prices, quantities, money, percentages and times in the reader's conventions", () => {
    const band = { value: 14_000_000, low: 12_635_000, high: 13_965_050, reference: 13_300_000, bandPercent: 5.5 };
    expect(localize("ORDER_PRICE_OUTSIDE_BAND", band, "kk")).toBe(
      `140${NBSP}000 ₸/т бағасы бүгінгі баға дәлізінен тыс: 126${NBSP}350 ₸/т–139${NBSP}650,50 ₸/т (анықтамалық баға 133${NBSP}000 ₸/т айналасында ±5,5%).`,
    );
    expect(localize("ORDER_PRICE_OUTSIDE_BAND", band, "en")).toBe(
      "Price 14000000 is outside today's price band 12635000–13965050 (±5.5% around the reference price 13300000).",
    );
    const funds = { account: "AKTAU-1", free: "123456789012345678", required: 150_050, shortfall: "5", purpose: "x" };
    expect(localize("RISK_INSUFFICIENT_FUNDS", funds, "ru")).toBe(
      `На счёте 'AKTAU-1' свободно 1${NBSP}234${NBSP}567${NBSP}890${NBSP}123${NBSP}456,78 ₸, а для операции (x) нужно 1${NBSP}500,50 ₸ (не хватает 0,05 ₸).`,
    );
    expect(localize("ORDER_QUANTITY_OFF_LOT", { value: 12_500, lot: 1000 }, "ru")).toBe(
      "Количество 12,5 т не кратно размеру лота 1 т.",
    );
    // 2026-01-15 06:30 UTC is 11:30 in Kazakhstan (UTC+5): 24-hour, day first, with the year.
    expect(
      localize("TIME_NOT_MONOTONIC", { value: Date.UTC(2026, 0, 15, 6, 30), now: Date.UTC(2026, 0, 15, 19, 5) }, "kk"),
    ).toBe("Команда уақыты 15.01.2026 11:30 ядроның ағымдағы уақытынан 16.01.2026 00:05 ерте; уақыт кері жүрмейді.");
    expect(localize("REPORT_DAY_NOT_OVER", { day: "2026-01-15", today: "2026-01-15" }, "ru")).toBe(
      "Отчёт за 15.01.2026 составляется после окончания этого дня по времени Казахстана; сегодня 15.01.2026.",
    );
    // The day is said in the pages' words for the time zone (Kazakhstan time), in each language.
    expect(localize("REPORT_DAY_NOT_OVER", { day: "2026-01-15", today: "2026-01-15" }, "kk")).toBe(
      "15.01.2026 күнгі есеп сол күн Қазақстан уақыты бойынша біткен соң жасалады; бүгін 15.01.2026.",
    );
    expect(localize("REPORT_DAY_NOT_OVER", { day: "2026-01-15", today: "2026-01-15" }, "en")).toBe(
      "The report of 2026-01-15 is made once that day is over in Kazakhstan time; today is 2026-01-15.",
    );
    expect(localize("PHASE_CLOSED", { instrument: "X", phase: "halted" }, "kk")).toBe(
      "'X' құралы қазір «тоқтатылған» кезеңінде; өтінімдер қазір қабылданбайды.",
    );
    // A band a ceiling clamped to one price: the ceiling is named as why, not ±5% around the reference.
    const clamped = { value: 10_900_000, low: 11_000_000, high: 11_000_000, reference: 12_000_000, bandPercent: 5 };
    expect(localize("ORDER_PRICE_OUTSIDE_BAND", clamped, "en")).toBe(
      "Price 10900000 is outside today's band: orders trade only at 11000000, the price ceiling, which caps the band of ±5% around the reference price 12000000.",
    );
    expect(localize("ORDER_PRICE_OUTSIDE_BAND", clamped, "ru")).toBe(
      `Цена 109${NBSP}000 ₸/т вне ценового коридора на сегодня: сделки возможны только по 110${NBSP}000 ₸/т — предельной цене, которая ограничивает коридор ±5% от референтной цены 120${NBSP}000 ₸/т.`,
    );
    expect(
      localize("ORDER_PRICE_OUTSIDE_BAND", { ...clamped, value: 12_900_000, low: 13_000_000, high: 13_000_000 }, "kk"),
    ).toBe(
      `129${NBSP}000 ₸/т бағасы бүгінгі баға дәлізінен тыс: мәмілелер тек 130${NBSP}000 ₸/т бағамен жасалады — бұл төменгі шек анықтамалық баға 120${NBSP}000 ₸/т айналасындағы ±5% дәлізді көтереді.`,
    );
    // A dispatch against a settled obligation is not told that only a confirmation needs it open.
    expect(localize("OBLIGATION_NOT_OPEN", { id: "OB-1", status: "settled" }, "en")).toBe(
      "Obligation 'OB-1' is settled; only an open obligation is confirmed or shipped against.",
    );
    expect(localize("OBLIGATION_NOT_OPEN", { id: "OB-1", status: "settled" }, "ru")).toBe(
      "Обязательство 'OB-1' в состоянии «исполнено»; подтверждать и отгружать можно только по открытому обязательству.",
    );
    // A price with part of a tiyn: whole tiyn asked for, and what was sent said in tenge per tonne, every digit kept.
    const halfTiyn = { keyword: "type", part: "body", field: "price", type: "integer", value: 133_000.5, reason: "x" };
    expect(localize("REQUEST_INVALID", halfTiyn, "ru")).toBe(
      `Цена должна быть целым числом тиынов (передано: 1${NBSP}330,005 ₸/т).`,
    );
    expect(localize("REQUEST_INVALID", halfTiyn, "en")).toBe(
      "The price must be a whole number of tiyn (sent: 1,330.005 ₸/t).",
    );
    // Gas with part of a kilogram: whole kg asked for, what was sent said in tonnes.
    const halfKg = { keyword: "type", part: "body", field: "quantity", type: "integer", value: 1000.5, reason: "x" };
    expect(localize("REQUEST_INVALID", halfKg, "ru")).toBe(
      "Количество должно быть целым числом килограммов (передано: 1,0005 т).",
    );
    // A month as the pages write it.
    expect(localize("PARTICIPATION_MONTH_FUTURE", { month: "2027-01", current: "2026-12" }, "ru")).toBe(
      "Показателей участия за 01.2027 ещё нет: этот месяц позже текущего, 12.2026, по времени Казахстана.",
    );
    // A party to an obligation or a deal in words, not the engine's "buyer".
    expect(localize("SHIPMENT_NOT_PARTY", { account: "C2", party: "buyer", obligation: "OB-1" }, "kk")).toBe(
      "'C2' шоты 'OB-1' міндеттемесі бойынша сатып алушы емес; мұны тек сатып алушы істей алады.",
    );
    expect(localize("NEGOTIATED_NOT_PARTY", { account: "C2", party: "buyer or seller", id: "ND-1" }, "ru")).toBe(
      "Счёт 'C2' — не сторона в адресной сделке 'ND-1'; это может сделать только сторона.",
    );
    // A rate limit's window in words of the language, not the server's "minute" or "second".
    const limited = { max: 1_200, window: "minute", retryAfterSeconds: 25 };
    expect(localize("RATE_LIMITED", limited, "ru")).toBe(
      `Слишком много запросов: не более 1${NBSP}200 за минуту; повторите через 25 с.`,
    );
    expect(localize("RATE_LIMITED", { ...limited, max: 200, window: "second" }, "kk")).toBe(
      "Сұраулар тым көп: бір секунд ішінде ең көбі 200; 25 с кейін қайталаңыз.",
    );
    expect(localize("RATE_LIMITED", limited, "en")).toBe(
      "Too many requests: at most 1200 per minute; retry after 25 s.",
    );
    // Allowed next phases: a list as words, a reason in parentheses or a sentence from the phrase catalogue.
    const move = { instrument: "X", from: "continuous", to: "collection" };
    expect(localize("PHASE_TRANSITION_INVALID", { ...move, allowed: "halted, closed" }, "ru")).toBe(
      "Инструмент 'X' не может перейти из фазы непрерывные торги в фазу сбор заявок; допустимые следующие фазы: приостановлен, закрыт.",
    );
    expect(localize("PHASE_TRANSITION_INVALID", { ...move, allowed: "an extra session opens from closed" }, "kk")).toBe(
      "'X' құралы үздіксіз сауда кезеңінен өтінімдер жинау кезеңіне өте алмайды; рұқсат етілген келесі кезеңдер: қосымша сессия «жабық» кезеңінен ашылады.",
    );
    expect(
      localize(
        "PHASE_TRANSITION_INVALID",
        { ...move, allowed: "collection, closed (the book is crossed: trading reopens through an auction)" },
        "ru",
      ),
    ).toBe(
      "Инструмент 'X' не может перейти из фазы непрерывные торги в фазу сбор заявок; допустимые следующие фазы: сбор заявок, закрыт (книга заявок пересечена: торги возобновляются через аукцион).",
    );
    expect(localize("PHASE_TRANSITION_INVALID", { ...move, allowed: "none" }, "kk")).toContain("кезеңдер: жоқ.");
    expect(localize("TRADE_NOT_VOIDABLE", { trade: "T-1", status: "settled" }, "ru")).toBe(
      "Сделку 'T-1' нельзя аннулировать: её обязательство в состоянии «исполнено»; аннулировать можно только сделку с открытым обязательством, газ по которой ещё не поставлен.",
    );
    // A malformed value echoed back is written as given, and a missing one shows as "?".
    expect(localize("ORDER_PRICE_OFF_TICK", { value: "12.5x" }, "kk")).toBe(
      "12.5x бағасы баға қадамына (?) еселік емес.",
    );
    // A market order sent with a price: the engine echoes the price as it came ("13310000", tiyn per tonne); the
    // sentence writes it in tenge per tonne.
    expect(localize("ORDER_PRICE_NOT_ALLOWED", { value: "13310000" }, "ru")).toBe(
      `Рыночная заявка подаётся без цены, но указана цена 133${NBSP}100 ₸/т.`,
    );
    expect(localize("ORDER_PRICE_NOT_ALLOWED", { value: "13310050" }, "kk")).toBe(
      `Нарықтық өтінім бағасыз беріледі, бірақ 133${NBSP}100,50 ₸/т бағасы көрсетілген.`,
    );
  });

  it("names a command's refused field in the reader's language, not by its wire name", () => {
    const date = {
      field: "date",
      value: '"2026-01-01"',
      rule: "a dispatch date is a real date YYYY-MM-DD from 2026-01-04 to 2026-01-06",
    };
    expect(localize("SHIPMENT_INVALID", date, "ru")).toBe(
      'Поле отгрузки «дата» со значением "2026-01-01" недействительно; дата отгрузки — настоящая дата ГГГГ-ММ-ДД с 04.01.2026 по 06.01.2026.',
    );
    expect(localize("SHIPMENT_INVALID", date, "kk")).toBe(
      'Жөнелтімнің «күн» өрісінің "2026-01-01" мәні жарамсыз; жөнелту күні — 04.01.2026 мен 06.01.2026 аралығындағы нақты ЖЖЖЖ-АА-КК күні.',
    );
    // English keeps the engine's own sentence, with the wire name.
    expect(localize("SHIPMENT_INVALID", date, "en")).toBe(
      'Shipment date "2026-01-01" is not valid; a dispatch date is a real date YYYY-MM-DD from 2026-01-04 to 2026-01-06.',
    );
    // A sentence that opens with the field opens with a capital; an abbreviation keeps its capitals; a field the
    // catalogue does not know keeps its wire name, quoted.
    const expiry = { field: "expireAtMs", value: "1", rule: "only GTD orders expire" };
    expect(localize("FIELD_INVALID", expiry, "kk")).toMatch(/^«Мерзімі біту уақыты» өрісінің мәні /);
    expect(localize("FIELD_INVALID", expiry, "ru")).toMatch(/^Поле «время истечения» имеет значение /);
    expect(localize("FIELD_INVALID", { field: "bin", value: "1", rule: "x" }, "ru")).toMatch(/^Поле «БИН» /);
    expect(localize("FIELD_INVALID", { field: "postOnly", value: "1", rule: "x" }, "ru")).toMatch(/^Поле «postOnly» /);
    expect(localize("TARIFF_INVALID", { field: "lines[0].depositTiyn", value: "-1", rule: "x" }, "ru")).toMatch(
      /^Значение тарифа «гарантийный взнос» = -1 /,
    );
  });

  it("says a refused expiry (a time in ms) as that time in exchange time, not as a raw count of milliseconds", () => {
    const expiry = { field: "expireAtMs", value: "1", rule: "only GTD orders expire" };
    expect(localize("FIELD_INVALID", expiry, "en")).toBe(
      "Field 'expireAt' has value 1970-01-01 05:00 (Kazakhstan time); only GTD orders expire.",
    );
    expect(localize("FIELD_INVALID", expiry, "ru")).toBe(
      "Поле «время истечения» имеет значение 01.01.1970 05:00 (время Казахстана); срок истекает только у заявок GTD.",
    );
    expect(localize("FIELD_INVALID", expiry, "kk")).toBe(
      "«Мерзімі біту уақыты» өрісінің мәні 01.01.1970 05:00 (Қазақстан уақыты); мерзімі тек GTD өтінімдерінде бітеді.",
    );
    // The GTD refusal: the expiry sent and the current time, both in exchange time (18:00 in Astana is 13:00 UTC).
    const now = Date.parse("2026-01-06T13:00:00Z");
    const late = { value: String(now - 60_000), now };
    expect(localize("ORDER_EXPIRY_INVALID", late, "en")).toBe(
      "Expiry 2026-01-06 17:59 (Kazakhstan time) is not valid; a GTD order needs an expiry after the current time 2026-01-06 18:00 (Kazakhstan time).",
    );
    expect(localize("ORDER_EXPIRY_INVALID", late, "ru")).toBe(
      "Срок истечения 06.01.2026 17:59 (время Казахстана) недействителен; заявке GTD нужен срок позже текущего времени 06.01.2026 18:00.",
    );
    expect(localize("ORDER_EXPIRY_INVALID", late, "kk")).toContain("06.01.2026 17:59 (Қазақстан уақыты)");
    // A GTD order sent without an expiry: said missing, and where to give it, not "Expiry null".
    const missing = { value: "null", now };
    expect(localize("ORDER_EXPIRY_INVALID", missing, "en")).toBe(
      "A GTD order needs an expiry (expireAt) after the current time 2026-01-06 18:00 (Kazakhstan time).",
    );
    expect(localize("ORDER_EXPIRY_INVALID", missing, "ru")).toBe(
      "Заявке GTD нужен срок истечения (expireAt) позже текущего времени 06.01.2026 18:00.",
    );
    expect(localize("ORDER_EXPIRY_INVALID", missing, "kk")).toBe(
      "GTD өтініміне ағымдағы уақыттан (06.01.2026 18:00) кейінгі аяқталу мерзімі (expireAt) керек.",
    );
    // The audit trail's and FIX's English say it so too.
    expect(rejectionMessage("ORDER_EXPIRY_INVALID", "Expiry null is not valid; …", missing)).toBe(
      "A GTD order needs an expiry (expireAt) after the current time 2026-01-06 18:00 (Kazakhstan time).",
    );
    // An outage whose end is not after its start: the end as an exchange time, the fields named in the language.
    const outage = { field: "toMs", value: "1796500000000", rule: "after fromMs, and at most a year after it" };
    expect(localize("FIELD_INVALID", outage, "en")).toBe(
      "Field 'toMs' has value 2026-12-06 00:46 (Kazakhstan time); after fromMs, and at most a year after it.",
    );
    expect(localize("FIELD_INVALID", outage, "ru")).toBe(
      "Поле «время окончания» имеет значение 06.12.2026 00:46 (время Казахстана); позже времени начала, но не более чем на год.",
    );
    expect(localize("FIELD_INVALID", outage, "kk")).toBe(
      "«Аяқталу уақыты» өрісінің мәні 06.12.2026 00:46 (Қазақстан уақыты); басталу уақытынан кейін, бірақ одан бір жылдан аспай.",
    );
    // The audit trail asked for a period that ends before it starts: both ends as exchange times in ru and kk.
    const period = { reason: "toMs 1796500000000 must be after fromMs 1796600000000" };
    expect(localize("REQUEST_INVALID", period, "ru")).toBe(
      "Запрос недействителен: конец периода (toMs) 06.12.2026 00:46 (время Казахстана) должен быть позже его начала (fromMs) 07.12.2026 04:33 (время Казахстана).",
    );
    expect(localize("REQUEST_INVALID", period, "kk")).toBe(
      "Сұрау жарамсыз: кезеңнің соңы (toMs) 06.12.2026 00:46 (Қазақстан уақыты) оның басынан (fromMs) 07.12.2026 04:33 (Қазақстан уақыты) кейін болуы керек.",
    );
    // The details on the wire keep the raw value; a value that is not a whole number of ms stays as it came.
    expect(localize("FIELD_INVALID", { ...expiry, value: "'soon'" }, "en")).toContain("has value 'soon';");
  });

  it("says how long a policy-lab run may take in words, not as a count of milliseconds", () => {
    const stopped = (timeoutMs: number) => ({ timeoutMs, doneDays: 3, days: 366 });
    expect(localize("LAB_RUN_TIMEOUT", stopped(120_000), "ru")).toBe(
      "Моделирование шло дольше 2 минут и остановлено после 3 из 366 дней.",
    );
    expect(localize("LAB_RUN_TIMEOUT", stopped(60_000), "ru")).toContain("дольше 1 минуты и");
    expect(localize("LAB_RUN_TIMEOUT", stopped(90_000), "kk")).toBe(
      "Модельдеу 1 минут 30 секунд ішінде аяқталмай, 366 күннің 3 күнінен кейін тоқтатылды.",
    );
    // English is the registry's stored template: as it was.
    expect(localize("LAB_RUN_TIMEOUT", stopped(120_000), "en")).toBe(
      "The simulation ran longer than 120000 ms and was stopped after 3 of 366 days.",
    );
  });

  it("names the buyer categories an instrument admits in words, not by their wire codes", () => {
    const refused = {
      account: "A1",
      category: "wholesaler",
      instrument: "LPG",
      eligible: "industrial, gas-distribution",
    };
    expect(localize("ACCOUNT_NOT_ELIGIBLE", refused, "ru")).toBe(
      "Счёт 'A1' (категория покупателя: оптовые покупатели) не может покупать на 'LPG'; допущены: промышленные потребители, газораспределительные организации.",
    );
    expect(localize("ACCOUNT_NOT_ELIGIBLE", { ...refused, category: "none" }, "kk")).toBe(
      "'A1' шоты (сатып алушы санаты: жоқ) 'LPG' бойынша сатып ала алмайды; рұқсат етілгендер: өнеркәсіп тұтынушылары, газ тарату ұйымдары.",
    );
    // English is the registry's stored template: the codes as the engine wrote them.
    expect(localize("ACCOUNT_NOT_ELIGIBLE", refused, "en")).toContain(
      "eligible categories: industrial, gas-distribution.",
    );
  });

  it("says where a refused resume looked in the reader's language, not in the engine's English label", () => {
    // The engine's labels (src/engine/engine.ts): journaled, so the details on the wire keep them as they are.
    const refusals = [
      { scope: "the market", en: "No instrument in the market is halted.", ru: "весь рынок", kk: "бүкіл нарық" },
      {
        scope: "region ASTANA",
        en: "No instrument in region ASTANA is halted.",
        ru: "регион ASTANA",
        kk: "ASTANA өңірі",
      },
      { scope: "instrument PB-X", en: "Instrument PB-X is not halted.", ru: "инструмент PB-X", kk: "PB-X құралы" },
    ];
    for (const { scope, en, ru, kk } of refusals) {
      expect(localize("NOTHING_TO_RESUME", { scope }, "en")).toBe(en);
      // The audit trail and FIX's Text(58) read the journaled English sentence the same way.
      expect(rejectionMessage("NOTHING_TO_RESUME", `No instrument in ${scope} is halted.`, { scope })).toBe(en);
      expect(localize("NOTHING_TO_RESUME", { scope }, "ru")).toBe(
        `Возобновлять нечего: ни один инструмент не приостановлен (${ru}).`,
      );
      expect(localize("NOTHING_TO_RESUME", { scope }, "kk")).toBe(
        `Қайта бастайтын ештеңе жоқ: бірде-бір құрал тоқтатылмаған (${kk}).`,
      );
    }
  });

  it("says an amend's concentration refusal so its sum reads: the total is with the request, the bids before it", () => {
    // An amend of a 2 t bid to 900,000 t by an account that bought 5 t: the 2 t bid is the amended order itself, so
    // "bidding 2 t" is what stood before the request, and the 900,005 t the account would hold counts the request.
    const details = {
      account: "AKTAU-STATIONS-1",
      wouldHold: 900_005_000,
      bought: 5000,
      bidding: 2000,
      offered: 20_000,
      percent: 60,
      allowed: 12_000,
    };
    const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    expect(spaced(localize("ORDER_CONCENTRATION_LIMIT", details, "ru"))).toBe(
      "С этим запросом счёт 'AKTAU-STATIONS-1' держал бы 900 005 т (куплено 5 т, в заявках до запроса 2 т) — больше 60% от 20 т, предложенных в этой сессии (не более 12 т).",
    );
    expect(spaced(localize("ORDER_CONCENTRATION_LIMIT", details, "kk"))).toBe(
      "Осы сұраумен 'AKTAU-STATIONS-1' шоты 900 005 т ұстар еді (сатып алынғаны 5 т, сұрауға дейін өтінімдерде 2 т) — бұл сессияда ұсынылған 20 т көлемінің 60% үлесінен көп (ең көбі 12 т).",
    );
  });

  it("names a refused VAT setting as a setting (a rate or a date of effect), not as a value of VAT", () => {
    const date = {
      value: '"2026-01-05"',
      rule: "the date of effect is a real date (YYYY-MM-DD) after today, 2026-01-05: a rate never changes for trades already made",
    };
    expect(localize("VAT_INVALID", date, "en")).toMatch(/^VAT setting "2026-01-05" is not valid; /);
    expect(localize("VAT_INVALID", date, "ru")).toMatch(
      /^Настройка НДС "2026-01-05" недопустима; дата вступления в силу /,
    );
    expect(localize("VAT_INVALID", date, "kk")).toMatch(/^ҚҚС баптауы "2026-01-05" жарамсыз; күшіне ену күні /);
  });

  it("picks the language from Accept-Language by weight and primary subtag, English otherwise", () => {
    expect(languageOfAcceptLanguage("kk-KZ,ru;q=0.9,en;q=0.8")).toBe("kk");
    expect(languageOfAcceptLanguage("ru-KZ, kk;q=0.5")).toBe("ru");
    expect(languageOfAcceptLanguage("en;q=0.2, kk;q=0.7")).toBe("kk");
    expect(languageOfAcceptLanguage("de-DE, fr;q=0.9")).toBe("en");
    expect(languageOfAcceptLanguage("kk;q=0")).toBe("en");
    expect(languageOfAcceptLanguage(undefined)).toBe("en");
    expect(languageOfAcceptLanguage(`${"x".repeat(500)},kk`)).toBe("en");
    expect(languageOfAcceptLanguage(`${"x".repeat(496)},kk`)).toBe("kk");
  });
});

describe("errors over HTTP in the reader's language", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it("a rejected order asked for in Kazakh gets the Kazakh sentence with the same code and details", async () => {
    const regulator = await server.login("regulator");
    const set = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 500,
      reason: "price rose 2% in one session",
    });
    expect(set.status).toBe(200);
    const buyer = await server.login("aktau-trader");
    const order = (clientOrderId: string) => ({
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId,
      side: "buy",
      price: 14_000_000,
      quantity: 1000,
    });
    const send = (language: string | null, clientOrderId: string) =>
      fetch(`${server.url}/api/orders`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: buyer.cookie,
          "x-csrf-token": buyer.csrf,
          ...(language === null ? {} : { "accept-language": language }),
        },
        body: JSON.stringify(order(clientOrderId)),
      });
    const kk = await send("kk-KZ,kk;q=0.9,ru;q=0.8", "kk-high");
    expect(kk.status).toBe(422);
    expect(kk.headers.get("content-language")).toBe("kk");
    const body = (await kk.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe("ORDER_PRICE_OUTSIDE_BAND");
    expect(body.error.message).toBe(
      `140${NBSP}000 ₸/т бағасы бүгінгі баға дәлізінен тыс: 126${NBSP}350 ₸/т–139${NBSP}650 ₸/т (анықтамалық баға 133${NBSP}000 ₸/т айналасында ±5%).`,
    );
    expect(body.error.details).toEqual({
      value: 14_000_000,
      low: 12_635_000,
      high: 13_965_000,
      reference: 13_300_000,
      bandPercent: 5,
    });
    const ru = (await (await send("ru", "ru-high")).json()) as { error: { message: string } };
    expect(ru.error.message).toBe(
      `Цена 140${NBSP}000 ₸/т вне ценового коридора на сегодня 126${NBSP}350 ₸/т–139${NBSP}650 ₸/т (±5% от референтной цены 133${NBSP}000 ₸/т).`,
    );
    const plain = (await (await send(null, "en-high")).json()) as { error: { code: string; message: string } };
    expect(plain.error).toMatchObject({
      code: "ORDER_PRICE_OUTSIDE_BAND",
      message:
        "Price 14000000 is outside today's price band 12635000–13965000 (±5% around the reference price 13300000).",
    });
  });
});
