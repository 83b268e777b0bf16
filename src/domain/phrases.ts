/**
 * Phrases: the free-text parts of error details that code writes in English — what a refused caller wanted to do
 * (`action`: "place orders"), and the roles and words sentences name — in Russian and Kazakh, so that a sentence in
 * those languages has no English left in it. The English phrase is the key (the code of the phrase: the details on
 * the wire keep it unchanged); a phrase with variable parts is a pattern with `{0}`, `{1}`, whose parts are
 * themselves translated (a nested action, else a code word such as a role), numbers grouped in the reader's way with
 * a decimal comma, dates as dd.MM.yyyy (`{0!}` in a translation: the part as written, for a year).
 *
 * Forms. Russian actions are infinitives ("не может {action}", "чтобы {action}"); Kazakh ones verbal nouns ("мынаны
 * істей алмайды: {action}").
 *
 * Promise: `translatePhrase` returns a translation for every phrase here, and the phrase as given for any other (a
 * value the catalogue does not know is shown, never dropped). test/i18n/phrases.test.ts finds every action phrase
 * the source code passes, and every rule, reason and purpose text src/engine and src/gateway write into error details,
 * and fails when one has no translation here.
 */

import {
  EXCHANGE_TIME_NAME,
  formatDate,
  formatDurationWords,
  formatInteger,
  formatPercentBps,
  formatPriceTiynPerTonne,
  formatTimeMs,
  type Language,
} from "./locale.ts";

type Translated = { readonly ru: string; readonly kk: string };

