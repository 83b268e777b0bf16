/**
 * The exchange's keys, kept outside the database: the journal MAC key (anchors the hash chain's head and the
 * snapshots, see chain.js), the secrets key (seals API-key secrets at rest) and the Ed25519 checkpoint signing key
 * (signs the head checkpoints published to the regulator and the public). Someone who can write to the database but
 * cannot read these cannot forge, roll back or read what they protect.
 *
 * Where they come from, in order:
 * 1. The environment: `SAUDA_JOURNAL_MAC_KEY`, `SAUDA_SECRETS_KEY` (each one or more base64 keys of 32 bytes, comma
 *    separated, the one in use first) and `SAUDA_CHECKPOINT_SIGNING_KEY` (base64 PKCS#8 DER of an Ed25519 key). All
 *    three or none.
 * 2. Files in the keys directory (default: beside the data directory, `<data>-keys`): `journal-mac.key` and
 *    `secrets.key` (one base64 key per line, the one in use first; later lines are older keys still accepted),
 *    `checkpoint-signing.key.pem` and `checkpoint-signing.pub.pem` (the public key in use first, then retired ones).
 * 3. None of those: on a first start (`create`), new keys are made and written there (directory 0700, files 0600).
 *
 * The keys directory also holds `checkpoints.jsonl`, the exchange's own copy of every checkpoint it published.
 * Rotation is described in docs/security.md.
 */

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Bytes of a MAC or secrets key. */
export const KEY_BYTES = 32;
/** Most keys one key file or variable may list (the one in use and older ones still accepted). */
export const KEYS_PER_FILE_MAX = 16;

export const KEY_FILES = {
  mac: "journal-mac.key",
  secrets: "secrets.key",
  signing: "checkpoint-signing.key.pem",
  verifying: "checkpoint-signing.pub.pem",
} as const;
export const CHECKPOINTS_FILE = "checkpoints.jsonl";

export const KEY_ENV = {
  mac: "SAUDA_JOURNAL_MAC_KEY",
  secrets: "SAUDA_SECRETS_KEY",
  signing: "SAUDA_CHECKPOINT_SIGNING_KEY",
} as const;

export interface ExchangeKeys {
  /** The keys directory: the checkpoint log lives here, and the key files unless the environment gives the keys. */
  readonly dir: string;
  readonly source: "files" | "environment";
  /** The keys were made by this call (a first start). */
  readonly generated: boolean;
  /** Journal MAC keys, the one in use first. */
  readonly macKeys: readonly Buffer[];
  /** Secrets keys, the one in use first. */
  readonly secretsKeys: readonly Buffer[];
  readonly signingKey: KeyObject;
  /** Checkpoint public keys, the one in use (the signing key's) first, then retired ones. */
  readonly verifyingKeys: readonly KeyObject[];
  /** Things an operator should fix (loose file permissions). */
  readonly warnings: readonly string[];
}

export class KeysError extends Error {
  override name = "KeysError";
}

/** `<data>-keys`: a sibling of the data directory, so copying or sharing the database does not take the keys along. */
/**
 * The files of MAC keys retired by `sauda keys rotate-mac` in `dir` (`journal-mac.retired-<time>.key`), oldest first;
 * empty when there are none or no such directory. A copy of the journal made before a rotation checks out only with
 * them, so a refusal of its head's MAC names them.
 */
export function retiredMacKeyFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /^journal-mac\.retired-.+\.key$/.test(name))
      .sort();
  } catch {
    return [];
  }
}

/** What a refusal of the head's MAC adds when `dir` holds retired MAC keys (empty when it holds none). */
export function retiredMacKeysNote(dir: string): string {
  const files = retiredMacKeyFiles(dir);
  if (files.length === 0) return "";
  return `; ${dir} also holds MAC keys retired by a rotation (${files.join(", ")}): a copy made before the rotation checks out with them on a line below the key in use in ${KEY_FILES.mac} (docs/security.md)`;
}

export function defaultKeysDir(dataDir: string): string {
  const absolute = resolve(dataDir);
  return join(dirname(absolute), `${basename(absolute)}-keys`);
}

