/**
 * `sauda user create`: creates a user through the journal while the server is stopped — the way to make the first
 * operator of an exchange started with `--no-demo` (there is no one yet to do it in the console). The journal is
 * checked first, exactly as at a server's start; the user is created by a journaled `user.create` command whose
 * audit entry names this command and the operating-system account that ran it.
 *
 * The password is read from standard input with --password-stdin (it must meet the policy), or made here (random,
 * 24 characters) and printed once.
 */

import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import { NAME_ID_PATTERN_TEXT } from "../domain/value-forms.ts";
import { Exchange } from "../gateway/exchange.ts";
import { RECOMMENDED_SCRYPT } from "../gateway/passwords.ts";
import { ROLES, type Role, Users } from "../gateway/users.ts";
import { withServersStopped } from "./servers-stopped.ts";

export interface UserCreateOptions {
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  readonly keys?: string;
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly member?: string;
  readonly reason: string;
  readonly passwordStdin?: boolean;
}

export class UserCommandError extends Error {}

export async function userCreateCommand(
  options: UserCreateOptions,
  readStdin: () => Promise<string>,
  write: (line: string) => void,
): Promise<number> {
  // The same ids the API and the console take: a user is then named in a URL path without escaping.
  if (!new RegExp(NAME_ID_PATTERN_TEXT).test(options.id)) {
    throw new UserCommandError(
      `--id ${options.id} is not a user id: letters A-Z and a-z, digits, '_', '.' and '-' only`,
    );
  }
  if (!ROLES.includes(options.role as Role)) {
    throw new UserCommandError(`--role ${options.role} is not a role; one of ${ROLES.join(", ")}`);
  }
  const password = options.passwordStdin
    ? (await readStdin()).replace(/\r?\n$/, "")
    : randomBytes(18).toString("base64url");
  // The journal has one writer: a running server's appends and this command's would not continue one chain.
  return withServersStopped(
    options,
    "sauda user create",
    (message) => new UserCommandError(message),
    () => create(options, password, write),
  );
}

async function create(options: UserCreateOptions, password: string, write: (line: string) => void): Promise<number> {
  const location = options.database ? { database: options.database, schema: options.schema } : {};
  const exchange = await Exchange.open({
    ...location,
    data: options.data,
    ...(options.keys === undefined ? {} : { keysDir: options.keys }),
  });
  try {
    const users = new Users(exchange, { scrypt: RECOMMENDED_SCRYPT });
    let os = "unknown";
    try {
      os = userInfo().username;
    } catch {
      // no user name on this system: the audit entry says unknown
    }
    let seq: number;
    try {
      const outcome = await users.create(
        {
          id: options.id,
          name: options.name,
          role: options.role as Role,
          member: options.member ?? null,
          password,
          reason: options.reason,
        },
        { actor: `${os} (sauda user create)`, role: "operator", source: "command line" },
      );
      seq = outcome.seq;
    } catch (error) {
      throw new UserCommandError((error as Error).message);
    }
    write(`created ${options.role} '${options.id}' (journal record ${seq})`);
    if (!options.passwordStdin) write(`password (shown this once): ${password}`);
    return 0;
  } finally {
    await exchange.close();
  }
}
