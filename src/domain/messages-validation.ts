/**
 * Why a request's shape is refused (REQUEST_INVALID from schema validation), in Russian and Kazakh. The gateway's
 * validator (ajv) names a keyword — the rule the value broke — with its parameters; the gateway puts them in the
 * error's details (`keyword`, `part`, `field` and the rule's own value: `limit`, `type`, `allowed`, `pattern`,
 * `format`), and the reason is written here from our own catalogue, keyed by the keyword. English keeps ajv's own
 * sentence in `reason`, as it always was. The rules a person meets in a form, on a field, are instead one sentence
 * naming the field in every language (`fieldSentence`, below).
 *
 * Words. The sentence names the field in words where the field catalogue below has it (a clearing term, a safeguard),
 * else as the caller wrote it (a wire name, kept), and the values the rule names (allowed codes, a pattern); everything
 * else is Russian or Kazakh: the part of the request, the type, the format.
 * A keyword this catalogue does not know gets a generic sentence ("the value is not valid"), never English.
 *
 * Promise: `validationReason(details, language)` returns a sentence for any details in ru and kk, and
 * `fieldSentence(details, language)` one for the form rules on a field in en, ru and kk; test/i18n/
 * validation-messages.test.ts checks every keyword in each language, the case note at its limits, and over HTTP.
 */

import type { ErrorDetails } from "./errors.ts";
import {
  EXCHANGE_TIME_NAME,
  formatDurationWords,
  formatMoneyTiyn,
  formatNumber,
  formatPercentBps,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTimeMs,
  type Language,
} from "./locale.ts";
import { formOfPattern, formWords } from "./value-forms.ts";

type Translated = Exclude<Language, "en">;

/** The keywords whose message, on a field, is one sentence naming the field (`fieldSentence`, below). */
export const FIELD_KEYWORDS = [
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
] as const;

/** The keywords with a sentence of their own. */
export const VALIDATION_KEYWORDS = [
  ...FIELD_KEYWORDS,
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

/** The most characters an id may have, when the refusal of its form gave it (gateway/errors.ts). */
function lengthMaxOf(details: ErrorDetails): number | undefined {
  return typeof details.lengthMax === "number" ? details.lengthMax : undefined;
}

/** The reason a request's shape was refused, in Russian or Kazakh, from the details the gateway gave. */
export function validationReason(details: ErrorDetails, language: Translated): string {
  const keyword = typeof details.keyword === "string" ? details.keyword : "";
  const parts = PARTS[language];
  const part = parts[typeof details.part === "string" ? details.part : "request"] ?? REQUEST_PART[language];
  const field = typeof details.field === "string" ? details.field : "";
  // A field the catalogue below names is said in words (lower case, in «»), another by its wire name.
  const said = field === "" ? "" : fieldInSentence(field, language);
  const subject =
    field === "" ? part.whole : language === "ru" ? `поле ${said} ${part.of}` : `${part.of} ${said} өрісі`;
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
      (form === null ? undefined : formWords(form, language, lengthMaxOf(details))) ??
      FORMATS[language][String(details.format)] ??
      (language === "ru" ? `формат «${String(details.format)}»` : `«${String(details.format)}» пішімі`),
  };
  // A pattern that stands for a form of value is said as that form ("ожидается месяц в виде ГГГГ-ММ").
  const template = SENTENCES[language][form !== null ? "format" : isKeyword(keyword) ? keyword : "other"];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "?");
}

/*
 * Sentences that name the field. For the rules a person meets in a form (a value missing, empty, too long, too
 * small, of the wrong kind or form, not one of the choices), the whole message is one sentence that opens with the
 * field's name in the reader's language — "The note must not be empty." / «Примечание не должно быть пустым.» /
 * «Ескертпе бос болмауы керек.» — in English too (the registry's English template for REQUEST_INVALID is not
 * journaled: a request refused for its shape never reaches the journal). A field the catalogue below does not name
 * is called by its wire name ("The field "qty"", «Поле «qty»», «"qty" өрісі»); a rule on the whole body, or a rule
 * not listed here, keeps the sentence above. The details (keyword, part, field, limit, ...) do not change.
 */

/** Russian grammatical gender (or plural) of a field's name, for the words that agree with it. */
type Gender = "m" | "f" | "n" | "p";

/**
 * How a field's limits are written: prices in tiyn per tonne, money in tiyn and gas in kg with their units, rates in
 * basis points as a percentage, durations in ms in words (days, hours … in the reader's language), times in ms since
 * the epoch as a time of day in exchange time.
 */
