/**
 * The words of the suspicious-transaction report's readable page (src/reports/suspicious-transaction.ts) in English,
 * Russian and Kazakh: headings, column names, each rule's name and criterion, severities, case states, outcomes and
 * steps, figure names, cancel reasons, shipment steps and diversion reasons. The Russian and Kazakh names are the
 * surveillance console's (web/src/i18n `surveillance.*`), so the page and the console name a thing alike.
 *
 * Promise: every language has every key (the `StrWords` type makes a missing one a compile error); a code no table
 * knows is shown as given.
 */

import type { Language } from "../domain/locale.ts";
import type { Rule } from "../surveillance/index.ts";

export interface StrWords {
  readonly title: string;
  readonly evidenceTitle: string;
  readonly caseLine: string;
  readonly outcome: string;
  readonly opened: string;
  readonly asOf: string;
  readonly timeNote: string;
  readonly who: string;
  readonly when: string;
  readonly whenRange: (from: string, to: string) => string;
  readonly whatAndWhy: string;
  readonly handling: string;
  readonly accounts: string;
  readonly members: string;
  readonly groups: string;
  readonly groupsOfPersons: string;
  readonly alert: string;
  readonly whySuspicious: string;
  readonly instrument: string;
  readonly sessions: string;
  readonly side: string;
  readonly from: string;
  readonly to: string;
  readonly noEvidence: string;
  readonly orders: string;
  readonly order: string;
  readonly account: string;
  readonly entered: string;
  readonly price: string;
  readonly quantity: string;
  readonly filled: string;
  readonly cancelled: string;
  readonly beforeSpan: string;
  readonly trades: string;
  readonly trade: string;
  readonly time: string;
  readonly buyer: string;
  readonly seller: string;
  readonly market: string;
  readonly delivery: string;
  readonly obligation: string;
  readonly instrumentRegion: string;
  readonly stations: string;
  readonly diversion: string;
  readonly shipments: string;
  readonly shipment: string;
  readonly step: string;
  readonly vehicle: string;
  readonly waybill: string;
  readonly station: string;
  readonly stationRegion: string;
  readonly bookTitle: string;
  readonly bookNone: string;
  readonly bids: string;
  readonly offers: string;
  readonly ofAlert: string;
  readonly bookEmpty: string;
  readonly phaseNotRead: string;
  readonly bookIncomplete: string;
  readonly moreMoments: (count: number) => string;
  readonly booksCut: string;
  readonly nothingToDraw: string;
  /** The drawings' accessible names. */
  readonly pathLabel: string;
  /** A drawing of the orders alone (no trades' line: the evidence holds the trades of one instrument only). */
  readonly ordersLabel: string;
  /** Said above the drawings of an alert whose orders are on several instruments. */
  readonly chartsByInstrument: string;
  readonly curveLabel: string;
  readonly rebuilt: (fromSeq: number, toSeq: number, complete: boolean, asOf: string) => string;
  readonly whenCol: string;
  readonly whoCol: string;
  readonly whatCol: string;
  readonly whyCol: string;
  readonly tonne: string;
  readonly perTonne: string;
  readonly rules: Readonly<Record<Rule, string>>;
  readonly criteria: Readonly<Record<Rule, string>>;
  /** A case step's action (CaseStep["action"]), as a verb. */
  readonly actions: Readonly<Record<"opened" | "joined" | "reviewing" | "closed" | "noted", string>>;
  readonly words: Readonly<Record<string, string>>;
  readonly figureNames: Readonly<Record<string, string>>;
}