/** A short public name of a symmetric key (never the key): the first 16 hex digits of sha256 over it. */
export function symmetricKeyId(key: Uint8Array): string {
  return createHash("sha256").update("sauda key id\n").update(key).digest("hex").slice(0, 16);
}

/** A short name of a checkpoint public key: the first 16 hex digits of sha256 over its SPKI DER. */
export function publicKeyId(key: KeyObject): string {
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
}

export function publicKeyPem(key: KeyObject): string {
  return String(key.export({ type: "spki", format: "pem" }));
}

export interface LoadKeysOptions {
  /** Make the keys when there are none (the server's first start). */
  readonly create?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export function loadKeys(dir: string, options: LoadKeysOptions = {}): ExchangeKeys {
  const env = options.env ?? process.env;
  const given = Object.values(KEY_ENV).filter((name) => (env[name] ?? "") !== "");
  if (given.length > 0) {
    if (given.length !== Object.keys(KEY_ENV).length) {
      throw new KeysError(`set all of ${Object.values(KEY_ENV).join(", ")} or none; only ${given.join(", ")} is set`);
    }
    const signingKey = parseSigningKey(env[KEY_ENV.signing]!, KEY_ENV.signing);
    return {
      dir,
      source: "environment",
      generated: false,
      macKeys: parseKeyList(env[KEY_ENV.mac]!, KEY_ENV.mac),
      secretsKeys: parseKeyList(env[KEY_ENV.secrets]!, KEY_ENV.secrets),
      signingKey,
      verifyingKeys: [createPublicKey(signingKey)],
      warnings: [],
    };
  }
  const path = (file: string) => join(dir, file);
  const presentNow = () => Object.values(KEY_FILES).filter((file) => existsSync(path(file)));
  let present = presentNow();
  let generated = false;
  if (present.length === 0) {
    if (!options.create) throw new KeysError(`no keys in ${dir} (and none in the environment)`);
    generated = writeNewKeys(dir);
    present = presentNow();
  }
  // Another process that makes the keys at the same moment (a leader and its standby started together) may be
  // between its first file and its last: a start that would make keys waits for it.
  const waitUntil = Date.now() + (options.create ? KEYS_WAIT_MS : 0);
  while (present.length !== Object.keys(KEY_FILES).length && Date.now() < waitUntil) {
    sleepSync(KEYS_POLL_MS);
    present = presentNow();
  }
  if (present.length !== Object.keys(KEY_FILES).length) {
    const missing = Object.values(KEY_FILES).filter((file) => !present.includes(file));
    throw new KeysError(`the keys in ${dir} are incomplete: ${missing.join(", ")} missing`);
  }
  const warnings: string[] = [];
  for (const file of Object.values(KEY_FILES)) {
    if (file === KEY_FILES.verifying) continue;
    const mode = statSync(path(file)).mode;
    if ((mode & 0o077) !== 0) {
      warnings.push(`${path(file)} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    }
  }
  const signingKey = parseSigningKey(readFileSync(path(KEY_FILES.signing), "utf8"), path(KEY_FILES.signing));
  const verifyingKeys = parsePublicKeys(readFileSync(path(KEY_FILES.verifying), "utf8"), path(KEY_FILES.verifying));
  if (publicKeyId(verifyingKeys[0]!) !== publicKeyId(createPublicKey(signingKey))) {
    throw new KeysError(`the first key in ${path(KEY_FILES.verifying)} is not the public key of the signing key`);
  }
  return {
    dir,
    source: "files",
    generated,
    macKeys: parseKeyList(readFileSync(path(KEY_FILES.mac), "utf8"), path(KEY_FILES.mac)),
    secretsKeys: parseKeyList(readFileSync(path(KEY_FILES.secrets), "utf8"), path(KEY_FILES.secrets)),
    signingKey,
    verifyingKeys,
    warnings,
  };
}

/** Only the public checkpoint keys of a keys directory, for someone who verifies but holds no secret key. */
export function loadVerifyingKeys(file: string): KeyObject[] {
  return parsePublicKeys(readFileSync(file, "utf8"), file);
}

/** A new random symmetric key as a key-file line (base64). */
export function newSymmetricKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** A new Ed25519 key pair as PEM text. */
export function newSigningKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: String(privateKey.export({ type: "pkcs8", format: "pem" })),
    publicPem: publicKeyPem(publicKey),
  };
}

/** Writes a key file readable by its owner only. */
export function writeKeyFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Makes the keys in `dir` unless another process makes them at the same moment; returns whether this call made them.
 * Each file is written under a name of its own first, then linked to its name, which never replaces a file: the MAC
 * key's file decides, so a process whose link of it finds the file there leaves the others to the process that made
 * it (and reads them once they are all there). Without this, two processes started together on a fresh directory
 * both wrote keys, each replacing the other's files, and one went on with keys no longer on disk: a journal it signed
 * could not be verified with them after a restart.
 */
function writeNewKeys(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const { privatePem, publicPem } = newSigningKeyPair();
  const header = (what: string) =>
    `# sauda ${what}: the key in use first, older keys still accepted below it. Keep this file out of backups of the database.\n`;
  // The MAC key's file first: it decides which process made the keys.
  const files: [file: string, text: string, mode: number][] = [
    [KEY_FILES.mac, `${header("journal MAC keys")}${newSymmetricKey()}\n`, 0o600],
    [KEY_FILES.secrets, `${header("API-key secrets keys")}${newSymmetricKey()}\n`, 0o600],
    [KEY_FILES.signing, privatePem, 0o600],
    [KEY_FILES.verifying, publicPem, 0o644],
  ];
  const suffix = `.${process.pid}-${randomBytes(6).toString("hex")}.new`;
  const drafts = files.map(([file, text, mode]) => {
    const draft = join(dir, `.${file}${suffix}`);
    writeFileSync(draft, text, { mode });
    chmodSync(draft, mode);
    return draft;
  });
  try {
    for (const [i, [file]] of files.entries()) {
      try {
        linkSync(drafts[i]!, join(dir, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST" && i === 0) return false;
        throw error;
      }
    }
    return true;
  } finally {
    for (const draft of drafts) unlinkSync(draft);
  }
}

/** How long a start that makes keys waits for another process making them at the same moment, and how often it looks. */
const KEYS_WAIT_MS = 5_000;
const KEYS_POLL_MS = 10;

/** Waits `ms` without returning to the event loop (keys are loaded before the server runs anything). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function parseKeyList(text: string, where: string): Buffer[] {
  const items = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .flatMap((line) => line.split(","))
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (items.length === 0) throw new KeysError(`${where} holds no key`);
  if (items.length > KEYS_PER_FILE_MAX) {
    throw new KeysError(`${where} holds ${items.length} keys, the most allowed is ${KEYS_PER_FILE_MAX}`);
  }
  return items.map((item, index) => {
    const key = /^[0-9a-f]{64}$/i.test(item) ? Buffer.from(item, "hex") : Buffer.from(item, "base64");
    if (key.length !== KEY_BYTES) {
      throw new KeysError(`key ${index + 1} in ${where} is ${key.length} bytes; a key is ${KEY_BYTES} bytes (base64)`);
    }
    return key;
  });
}

function parseSigningKey(text: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = text.includes("-----BEGIN")
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text.trim(), "base64"), format: "der", type: "pkcs8" });
  } catch (error) {
    throw new KeysError(`${where} is not a private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new KeysError(`${where} is a ${key.asymmetricKeyType} key; the checkpoint key is Ed25519`);
  }
  return key;
}

function parsePublicKeys(text: string, where: string): KeyObject[] {
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new KeysError(`${where} holds no public key`);
  if (blocks.length > KEYS_PER_FILE_MAX) {
    throw new KeysError(`${where} holds ${blocks.length} public keys, the most allowed is ${KEYS_PER_FILE_MAX}`);
  }
  return blocks.map((block) => {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== "ed25519") throw new KeysError(`${where} holds a non-Ed25519 public key`);
    return key;
  });
}