type FieldKind = "price" | "money" | "kg" | "bps" | "duration" | "time";

interface FieldName {
  /** English, lower case, after "The". */
  readonly en: string;
  /** Russian, nominative, capitalised. */
  readonly ru: string;
  readonly gender: Gender;
  /** Kazakh, nominative, capitalised. */
  readonly kk: string;
  readonly kind?: FieldKind;
}

function named(en: string, ru: string, gender: Gender, kk: string, kind?: FieldKind): FieldName {
  return kind === undefined ? { en, ru, gender, kk } : { en, ru, gender, kk, kind };
}

/** The fields people fill in, by wire name (the last segment of the field's path). */
export const FIELD_NAMES: Readonly<Record<string, FieldName>> = {
  note: named("note", "Примечание", "n", "Ескертпе"),
  reason: named("reason", "Причина", "f", "Себеп"),
  evidence: named("evidence", "Обоснование", "n", "Дәлел"),
  description: named("description", "Описание", "n", "Сипаттама"),
  price: named("price", "Цена", "f", "Баға", "price"),
  priceTiynPerTonne: named("price", "Цена", "f", "Баға", "price"),
  referencePrice: named("reference price", "Референтная цена", "f", "Анықтамалық баға", "price"),
  // The safeguards' prices as the bulletin and the engine's safeguards refusals name them (safeguard-words.ts).
  ceiling: named("price ceiling", "Предельная цена", "f", "Шекті баға", "price"),
  tickSize: named("price step", "Шаг цены", "m", "Баға қадамы", "price"),
  quantity: named("quantity", "Количество", "n", "Көлем", "kg"),
  quantityKg: named("quantity", "Количество", "n", "Көлем", "kg"),
  volumeKg: named("volume", "Объём", "m", "Көлем", "kg"),
  plannedKg: named("planned volume", "Плановый объём", "m", "Жоспарлы көлем", "kg"),
  lotSize: named("lot size", "Размер лота", "m", "Лот мөлшері", "kg"),
  amount: named("amount", "Сумма", "f", "Сома", "money"),
  depositTiyn: named("deposit", "Гарантийный взнос", "m", "Кепілдік жарна", "money"),
  feeTiyn: named("fee", "Сбор", "m", "Алым", "money"),
  name: named("name", "Название", "n", "Атау"),
  user: named("user name", "Имя пользователя", "n", "Пайдаланушы аты"),
  password: named("password", "Пароль", "m", "Құпиясөз"),
  email: named("e-mail address", "Адрес электронной почты", "m", "Электрондық пошта мекенжайы"),
  code: named("code", "Код", "m", "Код"),
  account: named("account", "Счёт", "m", "Шот"),
  member: named("member", "Участник", "m", "Қатысушы"),
  buyer: named("buyer", "Покупатель", "m", "Сатып алушы"),
  instrument: named("instrument", "Инструмент", "m", "Құрал"),
  company: named("company name", "Название компании", "n", "Компания атауы"),
  registration: named("registration number", "Регистрационный номер", "m", "Тіркеу нөмірі"),
  bin: named("BIN", "БИН", "m", "БСН"),
  reference: named("reference", "Ссылка", "f", "Сілтеме"),
  region: named("region", "Регион", "m", "Өңір"),
  basis: named("delivery basis", "Базис поставки", "m", "Жеткізу базисі"),
  product: named("product", "Продукт", "m", "Өнім"),
  month: named("month", "Месяц", "m", "Ай"),
  deliveryPeriod: named("delivery period", "Период поставки", "m", "Жеткізу кезеңі"),
  date: named("date", "Дата", "f", "Күн"),
  day: named("day", "День", "m", "Күн"),
  days: named("number of days", "Число дней", "n", "Күн саны"),
  expireAtMs: named("expiry time", "Время истечения", "n", "Мерзімі біту уақыты"),
  // An outage's times (engine.ts, `outage.publish`).
  fromMs: named("start time", "Время начала", "n", "Басталу уақыты", "time"),
  toMs: named("end time", "Время окончания", "n", "Аяқталу уақыты", "time"),
  vehicle: named("vehicle", "Транспортное средство", "n", "Көлік"),
  waybill: named("waybill", "Накладная", "f", "Жүкқұжат"),
  certificate: named("certificate", "Сертификат", "m", "Сертификат"),
  document: named("document", "Документ", "m", "Құжат"),
  clientOrderId: named("client order id", "Идентификатор заявки клиента", "m", "Клиенттің өтінім идентификаторы"),
  scenario: named("scenario", "Сценарий", "m", "Сценарий"),
  runs: named("number of runs", "Число прогонов", "n", "Жүгіртулер саны"),
  side: named("side", "Направление", "n", "Бағыт"),
  tif: named("time in force", "Срок действия", "m", "Әрекет ету мерзімі"),
  outcome: named("outcome", "Итог", "m", "Нәтиже"),
  role: named("role", "Роль", "f", "Рөл"),
  status: named("status", "Статус", "m", "Мәртебе"),
  language: named("language", "Язык", "m", "Тіл"),
  lang: named("language", "Язык", "m", "Тіл"),
  rule: named("rule", "Правило", "n", "Ереже"),
  // Clearing terms (operator/instruments.ts), as the contract names them (reports/labels.ts).
  collateralBps: named("collateral rate", "Ставка гарантийного взноса", "f", "Кепілдік жарна мөлшерлемесі", "bps"),
  feeBps: named("fee rate", "Ставка биржевого сбора", "f", "Биржалық алым мөлшерлемесі", "bps"),
  sellerPenaltyBps: named(
    "seller's penalty rate for non-delivery",
    "Ставка неустойки продавца за непоставку",
    "f",
    "Сатушының жеткізбеуі үшін айыппұл мөлшерлемесі",
    "bps",
  ),
  paymentWindowMs: named("payment window", "Срок оплаты", "m", "Төлем мерзімі", "duration"),
  deliveryWindowMs: named("delivery window", "Срок поставки", "m", "Жеткізу мерзімі", "duration"),
  buyerDefaultCollateralTo: named(
    "recipient of a defaulting buyer's deposit",
    "Получатель гарантийного взноса неисполнившего покупателя",
    "m",
    "Орындамаған сатып алушының кепілдік жарнасын алушы",
  ),
  // The regulator's safeguards (regulator/safeguards.ts), as the bulletin names them (safeguard-words.ts).
  bandBps: named("price band", "Ценовой коридор", "m", "Баға дәлізі", "bps"),
  breakerBps: named("circuit breaker", "Порог приостановки торгов", "m", "Сауданы тоқтата тұру шегі", "bps"),
  breakerAuctionMs: named(
    "length of the auction after the breaker",
    "Длительность аукциона после приостановки",
    "f",
    "Тоқтатудан кейінгі аукцион ұзақтығы",
    "duration",
  ),
  resumptionAuctionMs: named(
    "length of the auction on resumption",
    "Длительность аукциона при возобновлении",
    "f",
    "Қайта бастаудағы аукцион ұзақтығы",
    "duration",
  ),
  floor: named("price floor", "Минимальная цена", "f", "Ең төменгі баға", "price"),
  ceilingPath: named("ceiling steps", "Ступени предельной цены", "p", "Шекті баға сатылары"),
  effectiveFromMs: named(
    "start of a ceiling step",
    "Время начала ступени предельной цены",
    "n",
    "Шекті баға сатысының басталу уақыты",
    "time",
  ),
  maxShareBps: named(
    "largest share of the offer per buyer",
    "Наибольшая доля предложения на покупателя",
    "f",
    "Бір сатып алушыға ұсыныстың ең үлкен үлесі",
    "bps",
  ),
  maxActiveOrders: named(
    "limit on active orders per account",
    "Предел активных заявок на счёт",
    "m",
    "Шоттағы белсенді өтінімдер шегі",
  ),
  maxLotsPerOrder: named("limit on lots per order", "Предел лотов в заявке", "m", "Өтінімдегі лоттар шегі"),
  eligibleCategories: named(
    "buyers admitted",
    "Допущенные категории покупателей",
    "p",
    "Жіберілген сатып алушылар санаттары",
  ),
};