const EN: StrWords = {
  title: "Suspicious-transaction report",
  evidenceTitle: "Evidence of alert",
  caseLine: "Case",
  outcome: "outcome",
  opened: "opened",
  asOf: "report as of",
  timeNote: "",
  who: "Who",
  when: "When",
  whenRange: (from, to) => `${from} to ${to}`,
  whatAndWhy: "What and why",
  handling: "Handling of the case",
  accounts: "Accounts",
  members: "Members",
  groups: "Groups",
  groupsOfPersons: "Groups of persons",
  alert: "alert",
  whySuspicious: "Why suspicious:",
  instrument: "Instrument",
  sessions: "Sessions",
  side: "Side",
  from: "From",
  to: "To",
  noEvidence: "No evidence was read.",
  orders: "Orders",
  order: "Order",
  account: "Account",
  entered: "Entered",
  price: "Price, ₸/t",
  quantity: "Quantity, t",
  filled: "Filled, t",
  cancelled: "Cancelled",
  beforeSpan: "before the span read",
  trades: "Trades",
  trade: "Trade",
  time: "Time",
  buyer: "Buyer",
  seller: "Seller",
  market: "market",
  delivery: "Delivery",
  obligation: "Obligation",
  instrumentRegion: "Instrument's region",
  stations: "Stations",
  diversion: "Diversion",
  shipments: "Shipments",
  shipment: "Shipment",
  step: "Step",
  vehicle: "Vehicle",
  waybill: "Waybill",
  station: "Station",
  stationRegion: "Station's region",
  bookTitle: "Order book at each moment of the alert",
  bookNone: "No record of the span concerns the alert's orders.",
  bids: "Bids",
  offers: "Offers",
  ofAlert: "Of the alert, t",
  bookEmpty: "The book was empty.",
  phaseNotRead: "phase not read",
  bookIncomplete: "orders resting before the records read may be missing",
  moreMoments: (count) => `${count} more moments are in the JSON form.`,
  booksCut: "The evidence holds only the first moments of a longer span.",
  nothingToDraw: "No trades or priced orders in the span to draw.",
  pathLabel: "price path with the orders marked",
  ordersLabel: "the alert's orders by price and time",
  chartsByInstrument:
    "The alert's orders are on several instruments: a chart for each, each with its own price scale and all on one time scale, so orders entered together stand one above the other.",
  curveLabel: "the auction's demand and supply at each price",
  rebuilt: (fromSeq, toSeq, complete, asOf) =>
    `Rebuilt from the journal records ${fromSeq}–${toSeq}${complete ? "" : " (the span was longer than one pack may read)"}; as of ${asOf}.`,
  whenCol: "When",
  whoCol: "Who",
  whatCol: "What",
  whyCol: "Why",
  tonne: "t",
  perTonne: "₸/t",
  rules: {
    "wash-trade": "wash-trade",
    concentration: "concentration",
    "coordinated-bidding": "coordinated-bidding",
    spoofing: "spoofing",
    "price-limit-bidding": "price-limit-bidding",
    "automated-entry": "automated-entry",
    withholding: "withholding",
    diversion: "diversion",
  },
  criteria: {
    "wash-trade": "trades whose buyer and seller accounts belong to the same member or the same group of persons",
    concentration:
      "one group of persons bought or sold more than the set share of a session's traded volume and more than the set quantity",
    "coordinated-bidding":
      "accounts of different groups entered orders on the same side at the same price within a second of each other in several sessions",
    spoofing:
      "a large order cancelled unfilled soon after entry while an order of the same account on the other side was filled",
    "price-limit-bidding":
      "a group entered orders exactly at the session's price limit in several of a run of consecutive sessions",
    "automated-entry": "a member sent order-entry messages faster than the rulebook allows members' software to",
    withholding:
      "a producer offered less than its declared volume or supply obligation while the session price rose over the month",
    diversion:
      "gas bought for a region arrived at a station outside that region, or at a station registered after the trade",
  },
  actions: { opened: "opened", joined: "joined", reviewing: "reviewing", closed: "closed", noted: "noted" },
  words: {},
  figureNames: {},
};

