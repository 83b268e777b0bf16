/**
 * Phrases: the free-text parts of error details that code writes in English — what a refused caller wanted to do
 * (`action`: "place orders"), and the roles and words sentences name — in Russian and Kazakh, so that a sentence in
 * those languages has no English left in it. The English phrase is the key (the code of the phrase: the details on
 * the wire keep it unchanged); a phrase with variable parts is a pattern with `{0}`, `{1}`, whose parts are
 * themselves translated (a nested action) or, when whole numbers, grouped in the reader's way.
 *
 * Forms. Russian actions are infinitives ("не может {action}", "чтобы {action}"); Kazakh ones verbal nouns ("мынаны
 * істей алмайды: {action}").
 *
 * Promise: `translatePhrase` returns a translation for every phrase here, and the phrase as given for any other (a
 * value the catalogue does not know is shown, never dropped). test/i18n/phrases.test.ts finds every action phrase
 * the source code passes and fails when one has no translation here.
 */

import { formatDate, formatInteger, type Language } from "./locale.ts";

type Translated = { readonly ru: string; readonly kk: string };

/** Actions: what the callers of requireRole / requireUser / requireConsoleRead … and `action` details name. */
export const ACTION_PHRASES: Readonly<Record<string, Translated>> = {
  "accept negotiated deals": { ru: "принимать адресные сделки", kk: "атаулы мәмілелерді қабылдау" },
  "answer negotiated deals": { ru: "отвечать на адресные сделки", kk: "атаулы мәмілелерге жауап беру" },
  "approve applications": { ru: "одобрять заявления об аккредитации", kk: "аккредиттеу өтініштерін мақұлдау" },
  "exclude members": { ru: "исключать участников", kk: "қатысушыларды шығару" },
  "list applications": { ru: "просматривать заявления об аккредитации", kk: "аккредиттеу өтініштерінің тізімін көру" },
  "open extra sessions": { ru: "открывать дополнительные сессии", kk: "қосымша сессияларды ашу" },
  "read clearing reports": { ru: "читать клиринговые отчёты", kk: "клирингтік есептерді оқу" },
  "read negotiated deals": { ru: "читать адресные сделки", kk: "атаулы мәмілелерді оқу" },
  "read re-offers": { ru: "просматривать повторные выставления", kk: "қайта ұсыныстарды көру" },
  "refuse applications": { ru: "отказывать в аккредитации", kk: "аккредиттеуден бас тарту" },
  "register negotiated deals": { ru: "регистрировать адресные сделки", kk: "атаулы мәмілелерді тіркеу" },
  "add members": { ru: "добавлять участников", kk: "қатысушыларды қосу" },
  "amend orders": { ru: "изменять заявки", kk: "өтінімдерді өзгерту" },
  "be closed before it is reviewed": {
    ru: "быть закрытым до рассмотрения",
    kk: "қаралмай тұрып жабылу",
  },
  "be taken under review": { ru: "быть взятым на рассмотрение", kk: "қарауға алыну" },
  buy: { ru: "покупать", kk: "сатып алу" },
  sell: { ru: "продавать", kk: "сату" },
  "cancel orders": { ru: "снимать заявки", kk: "өтінімдерді жою" },
  "change clearing terms": { ru: "менять условия клиринга", kk: "клиринг шарттарын өзгерту" },
  "change the surveillance configuration": {
    ru: "менять настройки надзора",
    kk: "қадағалау баптауларын өзгерту",
  },
  "change trading phases": { ru: "менять торговые фазы", kk: "сауда кезеңдерін өзгерту" },
  "confirm a second factor": { ru: "подтверждать второй фактор", kk: "екінші факторды растау" },
  "confirm arrivals": { ru: "подтверждать прибытие", kk: "келуін растау" },
  "confirm settlement": { ru: "подтверждать расчёты", kk: "есеп айырысуды растау" },
  "create API keys": { ru: "создавать API-ключи", kk: "API кілттерін құру" },
  "create users": { ru: "создавать пользователей", kk: "пайдаланушыларды құру" },
  "enter orders over FIX": { ru: "вводить заявки по FIX", kk: "FIX арқылы өтінім беру" },
  "export e-invoices": { ru: "выгружать электронные счета-фактуры", kk: "электрондық шот-фактураларды түсіру" },
  "hold gas for sale": { ru: "держать газ под продажу", kk: "газды сатуға ұстау" },
  "list API keys": { ru: "просматривать API-ключи", kk: "API кілттерінің тізімін көру" },
  "list accounts": { ru: "просматривать счета", kk: "шоттар тізімін көру" },
  "list instruments": { ru: "просматривать инструменты", kk: "құралдар тізімін көру" },
  "list members": { ru: "просматривать участников", kk: "қатысушылар тізімін көру" },
  "list obligations": { ru: "просматривать обязательства", kk: "міндеттемелер тізімін көру" },
  "list stations": { ru: "просматривать станции", kk: "станциялар тізімін көру" },
  "list users": { ru: "просматривать пользователей", kk: "пайдаланушылар тізімін көру" },
  "open a surveillance case": { ru: "открывать дело надзора", kk: "қадағалау ісін ашу" },
  "open accounts": { ru: "открывать счета", kk: "шот ашу" },
  "place orders": { ru: "подавать заявки", kk: "өтінім беру" },
  "plan supply": { ru: "планировать поставки", kk: "жеткізілімді жоспарлау" },
  "read a surveillance alert": { ru: "читать сигнал надзора", kk: "қадағалау дабылын оқу" },
  "read a surveillance alert's evidence": {
    ru: "читать доказательства сигнала надзора",
    kk: "қадағалау дабылының дәлелдерін оқу",
  },
  "read a surveillance case": { ru: "читать дело надзора", kk: "қадағалау ісін оқу" },
  "read a suspicious-transaction report": {
    ru: "читать сообщение о подозрительной сделке",
    kk: "күдікті мәміле туралы хабарламаны оқу",
  },
  "read balances": { ru: "смотреть остатки", kk: "қалдықтарды көру" },
  "read calendars": { ru: "смотреть календари", kk: "күнтізбелерді көру" },
  "read contracts": { ru: "читать договоры", kk: "шарттарды оқу" },
  "read deliveries by region": { ru: "смотреть поставки по регионам", kk: "өңірлер бойынша жеткізілімді көру" },
  "read diversions": { ru: "смотреть перенаправления газа", kk: "газдың бағыттан ауытқуын көру" },
  "read fills": { ru: "смотреть исполнения", kk: "орындалуларды көру" },
  "read groups of persons": { ru: "смотреть группы лиц", kk: "тұлғалар топтарын көру" },
  "read instruments": { ru: "смотреть инструменты", kk: "құралдарды көру" },
  "read obligations": { ru: "смотреть обязательства", kk: "міндеттемелерді көру" },
  "read orders": { ru: "смотреть заявки", kk: "өтінімдерді көру" },
  "read safeguards": { ru: "смотреть защитные механизмы", kk: "қорғаныс тетіктерін көру" },
  "read security alerts": { ru: "читать сигналы безопасности", kk: "қауіпсіздік дабылдарын оқу" },
  "read shipments": { ru: "смотреть отгрузки", kk: "жөнелтілімдерді көру" },
  "read statements": { ru: "читать выписки", kk: "үзінді көшірмелерді оқу" },
  "read stations": { ru: "смотреть станции", kk: "станцияларды көру" },
  "read supply obligations": { ru: "смотреть обязательства по поставкам", kk: "жеткізу міндеттемелерін көру" },
  "read surveillance alerts": { ru: "читать сигналы надзора", kk: "қадағалау дабылдарын оқу" },
  "read surveillance cases": { ru: "читать дела надзора", kk: "қадағалау істерін оқу" },
  "read surveillance statistics": { ru: "смотреть статистику надзора", kk: "қадағалау статистикасын көру" },
  "read the VAT schedule": { ru: "смотреть график ставок НДС", kk: "ҚҚС мөлшерлемелерінің кестесін көру" },
  "read the audit trail": { ru: "читать журнал аудита", kk: "аудит журналын оқу" },
  "read the market overview": { ru: "смотреть обзор рынка", kk: "нарыққа шолуды көру" },
  "read the metrics": { ru: "смотреть метрики", kk: "метрикаларды көру" },
  "read the order report": { ru: "читать отчёт о заявках", kk: "өтінімдер есебін оқу" },
  "read the surveillance configuration": { ru: "смотреть настройки надзора", kk: "қадағалау баптауларын көру" },
  "read the weekly summary": { ru: "читать недельную сводку", kk: "апталық жиынтықты оқу" },
  "record groups of persons": { ru: "записывать группы лиц", kk: "тұлғалар топтарын жазу" },
  "record shipments": { ru: "записывать отгрузки", kk: "жөнелтілімдерді жазу" },
  "register stations": { ru: "регистрировать станции", kk: "станцияларды тіркеу" },
  "remove a second factor": { ru: "отключать второй фактор", kk: "екінші факторды өшіру" },
  "remove a user's second factor": {
    ru: "отключать второй фактор пользователя",
    kk: "пайдаланушының екінші факторын өшіру",
  },
  "resume trading": { ru: "возобновлять торги", kk: "сауданы қайта бастау" },
  "revoke API keys": { ru: "отзывать API-ключи", kk: "API кілттерін кері қайтару" },
  "save a language": { ru: "сохранять язык", kk: "тілді сақтау" },
  "set calendars": { ru: "задавать календари", kk: "күнтізбелерді белгілеу" },
  "set reference prices": { ru: "задавать справочные цены", kk: "анықтамалық бағаларды белгілеу" },
  "set safeguards": { ru: "задавать защитные механизмы", kk: "қорғаныс тетіктерін белгілеу" },
  "set the VAT rate": { ru: "задавать ставку НДС", kk: "ҚҚС мөлшерлемесін белгілеу" },
  "set up a second factor": { ru: "включать второй фактор", kk: "екінші факторды қосу" },
  "suspend instruments": { ru: "приостанавливать инструменты", kk: "құралдарды тоқтата тұру" },
  "take the drop copy": { ru: "получать копию исполнений (drop copy)", kk: "орындалулар көшірмесін (drop copy) алу" },
  "use cancel-on-disconnect": {
    ru: "пользоваться снятием заявок при разрыве связи",
    kk: "байланыс үзілгенде өтінімдерді жоюды пайдалану",
  },
  "use this connection (the session ended)": {
    ru: "пользоваться этим соединением (сеанс завершён)",
    kk: "бұл қосылымды пайдалану (сеанс аяқталды)",
  },
  "verify contracts": { ru: "проверять договоры", kk: "шарттарды тексеру" },
  "void trades": { ru: "аннулировать сделки", kk: "мәмілелерді жою" },
  "disable users": { ru: "отключать пользователей", kk: "пайдаланушыларды өшіру" },
  "enable users": { ru: "включать пользователей", kk: "пайдаланушыларды қосу" },
  "suspend members": { ru: "приостанавливать участников", kk: "қатысушыларды тоқтата тұру" },
  "reinstate members": { ru: "восстанавливать участников", kk: "қатысушыларды қалпына келтіру" },
  "book deposits": { ru: "проводить зачисления денег", kk: "ақша түсімдерін жазу" },
  "book withdrawals": { ru: "проводить выводы денег", kk: "ақша шығаруды жазу" },
  "book gas declarations": { ru: "проводить декларации газа", kk: "газ декларацияларын жазу" },
  "book gas withdrawals": { ru: "проводить вывод газа", kk: "газ шығаруды жазу" },
  "read book": { ru: "смотреть стакан", kk: "өтінімдер кітабын көру" },
  "read trades": { ru: "смотреть сделки", kk: "мәмілелерді көру" },
  "read quote": { ru: "смотреть котировку", kk: "баға белгілеуді көру" },
  "read phase": { ru: "смотреть фазу торгов", kk: "сауда кезеңін көру" },
  "read surveillance": { ru: "смотреть надзор", kk: "қадағалауды көру" },
};

