/**
 * The suspicious-transaction report's page in Kazakh and Russian, read back as text and compared exactly: every
 * heading, rule, severity, state, criterion and figure in the language, times in Kazakhstan time (UTC+5) and numbers with
 * grouped thousands and a decimal comma; ids, accounts and notes as entered. English stays the page as first filed.
 */

import { describe, expect, it } from "vitest";
import type { CaseView, StoredAlert } from "../surveillance/index.ts";
import { type AlertEvidence, strHtml, suspiciousTransactionReport } from "./suspicious-transaction.ts";

const ALERT: StoredAlert = {
  key: "concentration|S1|G1",
  rule: "concentration",
  session: "S1",
  sessions: ["S1"],
  instrument: "PB-KAZGPZ-MNG",
  side: "buy",
  month: null,
  accounts: ["AKTAU-1"],
  members: ["AKTAU"],
  groups: ["G1"],
  fromMs: Date.UTC(2026, 0, 5, 6, 0),
  toMs: Date.UTC(2026, 0, 5, 8, 0),
  orders: ["o1"],
  trades: ["T1"],
  figures: { sharePercent: 42.5, quantityKg: 120_500, sessionVolumeKg: 283_000 },
  id: "A-1",
  severity: "medium",
  raisedSeq: 10,
  raisedMs: Date.UTC(2026, 0, 5, 8, 0),
  updatedSeq: 10,
  updatedMs: Date.UTC(2026, 0, 5, 8, 0),
  version: 1,
  caseId: "C-1",
};

const EVIDENCE: AlertEvidence = {
  fromSeq: 1,
  toSeq: 9,
  complete: true,
  orders: [
    {
      order: "o1",
      instrument: "PB-KAZGPZ-MNG",
      account: "AKTAU-1",
      side: "buy",
      entered: { seq: 2, timeMs: Date.UTC(2026, 0, 5, 6, 1), priceTiynPerTonne: 13_300_050, quantityKg: 150_000 },
      amendments: [],
      fills: [
        { seq: 3, timeMs: Date.UTC(2026, 0, 5, 6, 2), trade: "T1", priceTiynPerTonne: 13_300_050, quantityKg: 120_500 },
      ],
      cancelled: { seq: 4, timeMs: Date.UTC(2026, 0, 5, 7, 30), reason: "expired" },
    },
  ],
  trades: [
    {
      seq: 3,
      timeMs: Date.UTC(2026, 0, 5, 6, 2),
      trade: "T1",
      instrument: "PB-KAZGPZ-MNG",
      buyOrder: "o1",
      sellOrder: "s1",
      buyAccount: "AKTAU-1",
      sellAccount: "KAZGPZ-1",
      priceTiynPerTonne: 13_300_050,
      quantityKg: 120_500,
    },
  ],
  pricePathInstrument: "PB-KAZGPZ-MNG",
  pricePath: [],
  pricePathComplete: true,
  shipments: [],
  books: [],
  booksComplete: true,
};

const CASE: CaseView = {
  id: "C-1",
  status: "closed",
  outcome: "warning",
  openedMs: Date.UTC(2026, 0, 5, 9, 0),
  updatedMs: Date.UTC(2026, 0, 6, 9, 0),
  alerts: ["A-1"],
  steps: [
    {
      seq: 11,
      timeMs: Date.UTC(2026, 0, 5, 9, 0),
      actor: "regulator",
      role: "regulator",
      action: "opened",
      alert: "A-1",
      outcome: null,
      text: "share too high",
    },
    {
      seq: 12,
      timeMs: Date.UTC(2026, 0, 6, 9, 0),
      actor: "regulator",
      role: "regulator",
      action: "closed",
      alert: null,
      outcome: "warning",
      text: "first time",
    },
  ],
};

const report = suspiciousTransactionReport(CASE, [ALERT], new Map([["A-1", EVIDENCE]]), Date.UTC(2026, 0, 6, 10, 0));

/** The page's text: the body without tags, every run of white space (no-break spaces too) as one space. */
function pageText(html: string): string {
  const body = html.slice(html.indexOf("<body>"));
  return body
    .replace(/<svg[\s\S]*?<\/svg>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/gu, " ")
    .trim();
}