const RU: StrWords = {
  title: "Сообщение о подозрительной операции",
  evidenceTitle: "Доказательства по сигналу",
  caseLine: "Дело",
  outcome: "итог",
  opened: "открыто",
  asOf: "сообщение на",
  timeNote: "Время — время Казахстана (UTC+5).",
  who: "Кто",
  when: "Когда",
  whenRange: (from, to) => `с ${from} по ${to}`,
  whatAndWhy: "Что и почему",
  handling: "Ход рассмотрения дела",
  accounts: "Счета",
  members: "Участники",
  groups: "Группы",
  groupsOfPersons: "Группы лиц",
  alert: "сигнал",
  whySuspicious: "Почему подозрительно:",
  instrument: "Инструмент",
  sessions: "Сессии",
  side: "Сторона",
  from: "С",
  to: "По",
  noEvidence: "Доказательства не прочитаны.",
  orders: "Заявки",
  order: "Заявка",
  account: "Счёт",
  entered: "Подана",
  price: "Цена, ₸/т",
  quantity: "Количество, т",
  filled: "Исполнено, т",
  cancelled: "Снята",
  beforeSpan: "до прочитанного периода",
  trades: "Сделки",
  trade: "Сделка",
  time: "Время",
  buyer: "Покупатель",
  seller: "Продавец",
  market: "рыночная",
  delivery: "Поставка",
  obligation: "Обязательство",
  instrumentRegion: "Регион инструмента",
  stations: "Станции",
  diversion: "Перенаправление",
  shipments: "Отгрузки",
  shipment: "Отгрузка",
  step: "Этап",
  vehicle: "Транспорт",
  waybill: "Накладная",
  station: "Станция",
  stationRegion: "Регион станции",
  bookTitle: "Книга заявок в каждый момент сигнала",
  bookNone: "Ни одна запись периода не касается заявок сигнала.",
  bids: "Покупка",
  offers: "Продажа",
  ofAlert: "Из сигнала, т",
  bookEmpty: "Книга заявок была пуста.",
  phaseNotRead: "фаза не прочитана",
  bookIncomplete: "заявки, стоявшие до прочитанных записей, могут отсутствовать",
  moreMoments: (count) => `Ещё моментов в JSON-версии: ${count}.`,
  booksCut: "Доказательства содержат только первые моменты более длинного периода.",
  nothingToDraw: "Нет сделок или заявок с ценой для графика.",
  pathLabel: "Динамика цены с отмеченными заявками сигнала",
  ordersLabel: "Заявки сигнала по цене и времени",
  chartsByInstrument:
    "Заявки сигнала выставлены по нескольким инструментам: у каждого свой график со своей шкалой цен, а шкала времени у всех общая, поэтому заявки, поданные вместе, стоят одна над другой.",
  curveLabel: "Спрос и предложение аукциона по каждой цене",
  rebuilt: (fromSeq, toSeq, complete, asOf) =>
    `Восстановлено по записям журнала ${fromSeq}–${toSeq}${complete ? "" : " (период длиннее, чем читается за раз)"}; на ${asOf}.`,
  whenCol: "Когда",
  whoCol: "Кто",
  whatCol: "Что",
  whyCol: "Почему",
  tonne: "т",
  perTonne: "₸/т",
  rules: {
    "wash-trade": "Сделки с собой",
    concentration: "Концентрация",
    "coordinated-bidding": "Согласованные заявки",
    spoofing: "Спуфинг",
    "price-limit-bidding": "Заявки на ценовом пределе",
    "automated-entry": "Автоматическая подача заявок",
    withholding: "Удержание предложения",
    diversion: "Перенаправление поставки",
  },
  criteria: {
    "wash-trade": "сделки, в которых счета покупателя и продавца принадлежат одному участнику или одной группе лиц",
    concentration:
      "одна группа лиц купила или продала больше установленной доли объёма сессии и больше установленного количества",
    "coordinated-bidding":
      "счета разных групп подавали заявки на одной стороне по одной цене с разницей не более секунды в нескольких сессиях",
    spoofing:
      "крупная заявка снята неисполненной вскоре после подачи, пока заявка того же счёта на другой стороне исполнялась",
    "price-limit-bidding": "группа подавала заявки ровно на ценовом пределе сессии в нескольких из ряда сессий подряд",
    "automated-entry": "участник отправлял заявки чаще, чем правила биржи разрешают программам участников",
    withholding:
      "производитель предложил меньше заявленного объёма или обязательства по поставке, пока цена сессий росла за месяц",
    diversion:
      "газ, купленный для региона, прибыл на станцию за пределами региона или на станцию, зарегистрированную после сделки",
  },
  actions: {
    opened: "открыто",
    joined: "добавлен сигнал",
    reviewing: "взято на рассмотрение",
    closed: "закрыто",
    noted: "заметка",
  },
  words: {
    buy: "покупка",
    sell: "продажа",
    high: "высокая",
    medium: "средняя",
    low: "низкая",
    open: "открыто",
    "under-review": "на рассмотрении",
    closed: "закрыто",
    "no-action": "без мер",
    warning: "предупреждение",
    referred: "передано в антимонопольный орган",
    requested: "снята владельцем",
    "mass-cancel": "массовое снятие",
    "ioc-remainder": "остаток IOC",
    "fok-unfilled": "FOK не исполнена целиком",
    "market-remainder": "остаток рыночной заявки",
    "post-only": "«только в книгу» совершила бы сделку",
    "self-trade": "защита от самосделок",
    "auction-remainder": "остаток после аукциона",
    expired: "истёк срок",
    "member-suspended": "участник отстранён",
    "price-limit": "вне ценовых ограничений",
    dispatched: "отгружено",
    arrived: "прибыло",
    "outside-region": "за пределами региона",
    "registered-after-trade": "станция зарегистрирована после сделки",
    continuous: "непрерывные торги",
    collection: "сбор заявок",
    uncross: "определение цены аукциона",
    halted: "приостановлено",
  },
  figureNames: {
    trades: "сделок",
    quantity: "объём",
    sessionVolume: "объём сессии",
    share: "доля",
    linkedPairs: "связанных пар",
    sessions: "сессий",
    linkedPairSessionsMin: "сессий на связанную пару, не менее",
    sessionsAtLimit: "сессий на пределе",
    sessionsInWindowMax: "наибольшее число сессий в окне",
    windowSessions: "окно, сессий",
    spoofOrders: "подозрительных заявок",
    quantityMax: "наибольшая заявка",
    sessionMedian: "медиана сессии",
    lifeMax: "наибольшее время жизни",
    offered: "выставлено",
    declared: "заявлено",
    withdrawn: "снято",
    obligation: "обязательство",
    oppositeFilled: "исполнено на другой стороне",
    oppositeFills: "исполнений на другой стороне",
    firstPrice: "первая цена",
    lastPrice: "последняя цена",
    priceRise: "рост цены",
    peakMessages: "пик сообщений",
    window: "окно",
    messagesInBursts: "сообщений во всплесках",
    diverted: "перенаправлено",
    outsideRegion: "за пределы региона",
    registeredAfterTrade: "на станции, зарегистрированные после сделки",
    shipments: "отгрузок",
  },
};