/**
 * Other free text in details — what money or gas was for (`purpose`), why a request was refused (`reason`), what a
 * valid value looks like (`rule`), what a rule applies to (`what`) — for the ones people meet through the pages and
 * the commonest of a program's mistakes. Ones with numbers are patterns (below).
 */
export const TEXT_PHRASES: Readonly<Record<string, Translated>> = {
  "the withdrawal": { ru: "вывод", kk: "шығару" },
  "the order": { ru: "заявка", kk: "өтінім" },
  "the order's guarantee deposit and fee": {
    ru: "гарантийный взнос и сбор по заявке",
    kk: "өтінім бойынша кепілдік жарна мен алым",
  },
  "the amended order": { ru: "изменённая заявка", kk: "өзгертілген өтінім" },
  "the amended order's extra deposit": {
    ru: "дополнительный взнос по изменённой заявке",
    kk: "өзгертілген өтінім бойынша қосымша жарна",
  },
  "it is not a buyer's account": { ru: "это не счёт покупателя", kk: "бұл сатып алушының шоты емес" },
  "it is not a seller's account": { ru: "это не счёт продавца", kk: "бұл сатушының шоты емес" },
  "you cannot disable your own user": {
    ru: "нельзя отключить собственного пользователя",
    kk: "өз пайдаланушыңызды өшіруге болмайды",
  },
  "name at least one safeguard to change": {
    ru: "укажите хотя бы один защитный механизм для изменения",
    kk: "өзгертетін кемінде бір қорғаныс тетігін көрсетіңіз",
  },
  "name at least one part of the calendar to change": {
    ru: "укажите хотя бы одну часть календаря для изменения",
    kk: "күнтізбенің өзгертетін кемінде бір бөлігін көрсетіңіз",
  },
  "a region's halt names the region, and only it": {
    ru: "остановка по региону называет регион, и только его",
    kk: "өңір бойынша тоқтату өңірді ғана атайды",
  },
  "an instrument's halt names the instrument, and only it": {
    ru: "остановка по инструменту называет инструмент, и только его",
    kk: "құрал бойынша тоқтату құралды ғана атайды",
  },
  "the key's user is disabled": { ru: "пользователь ключа отключён", kk: "кілттің пайдаланушысы өшірілген" },
  "unknown or revoked key": { ru: "ключ неизвестен или отозван", kk: "кілт белгісіз немесе кері қайтарылған" },
  "the body is not valid JSON": { ru: "тело запроса не является корректным JSON", kk: "сұрау денесі дұрыс JSON емес" },
  "the message is not valid JSON": { ru: "сообщение не является корректным JSON", kk: "хабарлама дұрыс JSON емес" },
  "auction cannot uncross without a reference price; the operator must set one": {
    ru: "аукцион не может определить цену без справочной цены; её должен задать оператор",
    kk: "аукцион анықтамалық бағасыз бағаны анықтай алмайды; оны оператор белгілеуі керек",
  },
  "only market orders are executable": {
    ru: "исполнимы только рыночные заявки",
    kk: "тек нарықтық өтінімдер ғана орындалады",
  },
  "only GTD orders expire": { ru: "срок истекает только у заявок GTD", kk: "мерзімі тек GTD өтінімдерінде бітеді" },
  "a month is YYYY-MM": { ru: "месяц записывается как ГГГГ-ММ", kk: "ай ЖЖЖЖ-АА түрінде жазылады" },
  "a delivery period is a month, YYYY-MM": {
    ru: "период поставки — месяц, ГГГГ-ММ",
    kk: "жеткізу кезеңі — ай, ЖЖЖЖ-АА",
  },
  "buyer eligibility": { ru: "допуск покупателей", kk: "сатып алушыларды жіберу" },
  "changing clearing terms": { ru: "изменение условий клиринга", kk: "клиринг шарттарын өзгерту" },
};

