/**
 * The book moments of an alert's evidence as a readable page: levels side by side with the alert's quantity apart, an
 * auction's curves drawn to scale, names escaped, and at most `BOOK_MOMENTS_HTML_MAX` moments drawn.
 */

import { describe, expect, it } from "vitest";
import type { BookMoment, EvidencePack } from "../surveillance/index.ts";
import { auctionCurveSvg, BOOK_MOMENTS_HTML_MAX, bookMomentsHtml, pricePathSvg } from "./suspicious-transaction.ts";

const moment = (seq: number, about: string[], curve: BookMoment["book"]["curve"] = null): BookMoment => ({
  seq,
  timeMs: Date.UTC(2026, 0, 5, 9, 0, seq),
  about,
  book: {
    instrument: "PB-KAZGPZ-MANGYSTAU",
    phase: curve === null ? "continuous" : "collection",
    bids: [{ priceTiynPerTonne: 12_000_000, quantityKg: 13_000, orders: 2, alertKg: 10_000 }],
    asks: [
      { priceTiynPerTonne: 12_100_050, quantityKg: 5000, orders: 1, alertKg: 0 },
      { priceTiynPerTonne: 12_200_000, quantityKg: 1500, orders: 1, alertKg: 0 },
    ],
    curve,
    complete: true,
  },
});

const pack = (books: BookMoment[]): EvidencePack => ({
  fromSeq: 1,
  toSeq: 9,
  orders: [],
  trades: [],
  pricePathInstrument: null,
  pricePath: [],
  pricePathComplete: true,
  shipments: [],
  books,
  booksComplete: true,
});

describe("the book at an alert's moments, as HTML", () => {
  it("puts the bids and offers side by side, the alert's own quantity apart, names escaped", () => {
    const html = bookMomentsHtml(pack([moment(4, ["<o1>"])]));
    expect(html).toContain("2026-01-05T09:00:04.000Z — &lt;o1&gt;");
    // Row 1: the best bid (13 t, 10 t of it the alert's) beside the best offer; row 2: only the second offer.
    expect(html).toContain(
      '<tr><td class="n">120,000</td><td class="n">13</td><td class="n">10</td><td class="n">121,000.5</td><td class="n">5</td><td class="n"></td></tr>' +
        '<tr><td></td><td></td><td></td><td class="n">122,000</td><td class="n">1.5</td><td class="n"></td></tr>',
    );
    expect(html).not.toContain("auction-curve");
  });

  it("draws an auction's demand and supply to scale: the largest quantity at the right edge", () => {
    const curve = [
      { priceTiynPerTonne: 11_900_000, demandKg: 20_000, supplyKg: 8000 },
      { priceTiynPerTonne: 12_100_000, demandKg: 7000, supplyKg: 8000 },
    ];
    const svg = auctionCurveSvg(curve);
    // x = 30 + kg / 20,000 × 420; y = 170 at the lowest price and 30 at the highest.
    expect(svg).toContain('class="demand" d="M450.0,170.0 L177.0,30.0"');
    expect(svg).toContain('class="supply" d="M198.0,170.0 L198.0,30.0"');
    expect(svg).toContain(">20 t</text>");
    expect(bookMomentsHtml(pack([moment(2, ["o1"], curve)]))).toContain(svg);
  });

  it("draws at most the set number of moments and says how many more the JSON holds", () => {
    const books = Array.from({ length: BOOK_MOMENTS_HTML_MAX + 3 }, (_, i) => moment(i + 1, [`o${i}`]));
    const html = bookMomentsHtml(pack(books));
    expect(html.match(/<div class="book"/g)).toHaveLength(BOOK_MOMENTS_HTML_MAX);
    expect(html).toContain("3 more moments are in the JSON form.");
    expect(bookMomentsHtml(pack(books.slice(0, BOOK_MOMENTS_HTML_MAX)))).not.toContain("more moments");
  });
});

describe("the alert's orders drawn, as SVG", () => {
  // Coordinated bidding's step: two members' bids within a second on each of two instruments, whose prices differ.
  const T = Date.UTC(2026, 11, 7, 11, 36, 30);
  const bid = (order: string, instrument: string, atMs: number, price: number) => ({
    order,
    instrument,
    account: order.split("~")[0]!,
    side: "buy" as const,
    entered: { seq: 1, timeMs: atMs, priceTiynPerTonne: price, quantityKg: 1000 },
    amendments: [],
    fills: [],
    cancelled: null,
  });
  const ring: EvidencePack = {
    ...pack([]),
    orders: [
      bid("RING-A-1~a0", "PB-ATYRAU", T, 11_875_000),
      bid("RING-B-1~b0", "PB-ATYRAU", T + 300, 11_875_000),
      bid("RING-A-1~a1", "PB-AKTOBE", T + 600, 11_210_000),
      bid("RING-B-1~b1", "PB-AKTOBE", T + 900, 11_210_000),
    ],
  };

  it("gives an alert on several instruments a drawing each, with its own prices and one minute's time", () => {
    const html = pricePathSvg(ring, "ru");
    expect(html).toContain("<p>Заявки сигнала выставлены по нескольким инструментам:");
    const figures = [...html.matchAll(/<figure data-instrument="([^"]+)">([\s\S]*?)<\/figure>/g)];
    expect(figures.map((f) => f[1])).toEqual(["PB-ATYRAU", "PB-AKTOBE"]);
    for (const [, instrument, body] of figures) {
      const orders = [...body!.matchAll(/data-order="([^"]+)"/g)].map((m) => m[1]);
      expect(orders).toEqual(
        instrument === "PB-ATYRAU" ? ["RING-A-1~a0", "RING-B-1~b0"] : ["RING-A-1~a1", "RING-B-1~b1"],
      );
      expect(body).toContain(`aria-label="Заявки сигнала по цене и времени: ${instrument}"`);
      // The second of the bids widened to a minute about its middle, in Kazakhstan's time (UTC+5).
      expect(body).toContain(">16:36:00 – 16:37:00</text>");
    }
    // Bids a second apart stand within 10 of the drawing's 640 across of each other.
    const xs = [...html.matchAll(/points="[^ ]+ [^ ]+ ([\d.]+),/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(4);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(10);
  });

  it("keeps one drawing, without a note, for an alert on one instrument", () => {
    const one: EvidencePack = { ...ring, orders: ring.orders.slice(0, 2) };
    const html = pricePathSvg(one, "en");
    expect(html).not.toContain("<figure");
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('aria-label="the alert&#39;s orders by price and time: PB-ATYRAU"');
    // In English the page's times are UTC, and the drawing says so.
    expect(html).toContain(">11:36:00 – 11:37:00 UTC</text>");
    // One price alone: a scale 1% either side of it (117,562.5 to 119,937.5), the bids mid-height.
    expect(html).toContain(">119,937.5 ₸/t</text>");
    expect(html).toContain(">117,562.5 ₸/t</text>");
    expect(html).toContain('points="313.55,104 323.55,104 318.55,95"');
  });
});
