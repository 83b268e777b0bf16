/**
 * The audit trail's one-line summaries of commands in Russian and Kazakh: what each command type did, with its
 * values written for the reader (prices "133 126 ₸/т", quantities "10,5 т", times "15.01.2026 11:30" in exchange
 * time). English stays the trail's own text (audit.ts), so what the regulator has filed is unchanged.
 *
 * The tables are typed by command type, so a new command without a Russian or Kazakh summary does not compile; a
 * command of a type no table knows (malformed input) is summarised as "command <type>" in the language. A safeguard
 * change is written out in the bulletin's words ("ценовой коридор ±5,00 %"; src/domain/safeguard-words.ts).
 *
 * Fields are read defensively, as in audit.ts: a value of the wrong type is shown as text, never trusted.
 */

import {
  formatMoneyTiyn,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTimeMs,
  type Language,
} from "../domain/locale.ts";
import { codeWord } from "../domain/phrases.ts";
import { safeguardChangesText } from "../domain/safeguard-words.ts";
import type { CommandType } from "../engine/commands.ts";

const FIELD_TEXT_LENGTH_MAX = 64;
/** Fields whose values are codes a summary names as words (phrases.ts `codeWord`). */
const WORD_FIELDS = new Set(["role", "roles", "phase", "mode", "kind", "scope", "orderType", "tif"]);
const REASON_TEXT_LENGTH_MAX = 160;

/** What a summary may ask of a command's fields. */
export interface SummaryFields {
  /** A field as short text (`?` when absent). */
  f(name: string): string;
  /** A price in tiyn per tonne, as tenge per tonne. */
  price(name: string): string;
  /** Money in tiyn, as tenge. */
  money(name: string): string;
  /** Kilograms as tonnes. */
  kg(name: string): string;
  /** A time in ms, as dd.MM.yyyy HH:mm exchange time. */
  time(name: string): string;
  /** A reason or note, longer than other fields may be. */
  reason(name: string): string;
  /** A list field, joined. */
  list(name: string): string;
  /** Whether a field is present (not null or undefined). */
  has(name: string): boolean;
  /** The raw value, for choices. */
  raw(name: string): unknown;
}

type Summaries = Readonly<Record<CommandType, (p: SummaryFields) => string>> & {
  readonly unknown: (p: SummaryFields) => string;
};

/** The name of a language code in the reader's language ("kk" → "казахский" in ru); anything else as text. */
const LANGUAGE_NAMES: Readonly<Record<"ru" | "kk", Readonly<Record<string, string>>>> = {
  ru: { en: "английский", ru: "русский", kk: "казахский" },
  kk: { en: "ағылшын тілі", ru: "орыс тілі", kk: "қазақ тілі" },
};
function languageName(value: unknown, language: "ru" | "kk"): string {
  return typeof value === "string" && Object.hasOwn(LANGUAGE_NAMES[language], value)
    ? LANGUAGE_NAMES[language][value]!
    : text(value);
}

function text(value: unknown): string {
  const shown = typeof value === "string" ? value : value === undefined ? "?" : (JSON.stringify(value) ?? "?");
  return shown.length > FIELD_TEXT_LENGTH_MAX ? `${shown.slice(0, FIELD_TEXT_LENGTH_MAX - 3)}...` : shown;
}

export function summaryFields(fields: Readonly<Record<string, unknown>>, language: Language): SummaryFields {
  const numeric = (name: string, format: (value: unknown, language: Language) => string) => {
    const value = fields[name];
    return typeof value === "number" && Number.isSafeInteger(value) ? format(value, language) : text(value);
  };
  // Fields that hold codes named as words in the reader's language (a role, a phase, a mode, a kind, a scope).
  const word = (name: string, value: unknown) =>
    WORD_FIELDS.has(name) && typeof value === "string" ? codeWord(value, language, name) : text(value);
  return {
    f: (name) => word(name, fields[name]),
    price: (name) => numeric(name, formatPriceTiynPerTonne),
    money: (name) => numeric(name, formatMoneyTiyn),
    kg: (name) => numeric(name, formatQuantityKg),
    time: (name) => numeric(name, formatTimeMs),
    reason: (name) => {
      const value = fields[name];
      const shown = typeof value === "string" ? value : text(value);
      return shown.length > REASON_TEXT_LENGTH_MAX ? `${shown.slice(0, REASON_TEXT_LENGTH_MAX - 3)}...` : shown;
    },
    list: (name) => {
      const value = fields[name];
      return Array.isArray(value) ? value.map((item) => word(name, item)).join(", ") : "?";
    },
    has: (name) => fields[name] !== undefined && fields[name] !== null,
    raw: (name) => fields[name],
  };
}