/** Phrases with variable parts: English with `{0}`, `{1}` → Russian, Kazakh. A part is translated in turn. */
const PATTERNS: readonly (readonly [string, string, string])[] = [
  ["paying obligation '{0}'", "оплата обязательства '{0}'", "'{0}' міндеттемесін төлеу"],
  [
    "a name is 1 to {0} characters without control characters",
    "имя — от 1 до {0} символов без управляющих символов",
    "атауы — басқару таңбаларынсыз 1-ден {0}-ге дейін таңба",
  ],
  ["a note is 1 to {0} characters", "заметка — от 1 до {0} символов", "жазба — 1-ден {0}-ге дейін таңба"],
  [
    "every such change needs a reason of 1 to {0} characters",
    "каждое такое изменение требует причины от 1 до {0} символов",
    "әр осындай өзгеріске 1-ден {0}-ге дейін таңбадан тұратын себеп керек",
  ],
  [
    "every change of access needs a reason of 1 to {0} characters",
    "каждое изменение доступа требует причины от 1 до {0} символов",
    "қолжетімділіктің әр өзгерісіне 1-ден {0}-ге дейін таңбадан тұратын себеп керек",
  ],
  [
    "a quantity is a whole number of kg from 1 to the {0} kg not yet dispatched",
    "количество — целое число кг от 1 до ещё не отгруженных {0} кг",
    "мөлшер — 1-ден әлі жөнелтілмеген {0} кг-ға дейінгі бүтін кг саны",
  ],
  [
    "a plate or wagon number is 1 to {0} characters without control characters",
    "номер машины или вагона — от 1 до {0} символов без управляющих символов",
    "көлік немесе вагон нөмірі — басқару таңбаларынсыз 1-ден {0}-ге дейін таңба",
  ],
  [
    "a waybill number is 1 to {0} characters without control characters",
    "номер накладной — от 1 до {0} символов без управляющих символов",
    "жүкқұжат нөмірі — басқару таңбаларынсыз 1-ден {0}-ге дейін таңба",
  ],
  [
    "the rate is a whole number of basis points from 0 to {0} (1200 = 12%)",
    "ставка — целое число базисных пунктов от 0 до {0} (1200 = 12%)",
    "мөлшерлеме — 0-ден {0}-ге дейінгі базистік тармақтардың бүтін саны (1200 = 12%)",
  ],
  [
    "a dispatch date is a real date YYYY-MM-DD from {0} to {1}",
    "дата отгрузки — настоящая дата ГГГГ-ММ-ДД с {0} по {1}",
    "жөнелту күні — {0} мен {1} аралығындағы нақты ЖЖЖЖ-АА-КК күні",
  ],
  ["week {0} is not a Monday", "неделя {0} начинается не с понедельника", "{0} аптасы дүйсенбіден басталмайды"],
  [
    "toMs {0} must be after fromMs {1}",
    "toMs {0} должен быть позже fromMs {1}",
    "toMs {0} fromMs {1} кейін болуы керек",
  ],
  [
    "{0} through an API key (sign in with a password)",
    "{0} через API-ключ (войдите с паролем)",
    "API кілті арқылы: {0} (құпиясөзбен кіріңіз)",
  ],
  [
    "change the reference price {0} of '{1}' (it centres the regulator's price band)",
    "менять справочную цену {0} инструмента '{1}' (она задаёт середину ценового коридора регулятора)",
    "'{1}' құралының {0} анықтамалық бағасын өзгерту (ол реттеушінің баға дәлізінің ортасы)",
  ],
];