describe("the suspicious-transaction report in Kazakh and Russian", () => {
  it("is in Kazakh", () => {
    const html = strHtml(report, "kk");
    expect(html).toContain('<html lang="kk">');
    // No trades in the span: the drawing is named as the orders it shows, on their instrument.
    expect(html).toContain('aria-label="Ескерту өтінімдері баға мен уақыт бойынша: PB-KAZGPZ-MNG"');
    expect(pageText(html)).toBe(
      "Күдікті операция туралы хабарлама C-1 Іс C-1: жабық, нәтижесі ескерту жасалды; ашылды 05.01.2026 14:00; " +
        "хабарлама уақыты 06.01.2026 15:00. Уақыт — Қазақстан уақыты (UTC+5). Кім Шоттар AKTAU-1 Қатысушылар " +
        "AKTAU Тұлғалар топтары G1 Қашан 05.01.2026 11:00 бастап 05.01.2026 13:00 дейін Не және неге " +
        "Шоғырлану (орташа, ескерту A-1) Неге күдікті: бір тұлғалар тобы сессия көлемінің белгіленген " +
        "үлесінен және белгіленген мөлшерден көп сатып алды немесе сатты: үлес: 42,5 %, көлем: 120,5 т, " +
        "сессия көлемі: 283 т. Құрал PB-KAZGPZ-MNG Сессиялар S1 Жағы сатып алу Бастап 05.01.2026 11:00 Дейін " +
        "05.01.2026 13:00 Шоттар AKTAU-1 Қатысушылар AKTAU Топтар G1 Өтінімдер Өтінім Шот Жағы Берілді Баға, " +
        "₸/т Саны, т Орындалды, т Жойылды o1 AKTAU-1 сатып алу 05.01.2026 11:01 133 000,50 150 120,5 " +
        "05.01.2026 12:30 (мерзімі өтті) Мәмілелер Мәміле Уақыты Сатып алушы Сатушы Баға, ₸/т Саны, т T1 " +
        "05.01.2026 11:02 AKTAU-1 KAZGPZ-1 133 000,50 120,5 Ескертудің әр сәтіндегі өтінімдер кітабы Кезеңнің " +
        "бірде-бір жазбасы ескерту өтінімдеріне қатысты емес. Істің қаралу барысы Қашан Кім Не Неге " +
        "05.01.2026 14:00 regulator ашылды ескерту A-1 share too high 06.01.2026 14:00 regulator жабылды " +
        "(ескерту жасалды) first time",
    );
  });

  it("is in Russian", () => {
    const html = strHtml(report, "ru");
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('aria-label="Заявки сигнала по цене и времени: PB-KAZGPZ-MNG"');
    expect(pageText(html)).toBe(
      "Сообщение о подозрительной операции C-1 Дело C-1: закрыто, итог предупреждение; открыто 05.01.2026 " +
        "14:00; сообщение на 06.01.2026 15:00. Время — время Казахстана (UTC+5). Кто Счета AKTAU-1 Участники AKTAU " +
        "Группы лиц G1 Когда с 05.01.2026 11:00 по 05.01.2026 13:00 Что и почему Концентрация (средняя, " +
        "сигнал A-1) Почему подозрительно: одна группа лиц купила или продала больше установленной доли " +
        "объёма сессии и больше установленного количества: доля: 42,5 %, объём: 120,5 т, объём сессии: 283 т. " +
        "Инструмент PB-KAZGPZ-MNG Сессии S1 Сторона покупка С 05.01.2026 11:00 По 05.01.2026 13:00 Счета " +
        "AKTAU-1 Участники AKTAU Группы G1 Заявки Заявка Счёт Сторона Подана Цена, ₸/т Количество, т " +
        "Исполнено, т Снята o1 AKTAU-1 покупка 05.01.2026 11:01 133 000,50 150 120,5 05.01.2026 12:30 (истёк " +
        "срок) Сделки Сделка Время Покупатель Продавец Цена, ₸/т Количество, т T1 05.01.2026 11:02 AKTAU-1 " +
        "KAZGPZ-1 133 000,50 120,5 Книга заявок в каждый момент сигнала Ни одна запись периода не касается " +
        "заявок сигнала. Ход рассмотрения дела Когда Кто Что Почему 05.01.2026 14:00 regulator открыто сигнал " +
        "A-1 share too high 06.01.2026 14:00 regulator закрыто (предупреждение) first time",
    );
  });

  it("stays in English as first filed", () => {
    const text = pageText(strHtml(report));
    expect(text).toContain("concentration (medium, alert A-1) Why suspicious: one group of persons bought or sold");
    expect(text).toContain(": sharePercent 42.5, quantityKg 120,500, sessionVolumeKg 283,000.");
    expect(text).toContain(
      "o1 AKTAU-1 buy 2026-01-05T06:01:00.000Z 133,000.5 150 120.5 2026-01-05T07:30:00.000Z (expired)",
    );
  });
});
