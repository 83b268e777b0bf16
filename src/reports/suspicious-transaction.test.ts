/**
 * The book moments of an alert's evidence as a readable page: levels side by side with the alert's quantity apart, an
 * auction's curves drawn to scale, names escaped, and at most `BOOK_MOMENTS_HTML_MAX` moments drawn.
 */

import { describe, expect, it } from "vitest";
import type { BookMoment, EvidencePack } from "../surveillance/index.ts";
import { auctionCurveSvg, BOOK_MOMENTS_HTML_MAX, bookMomentsHtml } from "./suspicious-transaction.ts";

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