/** Roles (engine/access.ts) as words. */
const ROLES: Readonly<Record<string, Translated>> = {
  operator: { ru: "оператор", kk: "оператор" },
  regulator: { ru: "регулятор", kk: "реттеуші" },
  trader: { ru: "трейдер", kk: "трейдер" },
  viewer: { ru: "наблюдатель", kk: "бақылаушы" },
  administrator: { ru: "администратор", kk: "әкімші" },
};

/**
 * Codes that summaries name as words: members' roles (engine/members.ts), trading modes and phases
 * (engine/phases.ts), outage kinds, halt scopes — beside the users' roles above.
 */
const CODE_WORDS: Readonly<Record<string, Translated>> = {
  ...ROLES,
  producer: { ru: "производитель", kk: "өндіруші" },
  buyer: { ru: "покупатель", kk: "сатып алушы" },
  broker: { ru: "брокер", kk: "брокер" },
  continuous: { ru: "непрерывные торги", kk: "үздіксіз сауда" },
  call: { ru: "аукцион", kk: "аукцион" },
  closed: { ru: "закрыт", kk: "жабық" },
  collection: { ru: "сбор заявок", kk: "өтінімдер жинау" },
  uncross: { ru: "определение цены аукциона", kk: "аукцион бағасын анықтау" },
  halted: { ru: "приостановлен", kk: "тоқтатылған" },
  planned: { ru: "плановый", kk: "жоспарлы" },
  unplanned: { ru: "внеплановый", kk: "жоспардан тыс" },
  market: { ru: "весь рынок", kk: "бүкіл нарық" },
  region: { ru: "регион", kk: "өңір" },
  instrument: { ru: "инструмент", kk: "құрал" },
};