const FIELD_KEYWORD_SET: ReadonlySet<string> = new Set(FIELD_KEYWORDS);

/** The sentence shapes: `empty` for a string that must not be empty (or blank), `positive` for a least value of 1 (or above 0) on a price, money or gas. */
type Shape = (typeof FIELD_KEYWORDS)[number] | "empty" | "positive" | "form";

/** `{Field}` opens the sentence; `{limit}`, `{allowed}`, `{type}`, `{chars}` as named; ru's `{must}`, `{empty}`, `{given}`, `{written}` agree with the field. */
const FIELD_SENTENCES: Readonly<Record<Language, Readonly<Record<Shape, string>>>> = {
  en: {
    required: "{Field} is missing.",
    type: "{Field} must be {type}.",
    minimum: "{Field} must be at least {limit}.",
    maximum: "{Field} must be at most {limit}.",
    exclusiveMinimum: "{Field} must be greater than {limit}.",
    exclusiveMaximum: "{Field} must be less than {limit}.",
    minLength: "{Field} must be at least {limit} {chars} long.",
    maxLength: "{Field} must be at most {limit} {chars} long.",
    pattern: "{Field} is not written in a valid form.",
    enum: "{Field} must be one of: {allowed}.",
    const: "{Field} must be {allowed}.",
    empty: "{Field} must not be empty.",
    positive: "{Field} must be positive.",
    form: "{Field} must be {form}.",
  },
  ru: {
    required: "{Field} не {given}.",
    type: "{Field} {must} быть {type}.",
    minimum: "{Field} {must} быть не меньше {limit}.",
    maximum: "{Field} {must} быть не больше {limit}.",
    exclusiveMinimum: "{Field} {must} быть больше {limit}.",
    exclusiveMaximum: "{Field} {must} быть меньше {limit}.",
    minLength: "{Field} {must} быть не короче {limit} {chars}.",
    maxLength: "{Field} {must} быть не длиннее {limit} {chars}.",
    pattern: "{Field} {written} в недопустимом виде.",
    enum: "{Field} {must} быть одним из значений: {allowed}.",
    const: "{Field} {must} быть {allowed}.",
    empty: "{Field} не {must} быть {empty}.",
    positive: "{Field} {must} быть больше нуля.",
    form: "{Field}: ожидается {form}.",
  },
  kk: {
    required: "{Field} көрсетілмеген.",
    type: "{Field} {type} болуы керек.",
    minimum: "{Field} кемінде {limit} болуы керек.",
    maximum: "{Field} ең көбі {limit} болуы керек.",
    exclusiveMinimum: "{Field} {limit} мәнінен үлкен болуы керек.",
    exclusiveMaximum: "{Field} {limit} мәнінен кіші болуы керек.",
    minLength: "{Field} кемінде {limit} таңбадан тұруы керек.",
    maxLength: "{Field} {limit} таңбадан аспауы керек.",
    pattern: "{Field} жарамсыз түрде жазылған.",
    enum: "{Field} мына мәндердің бірі болуы керек: {allowed}.",
    const: "{Field} {allowed} болуы керек.",
    empty: "{Field} бос болмауы керек.",
    positive: "{Field} нөлден үлкен болуы керек.",
    form: "{Field}: {form} күтіледі.",
  },
};

