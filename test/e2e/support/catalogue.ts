/**
 * The web application's translations as the tests read them: a catalogue file of web/src/i18n (en.json, ru.json,
 * kk.json) as written, with its keys nested, and its texts by their dotted keys ("orders.status.filled").
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WEB } from "./browser.ts";

export const I18N = join(WEB, "src/i18n");

export type Tree = { [key: string]: string | Tree };

/** The texts of `tree` by their dotted keys, below `prefix`. */
export function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The catalogue `file` (e.g. "kk.json") as written. */
export function catalogueTree(file: string): Tree {
  return JSON.parse(readFileSync(join(I18N, file), "utf8")) as Tree;
}

/** The catalogue `file`'s texts by their dotted keys. */
export function catalogue(file: string): Map<string, string> {
  return flatten(catalogueTree(file));
}