/** Codes whose word depends on the field that holds them (an order's type "market" is not the whole market). */
const FIELD_WORDS: Readonly<Record<string, Readonly<Record<string, Translated>>>> = {
  orderType: {
    limit: { ru: "лимитная", kk: "лимиттік" },
    market: { ru: "рыночная", kk: "нарықтық" },
  },
  tif: {
    GTC: { ru: "до отмены", kk: "бас тартылғанға дейін" },
    DAY: { ru: "на день", kk: "күн ішінде" },
    GTD: { ru: "до даты", kk: "көрсетілген күнге дейін" },
    IOC: { ru: "исполнить или снять", kk: "дереу орындау немесе бас тарту" },
    FOK: { ru: "всё или ничего", kk: "толық орындау немесе бас тарту" },
  },
};

/**
 * A code (a role, a phase, a mode, an outage kind, a halt scope; an order type or time in force when `field` says
 * so) as a word in the language; as given when unknown.
 */
export function codeWord(code: string, language: Language, field?: string): string {
  if (language === "en") return code;
  const table = (field === undefined ? undefined : FIELD_WORDS[field]) ?? CODE_WORDS;
  return Object.hasOwn(table, code) ? table[code]![language] : code;
}

function patternRegExp(english: string): RegExp {
  const escaped = english.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\{\d\}/g, "(.+?)")}$`);
}
const COMPILED = PATTERNS.map(([english, ru, kk]) => ({ english, regExp: patternRegExp(english), ru, kk }));

/** The phrase in the language; as given when the catalogue does not know it (or for English). */
export function translatePhrase(text: string, language: Language): string {
  if (language === "en") return text;
  const exact = ACTION_PHRASES[text] ?? TEXT_PHRASES[text];
  if (exact !== undefined) return exact[language];
  for (const pattern of COMPILED) {
    const match = pattern.regExp.exec(text);
    if (match === null) continue;
    const parts = match
      .slice(1)
      .map((part) =>
        /^-?\d+$/.test(part)
          ? formatInteger(part, language)
          : /^\d{4}-\d{2}-\d{2}$/.test(part)
            ? formatDate(part, language)
            : translatePhrase(part, language),
      );
    return pattern[language].replace(/\{(\d)\}/g, (_, index: string) => parts[Number(index)] ?? "?");
  }
  return text;
}

/** Whether the catalogue has the phrase (exactly or by a pattern), for the test. */
export function knowsPhrase(text: string): boolean {
  return (
    Object.hasOwn(ACTION_PHRASES, text) ||
    Object.hasOwn(TEXT_PHRASES, text) ||
    COMPILED.some((pattern) => pattern.regExp.test(text))
  );
}

/** A role named in the language; as given when unknown. */
export function roleWord(role: string, language: Language): string {
  if (language === "en") return role;
  return ROLES[role]?.[language] ?? role;
}

/** The English patterns, for the test. */
export const PHRASE_PATTERNS: readonly string[] = PATTERNS.map(([english]) => english);
