/**
 * Why a request's shape is refused (REQUEST_INVALID from schema validation), in Russian and Kazakh. The gateway's
 * validator (ajv) names a keyword — the rule the value broke — with its parameters; the gateway puts them in the
 * error's details (`keyword`, `part`, `field` and the rule's own value: `limit`, `type`, `allowed`, `pattern`,
 * `format`), and the reason is written here from our own catalogue, keyed by the keyword. English keeps ajv's own
 * sentence in `reason`, as it always was.
 *
 * Words. The sentence names the field as the caller wrote it (a wire name, kept) and the values the rule names
 * (allowed codes, a pattern); everything else is Russian or Kazakh: the part of the request, the type, the format.
 * A keyword this catalogue does not know gets a generic sentence ("the value is not valid"), never English.
 *
 * Promise: `validationReason(details, language)` returns a sentence for any details in ru and kk; test/i18n/
 * validation-messages.test.ts checks every keyword in both languages, and over HTTP.
 */

import type { ErrorDetails } from "./errors.ts";
import { formatNumber, type Language } from "./locale.ts";
import { formOfPattern, VALUE_FORM_WORDS } from "./value-forms.ts";

type Translated = Exclude<Language, "en">;

/** The keywords with a sentence of their own. */
export const VALIDATION_KEYWORDS = [
  "required",
  "type",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "enum",
  "const",
  "additionalProperties",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "multipleOf",
  "minProperties",
  "maxProperties",
  "anyOf",
  "oneOf",
] as const;
export type ValidationKeyword = (typeof VALIDATION_KEYWORDS)[number];

/** The parts of a request: as a subject ("the request body"), "in" it (ru: в теле запроса; kk: сұрау денесінде) and "of" it (kk: сұрау денесіндегі). */
interface Part {
  readonly whole: string;
  readonly in: string;
  readonly of: string;
}
const PARTS: Readonly<Record<Translated, Readonly<Record<string, Part>>>> = {
  ru: {
    body: { whole: "тело запроса", in: "в теле запроса", of: "в теле запроса" },
    querystring: { whole: "строка запроса", in: "в строке запроса", of: "в строке запроса" },
    params: { whole: "адрес запроса", in: "в адресе запроса", of: "в адресе запроса" },
    headers: { whole: "заголовки запроса", in: "в заголовках запроса", of: "в заголовках запроса" },
    request: { whole: "запрос", in: "в запросе", of: "в запросе" },
    message: { whole: "сообщение", in: "в сообщении", of: "в сообщении" },
  },
  kk: {
    body: { whole: "сұрау денесі", in: "сұрау денесінде", of: "сұрау денесіндегі" },
    querystring: { whole: "сұрау жолы", in: "сұрау жолында", of: "сұрау жолындағы" },
    params: { whole: "сұрау мекенжайы", in: "сұрау мекенжайында", of: "сұрау мекенжайындағы" },
    headers: { whole: "сұрау тақырыптары", in: "сұрау тақырыптарында", of: "сұрау тақырыптарындағы" },
    request: { whole: "сұрау", in: "сұрауда", of: "сұраудағы" },
    message: { whole: "хабарлама", in: "хабарламада", of: "хабарламадағы" },
  },
};

const TYPES: Readonly<Record<Translated, Readonly<Record<string, string>>>> = {
  ru: {
    integer: "целое число",
    number: "число",
    string: "строка",
    boolean: "логическое значение",
    object: "объект",
    array: "список",
    null: "пустое значение",
  },
  kk: {
    integer: "бүтін сан",
    number: "сан",
    string: "мәтін",
    boolean: "логикалық мән",
    object: "нысан",
    array: "тізім",
    null: "бос мән",
  },
};

const FORMATS: Readonly<Record<Translated, Readonly<Record<string, string>>>> = {
  ru: {
    date: "дата вида ГГГГ-ММ-ДД",
    time: "время",
    "date-time": "дата и время",
    email: "адрес электронной почты",
    uri: "веб-адрес",
    uuid: "уникальный идентификатор",
  },
  kk: {
    date: "ЖЖЖЖ-АА-КК түріндегі күн",
    time: "уақыт",
    "date-time": "күн мен уақыт",
    email: "электрондық пошта мекенжайы",
    uri: "веб-мекенжай",
    uuid: "бірегей идентификатор",
  },
};

/**
 * Sentences by keyword. `{subject}` is the field ("поле «price» в теле запроса") or the part as a whole; `{in}` the
 * part as a place, for the keywords that name a field that is missing or extra (`{field}` then is that field).
 */
