/**
 * Finds a sentence in a language's tree by its dotted key. A key's last parts may themselves hold dots where the
 * tree names a value the API sends (`regulator.commands` is keyed by command types such as "order.new"): at each
 * level the longest run of parts the level has as one name is tried first, then shorter ones.
 */
export function lookup(messages: unknown, key: string): string | undefined {
  return lookupParts(messages, key.split("."));
}

function lookupParts(node: unknown, parts: readonly string[]): string | undefined {
  if (parts.length === 0) return typeof node === "string" ? node : undefined;
  if (typeof node !== "object" || node === null) return undefined;
  const level = node as Record<string, unknown>;
  for (let taken = parts.length; taken >= 1; taken--) {
    const name = parts.slice(0, taken).join(".");
    if (!Object.hasOwn(level, name)) continue;
    const found = lookupParts(level[name], parts.slice(taken));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Fills `{name}` placeholders; one the params lack stays as written. */
export function interpolate(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** What components get from useI18n(): the language, its locale and the sentences. */
export interface I18n {
  readonly language: string;
  readonly locale: string;
  setLanguage(code: string): void;
  t(key: string, params?: Readonly<Record<string, string | number>>): string;
  /** Whether the current language (or English) has this key. */
  has(key: string): boolean;
}
