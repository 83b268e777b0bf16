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
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { ID_LENGTH_MAX } from "../domain/limits.ts";
import { NAME_ID_PATTERN_TEXT } from "../domain/value-forms.ts";
import { roleOfMember } from "../engine/access.ts";
import { Exchange } from "../gateway/exchange.ts";
import { RECOMMENDED_SCRYPT } from "../gateway/passwords.ts";
import { ROLES, type Role, Users } from "../gateway/users.ts";
import { CheckpointLog } from "../journal/checkpoints.ts";
import { CHECKPOINTS_FILE, defaultKeysDir } from "../journal/keys.ts";
import { sqliteFile } from "../journal/sqlite-store.ts";
import { withServersStopped } from "./servers-stopped.ts";
import { CliUsageError, requireKeysDir } from "./usage.ts";

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
      `--id '${options.id}' is not a user id: letters A-Z and a-z, digits, '_', '.' and '-' only`,
    );
  }
  if (options.id.length > ID_LENGTH_MAX) {
    throw new UserCommandError(`--id is ${options.id.length} characters long: a user id has at most ${ID_LENGTH_MAX}`);
  }
  if (!ROLES.includes(options.role as Role)) {
    throw new UserCommandError(`--role ${options.role} is not a role; one of ${ROLES.join(", ")}`);
  }
  // Said in the command's own words (its options), before the journal is opened.
  if (roleOfMember(options.role as Role) && options.member === undefined) {
    const article = /^[aeiou]/.test(options.role) ? "an" : "a";
    throw new UserCommandError(`--member is required for ${article} ${options.role}: the member whose user it is`);
  }
  if (!roleOfMember(options.role as Role) && options.member !== undefined) {
    const article = /^[aeiou]/.test(options.role) ? "an" : "a";
    throw new UserCommandError(`--member is not for ${article} ${options.role}, who belongs to no member`);
  }
  // A new exchange is made by this command when there is no journal yet (its first operator, before the first start);
  // an existing journal's keys must be where --keys says. Keys that have signed checkpoints belong to a journal
  // elsewhere: a mistyped --data would otherwise make a new journal there and be refused as that one rolled back.
  const newJournal = !options.database && !existsSync(sqliteFile(options.data));
  if (!newJournal) requireKeysDir(options.keys, true);
  else {
    const keysDir = options.keys ?? defaultKeysDir(options.data);
    const published = existsSync(join(keysDir, CHECKPOINTS_FILE)) ? new CheckpointLog(keysDir).latest() : null;
    if (published !== null) {
      throw new CliUsageError(
        `there is no journal at ${sqliteFile(options.data)}, but the keys in ${keysDir} have signed checkpoints of a journal up to its record ${published.seq}: give that journal's data directory with --data (a new exchange's keys are made with it)`,
      );
    }
  }
  const password = options.passwordStdin
    ? (await readStdin()).replace(/\r?\n$/, "")
    : randomBytes(18).toString("base64url");
  // The journal has one writer: a running server's appends and this command's would not continue one chain.
  return withServersStopped(
    options,
    "sauda user create",
    (message) => new UserCommandError(message),
    () => create(options, password, newJournal, write),
  );
}

async function create(
  options: UserCreateOptions,
  password: string,
  newJournal: boolean,
  write: (line: string) => void,
): Promise<number> {
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
    // Said, so that a new exchange made by a mistyped --data shows at once.
    if (newJournal)
      write(`there was no journal at ${exchange.store.location}: a new exchange's journal was made there`);
    for (const warning of exchange.warnings) write(`warning: ${warning}`);
    write(`created ${options.role} '${options.id}' (journal record ${seq})`);
    if (!options.passwordStdin) write(`password (shown this once): ${password}`);
    return 0;
  } finally {
    await exchange.close();
  }
}
