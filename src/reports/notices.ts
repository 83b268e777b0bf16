/**
 * The text of a notification as an e-mail (subject and plain-text body) in English, Russian or Kazakh, from the facts
 * the notification carries (src/projections/notifications.ts). Prices, amounts and tonnes are written for the reader
 * (src/domain/locale.ts); times are exchange time. The same notification and language always give the same text, so
 * a test can compare a delivered message with it exactly.
 */

import {
  EXCHANGE_TIME_NAME,
  formatMoneyTiyn,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTimeMs,
  type Language,
} from "../domain/locale.ts";
import type { Notice, NoticeFacts } from "../projections/notifications.ts";

export interface NoticeMail {
  readonly subject: string;
  readonly text: string;
}

type Words = (facts: NoticeFacts, language: Language) => string;

const money = formatMoneyTiyn;
const price = formatPriceTiynPerTonne;
const kg = formatQuantityKg;
const time = formatTimeMs;

const SUBJECTS: Readonly<Record<Language, Readonly<Record<NoticeFacts["kind"], string>>>> = {
  en: {
    fill: "Order filled",
    cancel: "Order cancelled by the exchange",
    shortfall: "Collateral shortfall",
    deadline: "Settlement deadline",
    default: "Default notice",
    deal: "Negotiated deal awaits your answer",
    void: "Trade voided",
  },
  ru: {
    fill: "Исполнение заявки",
    cancel: "Заявка снята биржей",
    shortfall: "Недостаточно обеспечения",
    deadline: "Срок исполнения обязательства",
    default: "Уведомление о неисполнении",
    deal: "Адресная сделка ждёт вашего ответа",
    void: "Сделка аннулирована",
  },
  kk: {
    fill: "Өтінім орындалды",
    cancel: "Өтінімді биржа алып тастады",
    shortfall: "Кепілдік қамтамасыз ету жетіспейді",
    deadline: "Міндеттемені орындау мерзімі",
    default: "Орындамау туралы хабарлама",
    deal: "Адрестік мәміле сіздің жауабыңызды күтуде",
    void: "Мәміле жойылды",
  },
};

const EN: Words = (f, l) => {
  switch (f.kind) {
    case "fill":
      return `Your order on account ${f.account} ${f.side === "buy" ? "bought" : "sold"} ${kg(f.quantityKg, l)} of ${f.instrument} at ${price(f.priceTiynPerTonne, l)} (trade ${f.tradeId}).`;
    case "cancel":
      return `Your order ${f.orderId} on ${f.instrument} was cancelled with ${kg(f.quantityKg, l)} open: ${
        f.cause === "price-limit"
          ? "the regulator's price limits no longer allow its price"
          : f.cause === "halt"
            ? "trading in the instrument was halted"
            : "the operator suspended the member"
      }.`;
    case "shortfall":
      return `Account ${f.account} lacks ${money(f.shortfallTiyn, l)} for ${f.purpose}: ${money(f.requiredTiyn, l)} needed, ${money(f.freeTiyn, l)} free.`;
    case "deadline":
      return `${f.leg === "payment" ? `Payment of ${money(f.valueTiyn, l)}` : `Delivery of ${kg(f.quantityKg, l)}`} on obligation ${f.obligation} (trade ${f.tradeId}, ${f.instrument}) is due ${f.stage === "before" ? "tomorrow, " : "now: "}${time(f.dueMs, l)} ${EXCHANGE_TIME_NAME[l]}.`;
    case "default":
      return `Obligation ${f.obligation} (trade ${f.tradeId}, ${f.instrument}) is in default by the ${f.party}: forfeited ${money(f.forfeitedTiyn, l)}, penalty ${money(f.penaltyTiyn, l)}, claim ${money(f.claimTiyn, l)}.`;
    case "deal":
      return `Account ${f.seller} offers account ${f.account} a negotiated deal ${f.deal}: ${kg(f.quantityKg, l)} of ${f.instrument} at ${price(f.priceTiynPerTonne, l)}. Accept or reject it on the terminal before the session closes.`;
    case "void":
      return `Trade ${f.tradeId} (${kg(f.quantityKg, l)} of ${f.instrument} at ${price(f.priceTiynPerTonne, l)}, account ${f.seller} to account ${f.buyer}) was voided by the operator for breach of ${f.rule}. Reason: ${f.reason}. Its obligation ${f.obligation} is unwound: no payment or delivery is due on it.`;
  }
};