function sessionsOf(p: SummaryFields, none: string): string {
  const calendar = p.raw("calendar");
  const sessions =
    typeof calendar === "object" && calendar !== null && Array.isArray((calendar as { sessions?: unknown }).sessions)
      ? ((calendar as { sessions: unknown[] }).sessions as { open?: unknown; close?: unknown }[]).map(
          (s) => `${text(s?.open)}–${text(s?.close)}`,
        )
      : [];
  return text(sessions.join(", ") || none);
}

const SIDE: Readonly<Record<"ru" | "kk", Readonly<Record<string, string>>>> = {
  ru: { buy: "покупка", sell: "продажа" },
  kk: { buy: "сатып алу", sell: "сату" },
};

function side(p: SummaryFields, language: "ru" | "kk"): string {
  const value = p.raw("side");
  return typeof value === "string" ? (SIDE[language][value] ?? text(value)) : text(value);
}

export const SUMMARIES_RU: Summaries = {
  "order.new": (p) => {
    const extras = [
      typeof p.raw("tif") === "string" ? p.f("tif") : null,
      p.raw("postOnly") === true ? "только в книгу" : null,
      p.has("expireAtMs") ? `истекает ${p.time("expireAtMs")}` : null,
    ].filter((x) => x !== null);
    const price = p.raw("orderType") === "market" ? "по рынку" : `по ${p.price("price")}`;
    return `${side(p, "ru")} ${p.kg("quantity")} ${p.f("instrument")} ${price} (${p.f("orderType")}${extras.length > 0 ? `, ${extras.join(", ")}` : ""}), заявка ${p.f("orderId")}, счёт ${p.f("account")}`;
  },
  "order.amend": (p) => {
    const changes = [
      p.has("price") ? `цена ${p.price("price")}` : null,
      p.has("quantity") ? `остаток ${p.kg("quantity")}` : null,
    ].filter((x) => x !== null);
    return `изменить заявку ${p.f("orderId")}: ${changes.join(", ") || "ничего"}`;
  },
  "order.cancel": (p) => `снять заявку ${p.f("orderId")}`,
  "order.massCancel": (p) =>
    `снять все заявки счёта ${p.f("account")}${typeof p.raw("instrument") === "string" ? ` на ${p.f("instrument")}` : ""}`,
  "instrument.list": (p) =>
    `допустить ${p.f("instrument")} (${p.f("mode")}, шаг ${p.price("tickSize")}, лот ${p.kg("lotSize")}${p.has("referencePrice") ? `, референтная цена ${p.price("referencePrice")}` : ""}${p.has("clearing") ? ", с клирингом" : ""})`,
  "instrument.update": (p) =>
    `изменить условия клиринга ${p.f("instrument")}: ${p.f("clearing")}; причина: ${p.reason("reason")}`,
  "instrument.suspend": (p) => `приостановить ${p.f("instrument")}; причина: ${p.reason("reason")}`,
  "phase.set": (p) => `перевести ${p.f("instrument")} в фазу ${p.f("phase")}`,
  "reference.set": (p) =>
    `установить референтную цену ${p.f("instrument")}: ${p.raw("price") === null ? "нет" : p.price("price")}`,
  "member.add": (p) => `добавить участника ${p.f("member")} (${p.f("name")}) с ролями ${p.list("roles")}`,
  "member.suspend": (p) => `отстранить участника ${p.f("member")}; причина: ${p.reason("reason")}`,
  "member.reinstate": (p) => `восстановить участника ${p.f("member")}; причина: ${p.reason("reason")}`,
  "member.group": (p) =>
    `${p.raw("group") === null ? "записать отсутствие группы у" : `записать группу ${p.f("group")} для`} участника ${p.f("member")}, основание ${p.f("evidence")}; причина: ${p.reason("reason")}`,
  "account.open": (p) =>
    `открыть счёт ${p.f("account")} участнику ${p.f("member")}${typeof p.raw("client") === "string" ? ` (клиент ${p.f("client")})` : ""}`,
  "money.deposit": (p) => `зачислить ${p.money("amount")} на счёт ${p.f("account")}, ссылка ${p.f("reference")}`,
  "money.withdraw": (p) => `вывести ${p.money("amount")} со счёта ${p.f("account")}, ссылка ${p.f("reference")}`,
  "gas.declare": (p) => `задекларировать ${p.kg("quantity")} на базисе ${p.f("basis")} для счёта ${p.f("account")}`,
  "gas.withdraw": (p) => `снять ${p.kg("quantity")} на базисе ${p.f("basis")} со счёта ${p.f("account")}`,
  "outage.publish": (p) =>
    `опубликовать простой (${p.f("kind")}) ${p.f("producer")} на ${p.f("basis")}: ${p.kg("volumeKg")} с ${p.time("fromMs")} по ${p.time("toMs")}; причина: ${p.reason("reason")}`,
  "safeguards.set": (p) =>
    `изменить ограничительные меры ${p.f("instrument")}: ${safeguardChangesText(p.raw("changes"), "ru")}; причина: ${p.reason("reason")}`,
  halt: (p) => `приостановить торги (${scopeOf(p, "ru")}); причина: ${p.reason("reason")}`,
  resume: (p) => `возобновить торги (${scopeOf(p, "ru")}); причина: ${p.reason("reason")}`,
  "supply.plan": (p) =>
    `план поставки ${p.kg("plannedKg")} на ${p.f("basis")} от ${p.f("producer")} на ${p.f("month")}; причина: ${p.reason("reason")}`,
  "calendar.set": (p) =>
    `установить торговый календарь ${p.f("instrument")}: сессии ${sessionsOf(p, "нет")}; причина: ${p.reason("reason")}`,
  "obligation.confirmPayment": (p) => `подтвердить оплату по обязательству ${p.f("obligation")}`,
  "obligation.confirmDelivery": (p) => `подтвердить поставку по обязательству ${p.f("obligation")}`,
  "station.register": (p) =>
    `зарегистрировать станцию ${p.f("station")} (${p.f("name")}) участника ${p.f("member")} в регионе ${p.f("region")}; документ: ${p.f("document")}`,
  "shipment.dispatch": (p) =>
    `отгрузить ${p.kg("quantity")} по обязательству ${p.f("obligation")}: транспорт ${p.f("vehicle")}, накладная ${p.f("waybill")}, ${p.f("date")}`,
  "shipment.arrive": (p) => `прибытие отгрузки ${p.f("shipment")} на станцию ${p.f("station")}`,
  "time.tick": () => "отметка времени",
  "surveillance.configure": (p) => `изменить настройки надзора: ${p.f("changes")}; причина: ${p.reason("reason")}`,
  "case.open": (p) => `открыть дело надзора по сигналу ${p.f("alert")}; причина: ${p.reason("reason")}`,
  "case.join": (p) => `добавить сигнал ${p.f("alert")} в дело ${p.f("caseId")}; причина: ${p.reason("reason")}`,
  "case.review": (p) => `взять дело ${p.f("caseId")} на рассмотрение; причина: ${p.reason("reason")}`,
  "case.close": (p) => `закрыть дело ${p.f("caseId")} с итогом ${p.f("outcome")}; причина: ${p.reason("reason")}`,
  "case.note": (p) => `добавить заметку к делу ${p.f("caseId")}: ${p.reason("note")}`,
  "user.create": (p) =>
    `создать пользователя ${p.f("user")} (${p.f("name")}) с ролью ${p.f("role")}${typeof p.raw("member") === "string" ? ` участника ${p.f("member")}` : ""}; причина: ${p.reason("reason")}`,
  "user.disable": (p) => `отключить пользователя ${p.f("user")}; причина: ${p.reason("reason")}`,
  "user.enable": (p) => `включить пользователя ${p.f("user")}; причина: ${p.reason("reason")}`,
  "user.password": (p) => `задать новый пароль пользователю ${p.f("user")}; причина: ${p.reason("reason")}`,
  "apiKey.create": (p) => `создать API-ключ ${p.f("key")} пользователю ${p.f("user")} с областями ${p.list("scopes")}`,
  "apiKey.revoke": (p) => `отозвать API-ключ ${p.f("key")}; причина: ${p.reason("reason")}`,
  "user.secondFactor": (p) =>
    `${p.raw("secretSealed") === null ? "отключить второй фактор пользователя" : "включить второй фактор (TOTP) пользователю"} ${p.f("user")}; причина: ${p.reason("reason")}`,
  "user.language": (p) =>
    p.raw("language") === null
      ? `язык пользователя ${p.f("user")} снова по Accept-Language`
      : `сохранить язык пользователя ${p.f("user")}: ${languageName(p.raw("language"), "ru")}`,
  "trade.void": (p) => `аннулировать сделку ${p.f("trade")} по ${p.f("rule")}; причина: ${p.reason("reason")}`,
  "application.submit": (p) =>
    `подать заявление ${p.f("application")} на аккредитацию: ${p.f("company")}, БИН ${p.f("bin")}, вид ${p.f("kind")}`,
  "application.approve": (p) =>
    `одобрить заявление ${p.f("application")}: участник ${p.f("member")}, сбор по ${p.f("feeReference")}, взнос по ${p.f("depositReference")}; основание: ${p.reason("reason")}`,
  "application.refuse": (p) => `отказать по заявлению ${p.f("application")}; причина: ${p.reason("reason")}`,
  "member.exclude": (p) =>
    `исключить участника ${p.f("member")} с запретом повторного приёма на два года; причина: ${p.reason("reason")}`,
  "vat.set": (p) => `установить НДС ${p.f("rateBps")} б.п. с ${p.f("from")}; причина: ${p.reason("reason")}`,
  "tariff.set": (p) =>
    `установить тариф аккредитации для ${p.f("kind")} с ${p.f("from")}: сбор ${p.f("feeTiyn")} тиын, взнос ${p.f("depositTiyn")} тиын; причина: ${p.reason("reason")}`,
  "notices.prefer": (p) =>
    `настроить уведомления участника ${p.f("member")}: в браузере ${p.list("web")}; по почте ${p.list("mail")}`,
  "notices.read": (p) => `отметить прочитанными уведомления участника ${p.f("member")}: ${p.list("ids")}`,
  "notices.mail": (p) =>
    `письмо с уведомлением ${p.f("id")} участнику ${p.f("member")}, попытка ${p.f("attempt")}: ${p.raw("error") === null ? "доставлено" : `не доставлено (${p.f("error")})${p.raw("nextAttemptMs") === null ? ", попытки прекращены" : ""}`}`,
  "session.extra": (p) =>
    `открыть дополнительную сессию по ${p.f("instrument")} для повторно выставленного объёма; причина: ${p.reason("reason")}`,
  "negotiated.submit": (p) =>
    `зарегистрировать адресную сделку по ${p.f("instrument")}: продавец ${p.f("seller")}, покупатель ${p.f("buyer")}, ${p.kg("quantity")} по ${p.price("price")}`,
  "negotiated.accept": (p) => `принять адресную сделку ${p.f("deal")} (счёт ${p.f("account")})`,
  "negotiated.reject": (p) => `отклонить адресную сделку ${p.f("deal")} (счёт ${p.f("account")})`,
  unknown: (p) => `команда ${p.f("type")}`,
};

