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
import { LANGUAGES } from "../../src/domain/locale.ts";
import { localize, placeholdersOf } from "../../src/domain/messages.ts";
import {
  ACTION_PHRASES,
  knowsPhrase,
  PHRASE_PATTERNS,
  roleWord,
  TEXT_PHRASES,
  translatePhrase,
} from "../../src/domain/phrases.ts";
import { USER_ROLES } from "../../src/engine/access.ts";

const SRC = join(import.meta.dirname, "../../src");
/** Latin words a Russian or Kazakh sentence may hold: names on the wire, not English prose. */
const WIRE_WORDS = new Set([
  "API",
  "CSRF",
  "GET",
  "GTD",
  "X-CSRF-Token",
  "api",
  "session",
  "code",
  "buy",
  "sell",
  "limit",
  "market",
]);
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

describe("the phrase catalogue", () => {
  it("translates every action phrase the source code passes to a refusal", () => {
    const phrases = actionPhrases();
    expect(phrases.length).toBeGreaterThan(80);
    const missing = phrases.filter(([, written]) => !known(written)).map(([file, written]) => `${file}: ${written}`);
    expect(missing).toEqual([]);
  });

  it("has real Russian and Kazakh for every phrase", () => {
    const problems: string[] = [];
    for (const [english, { ru, kk }] of Object.entries({ ...ACTION_PHRASES, ...TEXT_PHRASES })) {
      if (!CYRILLIC.test(ru) || /[a-z]{4,}/.test(ru.replace(/\(drop copy\)|FIX|API|JSON|GTD/g, ""))) {
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

  it("translates patterns with their parts, numbers grouped in the reader's way", () => {
    expect(translatePhrase("place orders through an API key (sign in with a password)", "kk")).toBe(
      "API кілті арқылы: өтінім беру (құпиясөзбен кіріңіз)",
    );
    expect(
      translatePhrase(
        "change the reference price 13300000 of 'LPG-AKTAU' (it centres the regulator's price band)",
        "ru",
      ),
    ).toBe(
      "менять справочную цену 13\u00a0300\u00a0000 инструмента 'LPG-AKTAU' (она задаёт середину ценового коридора регулятора)",
    );
    expect(translatePhrase("place orders", "en")).toBe("place orders");
    // Unknown text is shown as given, never dropped.
    expect(translatePhrase("do something new", "kk")).toBe("do something new");
    expect(translatePhrase("a dispatch date is a real date YYYY-MM-DD from 2026-01-15 to 2026-02-14", "kk")).toBe(
      "жөнелту күні — 15.01.2026 мен 14.02.2026 аралығындағы нақты ЖЖЖЖ-АА-КК күні",
    );
    expect(translatePhrase("a note is 1 to 2000 characters", "ru")).toBe("заметка — от 1 до 2\u00a0000 символов");
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
