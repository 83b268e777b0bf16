/**
 * FIX 4.4 tag=value framing: turning bytes from a socket into messages and messages into bytes.
 *
 * Promises:
 * - A message is `8=FIX.4.4␁9=<body length>␁35=…␁…10=<checksum>␁`; the body length and the checksum (sum of the
 *   bytes before `10=`, modulo 256, three digits) are checked on the way in and computed on the way out.
 * - A message with a wrong checksum or a body that does not end where its length says is garbled: the standard says
 *   to ignore it (its sequence number is not counted), so the framer drops it and reports it. Bytes that cannot be
 *   framed at all (not starting with `8=FIX.4.4␁9=`, a length that is not a number, a message over
 *   `MESSAGE_BYTES_MAX`) are a framing error: the connection cannot be trusted to find the next message and is closed.
 * - Bytes are read as latin1, so one character is one byte and lengths and checksums are byte counts. Outbound text
 *   is ASCII: characters outside it are replaced (`asciiText`), because FIX 4.4 strings are ASCII (non-ASCII text
 *   would need EncodedText, which sauda does not send).
 * - A field's value is kept as text; the message remembers the first value of each tag and whether any tag came twice
 *   (sauda's messages have no repeating groups, so a repeated tag is an error the session rejects).
 */

export const SOH = "\x01";
export const BEGIN_STRING = "FIX.4.4";
/** Largest message accepted or sent, in bytes; an order message is under 300. */
export const MESSAGE_BYTES_MAX = 8192;
/** Fields in one message. */
export const FIELDS_MAX = 200;

const PREFIX = `8=${BEGIN_STRING}${SOH}9=`;

export type Field = readonly [tag: number, value: string];

export interface FixMessage {
  /** MsgType (35). */
  readonly type: string;
  readonly fields: ReadonlyMap<number, string>;
  /** The first tag that appeared more than once, or null. */
  readonly repeatedTag: number | null;
  /** A tag that was not a positive number or had no value, or null. */
  readonly badTag: string | null;
}

export class FramingError extends Error {
  override name = "FramingError";
}

function checksum(text: string, end: number): string {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += text.charCodeAt(i);
  return String(sum % 256).padStart(3, "0");
}

/** ASCII printable text for a FIX string field: an en dash becomes "-", other characters outside ASCII "?". */
export function asciiText(text: string): string {
  return text.replace(/[–—]/g, "-").replace(/[^\x20-\x7e]/g, "?");
}

/** Fields as `tag=value␁…`. */
export function fieldsText(fields: readonly Field[]): string {
  let text = "";
  for (const [tag, value] of fields) text += `${tag}=${value}${SOH}`;
  return text;
}

/**
 * Encodes a message from its header fields (starting with MsgType, 35) and its body, already as `tag=value␁…` text
 * (so a stored body can be sent again exactly as it was).
 */
export function encode(header: readonly Field[], body: string): string {
  const inner = fieldsText(header) + body;
  const text = `8=${BEGIN_STRING}${SOH}9=${inner.length}${SOH}${inner}`;
  return `${text}10=${checksum(text, text.length)}${SOH}`;
}

function parseBody(body: string): FixMessage {
  const fields = new Map<number, string>();
  let repeatedTag: number | null = null;
  let badTag: string | null = null;
  let type = "";
  let start = 0;
  let count = 0;
  while (start < body.length) {
    let end = body.indexOf(SOH, start);
    if (end < 0) end = body.length;
    const equals = body.indexOf("=", start);
    const tagText = equals < 0 || equals > end ? body.slice(start, end) : body.slice(start, equals);
    const tag = /^[1-9]\d{0,8}$/.test(tagText) ? Number(tagText) : Number.NaN;
    const value = equals < 0 || equals > end ? "" : body.slice(equals + 1, end);
    if (Number.isNaN(tag) || value === "") {
      badTag ??= tagText.slice(0, 16);
    } else if (fields.has(tag)) {
      repeatedTag ??= tag;
    } else {
      fields.set(tag, value);
      if (count === 0 && tag === 35) type = value;
    }
    count++;
    if (count > FIELDS_MAX) throw new FramingError(`a message has more than ${FIELDS_MAX} fields`);
    start = end + 1;
  }
  return { type, fields, repeatedTag, badTag };
}

/** Splits a byte stream into messages. */
export class Framer {
  private pending = "";

  /** Messages completed by `chunk`, and how many garbled ones were dropped; throws `FramingError`. */
  push(chunk: Buffer): { messages: FixMessage[]; garbled: number } {
    this.pending += chunk.toString("latin1");
    const messages: FixMessage[] = [];
    let garbled = 0;
    for (;;) {
      const text = this.pending;
      if (text.length < PREFIX.length) {
        if (!PREFIX.startsWith(text)) throw new FramingError("the stream does not start with 8=FIX.4.4");
        break;
      }
      if (!text.startsWith(PREFIX)) throw new FramingError("the stream does not start with 8=FIX.4.4");
      const lengthEnd = text.indexOf(SOH, PREFIX.length);
      if (lengthEnd < 0) {
        if (text.length - PREFIX.length > 6) throw new FramingError("BodyLength(9) is not a number");
        break;
      }
      const lengthText = text.slice(PREFIX.length, lengthEnd);
      if (!/^\d{1,6}$/.test(lengthText)) throw new FramingError(`BodyLength(9) '${lengthText}' is not a number`);
      const bodyLength = Number(lengthText);
      const bodyStart = lengthEnd + 1;
      const bodyEnd = bodyStart + bodyLength;
      const total = bodyEnd + 7;
      if (total > MESSAGE_BYTES_MAX) throw new FramingError(`a message of ${total} bytes is over ${MESSAGE_BYTES_MAX}`);
      if (text.length < total) break;
      this.pending = text.slice(total);
      const trailer = text.slice(bodyEnd, total);
      if (
        !trailer.startsWith("10=") ||
        trailer[6] !== SOH ||
        text[bodyEnd - 1] !== SOH ||
        trailer.slice(3, 6) !== checksum(text, bodyEnd)
      ) {
        // Where the next message starts is known only if this one ended where its length said.
        if (!this.pending.startsWith("8=") && this.pending.length > 0) {
          throw new FramingError("a message did not end where its BodyLength(9) said");
        }
        garbled++;
        continue;
      }
      const message = parseBody(text.slice(bodyStart, bodyEnd - 1));
      messages.push(message);
    }
    return { messages, garbled };
  }
}