const SENTENCES: Readonly<Record<Translated, Readonly<Record<ValidationKeyword | "other", string>>>> = {
  ru: {
    required: "{in} нет обязательного поля «{field}»",
    additionalProperties: "{in} лишнее поле «{field}»",
    type: "{subject}: ожидается {type}",
    minimum: "{subject}: значение должно быть не меньше {limit}",
    maximum: "{subject}: значение должно быть не больше {limit}",
    exclusiveMinimum: "{subject}: значение должно быть больше {limit}",
    exclusiveMaximum: "{subject}: значение должно быть меньше {limit}",
    minLength: "{subject}: длина в символах должна быть не меньше {limit}",
    maxLength: "{subject}: длина в символах должна быть не больше {limit}",
    pattern: "{subject}: значение не соответствует образцу {pattern}",
    enum: "{subject}: допустимые значения — {allowed}",
    const: "{subject}: допустимо только значение {allowed}",
    format: "{subject}: ожидается {format}",
    minItems: "{subject}: элементов должно быть не меньше {limit}",
    maxItems: "{subject}: элементов должно быть не больше {limit}",
    uniqueItems: "{subject}: элементы не должны повторяться",
    multipleOf: "{subject}: значение должно быть кратно {limit}",
    minProperties: "{subject}: полей должно быть не меньше {limit}",
    maxProperties: "{subject}: полей должно быть не больше {limit}",
    anyOf: "{subject}: значение не подходит ни под один допустимый вид",
    oneOf: "{subject}: значение должно подходить ровно под один допустимый вид",
    other: "{subject}: значение недопустимо",
  },
  kk: {
    required: "{in} міндетті «{field}» өрісі жоқ",
    additionalProperties: "{in} артық «{field}» өрісі бар",
    type: "{subject}: {type} күтіледі",
    minimum: "{subject}: ең кіші рұқсат етілген мән — {limit}",
    maximum: "{subject}: ең үлкен рұқсат етілген мән — {limit}",
    exclusiveMinimum: "{subject}: мәні мынадан үлкен болуы керек: {limit}",
    exclusiveMaximum: "{subject}: мәні мынадан кіші болуы керек: {limit}",
    minLength: "{subject}: ұзындығы кемінде {limit} таңба болуы керек",
    maxLength: "{subject}: ұзындығы ең көбі {limit} таңба болуы керек",
    pattern: "{subject}: мәні үлгіге сәйкес емес: {pattern}",
    enum: "{subject}: рұқсат етілген мәндер — {allowed}",
    const: "{subject}: жалғыз рұқсат етілген мән — {allowed}",
    format: "{subject}: {format} күтіледі",
    minItems: "{subject}: элементтер саны кемінде {limit} болуы керек",
    maxItems: "{subject}: элементтер саны ең көбі {limit} болуы керек",
    uniqueItems: "{subject}: элементтер қайталанбауы керек",
    multipleOf: "{subject}: мәні мынаның еселігі болуы керек: {limit}",
    minProperties: "{subject}: өрістер саны кемінде {limit} болуы керек",
    maxProperties: "{subject}: өрістер саны ең көбі {limit} болуы керек",
    anyOf: "{subject}: мәні рұқсат етілген түрлердің ешқайсысына сәйкес емес",
    oneOf: "{subject}: мәні рұқсат етілген түрлердің дәл біреуіне сәйкес болуы керек",
    other: "{subject}: мәні жарамсыз",
  },
};

const REQUEST_PART: Readonly<Record<Translated, Part>> = {
  ru: { whole: "запрос", in: "в запросе", of: "в запросе" },
  kk: { whole: "сұрау", in: "сұрауда", of: "сұраудағы" },
};

function isKeyword(value: string): value is ValidationKeyword {
  return (VALIDATION_KEYWORDS as readonly string[]).includes(value);
}

function shownValue(value: unknown, language: Translated): string {
  if (typeof value === "number") return formatNumber(value, language);
  if (typeof value === "string") return `«${value}»`;
  return JSON.stringify(value) ?? String(value);
}

/** The reason a request's shape was refused, in Russian or Kazakh, from the details the gateway gave. */
export function validationReason(details: ErrorDetails, language: Translated): string {
  const keyword = typeof details.keyword === "string" ? details.keyword : "";
  const parts = PARTS[language];
  const part = parts[typeof details.part === "string" ? details.part : "request"] ?? REQUEST_PART[language];
  const field = typeof details.field === "string" ? details.field : "";
  const subject =
    field === "" ? part.whole : language === "ru" ? `поле «${field}» ${part.of}` : `${part.of} «${field}» өрісі`;
  const types = TYPES[language];
  const form = keyword === "pattern" ? formOfPattern(details.pattern) : null;
  const values: Record<string, string> = {
    subject,
    in: part.in,
    field,
    limit: shownValue(details.limit, language),
    type: String(details.type ?? "")
      .split(",")
      .map((type) => types[type.trim()] ?? type.trim())
      .join(language === "ru" ? " или " : " немесе "),
    allowed: String(details.allowed ?? "")
      .split(", ")
      .map((value) => (/^-?\d+(\.\d+)?$/.test(value) ? shownValue(Number(value), language) : `«${value}»`))
      .join(", "),
    pattern: `«${String(details.pattern ?? "")}»`,
    format:
      (form === null ? undefined : VALUE_FORM_WORDS[form][language]) ??
      FORMATS[language][String(details.format)] ??
      (language === "ru" ? `формат «${String(details.format)}»` : `«${String(details.format)}» пішімі`),
  };
  // A pattern that stands for a form of value is said as that form ("ожидается месяц в виде ГГГГ-ММ").
  const template = SENTENCES[language][form !== null ? "format" : isKeyword(keyword) ? keyword : "other"];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "?");
}