const KK: StrWords = {
  title: "Күдікті операция туралы хабарлама",
  evidenceTitle: "Ескерту бойынша дәлелдер",
  caseLine: "Іс",
  outcome: "нәтижесі",
  opened: "ашылды",
  asOf: "хабарлама уақыты",
  timeNote: "Уақыт — Қазақстан уақыты (UTC+5).",
  who: "Кім",
  when: "Қашан",
  whenRange: (from, to) => `${from} бастап ${to} дейін`,
  whatAndWhy: "Не және неге",
  handling: "Істің қаралу барысы",
  accounts: "Шоттар",
  members: "Қатысушылар",
  groups: "Топтар",
  groupsOfPersons: "Тұлғалар топтары",
  alert: "ескерту",
  whySuspicious: "Неге күдікті:",
  instrument: "Құрал",
  sessions: "Сессиялар",
  side: "Жағы",
  from: "Бастап",
  to: "Дейін",
  noEvidence: "Дәлелдер оқылмады.",
  orders: "Өтінімдер",
  order: "Өтінім",
  account: "Шот",
  entered: "Берілді",
  price: "Баға, ₸/т",
  quantity: "Саны, т",
  filled: "Орындалды, т",
  cancelled: "Жойылды",
  beforeSpan: "оқылған кезеңге дейін",
  trades: "Мәмілелер",
  trade: "Мәміле",
  time: "Уақыты",
  buyer: "Сатып алушы",
  seller: "Сатушы",
  market: "нарықтық",
  delivery: "Жеткізу",
  obligation: "Міндеттеме",
  instrumentRegion: "Құрал өңірі",
  stations: "Станциялар",
  diversion: "Басқа жаққа бұру",
  shipments: "Жөнелтілімдер",
  shipment: "Жөнелтілім",
  step: "Кезең",
  vehicle: "Көлік",
  waybill: "Жүкқұжат",
  station: "Станция",
  stationRegion: "Станция өңірі",
  bookTitle: "Ескертудің әр сәтіндегі өтінімдер кітабы",
  bookNone: "Кезеңнің бірде-бір жазбасы ескерту өтінімдеріне қатысты емес.",
  bids: "Сатып алу",
  offers: "Сату",
  ofAlert: "Ескертуден, т",
  bookEmpty: "Өтінімдер кітабы бос болды.",
  phaseNotRead: "кезең оқылмады",
  bookIncomplete: "оқылған жазбаларға дейін тұрған өтінімдер болмауы мүмкін",
  moreMoments: (count) => `JSON нұсқасында тағы ${count} сәт бар.`,
  booksCut: "Дәлелдерде ұзағырақ кезеңнің алғашқы сәттері ғана бар.",
  nothingToDraw: "Сызатын мәміле немесе бағасы бар өтінім жоқ.",
  pathLabel: "Ескерту өтінімдері белгіленген баға жолы",
  ordersLabel: "Ескерту өтінімдері баға мен уақыт бойынша",
  chartsByInstrument:
    "Ескерту өтінімдері бірнеше құралда: әр құралдың өз графигі, баға шкаласы өзінікі, ал уақыт шкаласы бәріне ортақ, сондықтан бірге берілген өтінімдер бірінің үстінде бірі тұрады.",
  curveLabel: "Аукционның әр бағадағы сұранысы мен ұсынысы",
  rebuilt: (fromSeq, toSeq, complete, asOf) =>
    `Журналдың ${fromSeq}–${toSeq} жазбаларынан қалпына келтірілді${complete ? "" : " (кезең бір рет оқылатыннан ұзағырақ)"}; ${asOf} жағдайы бойынша.`,
  whenCol: "Қашан",
  whoCol: "Кім",
  whatCol: "Не",
  whyCol: "Неге",
  tonne: "т",
  perTonne: "₸/т",
  rules: {
    "wash-trade": "Жалған мәміле",
    concentration: "Шоғырлану",
    "coordinated-bidding": "Келісілген өтінімдер",
    spoofing: "Спуфинг",
    "price-limit-bidding": "Баға шегіндегі өтінімдер",
    "automated-entry": "Өтінімдерді автоматты енгізу",
    withholding: "Жеткізуді ұстап қалу",
    diversion: "Жеткізілімнің басқа жаққа бұрылуы",
  },
  criteria: {
    "wash-trade": "сатып алушы мен сатушының шоттары бір қатысушыға немесе бір тұлғалар тобына тиесілі мәмілелер",
    concentration:
      "бір тұлғалар тобы сессия көлемінің белгіленген үлесінен және белгіленген мөлшерден көп сатып алды немесе сатты",
    "coordinated-bidding":
      "әртүрлі топтардың шоттары бірнеше сессияда бір секунд ішінде бір жақта бір бағамен өтінім берді",
    spoofing:
      "ірі өтінім берілгеннен кейін көп ұзамай орындалмай жойылды, ал сол шоттың қарсы жақтағы өтінімі орындалды",
    "price-limit-bidding": "топ қатарынан өткен бірнеше сессияда өтінімдерді дәл сессияның баға шегінде берді",
    "automated-entry":
      "қатысушы өтінімдерді биржа ережелері қатысушылардың бағдарламаларына рұқсат ететіннен жиі жіберді",
    withholding:
      "өндіруші ай ішінде сессия бағасы өсіп тұрғанда мәлімделген көлемнен немесе жеткізу міндеттемесінен аз ұсынды",
    diversion: "өңір үшін сатып алынған газ сол өңірден тыс станцияға немесе мәміледен кейін тіркелген станцияға келді",
  },
  actions: {
    opened: "ашылды",
    joined: "ескерту қосылды",
    reviewing: "қарауға алынды",
    closed: "жабылды",
    noted: "жазба",
  },
  words: {
    buy: "сатып алу",
    sell: "сату",
    high: "жоғары",
    medium: "орташа",
    low: "төмен",
    open: "ашық",
    "under-review": "қаралуда",
    closed: "жабық",
    "no-action": "шара қолданылмайды",
    warning: "ескерту жасалды",
    referred: "бәсекелестікті қорғау агенттігіне жіберілді",
    requested: "иесі жойды",
    "mass-cancel": "жаппай жою",
    "ioc-remainder": "IOC қалдығы",
    "fok-unfilled": "FOK толық орындалмады",
    "market-remainder": "нарықтық өтінім қалдығы",
    "post-only": "«тек кітапқа» мәміле жасар еді",
    "self-trade": "өз-өзімен мәміледен қорғау",
    "auction-remainder": "аукцион қалдығы",
    expired: "мерзімі өтті",
    "member-suspended": "қатысушы шеттетілді",
    "price-limit": "баға шектеулерінен тыс",
    dispatched: "жөнелтілді",
    arrived: "келді",
    "outside-region": "өңірден тыс",
    "registered-after-trade": "станция мәміледен кейін тіркелген",
    continuous: "үздіксіз сауда",
    collection: "өтінімдер жинау",
    uncross: "аукцион бағасын анықтау",
    halted: "тоқтатылған",
  },
  figureNames: {
    trades: "мәміле",
    quantity: "көлем",
    sessionVolume: "сессия көлемі",
    share: "үлес",
    linkedPairs: "байланысты жұп",
    sessions: "сессия",
    linkedPairSessionsMin: "байланысты жұпқа сессия, кемінде",
    sessionsAtLimit: "шектегі сессия",
    sessionsInWindowMax: "терезедегі ең көп сессия",
    windowSessions: "терезе, сессия",
    spoofOrders: "күдікті өтінім",
    quantityMax: "ең үлкен өтінім",
    sessionMedian: "сессия медианасы",
    lifeMax: "ең ұзақ өмір сүруі",
    offered: "ұсынылды",
    declared: "мәлімделді",
    withdrawn: "алып тасталды",
    obligation: "міндеттеме",
    oppositeFilled: "қарсы жақта орындалды",
    oppositeFills: "қарсы жақтағы орындалу",
    firstPrice: "бірінші баға",
    lastPrice: "соңғы баға",
    priceRise: "бағаның өсуі",
    peakMessages: "хабарламалар шыңы",
    window: "терезе",
    messagesInBursts: "жарылыстардағы хабарлама",
    diverted: "басқа жаққа бұрылды",
    outsideRegion: "өңірден тыс",
    registeredAfterTrade: "мәміледен кейін тіркелген станцияларға",
    shipments: "жөнелтілім",
  },
};

export const STR_WORDS: Readonly<Record<Language, StrWords>> = { en: EN, ru: RU, kk: KK };
