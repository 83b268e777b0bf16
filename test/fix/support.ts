/**
 * The test exchange (test/support/server.ts) with the FIX acceptor beside it, and API keys for FIX logons. The FIX
 * gateway can be stopped and started again on the same data (a restart of the exchange's side).
 */

import { join } from "node:path";
import { FixGateway } from "../../src/gateway/fix/gateway.ts";
import { FIX_STORE_FILE_NAME } from "../../src/gateway/fix/store.ts";
import type { Scope } from "../../src/gateway/users.ts";
import { TestServer } from "../support/server.ts";

export class FixTestServer {
  fix!: FixGateway;
  constructor(readonly server: TestServer) {}

  static async start(options: { messagesPerSecond?: number } = {}): Promise<FixTestServer> {
    const server = await TestServer.start();
    const fixServer = new FixTestServer(server);
    await fixServer.openFix(0, options.messagesPerSecond);
    return fixServer;
  }

  async openFix(port = 0, messagesPerSecond?: number): Promise<void> {
    this.fix = await FixGateway.start({
      exchange: this.server.exchange,
      users: this.server.users,
      storeFile: join(this.server.dir, FIX_STORE_FILE_NAME),
      port,
      host: "127.0.0.1",
      ...(messagesPerSecond === undefined ? {} : { messagesPerSecond }),
    });
  }

  get port(): number {
    return this.fix.port;
  }

  /** A FIX logon's credentials for a user's new API key. */
  async key(user: string, id: string, scopes: readonly Scope[] = ["read", "trade"]) {
    const secret = `secret-${id}`;
    await this.server.putApiKey({ id, user, secret, scopes });
    return { username: id, password: secret };
  }

  /** Stops FIX and the exchange, and starts both again on the same data. */
  async restart(): Promise<void> {
    const port = this.fix.port;
    await this.fix.close();
    await this.server.close();
    await this.server.open();
    await this.openFix(port);
  }

  async close(): Promise<void> {
    await this.fix.close();
    await this.server.close();
  }
}
