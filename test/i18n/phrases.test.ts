/**
 * No English left in the server's Russian and Kazakh sentences: every error code, in each language, rendered with its
 * placeholders filled (an action and a role among them) has no Latin word but the wire's own names (a short list
 * below: protocol words, header and field names, the wire values of a side or order type). Every action phrase the
 * source code passes to a refusal (requireRole, requireUser, requireConsoleRead …, and `action:` details) is found
 * by reading src/ and must have a Russian and a Kazakh translation in the phrase catalogue (src/domain/phrases.ts),
 * so a new refusal written without one fails here.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ERRORS, type ErrorCode } from "../../src/domain/errors.ts";
import { LANGUAGES, type Language } from "../../src/domain/locale.ts";
import { localize, placeholdersOf } from "../../src/domain/messages.ts";
import {
  ACTION_PHRASES,
  codeWord,
  knowsPhrase,
  PHRASE_PATTERNS,
  roleWord,
  TEXT_PHRASES,
  translatePhrase,
} from "../../src/domain/phrases.ts";
import { USER_ROLES } from "../../src/engine/access.ts";
import { BUYER_CATEGORIES } from "../../src/engine/members.ts";

const SRC = join(import.meta.dirname, "../../src");
/** Latin words a Russian or Kazakh sentence may hold: names on the wire, not English prose. */
const WIRE_WORDS = new Set([
  "API",
  "CSRF",
  "GET",
  "GTD",
  "X-CSRF-Token",
  "Content-Type",
  "application",
  "JSON",
  "json",
  "api",
  "session",
  "code",
  "buy",
  "sell",
  "limit",
  "market",
]);
/**
 * Latin words a Russian phrase may hold: protocol names (FIX tags, JSON), field names and wire values a program
 * must send as written (null, true, a camelCase field such as fromMs, a quoted value, the channels book and trades …).
 */
const PHRASE_WIRE_WORDS =
  /\(drop copy\)|FIX|API|JSON|GTD|UTCTimestamp|OrigClOrdID|OrderID|OrderQty|Price|description\.deliveryPeriod|name@example\.kz|'[^']*'|\bdescription(?:\.\w+)?|\b[a-z]+[A-Z]\w*|\b(?:null|true|false|planned|unplanned|member|market|region|instrument|book|trades|sessions|weekends|holidays|enabled)\b/g;
const CYRILLIC = /[а-яёәғқңөұүһі]/i;
const KAZAKH_LETTERS = /[әғқңөұүһі]/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const REFUSERS =
  "requireReadAccount|requireTradeAccount|requireConsoleRead|requireConsoleChange|requireTrader|requireRole|requireUser|requireScope|person";
const LITERAL = /("(?:[^"\\]|\\.)*"|`[^`]*`)/g;