/** Russian words that agree with the field's gender. */
const AGREEING: Readonly<Record<"must" | "empty" | "given" | "written", Readonly<Record<Gender, string>>>> = {
  must: { m: "должен", f: "должна", n: "должно", p: "должны" },
  empty: { m: "пустым", f: "пустой", n: "пустым", p: "пустыми" },
  given: { m: "указан", f: "указана", n: "указано", p: "указаны" },
  written: { m: "записан", f: "записана", n: "записано", p: "записаны" },
};

/** Types as the complement of "must be": en with its article, ru in the instrumental case, kk in the nominative. */
const FIELD_TYPES: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {
    integer: "a whole number",
    number: "a number",
    string: "text",
    boolean: "true or false",
    object: "an object",
    array: "a list",
    null: "empty",
  },
  ru: {
    integer: "целым числом",
    number: "числом",
    string: "текстом",
    boolean: "логическим значением",
    object: "объектом",
    array: "списком",
    null: "пустым значением",
  },
  kk: TYPES.kk,
};

const OR: Readonly<Record<Language, string>> = { en: " or ", ru: " или ", kk: " немесе " };

/** "must be a whole number of kg", for gas (sent in kg, said in tonnes). */
const WHOLE_KG: Readonly<Record<Language, string>> = {
  en: "a whole number of kg",
  ru: "целым числом килограммов",
  kk: "килограмның бүтін саны",
};

/** "must be a whole number of tiyn", for a price or money (sent in tiyn). */
const WHOLE_TIYN: Readonly<Record<Language, string>> = {
  en: "a whole number of tiyn",
  ru: "целым числом тиынов",
  kk: "тиынның бүтін саны",
};

