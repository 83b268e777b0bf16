/**
 * Public disclosure. The daily bulletin (GET /api/bulletin): the sessions that closed on a day in exchange time with
 * their results, the day's indices exactly as /api/indices publishes them, and the regulator's safeguard changes,
 * halts and resumptions of the day with their reasons — nothing else from the audit trail; as JSON and as CSV.
 * Participation per instrument and month (GET /api/participation): members on each side, top-5 shares and HHI,
 * naming no one.
 */

import { inflateSync } from "node:zlib";
import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/engine/commands.ts";
import { BULLETIN_LABELS, fitColumns } from "../../src/reports/bulletin-documents.ts";
import { INSTRUMENT, type Session, T0, TERMS, TestServer } from "../support/server.ts";

const HOUR = 3_600_000;
/** 00:00 Almaty (UTC+5) on 5 January 2026; T0 is 11:00 that day. */
const DAY1 = Date.UTC(2026, 0, 4, 19);

let server: TestServer;
let regulator: Session;
let n = 0;

async function submit(command: Command): Promise<void> {
  const outcome = await server.exchange.submit(command);
  const refused = outcome.events.find((e) => e.type === "rejected");
  if (refused) throw new Error(`${command.type} refused: ${JSON.stringify(refused)}`);
}

async function trade(price: number, tonnes: number, buyer = "AKTAU-1"): Promise<void> {
  n++;
  const order = {
    type: "order.new",
    instrument: INSTRUMENT,
    orderType: "limit",
    price,
    quantity: tonnes * 1000,
  } as const;
  await submit({ ...order, orderId: `KAZGPZ-1~s${n}`, account: "KAZGPZ-1", side: "sell" });
  await submit({ ...order, orderId: `${buyer}~b${n}`, account: buyer, side: "buy" });
}

beforeAll(async () => {
  server = await TestServer.start();
  regulator = await server.login("regulator");
  // 5 January: the session opened at set-up (11:00) trades twice and closes at 13:00; the regulator narrows the band.
  server.nowMs = T0 + HOUR;
  await trade(13_300_000, 10);
  await trade(13_400_000, 20);
  const band = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
    bandBps: 500,
    reason: "bulletin test: ±5% band",
  });
  expect(band.status).toBe(200);
  server.nowMs = T0 + 2 * HOUR;
  await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
  // The next session opens at 23:00 on the 5th, is halted and resumed, and closes after midnight: the 6th's.
  server.nowMs = DAY1 + 23 * HOUR;
  await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "continuous" });
  await trade(13_500_000, 5);
  regulator = await server.login("regulator"); // the morning's session has expired
  const halt = await server.call(regulator, "POST", "/api/regulator/halt", {
    scope: "instrument",
    instrument: INSTRUMENT,
    reason: "bulletin test: cooling-off halt",
  });
  expect(halt.status).toBe(200);
  server.nowMs = DAY1 + 24.5 * HOUR;
  await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
});

afterAll(async () => {
  await server?.close();
});

/** The text a PDF can give back: the Unicode code points its fonts' ToUnicode maps name, from every stream inflated. */
function pdfUnicodeMaps(pdf: Buffer): string {
  const text = pdf.toString("latin1");
  const out: string[] = [];
  for (let at = text.indexOf("stream\n"); at !== -1; at = text.indexOf("stream\n", at + 1)) {
    const start = at + "stream\n".length;
    const end = text.indexOf("\nendstream", start);
    if (end === -1) break;
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      // not a deflated stream (an image or the font program's header)
    }
  }
  return out.join("\n");
}