const RU: Words = (f, l) => {
  switch (f.kind) {
    case "fill":
      return `Ваша заявка по счёту ${f.account}: ${f.side === "buy" ? "куплено" : "продано"} ${kg(f.quantityKg, l)} ${f.instrument} по ${price(f.priceTiynPerTonne, l)} (сделка ${f.tradeId}).`;
    case "cancel":
      return `Ваша заявка ${f.orderId} по ${f.instrument} снята, неисполненный остаток ${kg(f.quantityKg, l)}: ${
        f.cause === "price-limit"
          ? "её цена вышла за ценовые ограничения регулятора"
          : f.cause === "halt"
            ? "торги инструментом приостановлены"
            : "оператор приостановил участника"
      }.`;
    case "shortfall":
      return `На счёте ${f.account} не хватает ${money(f.shortfallTiyn, l)} (${f.purpose}): нужно ${money(f.requiredTiyn, l)}, свободно ${money(f.freeTiyn, l)}.`;
    case "deadline":
      return `${f.leg === "payment" ? `Оплата ${money(f.valueTiyn, l)}` : `Поставка ${kg(f.quantityKg, l)}`} по обязательству ${f.obligation} (сделка ${f.tradeId}, ${f.instrument}): срок ${f.stage === "before" ? "завтра, " : "наступил: "}${time(f.dueMs, l)}, ${EXCHANGE_TIME_NAME[l]}.`;
    case "default":
      return `Обязательство ${f.obligation} (сделка ${f.tradeId}, ${f.instrument}) не исполнено ${f.party === "buyer" ? "покупателем" : "продавцом"}: удержано ${money(f.forfeitedTiyn, l)}, штраф ${money(f.penaltyTiyn, l)}, требование ${money(f.claimTiyn, l)}.`;
    case "deal":
      return `Счёт ${f.seller} предлагает счёту ${f.account} адресную сделку ${f.deal}: ${kg(f.quantityKg, l)} ${f.instrument} по ${price(f.priceTiynPerTonne, l)}. Примите или отклоните её в терминале до закрытия сессии.`;
    case "void":
      return `Сделка ${f.tradeId} (${kg(f.quantityKg, l)} ${f.instrument} по ${price(f.priceTiynPerTonne, l)}, счёт ${f.seller} — счёту ${f.buyer}) аннулирована оператором за нарушение: ${f.rule}. Основание: ${f.reason}. Обязательство ${f.obligation} свёрнуто: оплата и поставка по нему не требуются.`;
  }
};

const KK: Words = (f, l) => {
  switch (f.kind) {
    case "fill":
      return `${f.account} шоты бойынша өтініміңіз: ${f.instrument} ${kg(f.quantityKg, l)} ${price(f.priceTiynPerTonne, l)} бағасымен ${f.side === "buy" ? "сатып алынды" : "сатылды"} (мәміле ${f.tradeId}).`;
    case "cancel":
      return `${f.instrument} бойынша ${f.orderId} өтініміңіз алынып тасталды, орындалмаған қалдығы ${kg(f.quantityKg, l)}: ${
        f.cause === "price-limit"
          ? "оның бағасы реттеушінің баға шектеулерінен шықты"
          : f.cause === "halt"
            ? "құрал бойынша сауда тоқтатылды"
            : "оператор қатысушының қызметін тоқтатты"
      }.`;
    case "shortfall":
      return `${f.account} шотында ${money(f.shortfallTiyn, l)} жетіспейді (${f.purpose}): ${money(f.requiredTiyn, l)} қажет, бос қаражат ${money(f.freeTiyn, l)}.`;
    case "deadline":
      return `${f.obligation} міндеттемесі (мәміле ${f.tradeId}, ${f.instrument}) бойынша ${f.leg === "payment" ? `${money(f.valueTiyn, l)} төлеу` : `${kg(f.quantityKg, l)} жеткізу`} мерзімі ${f.stage === "before" ? "ертең: " : "келді: "}${time(f.dueMs, l)}, ${EXCHANGE_TIME_NAME[l]}.`;
    case "default":
      return `${f.obligation} міндеттемесін (мәміле ${f.tradeId}, ${f.instrument}) ${f.party === "buyer" ? "сатып алушы" : "сатушы"} орындамады: ұсталды ${money(f.forfeitedTiyn, l)}, айыппұл ${money(f.penaltyTiyn, l)}, талап ${money(f.claimTiyn, l)}.`;
    case "deal":
      return `${f.seller} шоты ${f.account} шотына ${f.deal} адрестік мәмілесін ұсынады: ${f.instrument} ${kg(f.quantityKg, l)} ${price(f.priceTiynPerTonne, l)} бағасымен. Оны сессия жабылғанға дейін терминалда қабылдаңыз немесе қабылдамаңыз.`;
    case "void":
      return `${f.tradeId} мәмілесін (${f.instrument} ${kg(f.quantityKg, l)} ${price(f.priceTiynPerTonne, l)} бағасымен, ${f.seller} шотынан ${f.buyer} шотына) оператор ереже бұзылғаны үшін жойды: ${f.rule}. Себебі: ${f.reason}. ${f.obligation} міндеттемесі кері қайтарылды: ол бойынша төлем де, жеткізу де талап етілмейді.`;
  }
};

const WORDS: Readonly<Record<Language, Words>> = { en: EN, ru: RU, kk: KK };

const FOOTER: Readonly<Record<Language, string>> = {
  en: "sauda exchange. You receive this because your member chose e-mail for this kind of notification (Account page).",
  ru: "Биржа sauda. Вы получили это письмо, потому что участник выбрал e-mail для таких уведомлений (страница «Аккаунт»).",
  kk: "sauda биржасы. Бұл хатты қатысушы осындай хабарламаларға e-mail таңдағандықтан алдыңыз («Аккаунт» беті).",
};

/** The one-sentence text of a notification, in the language. */
export function noticeSentence(facts: NoticeFacts, language: Language): string {
  return WORDS[language](facts, language);
}

/** The e-mail of a notification, in the language. */
export function noticeMail(notice: Notice, language: Language): NoticeMail {
  const subject = `sauda: ${SUBJECTS[language][notice.facts.kind]} (${notice.member})`;
  const text = `${noticeSentence(notice.facts, language)}\n\n${time(notice.timeMs, language)}, ${EXCHANGE_TIME_NAME[language]}. ${notice.id}\n\n-- \n${FOOTER[language]}\n`;
  return { subject, text };
}
