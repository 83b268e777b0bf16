/**
 * PDF output for the exchange's documents, through pdfkit with the DejaVu Sans font embedded (from the npm package
 * `dejavu-fonts-ttf`, Bitstream Vera licence with DejaVu's changes in the public domain): it carries every letter of
 * the Kazakh alphabet (ә ғ қ ң ө ұ ү һ і) as well as Russian and Latin, so a document needs no font on the reader's
 * machine. pdfkit embeds only the glyphs used (a subset).
 *
 * Promise: the same content and the same `createdMs` give the same bytes. pdfkit's only inputs beyond the content
 * are the document information (fixed here: creation and modification date from `createdMs`, producer and creator
 * named) and the file id it derives from that information, so a copy's SHA-256 can be recomputed from the journal.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** Most pages one document may have; a longer statement is cut with a note (the JSON and XLSX forms are whole). */
export const PDF_PAGES_MAX = 50;

let fonts: { regular: Buffer; bold: Buffer } | null = null;

/** The embedded fonts, read once. */
export function documentFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
    bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
  };
  return fonts;
}

/** A new A4 document with the fonts registered as `regular` and `bold`, and fixed information. */
export async function newPdf(title: string, createdMs: number, language: string): Promise<PDFKit.PDFDocument> {
  // Loaded on first use: pdfkit is large, and a server starts without it (docs/operations.md).
  const { default: PDFDocument } = await import("pdfkit");
  const created = new Date(createdMs);
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    lang: language,
    info: {
      Title: title,
      Author: "sauda exchange",
      Creator: "sauda",
      Producer: "sauda (pdfkit)",
      CreationDate: created,
      ModDate: created,
    },
  });
  const { regular, bold } = documentFonts();
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);
  doc.font("regular");
  return doc;
}

/** Ends the document and collects its bytes. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

/** A label and its value on one line, the label in bold. */
export function field(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font("bold").fontSize(10).text(`${label}: `, { continued: true });
  doc.font("regular").text(value);
}