export const SUMMARIES_KK: Summaries = {
  "order.new": (p) => {
    const extras = [
      typeof p.raw("tif") === "string" ? p.f("tif") : null,
      p.raw("postOnly") === true ? "тек кітапқа" : null,
      p.has("expireAtMs") ? `${p.time("expireAtMs")} аяқталады` : null,
    ].filter((x) => x !== null);
    const price = p.raw("orderType") === "market" ? "нарықтық бағамен" : `${p.price("price")} бағамен`;
    return `${side(p, "kk")}: ${p.f("instrument")}, ${p.kg("quantity")} ${price} (${p.f("orderType")}${extras.length > 0 ? `, ${extras.join(", ")}` : ""}), өтінім ${p.f("orderId")}, шот ${p.f("account")}`;
  },
  "order.amend": (p) => {
    const changes = [
      p.has("price") ? `баға ${p.price("price")}` : null,
      p.has("quantity") ? `қалдық ${p.kg("quantity")}` : null,
    ].filter((x) => x !== null);
    return `${p.f("orderId")} өтінімін өзгерту: ${changes.join(", ") || "ештеңе"}`;
  },
  "order.cancel": (p) => `${p.f("orderId")} өтінімін жою`,
  "order.massCancel": (p) =>
    `${p.f("account")} шотының ${typeof p.raw("instrument") === "string" ? `${p.f("instrument")} бойынша ` : ""}барлық өтінімдерін жою`,
  "instrument.list": (p) =>
    `${p.f("instrument")} құралын саудаға жіберу (${p.f("mode")}, қадам ${p.price("tickSize")}, лот ${p.kg("lotSize")}${p.has("referencePrice") ? `, анықтамалық баға ${p.price("referencePrice")}` : ""}${p.has("clearing") ? ", клирингпен" : ""})`,
  "instrument.update": (p) =>
    `${p.f("instrument")} клиринг шарттарын өзгерту: ${p.f("clearing")}; себебі: ${p.reason("reason")}`,
  "instrument.suspend": (p) => `${p.f("instrument")} саудасын тоқтата тұру; себебі: ${p.reason("reason")}`,
  "phase.set": (p) => `${p.f("instrument")} құралын ${p.f("phase")} кезеңіне ауыстыру`,
  "reference.set": (p) =>
    `${p.f("instrument")} анықтамалық бағасын белгілеу: ${p.raw("price") === null ? "жоқ" : p.price("price")}`,
  "member.add": (p) => `${p.f("member")} (${p.f("name")}) қатысушысын ${p.list("roles")} рөлдерімен қосу`,
  "member.suspend": (p) => `${p.f("member")} қатысушысын шеттету; себебі: ${p.reason("reason")}`,
  "member.reinstate": (p) => `${p.f("member")} қатысушысын қалпына келтіру; себебі: ${p.reason("reason")}`,
  "member.group": (p) =>
    `${p.f("member")} қатысушысы үшін ${p.raw("group") === null ? "топтың жоқтығын" : `${p.f("group")} тобын`} жазу, негіздеме ${p.f("evidence")}; себебі: ${p.reason("reason")}`,
  "account.open": (p) =>
    `${p.f("member")} қатысушысына ${p.f("account")} шотын ашу${typeof p.raw("client") === "string" ? ` (клиент ${p.f("client")})` : ""}`,
  "money.deposit": (p) => `${p.f("account")} шотына ${p.money("amount")} есепке алу, сілтеме ${p.f("reference")}`,
  "money.withdraw": (p) => `${p.f("account")} шотынан ${p.money("amount")} шығару, сілтеме ${p.f("reference")}`,
  "gas.declare": (p) => `${p.f("account")} шоты үшін ${p.f("basis")} базисінде ${p.kg("quantity")} мәлімдеу`,
  "gas.withdraw": (p) => `${p.f("account")} шотынан ${p.f("basis")} базисінде ${p.kg("quantity")} алу`,
  "outage.publish": (p) =>
    `${p.f("producer")} өндірушісінің ${p.f("basis")} базисіндегі тоқтап тұруын (${p.f("kind")}) жариялау: ${p.kg("volumeKg")}, ${p.time("fromMs")} бастап ${p.time("toMs")} дейін; себебі: ${p.reason("reason")}`,
  "safeguards.set": (p) =>
    `${p.f("instrument")} шектеу шараларын өзгерту: ${safeguardChangesText(p.raw("changes"), "kk")}; себебі: ${p.reason("reason")}`,
  halt: (p) => `сауданы тоқтата тұру (${scopeOf(p, "kk")}); себебі: ${p.reason("reason")}`,
  resume: (p) => `сауданы қайта бастау (${scopeOf(p, "kk")}); себебі: ${p.reason("reason")}`,
  "supply.plan": (p) =>
    `${p.f("producer")} өндірушісінің ${p.f("month")} айына ${p.f("basis")} базисіндегі жеткізу жоспары ${p.kg("plannedKg")}; себебі: ${p.reason("reason")}`,
  "calendar.set": (p) =>
    `${p.f("instrument")} сауда күнтізбесін белгілеу: сессиялар ${sessionsOf(p, "жоқ")}; себебі: ${p.reason("reason")}`,
  "obligation.confirmPayment": (p) => `${p.f("obligation")} міндеттемесі бойынша төлемді растау`,
  "obligation.confirmDelivery": (p) => `${p.f("obligation")} міндеттемесі бойынша жеткізуді растау`,
  "station.register": (p) =>
    `${p.f("member")} қатысушысының ${p.f("station")} (${p.f("name")}) станциясын ${p.f("region")} өңірінде тіркеу; құжат: ${p.f("document")}`,
  "shipment.dispatch": (p) =>
    `${p.f("obligation")} міндеттемесі бойынша ${p.kg("quantity")} жөнелту: көлік ${p.f("vehicle")}, жүкқұжат ${p.f("waybill")}, ${p.f("date")}`,
  "shipment.arrive": (p) => `${p.f("shipment")} жөнелтімінің ${p.f("station")} станциясына келуі`,
  "time.tick": () => "уақыт белгісі",
  "surveillance.configure": (p) => `қадағалау баптауларын өзгерту: ${p.f("changes")}; себебі: ${p.reason("reason")}`,
  "case.open": (p) => `${p.f("alert")} белгісі бойынша қадағалау ісін ашу; себебі: ${p.reason("reason")}`,
  "case.join": (p) => `${p.f("alert")} белгісін ${p.f("caseId")} ісіне қосу; себебі: ${p.reason("reason")}`,
  "case.review": (p) => `${p.f("caseId")} ісін қарауға алу; себебі: ${p.reason("reason")}`,
  "case.close": (p) => `${p.f("caseId")} ісін ${p.f("outcome")} нәтижесімен жабу; себебі: ${p.reason("reason")}`,
  "case.note": (p) => `${p.f("caseId")} ісіне жазба қосу: ${p.reason("note")}`,
  "user.create": (p) =>
    `${typeof p.raw("member") === "string" ? `${p.f("member")} қатысушысының ` : ""}${p.f("user")} (${p.f("name")}) пайдаланушысын ${p.f("role")} рөлімен құру; себебі: ${p.reason("reason")}`,
  "user.disable": (p) => `${p.f("user")} пайдаланушысын өшіру; себебі: ${p.reason("reason")}`,
  "user.enable": (p) => `${p.f("user")} пайдаланушысын қосу; себебі: ${p.reason("reason")}`,
  "user.password": (p) => `${p.f("user")} пайдаланушысына жаңа құпиясөз орнату; себебі: ${p.reason("reason")}`,
  "apiKey.create": (p) => `${p.f("user")} пайдаланушысына ${p.list("scopes")} аялары бар ${p.f("key")} API кілтін құру`,
  "apiKey.revoke": (p) => `${p.f("key")} API кілтін кері қайтару; себебі: ${p.reason("reason")}`,
  "user.secondFactor": (p) =>
    `${p.f("user")} пайдаланушысының ${p.raw("secretSealed") === null ? "екінші факторын өшіру" : "екінші факторын (TOTP) қосу"}; себебі: ${p.reason("reason")}`,
  "user.language": (p) =>
    p.raw("language") === null
      ? `${p.f("user")} пайдаланушысының тілі қайтадан Accept-Language бойынша`
      : `${p.f("user")} пайдаланушысының тілін сақтау: ${languageName(p.raw("language"), "kk")}`,
  "trade.void": (p) => `${p.f("trade")} мәмілесін ${p.f("rule")} бойынша жою; себебі: ${p.reason("reason")}`,
  "application.submit": (p) =>
    `аккредиттеуге ${p.f("application")} өтінішін беру: ${p.f("company")}, БСН ${p.f("bin")}, түрі ${p.f("kind")}`,
  "application.approve": (p) =>
    `${p.f("application")} өтінішін мақұлдау: қатысушы ${p.f("member")}, алым ${p.f("feeReference")}, жарна ${p.f("depositReference")} бойынша; негіздеме: ${p.reason("reason")}`,
  "application.refuse": (p) => `${p.f("application")} өтінішінен бас тарту; себебі: ${p.reason("reason")}`,
  "member.exclude": (p) =>
    `${p.f("member")} қатысушысын қайта қабылдауға екі жыл тыйым салып шығару; себебі: ${p.reason("reason")}`,
  "vat.set": (p) => `${p.f("from")} бастап ҚҚС-ты ${p.f("rateBps")} б.т. етіп белгілеу; себебі: ${p.reason("reason")}`,
  "tariff.set": (p) =>
    `${p.f("from")} бастап ${p.f("kind")} үшін аккредиттеу тарифін белгілеу: алым ${p.f("feeTiyn")} тиын, жарна ${p.f("depositTiyn")} тиын; себебі: ${p.reason("reason")}`,
  "notices.prefer": (p) =>
    `${p.f("member")} қатысушысының хабарламаларын баптау: браузерде ${p.list("web")}; поштамен ${p.list("mail")}`,
  "notices.read": (p) => `${p.f("member")} қатысушысының хабарламаларын оқылды деп белгілеу: ${p.list("ids")}`,
  "notices.mail": (p) =>
    `${p.f("member")} қатысушысына ${p.f("id")} хабарламасының хаты, ${p.f("attempt")}-әрекет: ${p.raw("error") === null ? "жеткізілді" : `жеткізілмеді (${p.f("error")})${p.raw("nextAttemptMs") === null ? ", әрекеттер тоқтатылды" : ""}`}`,
  "session.extra": (p) =>
    `${p.f("instrument")} бойынша қайта ұсынылған көлемге қосымша сессия ашу; себебі: ${p.reason("reason")}`,
  "negotiated.submit": (p) =>
    `${p.f("instrument")} бойынша атаулы мәмілені тіркеу: сатушы ${p.f("seller")}, сатып алушы ${p.f("buyer")}, ${p.kg("quantity")}, бағасы ${p.price("price")}`,
  "negotiated.accept": (p) => `${p.f("deal")} атаулы мәмілесін қабылдау (${p.f("account")} шоты)`,
  "negotiated.reject": (p) => `${p.f("deal")} атаулы мәмілесін қабылдамау (${p.f("account")} шоты)`,
  unknown: (p) => `${p.f("type")} командасы`,
};

function scopeOf(p: SummaryFields, language: "ru" | "kk"): string {
  const scope = p.raw("scope");
  if (language === "ru") {
    return scope === "market"
      ? "весь рынок"
      : scope === "region"
        ? `регион ${p.f("region")}`
        : scope === "instrument"
          ? `инструмент ${p.f("instrument")}`
          : `охват ${p.f("scope")}`;
  }
  return scope === "market"
    ? "бүкіл нарық"
    : scope === "region"
      ? `${p.f("region")} өңірі`
      : scope === "instrument"
        ? `${p.f("instrument")} құралы`
        : `${p.f("scope")} аясы`;
}

export const SUMMARY_TABLES: Readonly<Record<"ru" | "kk", Summaries>> = { ru: SUMMARIES_RU, kk: SUMMARIES_KK };

/** A command's summary in Russian or Kazakh. */
export function summaryIn(fields: Readonly<Record<string, unknown>>, language: "ru" | "kk"): string {
  const table = SUMMARY_TABLES[language];
  const type = fields.type;
  const summarise =
    typeof type === "string" && Object.hasOwn(table, type) && type !== "unknown"
      ? table[type as CommandType]
      : table.unknown;
  return summarise(summaryFields(fields, language));
}