async function download(path: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await fetch(`${server.url}${path}`);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe("the daily bulletin as documents in three languages", () => {
  it("gives an XLSX workbook in Kazakh: titled sheets, numbers as tonnes and tenge, controls told in Kazakh", async () => {
    const answer = await download("/api/bulletin?day=2026-01-05&format=xlsx&lang=kk");
    expect(answer.status).toBe(200);
    expect(answer.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      "Сессиялар қорытындысы",
      "Баға индекстері",
      "Реттеушінің шаралары",
    ]);
    const sessions = workbook.worksheets[0]!;
    expect(sessions.getRow(1).getCell(1).value).toBe(
      "Сұйытылған газ биржасының күнделікті бюллетені — Сауда күні 05.01.2026",
    );
    expect(sessions.getRow(2).getCell(3).value).toBe("Ұсынылды, т");
    // 30 t traded at a weighted average of 133,666.67 ₸/t: numbers, not text.
    expect([2, 5, 6, 9].map((c) => sessions.getRow(3).getCell(c).value)).toEqual([1, 30, 133_666.67, 2]);
    expect(sessions.getRow(3).getCell(1).value).toBe(INSTRUMENT);
    const controls = workbook.worksheets[2]!;
    expect(controls.getRow(2).getCell(2).value).toBe("шектеулерді өзгерту");
    // The safeguard change in words, not the command's JSON.
    expect(controls.getRow(2).getCell(4).value).toBe("баға дәлізі ±5,00\u00a0%; себебі: bulletin test: ±5% band");
    const indices = workbook.worksheets[1]!;
    expect(indices.getRow(2).getCell(1).value).toBe("Пропан-бутан");
    expect(controls.getRow(3).getCell(2).value).toBe("тоқтата тұру");
    expect(controls.getRow(3).getCell(1).value).toBe("05.01.2026 23:00");
    // A person reads Astana time; the same instant closes the row as ISO 8601 UTC text for programs.
    expect(controls.getRow(1).getCell(5).value).toBe("Уақыт: UTC, ISO 8601");
    expect(controls.getRow(3).getCell(5).value).toBe("2026-01-05T18:00:00.000Z");
  });

  it("gives a PDF in each language with an embedded font that carries the Kazakh letters", async () => {
    const kk = await download("/api/bulletin?day=2026-01-05&format=pdf&lang=kk");
    expect(kk.status).toBe(200);
    expect(kk.type).toBe("application/pdf");
    expect(kk.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const raw = kk.body.toString("latin1");
    expect(raw).toMatch(/\/FontFile2 /);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    const maps = pdfUnicodeMaps(kk.body).toLowerCase();
    // қ ү ө ә ғ і and the tenge sign are drawn from the embedded font and map back to their code points.
    for (const letter of ["қ", "ү", "ө", "ә", "ғ", "і", "₸"]) {
      expect(maps, letter).toContain(`<${letter.codePointAt(0)!.toString(16).padStart(4, "0")}>`);
    }
    const ru = await download("/api/bulletin?day=2026-01-05&format=pdf&lang=ru");
    const en = await download("/api/bulletin?day=2026-01-05&format=pdf");
    expect(pdfUnicodeMaps(ru.body).toLowerCase()).not.toContain("<049b>");
    expect(pdfUnicodeMaps(en.body).toLowerCase()).not.toContain("<0436>"); // no Cyrillic in English
    // The same bulletin gives the same document: no clock inside.
    const again = await download("/api/bulletin?day=2026-01-05&format=pdf&lang=kk");
    expect(again.body.length).toBe(kk.body.length);
  });

  it("writes the PDF's indices and controls in words, in Kazakh and in Russian", async () => {
    const text = async (lang: string) => {
      const pdf = await download(`/api/bulletin?day=2026-01-05&format=pdf&lang=${lang}`);
      const parser = new PDFParse({ data: new Uint8Array(pdf.body) });
      try {
        return (await parser.getText()).text.replace(/\s+/gu, " ");
      } finally {
        await parser.destroy();
      }
    };
    const kk = await text("kk");
    expect(kk).toContain("Пропан-бутан өңір бойынша Маңғыстау облысы 133 666,67 30 1");
    expect(kk).toContain(
      `05.01.2026 12:00 шектеулерді өзгерту ${INSTRUMENT} баға дәлізі ±5,00 %; себебі: bulletin test: ±5% band`,
    );
    expect(kk).not.toMatch(/propane|bandBps|[{}]/);
    const ru = await text("ru");
    expect(ru).toContain("Пропан-бутан по региону Мангистауская область 133 666,67 30 1");
    expect(ru).toContain(
      `05.01.2026 12:00 изменение ограничений ${INSTRUMENT} ценовой коридор ±5,00 %; причина: bulletin test: ±5% band`,
    );
    expect(ru).not.toMatch(/propane|bandBps|[{}]/);
    // The indices' scopes and places in the board's words: "завод — регион", the nation by its name, not "KZ".
    expect(ru).toContain("завод — регион");
    expect(ru).toContain("KAZGPZ / Мангистауская область");
    expect(ru).toContain("по стране Республика Казахстан");
    expect(ru).not.toMatch(/\bKZ\b|базис и регион/);
    // No heading is cut inside a word ("Средневзвешенн" / "ая", "Покупате" / "лей" were): every word of every
    // column's heading is whole in the text.
    for (const [lang, pdfText] of [
      ["ru", ru],
      ["kk", kk],
    ] as const) {
      const labels = BULLETIN_LABELS[lang];
      for (const heading of [...labels.sessionColumns, ...labels.indexColumns, ...labels.controlColumns]) {
        for (const word of heading.split(" ")) expect(pdfText, `${lang}: ${heading}`).toContain(word);
        // A unit after the heading's comma stays on the line of the word before it ("Предложено, т").
        const unit = /(\S+), (\S{1,4})$/u.exec(heading);
        if (unit !== null) {
          expect(pdfText.replaceAll("\u00a0", " "), `${lang}: ${heading}`).toContain(`${unit[1]}, ${unit[2]}`);
        }
      }
    }
  });

  it("fits the PDF's columns: each at least its widest word, the rest shared by weight", () => {
    expect(fitColumns([1, 1], [10, 10], 100)).toEqual([50, 50]);
    // The narrow column held at its widest word, the other takes what is left.
    expect(fitColumns([1, 9], [30, 10], 100)).toEqual([30, 70]);
    // Exactly at the page's width: the minimums.
    expect(fitColumns([1, 1], [60, 40], 100)).toEqual([60, 40]);
    // Wider than the page: scaled down together.
    expect(fitColumns([1, 1], [150, 50], 100)).toEqual([75, 25]);
  });

  it("tells the JSON bulletin's controls in the language asked for, and refuses a language it does not speak", async () => {
    const ru = await server.call(null, "GET", "/api/bulletin?day=2026-01-05&lang=ru");
    expect(ru.body.controls[1].summary).toBe(
      `приостановить торги (инструмент ${INSTRUMENT}); причина: bulletin test: cooling-off halt`,
    );
    const de = await server.call(null, "GET", "/api/bulletin?day=2026-01-05&lang=de");
    expect([de.status, de.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });
});

describe("the daily bulletin", () => {
  it("lists the sessions that closed that day, the day's indices and the regulator's controls with reasons", async () => {
    const bulletin = await server.call(null, "GET", "/api/bulletin?day=2026-01-05");
    expect(bulletin.status).toBe(200);
    expect(bulletin.body).toMatchObject({
      day: "2026-01-05",
      fromMs: DAY1,
      toMs: DAY1 + 24 * HOUR,
      controlsComplete: true,
    });
    expect(bulletin.body.sessions).toHaveLength(1);
    expect(bulletin.body.sessions[0]).toMatchObject({
      instrument: INSTRUMENT,
      product: "propane-butane",
      basis: "KAZGPZ",
      region: "MANGYSTAU",
      session: 1,
      trades: 2,
      volumeKg: "30000",
      offeredKg: "30000",
      bidKg: "30000",
      // (10 × 13,300,000 + 20 × 13,400,000) / 30 = 13,366,666.67
      vwapTiynPerTonne: 13_366_667,
      highTiynPerTonne: 13_400_000,
      lowTiynPerTonne: 13_300_000,
      buyers: 1,
      sellers: 1,
    });
    const indices = await server.call(null, "GET", "/api/indices?day=2026-01-05");
    expect(bulletin.body.indices).toEqual(indices.body.indices);
    expect(bulletin.body.indices.find((i: { scope: string }) => i.scope === "basis").priceTiynPerTonne).toBe(
      13_366_667,
    );
    // The band change is there with its reason (and the evening's halt); the test's set-up (listing, members,
    // money) and the phase changes are not.
    expect(bulletin.body.controls).toHaveLength(2);
    expect(bulletin.body.controls[0]).toMatchObject({ action: "safeguards.set", instrument: INSTRUMENT });
    expect(bulletin.body.controls[0].summary).toContain("bulletin test: ±5% band");
  });

  it("puts a session that closed after midnight on the next day, with the halt made during it", async () => {
    const bulletin = (await server.call(null, "GET", "/api/bulletin?day=2026-01-06")).body;
    expect(
      bulletin.sessions.map((s: { session: number; vwapTiynPerTonne: number }) => [s.session, s.vwapTiynPerTonne]),
    ).toEqual([[2, 13_500_000]]);
    // The halt was made on the 5th at 23:00: it is the 5th's control, not the 6th's.
    expect(bulletin.controls).toEqual([]);
    const fifth = (await server.call(null, "GET", "/api/bulletin?day=2026-01-05")).body;
    expect(fifth.controls.map((c: { action: string }) => c.action)).toEqual(["safeguards.set", "halt"]);
    expect(fifth.controls[1].summary).toContain("bulletin test: cooling-off halt");
  });

  it("defaults to today in exchange time, and a day without sessions is empty", async () => {
    server.nowMs = DAY1 + 3 * 24 * HOUR + HOUR; // 8 January, 01:00 local
    const today = await server.call(null, "GET", "/api/bulletin");
    expect(today.body).toMatchObject({ day: "2026-01-08", sessions: [], indices: [], controls: [] });
  });

  it("refuses a day after today (exchange time) in every format and language, rather than an empty bulletin", async () => {
    server.nowMs = DAY1 + 3 * 24 * HOUR + 23 * HOUR; // 8 January, 23:00 local: 18:00 UTC, still the 8th there
    expect((await server.call(null, "GET", "/api/bulletin?day=2026-01-08")).status).toBe(200);
    for (const format of ["json", "csv", "xlsx", "pdf"]) {
      const ahead = await server.call(null, "GET", `/api/bulletin?day=2026-01-09&format=${format}`);
      expect([ahead.status, ahead.body.error?.code, ahead.body.error?.details]).toEqual([
        409,
        "BULLETIN_DAY_FUTURE",
        { day: "2026-01-09", today: "2026-01-08" },
      ]);
    }
    const said = await Promise.all(
      ["en", "ru", "kk"].map(async (language) => {
        const response = await fetch(`${server.url}/api/bulletin?day=2026-01-09`, {
          headers: { "accept-language": language },
        });
        return ((await response.json()) as { error: { message: string } }).error.message.replaceAll("\u00a0", " ");
      }),
    );
    expect(said).toEqual([
      "There is no bulletin for 2026-01-09 yet: that day is after today, 2026-01-08, in Kazakhstan time.",
      "Бюллетеня за 09.01.2026 ещё нет: этот день позже сегодняшнего, 08.01.2026, по времени Казахстана.",
      "09.01.2026 күнгі бюллетень әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, 08.01.2026, кейін.",
    ]);
  });

  it("refuses indices of a day after today and participation of a month after this one, rather than empty lists", async () => {
    server.nowMs = DAY1 + 3 * 24 * HOUR + 23 * HOUR; // 8 January, 23:00 local
    expect((await server.call(null, "GET", "/api/indices?day=2026-01-08")).status).toBe(200);
    for (const format of ["json", "csv"]) {
      const ahead = await server.call(null, "GET", `/api/indices?day=2026-01-09&format=${format}`);
      expect([ahead.status, ahead.body.error?.code, ahead.body.error?.message]).toEqual([
        409,
        "INDICES_DAY_FUTURE",
        "There are no indices for 2026-01-09 yet: that day is after today, 2026-01-08, in Kazakhstan time.",
      ]);
    }
    // The indices come as JSON or CSV; their documents are the bulletin's (the schema offered xlsx and pdf, and
    // answered JSON).
    const pdf = await server.call(null, "GET", "/api/indices?format=pdf");
    expect([pdf.status, pdf.body.error?.code]).toEqual([400, "REQUEST_INVALID"]);
    expect((await server.call(null, "GET", "/api/participation?month=2026-01")).status).toBe(200);
    const month = await server.call(null, "GET", "/api/participation?month=2026-02");
    expect([month.status, month.body.error?.code, month.body.error?.message]).toEqual([
      409,
      "PARTICIPATION_MONTH_FUTURE",
      "There are no participation figures for 2026-02 yet: that month is after this one, 2026-01, in Kazakhstan time.",
    ]);
    const ru = await fetch(`${server.url}/api/indices?day=2026-01-09`, { headers: { "accept-language": "ru" } });
    expect(((await ru.json()) as { error: { message: string } }).error.message.replaceAll("\u00a0", " ")).toBe(
      "Индексов за 09.01.2026 ещё нет: этот день позже сегодняшнего, 08.01.2026, по времени Казахстана.",
    );
  });

  it("gives the sessions as CSV, and refuses an impossible day", async () => {
    const csv = await server.call(null, "GET", "/api/bulletin?day=2026-01-05&format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = String(csv.body).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^day,instrument,product,basis,region,session,start,end,offered_kg/);
    expect(lines[1]).toContain(`2026-01-05,${INSTRUMENT},propane-butane,KAZGPZ,MANGYSTAU,1,`);
    const bad = await server.call(null, "GET", "/api/bulletin?day=2026-02-31");
    expect(bad.status).toBe(400);
  });

  it("publishes participation per instrument and month without names", async () => {
    // February: three members buy 30, 10 and 10 t (the broker through its client's account) from one seller.
    server.nowMs = Date.UTC(2026, 1, 2, 6);
    await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "continuous" });
    await trade(13_300_000, 30, "AKTAU-1");
    await trade(13_300_000, 10, "ATYRAU-1");
    await trade(13_300_000, 10, "BROKER-C1");
    const latest = await server.call(null, "GET", "/api/participation");
    expect(latest.body).toEqual({
      month: "2026-02",
      months: ["2026-02", "2026-01"],
      instruments: [
        {
          instrument: INSTRUMENT,
          month: "2026-02",
          trades: 3,
          volumeKg: "50000",
          // (30² + 10² + 10²) / 50² = 0.44
          buyers: { participants: 3, top5ShareBps: 10_000, hhi: 4400 },
          sellers: { participants: 1, top5ShareBps: 10_000, hhi: 10_000 },
        },
      ],
    });
    expect(JSON.stringify(latest.body)).not.toMatch(/AKTAU|ATYRAU|BROKER|KAZGPZ-1/);
    const january = await server.call(null, "GET", "/api/participation?month=2026-01");
    expect(january.body.instruments[0]).toMatchObject({ trades: 3, volumeKg: "35000", buyers: { participants: 1 } });
    const csv = String((await server.call(null, "GET", "/api/participation?month=2026-02&format=csv")).body);
    expect(csv.trim().split("\n")[1]).toBe(`2026-02,${INSTRUMENT},3,50000,3,10000,4400,1,10000,10000`);
    expect((await server.call(null, "GET", "/api/participation?month=2026-13")).status).toBe(400);
  });

  it("gives a control's summary whole, however long (the audit trail's line is cut at 300 characters)", async () => {
    server.nowMs = Date.UTC(2026, 1, 3, 6);
    const console_ = await server.login("regulator");
    const steps = Array.from({ length: 9 }, (_, k) => ({
      effectiveFromMs: Date.UTC(2026, 1, 10 + k, 1),
      ceiling: 16_105_100 - k * 100_000,
    }));
    const set = await server.call(console_, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      ceilingPath: steps,
      reason: "bulletin test: a ceiling path in nine steps",
    });
    expect(set.status).toBe(200);
    for (const language of ["en", "ru"]) {
      const bulletin = (await server.call(null, "GET", `/api/bulletin?day=2026-02-03&lang=${language}`)).body;
      const summary: string = bulletin.controls.at(-1).summary;
      expect(summary.length, summary).toBeGreaterThan(300);
      expect(summary.endsWith("...")).toBe(false);
      expect(summary).toContain("bulletin test: a ceiling path in nine steps");
    }
    // The trail itself keeps its line short.
    const trail = await server.call(console_, "GET", "/api/regulator/audit?commandType=safeguards.set&limit=1");
    expect(trail.body.entries[0].summary).toHaveLength(300);
  });
});

describe("outages published by producers", () => {
  it("a producer's trader publishes; everyone reads the feed; a late one is flagged; others are refused", async () => {
    server.nowMs = Date.UTC(2026, 1, 3, 6);
    const producer = await server.login("kazgpz-trader");
    const planned = {
      basis: "KAZGPZ",
      kind: "planned",
      fromMs: server.nowMs + 7 * 24 * HOUR,
      toMs: server.nowMs + 21 * 24 * HOUR,
      volumeKg: 3_600_000,
      reason: "repair of the fractionation unit",
    };
    const published = await server.call(producer, "POST", "/api/outages", planned);
    expect(published.status).toBe(201);
    expect(published.body.outage).toMatchObject({
      ...planned,
      producer: "KAZGPZ",
      late: false,
      publishedMs: server.nowMs,
    });
    expect(published.body.outage.outage).toBe(`OUT-${published.body.seq}`);
    // Unplanned, and already under way: late.
    const late = await server.call(producer, "POST", "/api/outages", {
      ...planned,
      kind: "unplanned",
      fromMs: server.nowMs - HOUR,
      toMs: server.nowMs + 2 * 24 * HOUR,
      reason: "compressor failure",
    });
    expect([late.status, late.body.outage.late]).toEqual([201, true]);

    const feed = await server.call(null, "GET", "/api/outages");
    expect(feed.body.outages.map((o: { kind: string }) => o.kind)).toEqual(["unplanned", "planned"]);
    const flagged = await server.call(null, "GET", "/api/outages?late=true");
    expect(flagged.body.outages.map((o: { reason: string }) => o.reason)).toEqual(["compressor failure"]);
    expect((await server.call(null, "GET", "/api/outages?basis=NOWHERE")).body.outages).toEqual([]);
    // Once the unplanned one's period has ended, only the planned one is to come.
    server.nowMs += 3 * 24 * HOUR;
    await server.exchange.submit({ type: "time.tick" });
    const upcoming = await server.call(null, "GET", "/api/outages?upcoming=true");
    expect(upcoming.body.outages.map((o: { kind: string }) => o.kind)).toEqual(["planned"]);

    // The regulator sees it in the audit trail with who and why.
    const regulatorSession = await server.login("regulator");
    const audit = await server.call(regulatorSession, "GET", "/api/regulator/audit?commandType=outage.publish");
    expect(
      audit.body.entries.map((e: { actor: string; summary: string }) => [
        e.actor,
        e.summary.includes("compressor failure"),
      ]),
    ).toEqual([
      ["kazgpz-trader", true],
      ["kazgpz-trader", false],
    ]);

    // A buyer's trader may not; wrong input is refused with its code and nothing is published.
    const buyer = await server.login("aktau-trader");
    const notProducer = await server.call(buyer, "POST", "/api/outages", planned);
    expect([notProducer.status, notProducer.body.error.code]).toEqual([403, "MEMBER_NOT_PRODUCER"]);
    const again = await server.login("kazgpz-trader"); // three days on, the first session has expired
    const backwards = await server.call(again, "POST", "/api/outages", { ...planned, toMs: planned.fromMs });
    expect([backwards.status, backwards.body.error.code]).toEqual([400, "FIELD_INVALID"]);
    const nowhere = await server.call(again, "POST", "/api/outages", { ...planned, basis: "NOWHERE" });
    expect([nowhere.status, nowhere.body.error.code]).toEqual([404, "BASIS_UNKNOWN"]);
    expect((await server.call(null, "GET", "/api/outages")).body.outages).toHaveLength(2);
  });

  it("a producer may not publish an outage of another producer's plant; the supply plan or its gas makes a plant its own", async () => {
    // A second plant the exchange trades at, which is not KAZGPZ's: no plan names KAZGPZ there, it holds no gas there.
    await submit({
      type: "instrument.list",
      instrument: "PB-ATYRAU-REF-ATR-2026-01",
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 13_300_000,
      clearing: { ...TERMS, basis: "ATYRAU-REF" },
      description: { product: "propane-butane", basis: "ATYRAU-REF", region: "ATYRAU", deliveryPeriod: "2026-01" },
    });
    const producer = await server.login("kazgpz-trader");
    const notice = {
      basis: "ATYRAU-REF",
      kind: "unplanned",
      fromMs: server.nowMs + 24 * HOUR,
      toMs: server.nowMs + 48 * HOUR,
      volumeKg: 1_000_000,
      reason: "a competitor's plant said to be down",
    };
    const before = (await server.call(null, "GET", "/api/outages")).body.outages.length;
    const refused = await server.call(producer, "POST", "/api/outages", notice);
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      403,
      "OUTAGE_BASIS_NOT_OWN",
      { member: "KAZGPZ", basis: "ATYRAU-REF" },
    ]);
    expect(refused.body.error.message).toBe(
      "Basis ATYRAU-REF is not a plant of member 'KAZGPZ': no supply plan names it there and none of its accounts holds gas there; a producer publishes outages of its own plants only.",
    );
    expect((await server.call(null, "GET", "/api/outages?basis=ATYRAU-REF")).body.outages).toEqual([]);
    expect((await server.call(null, "GET", "/api/outages")).body.outages).toHaveLength(before);
    // Its own plant, where it holds gas, still goes out; and once the regulator's supply plan names KAZGPZ at the
    // second plant, that one is its plant too.
    const own = await server.call(producer, "POST", "/api/outages", { ...notice, basis: "KAZGPZ" });
    expect(own.status).toBe(201);
    await submit({
      type: "supply.plan",
      month: "2026-02",
      producer: "KAZGPZ",
      basis: "ATYRAU-REF",
      plannedKg: 1_000_000,
      reason: "KAZGPZ supplies from the Atyrau plant this month",
    });
    const planned = await server.call(producer, "POST", "/api/outages", notice);
    expect([planned.status, planned.body.outage?.basis]).toEqual([201, "ATYRAU-REF"]);
  });
});