/** "character(s)" after a number: ru's genitive after «не короче/длиннее N» is «символа» after 1, 21, 31... */
function charactersWord(limit: number, language: Language): string {
  if (language === "en") return limit === 1 ? "character" : "characters";
  if (language === "ru") return limit % 10 === 1 && limit % 100 !== 11 ? "символа" : "символов";
  return "таңба";
}

const BASIS_POINT_UNIT: Readonly<Record<Language, string>> = { en: "bp", ru: "б.п.", kk: "базистік тармақ" };

/**
 * A limit or a value sent, as the field's kind writes it; `compared` when it follows a comparison ("не больше 366
 * дней": a duration in Russian's genitive).
 */
function limitText(limit: unknown, kind: FieldKind | undefined, language: Language, compared: boolean): string {
  if (kind === "duration") return formatDurationWords(limit, language, compared ? "genitive" : "nominative");
  if (kind === "time" && Number.isSafeInteger(limit)) return exchangeTimeText(limit as number, language);
  if (kind === "price") return formatPriceTiynPerTonne(limit, language);
  if (kind === "money") return formatMoneyTiyn(limit, language);
  if (kind === "kg") return formatQuantityKg(limit, language);
  if (kind === "bps") {
    // A count of basis points that is not whole (a refused 1.5) keeps its unit: a percentage would misread it.
    return Number.isSafeInteger(limit)
      ? formatPercentBps(limit, language)
      : `${formatNumber(limit, language)} ${BASIS_POINT_UNIT[language]}`;
  }
  return formatNumber(limit, language);
}

/**
 * A field's name inside a sentence of an error about a command's field (`{field}` in the ru and kk catalogues), in
 * «»: the catalogue's word, lower case (an abbreviation kept), by the last segment of the field's path; its wire name
 * when the catalogue has none. English keeps the wire name (its sentences are the engine's own).
 */
export function fieldInSentence(wire: string, language: Language): string {
  if (language === "en") return wire;
  const last =
    wire
      .split(/[.[\]/]/)
      .filter((part) => part !== "")
      .at(-1) ?? wire;
  const name = FIELD_NAMES[last];
  if (name === undefined) return `«${wire}»`;
  const word = language === "ru" ? name.ru : name.kk;
  const second = word.charAt(1);
  const lower = second !== "" && second === second.toLowerCase() ? word.charAt(0).toLowerCase() + word.slice(1) : word;
  return `«${lower}»`;
}

/** The field's name opening a sentence, from the catalogue or its wire name. */
function fieldSubject(wire: string, language: Language): { readonly subject: string; readonly name?: FieldName } {
  const name = FIELD_NAMES[wire];
  if (name === undefined) {
    const subject =
      language === "en" ? `The field "${wire}"` : language === "ru" ? `Поле «${wire}»` : `«${wire}» өрісі`;
    return { subject };
  }
  return { subject: language === "en" ? `The ${name.en}` : language === "ru" ? name.ru : name.kk, name };
}

/** A pattern that only asks for one character that is not white space: a blank value breaks it as an empty one does. */
const NOT_BLANK_PATTERNS = new Set(["\\S", ".*\\S.*", "^\\S", "\\S+"]);

/**
 * The whole message for a rule a person meets in a form, one sentence naming the field in the language; `null` when
 * the rule is on the whole body or not one of these (the caller keeps the general sentence).
 */
