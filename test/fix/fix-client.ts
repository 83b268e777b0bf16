/**
 * A small FIX 4.4 initiator for tests and the FIX benchmark: logs on, numbers what it sends, keeps every message it
 * receives and waits for the one a test expects. It answers TestRequests and nothing else on its own: session rules
 * are tested by driving it. (The independent check of sauda's session layer is the QuickFIX client,
 * quickfix-client.cpp; this one shares sauda's framing code.)
 */

import { connect, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { encode, type Field, type FixMessage, Framer, fieldsText } from "../../src/gateway/fix/codec.ts";
import { utcTimestamp } from "../../src/gateway/fix/session.ts";

export interface ClientOptions {
  readonly port: number;
  readonly sender: string;
  readonly target?: string;
  readonly username: string;
  readonly password: string;
  readonly heartBtInt?: number;
  readonly reset?: boolean;
  readonly nextOut?: number;
  readonly extraLogon?: readonly Field[];
  /** Connect over TLS, trusting this certificate. */
  readonly tlsCa?: string | Buffer;
  /** Answer TestRequests with a Heartbeat (default true). */
  readonly answerTestRequests?: boolean;
}

export class FixTestClient {
  readonly received: FixMessage[] = [];
  nextOut: number;
  closed = false;
  private readonly framer = new Framer();
  private waiters: { test: (m: FixMessage) => boolean; resolve: (m: FixMessage) => void; from: number }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    readonly options: ClientOptions,
  ) {
    this.nextOut = options.nextOut ?? 1;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      for (const message of this.framer.push(chunk).messages) this.onMessage(message);
    });
    socket.on("close", () => {
      this.closed = true;
      for (const waiter of this.closeWaiters) waiter();
      this.closeWaiters = [];
    });
    socket.on("error", () => {});
  }

  static async connect(options: ClientOptions): Promise<FixTestClient> {
    const socket: Socket =
      options.tlsCa === undefined
        ? connect({ host: "127.0.0.1", port: options.port })
        : connectTls({ host: "127.0.0.1", port: options.port, ca: options.tlsCa });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tlsCa === undefined ? "connect" : "secureConnect", resolve);
      socket.once("error", reject);
    });
    return new FixTestClient(socket, options);
  }

  /** Connects and logs on; resolves with the Logon answer (or the Logout refusing it). */
  static async logon(options: ClientOptions): Promise<{ client: FixTestClient; answer: FixMessage }> {
    const client = await FixTestClient.connect(options);
    const from = client.received.length;
    client.send("A", [
      [98, "0"],
      [108, String(options.heartBtInt ?? 30)],
      ...(options.reset ? ([[141, "Y"]] as Field[]) : []),
      [553, options.username],
      [554, options.password],
      ...(options.extraLogon ?? []),
    ]);
    const answer = await client.next((m) => m.type === "A" || m.type === "5", from);
    return { client, answer };
  }

  private onMessage(message: FixMessage): void {
    this.received.push(message);
    if (message.type === "1" && this.options.answerTestRequests !== false)
      this.send("0", [[112, message.fields.get(112) ?? ""]]);
    const index = this.received.length - 1;
    this.waiters = this.waiters.filter((waiter) => {
      if (index >= waiter.from && waiter.test(message)) {
        waiter.resolve(message);
        return false;
      }
      return true;
    });
  }

  /** Sends a message with the next sequence number (or `seq`), with optional extra header fields. */
  send(type: string, body: readonly Field[], options: { seq?: number; header?: readonly Field[] } = {}): number {
    const seq = options.seq ?? this.nextOut++;
    const header: Field[] = [
      [35, type],
      [49, this.options.sender],
      [56, this.options.target ?? "SAUDA"],
      [34, String(seq)],
      ...(options.header ?? []),
      [52, utcTimestamp(Date.now())],
    ];
    this.socket.write(encode(header, fieldsText(body)), "latin1");
    return seq;
  }

  /** Sends raw bytes (for framing tests). */
  raw(text: string): void {
    this.socket.write(text, "latin1");
  }

  /** The first message from index `from` on that passes `test` (already received, or the next to arrive). */
  next(test: (m: FixMessage) => boolean, from = 0): Promise<FixMessage> {
    for (let i = from; i < this.received.length; i++)
      if (test(this.received[i]!)) return Promise.resolve(this.received[i]!);
    return new Promise((resolve) => this.waiters.push({ test, resolve, from }));
  }

  /** Waits until `count` messages pass `test` (counting from `from`). */
  async count(test: (m: FixMessage) => boolean, count: number, from = 0): Promise<FixMessage[]> {
    for (;;) {
      const found = this.received.slice(from).filter(test);
      if (found.length >= count) return found;
      await this.next((m) => test(m), this.received.length);
    }
  }

  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  async logout(): Promise<void> {
    if (this.closed) return;
    this.send("5", []);
    await Promise.race([this.whenClosed(), this.next((m) => m.type === "5", this.received.length)]);
    this.socket.destroy();
    await this.whenClosed();
  }

  drop(): Promise<void> {
    this.socket.destroy();
    return this.whenClosed();
  }
}

export const tag = (message: FixMessage, number: number) => message.fields.get(number);