describe("the weekly statutory summary", () => {
  it("sums the week's sessions per region and plant, in JSON, XLSX and PDF, for the console only", async () => {
    const console_ = await server.login("regulator");
    const week = await server.call(console_, "GET", "/api/regulator/reports/weekly?week=2026-01-05");
    expect(week.status).toBe(200);
    // The 5th: 10 t at 133,000 and 20 t at 134,000; the 6th (the session that closed after midnight): 5 t at 135,000.
    expect(week.body).toMatchObject({ week: "2026-01-05", lastDay: "2026-01-11", offExchangeReported: false });
    expect(week.body.rows).toEqual([
      {
        region: "MANGYSTAU",
        basis: "KAZGPZ",
        sessions: 2,
        trades: 3,
        volumeKg: "35000",
        valueTiyn: "468500000",
        // 468,500,000 tiyn × 1000 / 35,000 kg = 13,385,714.29 → 13,385,714
        vwapTiynPerTonne: 13_385_714,
        highTiynPerTonne: 13_500_000,
        lowTiynPerTonne: 13_300_000,
      },
    ]);
    expect(week.body.total).toMatchObject({ sessions: 2, trades: 3, volumeKg: "35000", vwapTiynPerTonne: 13_385_714 });
    expect(Array.isArray(week.body.supply)).toBe(true);

    const xlsx = await fetch(`${server.url}/api/regulator/reports/weekly?week=2026-01-05&format=xlsx&lang=kk`, {
      headers: { cookie: console_.cookie },
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Өңірлер мен зауыттар", "Жеткізу жоспары"]);
    expect(sheet.getRow(1).getCell(1).value).toBe(
      "Сұйытылған газбен биржалық сауданың апталық жиынтығы — Апта 05.01.2026–11.01.2026",
    );
    expect([1, 2, 5, 6].map((c) => sheet.getRow(3).getCell(c).value)).toEqual(["MANGYSTAU", "KAZGPZ", 35, 133_857.14]);
    expect(sheet.getRow(4).getCell(1).value).toBe("Барлығы");
    const pdf = await fetch(`${server.url}/api/regulator/reports/weekly?week=2026-01-05&format=pdf&lang=ru`, {
      headers: { cookie: console_.cookie },
    });
    expect([pdf.status, pdf.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");

    const tuesday = await server.call(console_, "GET", "/api/regulator/reports/weekly?week=2026-01-06");
    expect([tuesday.status, tuesday.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const current = await server.call(console_, "GET", "/api/regulator/reports/weekly?week=2026-02-02");
    expect([current.status, current.body.error.code]).toEqual([409, "REPORT_DAY_NOT_OVER"]);
    const trader = await server.login("aktau-trader");
    expect((await server.call(trader, "GET", "/api/regulator/reports/weekly?week=2026-01-05")).status).toBe(403);
  });
});