export function fieldSentence(details: ErrorDetails, language: Language): string | null {
  const keyword = typeof details.keyword === "string" ? details.keyword : "";
  const path = typeof details.field === "string" ? details.field : "";
  // A value that is not a calendar date (`format: "date"`, e.g. day=2026-13-45) is said as that form too.
  const dateFormat = keyword === "format" && details.format === "date";
  if (!FIELD_KEYWORD_SET.has(keyword) && !dateFormat) return null;
  const wire = path
    .split("/")
    .filter((segment) => segment !== "" && !/^\d+$/.test(segment))
    .at(-1);
  if (wire === undefined) return null;
  const { subject, name } = fieldSubject(wire, language);
  const limit = typeof details.limit === "number" ? details.limit : Number.NaN;
  const kind = name?.kind;
  let shape = keyword as Shape;
  if (keyword === "minLength" && limit === 1) shape = "empty";
  if (keyword === "pattern" && NOT_BLANK_PATTERNS.has(String(details.pattern))) shape = "empty";
  // A pattern that stands for a form of value (a month, a day) is said as that form (value-forms.ts).
  const form = keyword === "pattern" ? formOfPattern(details.pattern) : dateFormat ? "date" : null;
  if (form !== null) shape = "form";
  if (kind !== undefined && ((keyword === "minimum" && limit === 1) || (keyword === "exclusiveMinimum" && limit === 0)))
    shape = "positive";
  const gender = name?.gender ?? "n";
  const values: Record<string, string> = {
    Field: subject,
    limit: limitText(details.limit, kind, language, true),
    chars: charactersWord(limit, language),
    type: String(details.type ?? "")
      .split(",")
      .map((type) =>
        // A price or money is sent in tiyn: its whole number is of tiyn (133000.5 is half a tiyn).
        type.trim() === "integer" && (kind === "price" || kind === "money")
          ? WHOLE_TIYN[language]
          : type.trim() === "integer" && kind === "kg"
            ? WHOLE_KG[language]
            : (FIELD_TYPES[language][type.trim()] ?? type.trim()),
      )
      .join(OR[language]),
    allowed: String(details.allowed ?? "")
      .split(", ")
      .map((value) => (language === "en" ? `"${value}"` : `«${value}»`))
      .join(", "),
    must: AGREEING.must[gender],
    empty: AGREEING.empty[gender],
    given: AGREEING.given[gender],
    written: AGREEING.written[gender],
    form: form === null ? "" : formWords(form, language, lengthMaxOf(details)),
  };
  const sentence = FIELD_SENTENCES[language][shape].replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "?");
  // The value sent, after the rule (not beside "must not be empty" or "is missing": there is nothing to show).
  const lengthRule = keyword === "minLength" || keyword === "maxLength";
  const sent =
    shape === "empty" || shape === "required"
      ? null
      : lengthRule && typeof details.length === "number"
        ? `${formatNumber(details.length, language)} ${sentCharactersWord(details.length, language)}`
        : sentText(details.value, kind, form, kind === "time" || /AtMs$|^expireAt$/.test(wire), language);
  return sent === null ? sentence : `${sentence.slice(0, -1)} (${SENT_WORD[language]}: ${sent}).`;
}

/** "N character(s)" as a count on its own (ru's nominative: 1 символ, 2 символа, 5 символов). */
function sentCharactersWord(count: number, language: Language): string {
  if (language === "en") return count === 1 ? "character" : "characters";
  if (language === "kk") return "таңба";
  const last = count % 10;
  const lastTwo = count % 100;
  if (last === 1 && lastTwo !== 11) return "символ";
  if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return "символа";
  return "символов";
}

/** A number sent beyond the largest whole number the server reads exactly. */
const TOO_LARGE: Readonly<Record<Language, string>> = {
  en: "a number above {max}, too large to read exactly",
  ru: "число больше {max}, слишком большое для точного чтения",
  kk: "{max} санынан үлкен, дәл оқуға тым үлкен сан",
};

/** "sent" before the value a request held, in a refusal of it. */
const SENT_WORD: Readonly<Record<Language, string>> = { en: "sent", ru: "передано", kk: "жіберілгені" };

/**
 * The value a request sent at a refused field (the gateway's `value`, text already cut short), as the reader writes
 * it: a price, money or gas with its unit, another number grouped the reader's way, text in quotes; null when there is
 * none. A number in a field that holds a time in ms is said as that time in exchange time.
 */
function sentText(
  value: unknown,
  kind: FieldKind | undefined,
  form: unknown,
  time: boolean,
  language: Language,
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return String(value);
  // A number beyond 2^53 reached the server rounded (JSON's numbers are doubles): say it is too large, not a figure
  // that was perhaps never sent.
  if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return TOO_LARGE[language].replace("{max}", formatNumber(Number.MAX_SAFE_INTEGER, language));
  }
  if (typeof value === "number" && time && Number.isSafeInteger(value)) return exchangeTimeText(value, language);
  if (typeof value === "number")
    return form === null ? limitText(value, kind, language, false) : formatNumber(value, language);
  if (typeof value !== "string") return null;
  return language === "en" ? `"${value}"` : `«${value}»`;
}

/** A time in ms since the epoch as the reader writes it, in exchange (Astana) time, naming that time. */
export function exchangeTimeText(ms: number, language: Language): string {
  return `${formatTimeMs(ms, language)} (${EXCHANGE_TIME_NAME[language]})`;
}