/** Actions: what the callers of requireRole / requireUser / requireConsoleRead … and `action` details name. */
export const ACTION_PHRASES: Readonly<Record<string, Translated>> = {
  "accept negotiated deals": { ru: "принимать адресные сделки", kk: "атаулы мәмілелерді қабылдау" },
  "answer negotiated deals": { ru: "отвечать на адресные сделки", kk: "атаулы мәмілелерге жауап беру" },
  "read the accreditation tariff": { ru: "читать тариф аккредитации", kk: "аккредиттеу тарифін оқу" },
  "set the accreditation tariff": { ru: "устанавливать тариф аккредитации", kk: "аккредиттеу тарифін белгілеу" },
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
  "make this request": { ru: "выполнить этот запрос", kk: "бұл сұрауды орындау" },
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
  "change notification settings": { ru: "менять настройки уведомлений", kk: "хабарлама баптауларын өзгерту" },
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
  "publish an outage": { ru: "раскрывать простой", kk: "тоқтап тұруды жариялау" },
  "read a policy lab run": {
    ru: "смотреть расчёт лаборатории регулирования",
    kk: "саясат зертханасының есептеуін көру",
  },
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
  "run a policy lab simulation": {
    ru: "запускать расчёт в лаборатории регулирования",
    kk: "саясат зертханасында есептеу жүргізу",
  },
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
 * valid value looks like (`rule`), what a rule applies to (`what`) — for every one the engine and the gateway write.
 * Ones with numbers are patterns (below).
 */
export const TEXT_PHRASES: Readonly<Record<string, Translated>> = {
  // The `context` of ORDER_TIF_NOT_ALLOWED (engine/market.ts; "not allowed for …": genitive in Russian) and of
  // ORDER_POST_ONLY_INVALID (engine/engine.ts; "given with …": "указано для …" in Russian).
  "an auction's order collection": { ru: "сбора заявок аукциона", kk: "аукционның өтінімдер жинау кезеңі" },
  "limit orders in an auction's order collection": {
    ru: "лимитных заявок в период сбора заявок аукциона",
    kk: "аукционның өтінімдер жинау кезеңіндегі лимиттік өтінімдер",
  },
  "a market order": { ru: "для рыночной заявки", kk: "нарықтық өтінім" },
  // PHASE_TRANSITION_INVALID's `allowed` when it is not a plain list of phases (domain/messages.ts, phasesText).
  none: { ru: "нет", kk: "жоқ" },
  // The fields a safeguards or clearing-terms check names first in its reason ("ceiling 150 must be a price on the
  // tick 100", engine/safeguards.ts and engine.ts): said in words, as the bulletin names them (safeguard-words.ts).
  ceiling: { ru: "предельная цена", kk: "шекті баға" },
  floor: { ru: "минимальная цена", kk: "ең төменгі баға" },
  "ceiling path step": { ru: "ступень предельной цены", kk: "шекті баға сатысы" },
  bandBps: { ru: "ценовой коридор", kk: "баға дәлізі" },
  breakerBps: { ru: "порог приостановки торгов", kk: "сауданы тоқтата тұру шегі" },
  breakerAuctionMs: { ru: "аукцион после приостановки", kk: "тоқтатудан кейінгі аукцион" },
  resumptionAuctionMs: { ru: "аукцион при возобновлении", kk: "қайта бастаудағы аукцион" },
  maxShareBps: { ru: "наибольшая доля предложения на покупателя", kk: "бір сатып алушыға ұсыныстың ең үлкен үлесі" },
  maxActiveOrders: { ru: "предел активных заявок на счёт", kk: "шоттағы белсенді өтінімдер шегі" },
  maxLotsPerOrder: { ru: "предел лотов в заявке", kk: "өтінімдегі лоттар шегі" },
  paymentWindowMs: { ru: "срок оплаты", kk: "төлем мерзімі" },
  deliveryWindowMs: { ru: "срок поставки", kk: "жеткізу мерзімі" },
  // The clearing terms' rates (engine.ts, checkClearingTerms), as the contract and statements name them (labels.ts).
  collateralBps: { ru: "ставка гарантийного взноса", kk: "кепілдік жарна мөлшерлемесі" },
  feeBps: { ru: "ставка биржевого сбора", kk: "биржалық алым мөлшерлемесі" },
  sellerPenaltyBps: {
    ru: "ставка неустойки продавца за непоставку",
    kk: "сатушының жеткізбеуі үшін айыппұл мөлшерлемесі",
  },
  "an extra session opens from closed": {
    ru: "дополнительная сессия открывается из фазы «закрыт»",
    kk: "қосымша сессия «жабық» кезеңінен ашылады",
  },
  "none by hand: a halt ends with the regulator's resume": {
    ru: "вручную никакие: приостановка заканчивается возобновлением торгов регулятором",
    kk: "қолмен ешқайсысы: тоқтата тұру реттеушінің сауданы қайта бастауымен аяқталады",
  },
  "the book is crossed: trading reopens through an auction": {
    ru: "книга заявок пересечена: торги возобновляются через аукцион",
    kk: "өтінімдер кітабы қиылысқан: сауда аукцион арқылы қайта басталады",
  },
  "a broker's client pays no deposit of its own: 0": {
    ru: "клиент брокера не вносит собственного взноса: 0",
    kk: "брокер клиенті өз жарнасын енгізбейді: 0",
  },
  // Write forwarding between nodes (gateway/forwarding.ts): LEADER_UNAVAILABLE's and FORWARDING_INVALID's reasons.
  "no node leads the journal yet": {
    ru: "ни один узел пока не ведёт журнал",
    kk: "журналды әзірге ешбір түйін жүргізбейді",
  },
  "the leader could not be reached, nothing was changed": {
    ru: "ведущий узел недоступен, изменение не сделано",
    kk: "жетекші түйінге қосылу мүмкін болмады, өзгеріс жасалмады",
  },
  "the leader's answer was lost, the change may have been made": {
    ru: "ответ ведущего узла потерян, изменение могло быть сделано",
    kk: "жетекші түйіннің жауабы жоғалды, өзгеріс жасалған болуы мүмкін",
  },
  "it is not a mark this exchange's nodes make": {
    ru: "такую отметку узлы этой биржи не ставят",
    kk: "бұл биржаның түйіндері мұндай белгі қоймайды",
  },
  "it is more than 30 s old": { ru: "ей больше 30 с", kk: "оған 30 с-тан астам уақыт өткен" },
  "it was already received": { ru: "она уже была получена", kk: "ол бұрын алынған" },
  "the withdrawal": { ru: "вывод", kk: "шығару" },
  "a time in milliseconds": { ru: "время в миллисекундах", kk: "миллисекундпен берілген уақыт" },
  "null, or after the attempt when it failed and was not the last": {
    ru: "null или время после попытки, если она не удалась и не была последней",
    kk: "null немесе сәтсіз және соңғы емес әрекеттен кейінгі уақыт",
  },
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
  // HALT_SCOPE_INVALID's reasons for the scope a halt or resumption chose (routes/regulator/halts.ts).
  "the market's halt names no region or instrument": {
    ru: "остановка всего рынка не называет ни региона, ни инструмента",
    kk: "бүкіл нарықты тоқтату өңірді де, құралды да атамайды",
  },
  "the market's resumption names no region or instrument": {
    ru: "возобновление всего рынка не называет ни региона, ни инструмента",
    kk: "бүкіл нарықты қайта бастау өңірді де, құралды да атамайды",
  },
  "a region's halt needs the region (region)": {
    ru: "для остановки по региону укажите регион (region)",
    kk: "өңір бойынша тоқтату үшін өңірді көрсетіңіз (region)",
  },
  "a region's resumption needs the region (region)": {
    ru: "для возобновления по региону укажите регион (region)",
    kk: "өңір бойынша қайта бастау үшін өңірді көрсетіңіз (region)",
  },
  "a region's halt names no instrument": {
    ru: "остановка по региону не называет инструмент",
    kk: "өңір бойынша тоқтату құралды атамайды",
  },
  "a region's resumption names no instrument": {
    ru: "возобновление по региону не называет инструмент",
    kk: "өңір бойынша қайта бастау құралды атамайды",
  },
  "an instrument's halt needs the instrument (instrument)": {
    ru: "для остановки по инструменту укажите инструмент (instrument)",
    kk: "құрал бойынша тоқтату үшін құралды көрсетіңіз (instrument)",
  },
  "an instrument's resumption needs the instrument (instrument)": {
    ru: "для возобновления по инструменту укажите инструмент (instrument)",
    kk: "құрал бойынша қайта бастау үшін құралды көрсетіңіз (instrument)",
  },
  "an instrument's halt names no region": {
    ru: "остановка по инструменту не называет регион",
    kk: "құрал бойынша тоқтату өңірді атамайды",
  },
  "an instrument's resumption names no region": {
    ru: "возобновление по инструменту не называет регион",
    kk: "құрал бойынша қайта бастау өңірді атамайды",
  },
  // AUTH_SIGNATURE_INVALID's reasons for a signed request the replay guard refused (gateway/auth.ts).
  "the signature does not match the request": {
    ru: "подпись не соответствует запросу",
    kk: "қолтаңба сұрауға сәйкес келмейді",
  },
  "the timestamp is missing or more than 30 s away from the exchange's clock": {
    ru: "метка времени отсутствует или расходится с часами биржи более чем на 30 с",
    kk: "уақыт белгісі жоқ немесе биржа сағатынан 30 с-тан артық алшақ",
  },
  "this exact request was already received": {
    ru: "точно такой же запрос уже был получен",
    kk: "дәл осындай сұрау бұрын алынған",
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
  "a key that trades must also read: give 'read' with 'trade'": {
    ru: "ключ, который торгует, должен и читать: укажите чтение ('read') вместе с торговлей ('trade')",
    kk: "сауда жасайтын кілт оқи да алуы керек: сауда ('trade') рұқсатымен бірге оқу ('read') рұқсатын көрсетіңіз",
  },
  "only GTD orders expire": { ru: "срок истекает только у заявок GTD", kk: "мерзімі тек GTD өтінімдерінде бітеді" },
  "a month is YYYY-MM": { ru: "месяц записывается как ГГГГ-ММ", kk: "ай ЖЖЖЖ-АА түрінде жазылады" },
  "a delivery period is a month, YYYY-MM": {
    ru: "период поставки — месяц, ГГГГ-ММ",
    kk: "жеткізу кезеңі — ай, ЖЖЖЖ-АА",
  },
  "buyer eligibility": { ru: "допуск покупателей", kk: "сатып алушыларды жіберу" },
  "changing clearing terms": { ru: "изменение условий клиринга", kk: "клиринг шарттарын өзгерту" },
  // Rules and reasons of the engine and the gateway (test/i18n/phrases.test.ts finds them in the source).
  "exactly 12 digits": { ru: "ровно 12 цифр", kk: "дәл 12 цифр" },
  "a buyer names its category": { ru: "покупатель указывает свою категорию", kk: "сатып алушы өз санатын көрсетеді" },
  "a client names the accredited broker it trades through": {
    ru: "клиент указывает аккредитованного брокера, через которого торгует",
    kk: "клиент өзі арқылы сауда жасайтын аккредиттелген брокерді көрсетеді",
  },
  "only a broker's client names a broker": {
    ru: "брокера указывает только клиент брокера",
    kk: "брокерді тек брокердің клиенті көрсетеді",
  },
  "the new member's id": { ru: "идентификатор нового участника", kk: "жаңа қатысушының идентификаторы" },
  "a broker opens no account of its own: null": {
    ru: "брокер не открывает собственного счёта: null",
    kk: "брокер өз шотын ашпайды: null",
  },
  "the application's documents": { ru: "документы заявления", kk: "өтініштің құжаттары" },
  "the state registration certificate's number": {
    ru: "номер справки о государственной регистрации",
    kk: "мемлекеттік тіркеу туралы анықтаманың нөмірі",
  },
  "the VAT registration certificate's number": {
    ru: "номер свидетельства о постановке на учёт по НДС",
    kk: "ҚҚС бойынша тіркеу куәлігінің нөмірі",
  },
  "a member is registered for VAT: name the certificate and its years": {
    ru: "участник состоит на учёте по НДС: укажите свидетельство и число лет",
    kk: "қатысушы ҚҚС бойынша тіркелген: куәлікті және жылдар санын көрсетіңіз",
  },
  "a station's name, region and document reference": {
    ru: "название станции, регион и ссылка на документ",
    kk: "станция атауы, өңірі және құжатқа сілтеме",
  },
  "a buyer needs a buyer category, and only a buyer has one": {
    ru: "покупателю нужна категория покупателя, и она есть только у покупателя",
    kk: "сатып алушыға сатып алушы санаты керек, ол тек сатып алушыда болады",
  },
  "a client account must be allowed to buy, to sell, or both": {
    ru: "клиентскому счёту должно быть разрешено покупать, продавать или и то и другое",
    kk: "клиент шотына сатып алуға, сатуға немесе екеуіне де рұқсат берілуі керек",
  },
  "a client who buys needs a buyer category, and only such a client": {
    ru: "покупающему клиенту нужна категория покупателя, и только ему",
    kk: "сатып алатын клиентке сатып алушы санаты керек, тек соған ғана",
  },
  "the negotiated deal": { ru: "адресная сделка", kk: "атаулы мәміле" },
  "the negotiated deal's guarantee deposit and fee": {
    ru: "гарантийный взнос и сбор по адресной сделке",
    kk: "атаулы мәміле бойынша кепілдік жарна мен алым",
  },
  "expected true or false": { ru: "ожидается true или false", kk: "true немесе false күтіледі" },
  "not a phase": { ru: "это не фаза торгов", kk: "бұл сауда кезеңі емес" },
  "clearing changes must be an object and cannot change the basis": {
    ru: "изменения клиринга должны быть объектом и не могут менять базис",
    kk: "клиринг өзгерістері объект болуы керек және базисті өзгерте алмайды",
  },
  "changes must be an object of safeguard fields": {
    ru: "изменения должны быть объектом с полями защитных механизмов",
    kk: "өзгерістер қорғаныс тетіктері өрістерінің объектісі болуы керек",
  },
  "a region halt names the region": {
    ru: "остановка по региону называет регион",
    kk: "өңір бойынша тоқтату өңірді атайды",
  },
  "a whole number of kg, 0 or more": { ru: "целое число кг, 0 или больше", kk: "кг-ның бүтін саны, 0 немесе одан көп" },
  "expected 'planned' or 'unplanned'": {
    ru: "ожидается 'planned' (плановый) или 'unplanned' (внеплановый)",
    kk: "'planned' (жоспарлы) немесе 'unplanned' (жоспардан тыс) күтіледі",
  },
  "a time in ms since 1970 (UTC)": { ru: "время в мс с 1970 года (UTC)", kk: "1970 жылдан бергі уақыт, мс (UTC)" },
  "at most a year after the current time": {
    ru: "не позже чем через год от текущего времени",
    kk: "ағымдағы уақыттан бір жылдан кешікпей",
  },
  "after fromMs, and at most a year after it": {
    ru: "позже времени начала, но не более чем на год",
    kk: "басталу уақытынан кейін, бірақ одан бір жылдан аспай",
  },
  "an extra session": { ru: "дополнительная сессия", kk: "қосымша сессия" },
  "an extra session's base price is the previous session's weighted average, and there is none": {
    ru: "базовая цена дополнительной сессии — средневзвешенная цена предыдущей сессии, а её нет",
    kk: "қосымша сессияның базалық бағасы — алдыңғы сессияның орташа өлшемді бағасы, ал ол жоқ",
  },
  "a negotiated deal": { ru: "адресная сделка", kk: "атаулы мәміле" },
  "null (Russian) or one of en, ru, kk": {
    ru: "null (русский) или одно из: en, ru, kk",
    kk: "null (орыс тілі) немесе мыналардың бірі: en, ru, kk",
  },
  "name at least one section's fields to change": {
    ru: "укажите поля хотя бы одного раздела для изменения",
    kk: "өзгертетін кемінде бір бөлімнің өрістерін көрсетіңіз",
  },
  "the key's secret cannot be opened with this exchange's secrets key": {
    ru: "секрет ключа нельзя открыть ключом секретов этой биржи",
    kk: "кілттің құпиясын осы биржаның құпиялар кілтімен ашу мүмкін емес",
  },
  "a ClOrdID(11) is 1 to 36 letters, digits or _ . : -": {
    ru: "ClOrdID(11) — от 1 до 36 букв, цифр или _ . : -",
    kk: "ClOrdID(11) — 1–36 әріп, цифр немесе _ . : -",
  },
  "sauda needs the account the order is for": {
    ru: "бирже нужен счёт, для которого подаётся заявка",
    kk: "биржаға өтінім берілетін шот керек",
  },
  "an account id is 1 to 24 letters, digits, _ . -": {
    ru: "идентификатор счёта — от 1 до 24 букв, цифр, _ . -",
    kk: "шот идентификаторы — 1–24 әріп, цифр, _ . -",
  },
  "the instrument id is required": { ru: "нужен идентификатор инструмента", kk: "құрал идентификаторы қажет" },
  "an instrument id is 1 to 64 printable characters": {
    ru: "идентификатор инструмента — от 1 до 64 печатных символов",
    kk: "құрал идентификаторы — 1–64 басылатын таңба",
  },
  "a price is tenge per tonne with at most 2 decimals (whole tiyn)": {
    ru: "цена — тенге за тонну, не более 2 знаков после запятой (целые тиыны)",
    kk: "баға — тоннасына теңге, үтірден кейін 2 таңбадан аспайды (бүтін тиын)",
  },
  "the quantity in tonnes is required": { ru: "нужно количество в тоннах", kk: "тоннамен берілген мөлшер қажет" },
  "a quantity is tonnes with at most 3 decimals (whole kg)": {
    ru: "количество — тонны, не более 3 знаков после запятой (целые кг)",
    kk: "мөлшер — тонна, үтірден кейін 3 таңбадан аспайды (бүтін кг)",
  },
  "a UTCTimestamp YYYYMMDD-HH:MM:SS[.sss]": {
    ru: "UTCTimestamp вида ГГГГММДД-ЧЧ:ММ:СС[.ссс]",
    kk: "ЖЖЖЖААКК-СС:ММ:СС[.ссс] түріндегі UTCTimestamp",
  },
  "sauda takes only 6 (participate don't initiate: post-only)": {
    ru: "биржа принимает только 6 (участвовать, не инициируя: только пассивная заявка)",
    kk: "биржа тек 6 мәнін қабылдайды (бастамашы болмай қатысу: тек пассивті өтінім)",
  },
  "OrigClOrdID(41) or OrderID(37) names the order": {
    ru: "заявку указывает OrigClOrdID(41) или OrderID(37)",
    kk: "өтінімді OrigClOrdID(41) немесе OrderID(37) көрсетеді",
  },
  "sauda takes 1 (one instrument) or 7 (all)": {
    ru: "биржа принимает 1 (один инструмент) или 7 (все)",
    kk: "биржа 1 (бір құрал) немесе 7 (барлығы) мәнін қабылдайды",
  },
  "it has no uncertain inputs (no number with low and high) to draw": {
    ru: "в нём нет неопределённых входных данных (чисел с нижней и верхней границей) для выборки",
    kk: "онда таңдалатын белгісіз кіріс деректер жоқ (төменгі және жоғарғы шегі бар сан жоқ)",
  },
  "the body is not valid UTF-8": {
    ru: "тело запроса не является корректным UTF-8",
    kk: "сұрау денесі дұрыс UTF-8 емес",
  },
  "the URL is not valid UTF-8 (percent-encoding)": {
    ru: "URL не является корректным UTF-8 (процентная кодировка)",
    kk: "URL дұрыс UTF-8 емес (пайыздық кодтау)",
  },
  "messages are JSON text frames": {
    ru: "сообщения — текстовые кадры JSON",
    kk: "хабарламалар — JSON мәтіндік кадрлары",
  },
  "only the book channel takes a depth": {
    ru: "глубину принимает только канал book (стакан)",
    kk: "тереңдікті тек book (өтінімдер кітабы) арнасы қабылдайды",
  },
  "the CSRF token is accepted in the first message only": {
    ru: "CSRF-токен принимается только в первом сообщении",
    kk: "CSRF токені тек бірінші хабарламада қабылданады",
  },
  "a message is a JSON object": { ru: "сообщение — это объект JSON", kk: "хабарлама — JSON объектісі" },
  "candidate prices with surpluses on both sides": {
    ru: "цены-кандидаты с избытком с обеих сторон",
    kk: "екі жақта да артығы бар үміткер бағалар",
  },
  "a calendar is an object": { ru: "календарь — это объект", kk: "күнтізбе — объект" },
  "weekends must be true or false": {
    ru: "weekends (выходные) — true или false",
    kk: "weekends (демалыс күндері) — true немесе false",
  },
  "each session needs open and close times, HH:MM": {
    ru: "каждой сессии нужны время открытия и закрытия, ЧЧ:ММ",
    kk: "әр сессияға ашылу және жабылу уақыты керек, СС:ММ",
  },
  "a password may not be only white space": {
    ru: "пароль не может состоять только из пробелов",
    kk: "құпиясөз тек бос орындардан тұра алмайды",
  },
  "a password may not be one character repeated": {
    ru: "пароль не может быть одним повторённым символом",
    kk: "құпиясөз бір қайталанған таңбадан тұра алмайды",
  },
  "a password may not be the user's own id or name": {
    ru: "пароль не может совпадать с идентификатором или именем пользователя",
    kk: "құпиясөз пайдаланушының өз идентификаторы немесе аты бола алмайды",
  },
  "this password is on the list of common passwords; choose another": {
    ru: "этот пароль есть в списке распространённых паролей; выберите другой",
    kk: "бұл құпиясөз жиі қолданылатын құпиясөздер тізімінде бар; басқасын таңдаңыз",
  },
  "description must be an object": { ru: "description должно быть объектом", kk: "description объект болуы керек" },
  "each ceiling path step needs effectiveFromMs (ms since epoch) and a ceiling": {
    ru: "каждому шагу графика потолка нужны effectiveFromMs (мс от начала эпохи) и потолок",
    kk: "баға шегі кестесінің әр қадамына effectiveFromMs (дәуір басынан бергі мс) мен жоғарғы шек керек",
  },
  "ceiling path steps must be in strictly increasing time order": {
    ru: "шаги графика потолка должны идти строго по возрастанию времени",
    kk: "баға шегі кестесінің қадамдары уақыт бойынша қатаң өсу ретімен болуы керек",
  },
  "eligibleCategories must be null (everyone) or a non-empty list of buyer categories": {
    ru: "eligibleCategories — null (все) или непустой список категорий покупателей",
    kk: "eligibleCategories — null (барлығы) немесе сатып алушы санаттарының бос емес тізімі",
  },
  "the configuration must be a JSON object of rule sections": {
    ru: "конфигурация должна быть объектом JSON из разделов правил",
    kk: "конфигурация ережелер бөлімдерінен тұратын JSON объектісі болуы керек",
  },
  "a number with at most two decimals": {
    ru: "число не более чем с двумя знаками после запятой",
    kk: "үтірден кейін екі таңбадан аспайтын сан",
  },
  "a whole number": { ru: "целое число", kk: "бүтін сан" },
  "candidate prices with equal volume and surplus": {
    ru: "цены-кандидаты с равным объёмом и избытком",
    kk: "көлемі мен артығы тең үміткер бағалар",
  },
};

/** Phrases with variable parts: English with `{0}`, `{1}` → Russian, Kazakh. A part is translated in turn (a
 * phrase, else a code word: a role). A more particular pattern comes before a more general one that would match too. */
const PATTERNS: readonly (readonly [string, string, string])[] = [
  // ORDER_POST_ONLY_INVALID's `context` (engine/engine.ts): "given with time in force IOC" ("указано при сроке…").
  ["time in force {0}", "при сроке действия {0}", "{0} қолданылу мерзімі"],
  [
    "a name is 1 to {0} characters, not all white space",
    "имя — от 1 до {0} символов, не только пробелы",
    "атауы — 1–{0} таңба, тек бос орындар емес",
  ],
  [
    "a real date (YYYY-MM-DD) after today, {0}: an approval already made never changes",
    "настоящая дата (ГГГГ-ММ-ДД) позже сегодняшней, {0}: уже принятое одобрение не меняется",
    "бүгінгі {0} күнінен кейінгі нақты күн (ЖЖЖЖ-АА-КК): бұрын берілген мақұлдау өзгермейді",
  ],
  ["a whole number of tiyn from 0 to {0}", "целое число тиынов от 0 до {0}", "0-ден {0}-ге дейінгі тиынның бүтін саны"],
  ["the schedule holds at most {0} entries", "в графике не более {0} записей", "кестеде {0} жазбадан артық болмайды"],
  ["null, or one of {0}", "null или одно из: {0}", "null немесе мыналардың бірі: {0}"],
  [
    "one or more of {0}, each once",
    "одно или несколько из: {0}, каждое по разу",
    "мыналардың бірі немесе бірнешеуі: {0}, әрқайсысы бір реттен",
  ],
  [
    "a {0} belongs to a member: give 'member'",
    "{0} относится к участнику: укажите 'member'",
    "{0} қатысушыға тиесілі: 'member' көрсетіңіз",
  ],
  [
    "the {0} belongs to no member: leave 'member' out",
    "{0} не относится ни к одному участнику: не указывайте 'member'",
    "{0} ешбір қатысушыға тиесілі емес: 'member' көрсетпеңіз",
  ],
  ["a {0} belongs to a member: {1}", "{0} относится к участнику: {1}", "{0} қатысушыға тиесілі: {1}"],
  [
    "the {0} belongs to no member: null",
    "{0} не относится ни к одному участнику: null",
    "{0} ешбір қатысушыға тиесілі емес: null",
  ],
  [
    "an id is 1 to {0} printable ASCII characters without spaces",
    "идентификатор — от 1 до {0} печатных символов ASCII без пробелов",
    "идентификатор — бос орынсыз 1–{0} басылатын ASCII таңба",
  ],
  [
    "1 to {0} printable ASCII characters, made by the gateway",
    "от 1 до {0} печатных символов ASCII, созданных шлюзом",
    "шлюз жасаған 1–{0} басылатын ASCII таңба",
  ],
  [
    "an id of 1 to {0} printable characters",
    "идентификатор из 1–{0} печатных символов",
    "1–{0} басылатын таңбадан тұратын идентификатор",
  ],
  ["at most {0} applications are kept", "хранится не более {0} заявлений", "{0} өтініштен артық сақталмайды"],
  ["a {0} has no buyer category", "{0}: категория покупателя не указывается", "{0}: сатып алушы санаты көрсетілмейді"],
  [
    "the trading account to open: 1 to {0} printable characters",
    "открываемый торговый счёт: от 1 до {0} печатных символов",
    "ашылатын сауда шоты: 1–{0} басылатын таңба",
  ],
  [
    "whole years as a VAT payer, 0 to {0}",
    "полных лет плательщиком НДС, от 0 до {0}",
    "ҚҚС төлеушісі болған толық жылдар, 0–{0}",
  ],
  ["a list of at most {0} stations", "список не более чем из {0} станций", "{0} станциядан аспайтын тізім"],
  [
    "a buyer of category {0} lists at least one own station or depot with its document",
    "покупатель категории {0} указывает хотя бы одну свою станцию или нефтебазу с документом",
    "{0} санатындағы сатып алушы құжатымен кемінде бір өз станциясын немесе қоймасын көрсетеді",
  ],
  [
    "id {0} must be 1 to {1} printable characters",
    "идентификатор {0} должен содержать от 1 до {1} печатных символов",
    "{0} идентификаторы 1–{1} басылатын таңбадан тұруы керек",
  ],
  [
    "name must be 1 to {0} characters",
    "название должно содержать от 1 до {0} символов",
    "атауы 1–{0} таңбадан тұруы керек",
  ],
  [
    "roles must be distinct values from {0}",
    "роли — неповторяющиеся значения из: {0}",
    "рөлдер — мыналардан қайталанбайтын мәндер: {0}",
  ],
  [
    "buyer category {0} is not one of {1}",
    "категория покупателя {0} не входит в: {1}",
    "{0} сатып алушы санаты мыналардың қатарында жоқ: {1}",
  ],
  [
    "BIN {0} must be exactly 12 digits",
    "БИН {0} должен состоять ровно из 12 цифр",
    "{0} БСН дәл 12 цифрдан тұруы керек",
  ],
  [
    "a group id is 1 to {0} printable characters without spaces, or null for none",
    "идентификатор группы — от 1 до {0} печатных символов без пробелов или null, если группы нет",
    "топ идентификаторы — бос орынсыз 1–{0} басылатын таңба немесе топ болмаса null",
  ],
  [
    "the document's reference is 1 to {0} characters without control characters",
    "ссылка на документ — от 1 до {0} символов без управляющих символов",
    "құжатқа сілтеме — басқару таңбаларынсыз 1–{0} таңба",
  ],
  [
    "an id is 1 to {0} printable characters without spaces",
    "идентификатор — от 1 до {0} печатных символов без пробелов",
    "идентификатор — бос орынсыз 1–{0} басылатын таңба",
  ],
  [
    "an id is 1 to {0} printable characters",
    "идентификатор — от 1 до {0} печатных символов",
    "идентификатор — 1–{0} басылатын таңба",
  ],
  [
    "client name must be 1 to {0} characters",
    "имя клиента должно содержать от 1 до {0} символов",
    "клиент атауы 1–{0} таңбадан тұруы керек",
  ],
  ["buyer category {0} is not known", "категория покупателя {0} неизвестна", "{0} сатып алушы санаты белгісіз"],
  [
    "member '{0}' is not a broker and cannot open client accounts",
    "участник '{0}' не брокер и не может открывать клиентские счета",
    "'{0}' қатысушысы брокер емес, клиент шоттарын аша алмайды",
  ],
  [
    "broker '{0}' trades only through client accounts",
    "брокер '{0}' торгует только через клиентские счета",
    "'{0}' брокері тек клиент шоттары арқылы сауда жасайды",
  ],
  [
    "a basis id is 1 to {0} printable characters",
    "идентификатор базиса — от 1 до {0} печатных символов",
    "базис идентификаторы — 1–{0} басылатын таңба",
  ],
  [
    "a void names the rule the trade broke, 1 to {0} characters",
    "аннулирование называет правило, которое нарушила сделка, от 1 до {0} символов",
    "мәмілені жою ол бұзған ережені атайды, 1–{0} таңба",
  ],
  [
    "the checked document's reference is 1 to {0} characters without control characters",
    "ссылка на проверенный документ — от 1 до {0} символов без управляющих символов",
    "тексерілген құжатқа сілтеме — басқару таңбаларынсыз 1–{0} таңба",
  ],
  [
    "at most {0} instruments may be listed",
    "можно зарегистрировать не более {0} инструментов",
    "{0} құралдан артық тіркеуге болмайды",
  ],
  ["mode {0} is not one of {1}", "режим {0} не входит в: {1}", "{0} режимі мыналардың қатарында жоқ: {1}"],
  [
    "tick size {0} must be from 1 to {1}",
    "шаг цены {0:price} должен быть от 0,01 ₸/т до {1:price}",
    "баға қадамы {0:price}: 0,01 ₸/т – {1:price} аралығында болуы керек",
  ],
  [
    "lot size {0} must be from 1 to {1}",
    "размер лота {0} должен быть от 1 до {1}",
    "лот мөлшері {0}: 1–{1} аралығында болуы керек",
  ],
  [
    "reference price {0} must be a multiple of the tick {1}",
    "справочная цена {0:price} должна быть кратна шагу цены {1:price}",
    "{0:price} анықтамалық бағасы {1:price} баға қадамына еселі болуы керек",
  ],
  [
    "a cleared instrument's lot size must be whole tonnes, not {0} kg",
    "размер лота инструмента с клирингом — целые тонны, а не {0} кг",
    "клирингі бар құралдың лот мөлшері {0} кг емес, бүтін тонна болуы керек",
  ],
  [
    "description.transport must be an object with mode and unitKg",
    "description.transport должен быть объектом с видом транспорта и unitKg",
    "description.transport — көлік түрі және unitKg өрістері бар объект болуы керек",
  ],
  [
    "description.transport.mode {0} is not one of {1}",
    "вид транспорта {0} в description.transport не входит в: {1}",
    "description.transport ішіндегі {0} көлік түрі мыналардың қатарында жоқ: {1}",
  ],
  [
    "unknown description.transport field {0}",
    "неизвестное поле description.transport: {0}",
    "белгісіз description.transport өрісі: {0}",
  ],
  ["unknown field {0}; known: {1}", "неизвестное поле {0}; известные: {1}", "белгісіз өріс {0}; белгілілері: {1}"],
  [
    "no instrument delivers to region '{0}'",
    "ни один инструмент не поставляет в регион '{0}'",
    "'{0}' өңіріне ешбір құрал жеткізбейді",
  ],
  [
    "scope {0} is not one of market, region, instrument",
    "охват {0} не входит в: market, region, instrument",
    "{0} ауқымы мыналардың қатарында жоқ: market, region, instrument",
  ],
  [
    "the output affected, a whole number of kg from 1 to {0}",
    "затронутый объём выпуска, целое число кг от 1 до {0}",
    "әсер еткен өнім көлемі, 1–{0} аралығындағы кг-ның бүтін саны",
  ],
  [
    "description.deliveryPeriod {0} must be a month, YYYY-MM",
    "description.deliveryPeriod {0} должен быть месяцем, ГГГГ-ММ",
    "description.deliveryPeriod {0} ай болуы керек, ЖЖЖЖ-АА",
  ],
  ["a list without repeats of: {0}", "список без повторов из: {0}", "мыналардың қайталанбайтын тізімі: {0}"],
  [
    "1 to {0} notification ids of 1 to {1} characters",
    "от 1 до {0} идентификаторов уведомлений длиной от 1 до {1} символов",
    "ұзындығы 1–{1} таңба болатын 1–{0} хабарлама идентификаторы",
  ],
  [
    "a notification id of 1 to {0} characters",
    "идентификатор уведомления длиной от 1 до {0} символов",
    "ұзындығы 1–{0} таңба болатын хабарлама идентификаторы",
  ],
  ["a whole number from 1 to {0}", "целое число от 1 до {0}", "1-ден {0}-ге дейінгі бүтін сан"],
  [
    "null or a text of at most {0} characters",
    "null или текст не длиннее {0} символов",
    "null немесе ұзындығы {0} таңбадан аспайтын мәтін",
  ],
  [
    "null or one address like name@example.kz of at most {0} characters",
    "null или один адрес вида name@example.kz не длиннее {0} символов",
    "null немесе name@example.kz түріндегі, ұзындығы {0} таңбадан аспайтын бір мекенжай",
  ],
  [
    "an alert id is 1 to {0} printable ASCII characters without spaces",
    "идентификатор сигнала — от 1 до {0} печатных символов ASCII без пробелов",
    "дабыл идентификаторы — бос орынсыз 1–{0} басылатын ASCII таңба",
  ],
  [
    "the date of effect is a real date (YYYY-MM-DD) after today, {0}: a rate never changes for trades already made",
    "дата вступления в силу — настоящая дата (ГГГГ-ММ-ДД) позже сегодняшней, {0}: ставка не меняется для уже заключённых сделок",
    "күшіне ену күні — бүгінгі {0} күнінен кейінгі нақты күн (ЖЖЖЖ-АА-КК): жасалған мәмілелер үшін мөлшерлеме өзгермейді",
  ],
  [
    "sauda's amend changes only Price(44) and OrderQty(38); the order is {0}",
    "изменение заявки на бирже меняет только Price(44) и OrderQty(38); заявка — {0}",
    "биржада өтінімді өзгерту тек Price(44) пен OrderQty(38) мәнін өзгертеді; өтінім — {0}",
  ],
  [
    "sauda's amend cannot change the time in force ({0})",
    "изменение заявки на бирже не может менять срок действия ({0})",
    "биржада өтінімді өзгерту әрекет ету мерзімін ({0}) өзгерте алмайды",
  ],
  [
    "the new OrderQty must be more than the {0} t already filled (to stop the order, cancel it)",
    "новый OrderQty должен быть больше уже исполненных {0} т (чтобы остановить заявку, снимите её)",
    "жаңа OrderQty орындалып қойған {0} т-дан көп болуы керек (өтінімді тоқтату үшін оны жойыңыз)",
  ],
  [
    "{0} is a number too large to hold (not finite)",
    "{0} — слишком большое число (не конечное)",
    "{0} — тым үлкен сан (шекті емес)",
  ],
  [
    "channel '{0}' takes neither an instrument nor an account (it is the signed-in member's)",
    "канал '{0}' не принимает ни инструмента, ни счёта (он относится к вошедшему участнику)",
    "'{0}' арнасы құралды да, шотты да қабылдамайды (ол кірген қатысушыныкі)",
  ],
  [
    "channel '{0}' takes neither an instrument nor an account",
    "канал '{0}' не принимает ни инструмента, ни счёта",
    "'{0}' арнасы құралды да, шотты да қабылдамайды",
  ],
  [
    "channel '{0}' takes an instrument, not an account",
    "канал '{0}' принимает инструмент, а не счёт",
    "'{0}' арнасы шотты емес, құралды қабылдайды",
  ],
  ["channel '{0}' needs an instrument", "каналу '{0}' нужен инструмент", "'{0}' арнасына құрал керек"],
  [
    "channel '{0}' takes an account, not an instrument",
    "канал '{0}' принимает счёт, а не инструмент",
    "'{0}' арнасы құралды емес, шотты қабылдайды",
  ],
  ["channel '{0}' needs an account", "каналу '{0}' нужен счёт", "'{0}' арнасына шот керек"],
  [
    "only the trades channel resumes from a seq (fromSeq); the snapshot of '{0}' is complete as it is",
    "продолжить с номера записи (fromSeq) можно только канал trades; снимок '{0}' и так полон",
    "жазба нөмірінен (fromSeq) тек trades арнасы жалғасады; '{0}' суреті онсыз да толық",
  ],
  [
    "fromSeq {0} is beyond the journal's last record ({1})",
    "fromSeq {0} дальше последней записи журнала ({1})",
    "fromSeq {0} журналдың соңғы жазбасынан ({1}) әрі",
  ],
  [
    "fromSeq {0} is more than {1} records behind ({2}): subscribe without it for a snapshot",
    "fromSeq {0} отстаёт более чем на {1} записей ({2}): подпишитесь без него, чтобы получить снимок",
    "fromSeq {0} {1} жазбадан артық қалып қойған ({2}): суретті алу үшін онсыз жазылыңыз",
  ],
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
    "конец периода (toMs) {0:time} должен быть позже его начала (fromMs) {1:time}",
    "кезеңнің соңы (toMs) {0:time} оның басынан (fromMs) {1:time} кейін болуы керек",
  ],
  [
    "{0} through an API key (sign in with a password)",
    "{0} через API-ключ (войдите с паролем)",
    "API кілті арқылы: {0} (құпиясөзбен кіріңіз)",
  ],
  [
    "change the reference price {0} of '{1}' (it centres the regulator's price band)",
    "менять справочную цену {0:price} инструмента '{1}' (она задаёт середину ценового коридора регулятора)",
    "'{1}' құралының {0:price} анықтамалық бағасын өзгерту (ол реттеушінің баға дәлізінің ортасы)",
  ],

  ["unknown calendar field '{0}'", "неизвестное поле календаря '{0}'", "күнтізбенің белгісіз өрісі '{0}'"],
  [
    "sessions must be a list of at most {0}",
    "sessions (сессии) — список не более чем из {0} элементов",
    "sessions (сессиялар) — {0} элементтен аспайтын тізім",
  ],
  [
    "preOpenMinutes must be a whole number from 0 to {0}",
    "preOpenMinutes — целое число от 0 до {0}",
    "preOpenMinutes — 0–{0} аралығындағы бүтін сан",
  ],
  [
    "holidays must be at most {0} real dates, YYYY-MM-DD, years {1}–{2}",
    "holidays (праздники) — не более {0} настоящих дат, ГГГГ-ММ-ДД, годы {1!}–{2!}",
    "holidays (мереке күндері) — {0} нақты күннен аспайды, ЖЖЖЖ-АА-КК, {1!}–{2!} жылдар",
  ],
  [
    "extraSessions must be a list of at most {0}",
    "extraSessions — список не более чем из {0} дат",
    "extraSessions — {0} күннен аспайтын тізім",
  ],
  [
    "session {0}–{1} closes before it opens",
    "сессия {0}–{1} закрывается раньше, чем открывается",
    "{0}–{1} сессиясы ашылмай тұрып жабылады",
  ],
  [
    "each extra session needs a real date, YYYY-MM-DD, years {0}–{1}",
    "каждой дополнительной сессии нужна настоящая дата, ГГГГ-ММ-ДД, годы {0!}–{1!}",
    "әр қосымша сессияға нақты күн керек, ЖЖЖЖ-АА-КК, {0!}–{1!} жылдар",
  ],
  [
    "sessions {0}–{1} and {2}–{3} overlap (with the pre-open)",
    "сессии {0}–{1} и {2}–{3} пересекаются (с учётом предоткрытия)",
    "{0}–{1} және {2}–{3} сессиялары қиылысады (ашылу алдындағы кезеңмен қоса)",
  ],
  [
    "a password needs at least {0} characters, this one has {1}",
    "пароль должен содержать не менее {0} символов, в этом — {1}",
    "құпиясөзде кемінде {0} таңба болуы керек, мұнда — {1}",
  ],
  [
    "a password has at most {0} characters, this one has {1}",
    "пароль содержит не более {0} символов, в этом — {1}",
    "құпиясөзде ең көбі {0} таңба болады, мұнда — {1}",
  ],
  ["basis {0}: {1}", "базис {0}: {1}", "{0} базисі: {1}"],
  [
    "buyerDefaultCollateralTo {0} must be 'seller' or 'exchange'",
    "кому переходит гарантийный взнос неисполнившего покупателя: значение {0} должно быть 'seller' (продавцу) или 'exchange' (бирже)",
    "орындамаған сатып алушының кепілдік жарнасы кімге өтеді: {0} мәні 'seller' (сатушыға) немесе 'exchange' (биржаға) болуы керек",
  ],
  ["unknown clearing field {0}", "неизвестное поле клиринга {0}", "клирингтің белгісіз өрісі {0}"],
  [
    "description.name must be 1 to {0} characters",
    "description.name — от 1 до {0} символов",
    "description.name — 1–{0} таңба",
  ],
  [
    "description.basis '{0}' differs from the clearing basis '{1}'",
    "description.basis '{0}' отличается от базиса клиринга '{1}'",
    "description.basis '{0}' клиринг базисінен '{1}' өзгеше",
  ],
  ["unknown description field {0}", "неизвестное поле description {0}", "description-тің белгісіз өрісі {0}"],
  [
    "floor {0} is above the ceiling {1}",
    "минимальная цена {0:price} выше предельной цены {1:price}",
    "{0:price} ең төменгі баға {1:price} шекті бағадан жоғары",
  ],
  [
    "ceilingPath must be a list of at most {0} steps",
    "ступеней предельной цены — не более {0}",
    "шекті баға сатылары ең көбі {0} болуы керек",
  ],
  [
    "ceiling path step {0} is below the floor {1}",
    "ступень предельной цены {0:price} ниже минимальной цены {1:price}",
    "{0:price} шекті баға сатысы {1:price} ең төменгі бағадан төмен",
  ],
  ["description.{0} {1}: {2}", "поле description.{0} {1}: {2}", "description.{0} өрісі {1}: {2}"],
  [
    "unknown section '{0}'; the sections are {1}",
    "неизвестный раздел '{0}'; разделы: {1}",
    "белгісіз бөлім '{0}'; бөлімдер: {1}",
  ],
  [
    "unknown field {0}.{1}; the fields are {2}",
    "неизвестное поле {0}.{1}; поля: {2}",
    "белгісіз өріс {0}.{1}; өрістер: {2}",
  ],
  ["{0}.enabled must be true or false", "{0}.enabled — true или false", "{0}.enabled — true немесе false"],
  [
    "priceLimitBidding.sessionsMin {0} is more than windowSessions {1}",
    "priceLimitBidding.sessionsMin {0} больше, чем windowSessions {1}",
    "priceLimitBidding.sessionsMin {0} windowSessions {1} мәнінен көп",
  ],
  // General patterns last: a particular one above that they would match too wins.
  [
    "{0} is {1}; it must be {2} from {3} to {4}",
    "{0} = {1}; нужно {2} от {3} до {4}",
    "{0} = {1}; {3}–{4} аралығындағы {2} болуы керек",
  ],
  ["{0} must be an object", "{0} должен быть объектом", "{0} объект болуы керек"],
  [
    "{0} {1} must be a whole number of basis points from 0 to {2}",
    "{0}: значение {1:bps} должно быть от 0,00\u00a0% до {2:bps} с шагом 0,01\u00a0% (целое число базисных пунктов)",
    "{0}: {1:bps} мәні 0,00\u00a0% – {2:bps} аралығында, 0,01\u00a0% қадаммен болуы керек (базистік тармақтардың бүтін саны)",
  ],
  [
    "{0} {1} must be a whole number of basis points from 1 to {2}",
    "{0}: значение {1:bps} должно быть от 0,01\u00a0% до {2:bps} с шагом 0,01\u00a0% (целое число базисных пунктов)",
    "{0}: {1:bps} мәні 0,01\u00a0% – {2:bps} аралығында, 0,01\u00a0% қадаммен болуы керек (базистік тармақтардың бүтін саны)",
  ],
  [
    "{0} {1} must be from 1 ms to one year",
    "{0}: значение {1:ms} должно быть от 1 миллисекунды до одного года",
    "{0}: {1:ms} мәні 1 миллисекундтан бір жылға дейін болуы керек",
  ],
  // Before the general form below, whose first part would take only "ceiling" of "ceiling path step".
  [
    "ceiling path step {0} must be a price on the tick {1}",
    "ступень предельной цены: значение {0:price} должно быть ценой, кратной шагу цены {1:price}",
    "шекті баға сатысы: {0:price} мәні {1:price} баға қадамына еселі баға болуы керек",
  ],
  [
    "{0} {1} must be a price on the tick {2}",
    "{0}: значение {1:price} должно быть ценой, кратной шагу цены {2:price}",
    "{0}: {1:price} мәні {2:price} баға қадамына еселі баға болуы керек",
  ],
  [
    "{0} {1} must be from {2} ms to {3} ms",
    "{0}: значение {1:ms} должно быть от {2:ms-genitive} до {3:ms-genitive}",
    "{0}: {1:ms} мәні {2:ms} – {3:ms} аралығында болуы керек",
  ],
  [
    "{0} {1} must be a whole number from 1 to {2}",
    "{0}: значение {1} должно быть целым числом от 1 до {2}",
    "{0}: {1} мәні 1–{2} аралығындағы бүтін сан болуы керек",
  ],
  ["1 to {0} characters", "от 1 до {0} символов", "1–{0} таңба"],
  ["one of {0}", "одно из: {0}", "мыналардың бірі: {0}"],
  ["null, or {0}", "null или {0}", "null немесе {0}"],
  ["id {0}: {1}", "идентификатор {0}: {1}", "{0} идентификаторы: {1}"],
  ["{0} between {1} and {2}", "{0} между {1} и {2}", "{1} мен {2} арасындағы {0}"],
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
 * (engine/phases.ts), outage kinds, halt scopes, buyer categories — beside the users' roles above.
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
  // Buyer categories (engine/members.ts), plural as a safeguard's admitted buyers name them.
  "filling-station-network": { ru: "сети АЗС", kk: "ЖҚС желілері" },
  "gas-distribution": { ru: "газораспределительные организации", kk: "газ тарату ұйымдары" },
  wholesaler: { ru: "оптовые покупатели", kk: "көтерме сатып алушылар" },
  industrial: { ru: "промышленные потребители", kk: "өнеркәсіп тұтынушылары" },
  other: { ru: "прочие покупатели", kk: "басқа сатып алушылар" },
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
  // The kinds of notification (engine/notices.ts), as the settings form labels them.
  noticeKind: {
    fill: { ru: "исполнение", kk: "орындалу" },
    cancel: { ru: "снято биржей", kk: "биржа алып тастады" },
    shortfall: { ru: "недостаток обеспечения", kk: "қамтамасыз ету жетіспеушілігі" },
    deadline: { ru: "срок", kk: "мерзім" },
    default: { ru: "неисполнение", kk: "орындамау" },
    deal: { ru: "адресная сделка ждёт ответа", kk: "жауап күтетін адрестік мәміле" },
    void: { ru: "сделка аннулирована", kk: "мәміле жойылды" },
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

/** A count of basis points that is not whole, with its unit (`{0:bps}` above). */
const BASIS_POINTS: Translated = { ru: "б.п.", kk: "базистік тармақ" };

/**
 * The phrase as a person reads it in a form: in Russian and Kazakh as `translatePhrase` gives it; in English as
 * written, but with each price the English wrote in tiyn per tonne (a part the Russian marks `{n:price}`) in tenge per
 * tonne, as the page writes prices ("floor 120,000 ₸/t is above the ceiling 100,000 ₸/t", not "floor 12000000 ...").
 * The API's English sentences keep the wire's tiyn; the browser shows this one.
 */
export function phraseForReader(text: string, language: Language): string {
  if (language !== "en") return translatePhrase(text, language);
  for (const pattern of COMPILED) {
    const match = pattern.regExp.exec(text);
    if (match === null) continue;
    const prices = new Set([...pattern.ru.matchAll(/\{(\d):price\}/g)].map((price) => price[1]));
    if (prices.size === 0) return text;
    return pattern.english.replace(/\{(\d)\}/g, (_, index: string) => {
      const written = match[Number(index) + 1] ?? "?";
      return prices.has(index) && /^-?\d+$/.test(written)
        ? formatPriceTiynPerTonne(Number(written), language)
        : written;
    });
  }
  return text;
}

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
        /^-?\d{1,3}(?:,\d{3})+$|^-?\d+$/.test(part)
          ? formatInteger(part.replaceAll(",", ""), language)
          : /^-?\d+\.\d+$/.test(part)
            ? part.replace(".", ",")
            : /^\d{4}-\d{2}-\d{2}$/.test(part)
              ? formatDate(part, language)
              : knowsPhrase(part)
                ? translatePhrase(part, language)
                : codeWord(part, language),
      );
    // `{0!}`: the part as written (a year is not a number to group); `{0:price}`: a price the English wrote in
    // tiyn per tonne, in tenge per tonne as the reader writes it (the wire and the journal keep the tiyn);
    // `{0:bps}`: a rate the English wrote in basis points, as a percentage (a number that is not a whole count of
    // basis points, which such a refusal may quote, keeps its unit); `{0:ms}`: a duration the English wrote in ms, in
    // words (days, hours … as the reader says them), `{0:ms-genitive}` after a preposition that takes Russian's
    // genitive ("от 1 секунды"); `{0:time}`: a time the English wrote in ms since the epoch, in exchange time.
    const kinds = /\{(\d)(!|:price|:bps|:ms-genitive|:ms|:time)?\}/g;
    return pattern[language].replace(kinds, (_, index: string, kind: string | undefined) => {
      const written = match[Number(index) + 1];
      if (kind === "!") return written ?? "?";
      if (kind === ":time" && written !== undefined && /^\d{1,16}$/.test(written) && Number.isSafeInteger(+written)) {
        return `${formatTimeMs(Number(written), language)} (${EXCHANGE_TIME_NAME[language]})`;
      }
      if (kind === ":price" && written !== undefined && /^-?\d+$/.test(written)) {
        return formatPriceTiynPerTonne(Number(written), language);
      }
      const ms =
        written === undefined
          ? ""
          : written.replace(/^(-?\d{1,3}(?:,\d{3})+)$/, (grouped) => grouped.replaceAll(",", ""));
      if ((kind === ":ms" || kind === ":ms-genitive") && /^-?\d+(?:\.\d+)?$/.test(ms)) {
        return formatDurationWords(Number(ms), language, kind === ":ms" ? "nominative" : "genitive");
      }
      if (kind === ":bps" && written !== undefined) {
        if (/^-?\d+$/.test(written)) return formatPercentBps(Number(written), language);
        if (/^-?\d+\.\d+$/.test(written)) return `${parts[Number(index)]} ${BASIS_POINTS[language]}`;
      }
      return parts[Number(index)] ?? "?";
    });
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