/** Every action phrase in the source: [file, phrase as written ("…" or `…${x}…`)]. */
function actionPhrases(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of sources(SRC)) {
    const name = relative(SRC, file);
    if (name.startsWith("gateway/wire/") || name === "gateway/asyncapi.ts") continue;
    const text = readFileSync(file, "utf8");
    for (const call of text.matchAll(new RegExp(`\\b(?:${REFUSERS})\\(((?:[^()]|\\([^()]*\\))*)\\)`, "g"))) {
      const literals = [...(call[1] ?? "").matchAll(LITERAL)].map((m) => m[1]!);
      // The action is the last argument; a role list or a scope before it is not an action.
      const last = literals.at(-1);
      if (last !== undefined && (call[1] ?? "").trim().endsWith(last)) found.push([name, last]);
    }
    // `action` details of refusals (engine, gateway); elsewhere `action` names other things (a case's history).
    if (!name.startsWith("engine/") && !name.startsWith("gateway/")) continue;
    for (const detail of text.matchAll(/\baction:\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) found.push([name, detail[1]!]);
    // An action named once for a route's several refusers (`const action = "…"`, then requireRole(…, action)).
    for (const named of text.matchAll(/\bconst action = ("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) found.push([name, named[1]!]);
  }
  return found;
}

/** A phrase as written is known: a literal exactly, a template by a pattern or by every catalogue phrase it makes. */
function known(written: string): boolean {
  const body = written.slice(1, -1);
  if (written.startsWith('"')) return knowsPhrase(JSON.parse(written) as string);
  if (!body.includes("${")) return knowsPhrase(body);
  let index = 0;
  const asPattern = body.replace(/\$\{[^}]*\}/g, () => `{${index++}}`);
  if (PHRASE_PATTERNS.includes(asPattern)) return true;
  const escaped = body
    .split(/\$\{[^}]*\}/)
    .map((piece) => piece.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"))
    .join("(.+)");
  const matcher = new RegExp(`^${escaped}$`);
  return Object.keys(ACTION_PHRASES).some((phrase) => matcher.test(phrase));
}

/**
 * Texts in error details left out of the scan: those built around a JSON Schema validator's own message
 * (`first?.message`): REQUEST_INVALID's (rendered from the validation catalogue by its keyword,
 * src/domain/validation-messages.ts) and the server's own check of a stream message it sends (a fault of the
 * server, not of a request).
 */
const VALIDATOR_MESSAGE = "first?.message";
/** Files whose `reason` results become error details though not written inside a problem(...) (market.ts uncross). */
const DETAIL_SOURCES = new Set(["engine/auction.ts"]);
/** Helpers whose last argument is a detail's text: a field's rule, what money or gas was for. */
const DETAIL_HELPERS = "field|invalid|missing|fundsProblem|volumeProblem";

/** The start of the object literal around `at` (the `{` not closed before it), or -1. */
function objectStart(text: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    if (text[i] === "}") depth++;
    else if (text[i] === "{" && depth-- === 0) return i;
  }
  return -1;
}

/**
 * Every rule, reason, purpose and `what` text src/engine and src/gateway write into error details: [file, text as
 * written]. Found as `rule:` / `reason:` / `purpose:` / `what:` literals of an object passed to problem(...) or
 * new HttpProblem(...) (not the reasons of journal events or the examples of request schemas: those are what people
 * type), as the last argument of the helpers above, and as the rule texts of `…Rule` functions and constants.
 */
function detailTexts(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of [...sources(join(SRC, "engine")), ...sources(join(SRC, "gateway"))]) {
    const name = relative(SRC, file);
    const text = readFileSync(file, "utf8");
    for (const detail of text.matchAll(/\b(?:rule|reason|purpose|what|context):\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) {
      const start = objectStart(text, detail.index);
      const before = text.slice(Math.max(0, start - 120), start);
      if (DETAIL_SOURCES.has(name) || /[pP]roblem\(\s*("[A-Z_]+"|[\w.]+)\s*,\s*$/.test(before)) {
        found.push([name, detail[1]!]);
      }
    }
    for (const call of text.matchAll(new RegExp(`\\b_?(?:${DETAIL_HELPERS})\\(((?:[^()]|\\([^()]*\\))*)\\)`, "g"))) {
      const args = (call[1] ?? "").trim().replace(/,$/, "").trim();
      const last = [...args.matchAll(LITERAL)].map((m) => m[1]!).at(-1);
      if (last !== undefined && args.endsWith(last)) found.push([name, last]);
    }
    // Checkers that answer the reason a value is refused (checkSafeguards, checkCalendar, passwordProblem …).
    for (const checker of text.matchAll(
      /function (?:check\w+|\w+Problem)\([^)]*\): string \| null \{([\s\S]*?)\n\}/g,
    )) {
      for (const answer of (checker[1] ?? "").matchAll(/(?:\breturn|\?\s*null\s*:)\s+("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) {
        found.push([name, answer[1]!]);
      }
    }
    for (const rule of text.matchAll(/\b\w+Rule(?:\([^)]*\)[^{]*\{\s*return|\s*=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) {
      found.push([name, rule[1]!]);
    }
  }
  // The surveillance configuration's errors, which the engine passes on as SURVEILLANCE_CONFIG_INVALID's reason.
  const config = readFileSync(join(SRC, "domain/surveillance-config.ts"), "utf8");
  for (const error of config.matchAll(/(?:new ConfigError\(|\?)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g)) {
    found.push(["domain/surveillance-config.ts", error[1]!]);
  }
  for (const kind of config.matchAll(/\?\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    found.push(["domain/surveillance-config.ts", kind[2]!]);
  }
  return found.filter(([, written]) => !written.includes(VALIDATOR_MESSAGE));
}

describe("the phrase catalogue", () => {
  it("translates every action phrase the source code passes to a refusal", () => {
    const phrases = actionPhrases();
    expect(phrases.length).toBeGreaterThan(80);
    const missing = phrases.filter(([, written]) => !known(written)).map(([file, written]) => `${file}: ${written}`);
    expect(missing).toEqual([]);
  });

  it("translates every rule, reason and purpose text src/engine and src/gateway write into error details", () => {
    const texts = detailTexts();
    expect(texts.length).toBeGreaterThan(100);
    const missing = texts.filter(([, written]) => !known(written)).map(([file, written]) => `${file}: ${written}`);
    expect(missing).toEqual([]);
  });

  it("has real Russian and Kazakh for every phrase", () => {
    const problems: string[] = [];
    // Patterns with a number in each part: their sentences are checked like the phrases.
    const patterns = PHRASE_PATTERNS.map((english) => english.replace(/\{\d\}/g, "7")).map(
      (english) => [english, { ru: translatePhrase(english, "ru"), kk: translatePhrase(english, "kk") }] as const,
    );
    for (const [english, { ru, kk }] of [...Object.entries({ ...ACTION_PHRASES, ...TEXT_PHRASES }), ...patterns]) {
      if (!CYRILLIC.test(ru) || /[a-z]{4,}/.test(ru.replace(PHRASE_WIRE_WORDS, ""))) {
        problems.push(`ru: ${english}`);
      }
      if (!KAZAKH_LETTERS.test(kk) && !CYRILLIC.test(kk)) problems.push(`kk: ${english}`);
      if (ru === kk) problems.push(`kk is the Russian: ${english}`);
    }
    expect(problems).toEqual([]);
    // Most Kazakh phrases use the letters Russian lacks: the catalogue is Kazakh, not Russian in Cyrillic.
    const kazakh = Object.values(ACTION_PHRASES).filter(({ kk }) => KAZAKH_LETTERS.test(kk)).length;
    expect(kazakh / Object.keys(ACTION_PHRASES).length).toBeGreaterThan(0.8);
  });

  /** [the English phrase, the language, the phrase in it]: one row a case. */
  it.each<[string, Language, string]>([
    [
      "place orders through an API key (sign in with a password)",
      "kk",
      "API кілті арқылы: өтінім беру (құпиясөзбен кіріңіз)",
    ],
    [
      "change the reference price 13300000 of 'LPG-AKTAU' (it centres the regulator's price band)",
      "ru",
      "менять справочную цену 133\u00a0000 ₸/т инструмента 'LPG-AKTAU' (она задаёт середину ценового коридора регулятора)",
    ],
    // Prices the English writes in tiyn per tonne, and a safeguard's wire name, in the reader's words and tenge.
    [
      "ceiling 150 must be a price on the tick 100",
      "kk",
      "шекті баға: 1,50 ₸/т мәні 1 ₸/т баға қадамына еселі баға болуы керек",
    ],
    [
      "ceiling path step 150 must be a price on the tick 100",
      "ru",
      "ступень предельной цены: значение 1,50 ₸/т должно быть ценой, кратной шагу цены 1 ₸/т",
    ],
    // A value that is not a whole number of tiyn is shown as the engine wrote it.
    [
      'floor "x" must be a price on the tick 100',
      "ru",
      'минимальная цена: значение "x" должно быть ценой, кратной шагу цены 1 ₸/т',
    ],
    // A clearing term's rate named in words, its basis points as a percentage (a count that is not whole keeps its
    // unit).
    [
      "feeBps -1 must be a whole number of basis points from 0 to 10000",
      "kk",
      "биржалық алым мөлшерлемесі: −0,01\u00a0% мәні 0,00\u00a0% – 100,00\u00a0% аралығында, 0,01\u00a0% қадаммен болуы керек (базистік тармақтардың бүтін саны)",
    ],
    [
      "sellerPenaltyBps 1.5 must be a whole number of basis points from 0 to 10000",
      "ru",
      "ставка неустойки продавца за непоставку: значение 1,5 б.п. должно быть от 0,00\u00a0% до 100,00\u00a0% с шагом 0,01\u00a0% (целое число базисных пунктов)",
    ],
    [
      "bandBps 0 must be a whole number of basis points from 1 to 5000",
      "kk",
      "баға дәлізі: 0,00\u00a0% мәні 0,01\u00a0% – 50,00\u00a0% аралығында, 0,01\u00a0% қадаммен болуы керек (базистік тармақтардың бүтін саны)",
    ],
    [
      `buyerDefaultCollateralTo "me" must be 'seller' or 'exchange'`,
      "kk",
      `орындамаған сатып алушының кепілдік жарнасы кімге өтеді: "me" мәні 'seller' (сатушыға) немесе 'exchange' (биржаға) болуы керек`,
    ],
    ["place orders", "en", "place orders"],
    // Unknown text is shown as given, never dropped.
    ["do something new", "kk", "do something new"],
    [
      "a dispatch date is a real date YYYY-MM-DD from 2026-01-15 to 2026-02-14",
      "kk",
      "жөнелту күні — 15.01.2026 мен 14.02.2026 аралығындағы нақты ЖЖЖЖ-АА-КК күні",
    ],
    ["a note is 1 to 2000 characters", "ru", "заметка — от 1 до 2\u00a0000 символов"],
    // A part is a phrase or a code word in turn (a role, a nested rule); a date in the reader's way.
    [
      "a trader belongs to a member: an id is 1 to 64 printable ASCII characters without spaces",
      "kk",
      "трейдер қатысушыға тиесілі: идентификатор — бос орынсыз 1–64 басылатын ASCII таңба",
    ],
    ["a viewer belongs to a member: give 'member'", "ru", "наблюдатель относится к участнику: укажите 'member'"],
    [
      "1 to 20 notification ids of 1 to 64 characters",
      "ru",
      "от 1 до 20 идентификаторов уведомлений длиной от 1 до 64 символов",
    ],
    [
      "tick size 0 must be from 1 to 100000000",
      "kk",
      "баға қадамы 0 ₸/т: 0,01 ₸/т – 1\u00a0000\u00a0000 ₸/т аралығында болуы керек",
    ],
    [
      "each extra session needs a real date, YYYY-MM-DD, years 2020–2100",
      "ru",
      "каждой дополнительной сессии нужна настоящая дата, ГГГГ-ММ-ДД, годы 2020–2100",
    ],
    [
      "breakerAuctionMs 5 must be from 1,000 ms to 3,600,000 ms",
      "kk",
      "тоқтатудан кейінгі аукцион: 5 миллисекунд мәні 1 секунд – 1 сағат аралығында болуы керек",
    ],
    [
      "resumptionAuctionMs 3,600,001 must be from 1,000 ms to 3,600,000 ms",
      "ru",
      "аукцион при возобновлении: значение 1 час 1 миллисекунда должно быть от 1 секунды до 1 часа",
    ],
    // A clearing window the English writes in ms, as a duration in words.
    [
      "paymentWindowMs 0 must be from 1 ms to one year",
      "ru",
      "срок оплаты: значение 0 миллисекунд должно быть от 1 миллисекунды до одного года",
    ],
    [
      "deliveryWindowMs 90000000 must be from 1 ms to one year",
      "kk",
      "жеткізу мерзімі: 1 күн 1 сағат мәні 1 миллисекундтан бір жылға дейін болуы керек",
    ],
    [
      "spoofing.ratio is 7; it must be a number with at most two decimals from 0.5 to 100",
      "ru",
      "spoofing.ratio = 7; нужно число не более чем с двумя знаками после запятой от 0,5 до 100",
    ],
    [
      "a password needs at least 12 characters, this one has 5",
      "kk",
      "құпиясөзде кемінде 12 таңба болуы керек, мұнда — 5",
    ],
  ])("translates %s in %s, with its parts, numbers grouped in the reader's way", (english, language, expected) => {
    expect(translatePhrase(english, language)).toBe(expected);
  });

  it("names a clearing term's rate in words in a whole sentence; English keeps the engine's wire name", () => {
    // The engine's English (journaled, on the wire) keeps the wire name and the basis points.
    const rate = "collateralBps 10001 must be a whole number of basis points from 0 to 10000";
    expect(localize("INSTRUMENT_INVALID", { reason: rate }, "ru")).toBe(
      "Описание инструмента недействительно: ставка гарантийного взноса: значение 100,01\u00a0% должно быть от 0,00\u00a0% до 100,00\u00a0% с шагом 0,01\u00a0% (целое число базисных пунктов).",
    );
    expect(localize("INSTRUMENT_INVALID", { reason: rate }, "en")).toBe(`Instrument definition is not valid: ${rate}.`);
  });

  it("names roles in words; an unknown role as given", () => {
    expect(roleWord("regulator", "kk")).toBe("реттеуші");
    expect(roleWord("nobody", "ru")).toBe("nobody");
  });
});

describe("every server message code in every language", () => {
  const CODES = Object.keys(ERRORS) as ErrorCode[];
  /** A value for each placeholder: numbers, an action and a role as code writes them. */
  const sample = (code: ErrorCode) =>
    Object.fromEntries(
      placeholdersOf(ERRORS[code].template).map(({ name }) => [
        name,
        name === "action" ? "place orders" : name === "role" ? "viewer" : name === "phase" ? "halted" : 42,
      ]),
    );

  for (const language of LANGUAGES) {
    it(`${language}: every code has its sentence${language === "en" ? "" : " with no English word in it"}`, () => {
      const problems: string[] = [];
      for (const code of CODES) {
        const sentence = localize(code, sample(code), language);
        if (sentence.includes("?") && !ERRORS[code].template.includes("?"))
          problems.push(`${code}: a value is missing`);
        if (language === "en") {
          if (sentence.trim().length === 0) problems.push(`${code}: empty`);
          continue;
        }
        if (!CYRILLIC.test(sentence)) problems.push(`${code}: no Cyrillic`);
        const latin = (sentence.match(/[A-Za-z][A-Za-z-]+/g) ?? []).filter(
          (word) => !WIRE_WORDS.has(word.replace(/-$/, "")),
        );
        if (latin.length > 0) problems.push(`${code}: ${latin.join(" ")}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it("names the refused action and the role in the reader's language", () => {
    const details = { role: "viewer", action: "place orders" };
    expect(localize("FORBIDDEN", details, "kk")).toBe("Сіздің рөліңіз (бақылаушы) мынаны істей алмайды: өтінім беру.");
    expect(localize("FORBIDDEN", details, "ru")).toBe("Ваша роль (наблюдатель) не может подавать заявки.");
    expect(localize("FORBIDDEN", details, "en")).toBe("Your role (viewer) may not place orders.");
    const funds = { account: "A-1", free: 100, required: 250_000, shortfall: 249_900 };
    expect(
      localize("RISK_INSUFFICIENT_FUNDS", { ...funds, purpose: "the order's guarantee deposit and fee" }, "kk"),
    ).toBe(
      "'A-1' шотында 1 ₸ бос, ал операцияға (өтінім бойынша кепілдік жарна мен алым) 2\u00a0500 ₸ керек (2\u00a0499 ₸ жетпейді).",
    );
  });
});

describe("role words", () => {
  it("names every user role of the engine in Russian and Kazakh, not in English", () => {
    for (const role of USER_ROLES) {
      for (const language of ["ru", "kk"] as const) {
        expect(roleWord(role, language), `${role} in ${language}`).not.toBe(role);
        expect(roleWord(role, language)).not.toMatch(/[a-z]/i);
      }
    }
    expect(roleWord("administrator", "kk")).toBe("әкімші");
  });
});

describe("buyer category words", () => {
  it("tells a socket where it gives its CSRF token, in Russian and Kazakh with no English but the wire's names", () => {
    for (const language of ["ru", "kk"] as const) {
      const sentence = localize("AUTH_CSRF", { via: "stream" }, language);
      expect(sentence).toContain('{"op":"session","csrf":…}');
      expect(sentence).not.toContain("X-CSRF-Token");
      const prose = sentence.replace(/\{[^}]*\}|\(\?csrf=\)|GET \/api\/session|csrfToken|CSRF/g, "");
      expect(prose, language).not.toMatch(/[A-Za-z]/);
    }
    expect(localize("AUTH_CSRF", {}, "ru")).toContain("X-CSRF-Token");
  });

  it("says what a time in force or post-only was refused for in Russian and Kazakh, in the case the sentence needs", () => {
    const tif = (context: string, language: Language) =>
      localize("ORDER_TIF_NOT_ALLOWED", { tif: "IOC", context }, language);
    expect(tif("limit orders in an auction's order collection", "ru")).toBe(
      "Срок действия IOC не допускается для лимитных заявок в период сбора заявок аукциона.",
    );
    expect(tif("an auction's order collection", "kk")).toBe(
      "IOC қолданылу мерзіміне аукционның өтінімдер жинау кезеңі үшін рұқсат жоқ.",
    );
    const postOnly = (context: string, language: Language) =>
      localize("ORDER_POST_ONLY_INVALID", { context }, language);
    expect(postOnly("time in force FOK", "ru")).toBe(
      "«Только в книгу» допускается лишь для лимитных заявок, которые могут стоять в книге; указано при сроке действия FOK.",
    );
    expect(postOnly("a market order", "ru")).toMatch(/; указано для рыночной заявки\.$/);
    expect(postOnly("time in force IOC", "kk")).toMatch(/IOC қолданылу мерзімі\.$/);
    expect(postOnly("a market order", "kk")).toMatch(/нарықтық өтінім\.$/);
    expect(postOnly("a market order", "en")).toBe(
      "Post-only is only for limit orders that may rest; it was given with a market order.",
    );
  });

  it("names every buyer category of the engine in Russian and Kazakh, not as its code", () => {
    for (const category of BUYER_CATEGORIES) {
      for (const language of ["ru", "kk"] as const) {
        expect(codeWord(category, language), `${category} in ${language}`).not.toMatch(/[a-z]/i);
      }
    }
    expect(codeWord("gas-distribution", "kk")).toBe("газ тарату ұйымдары");
  });
});
