/**
 * The words on the exchange's documents in Kazakh (the state language), Russian and English (a working copy). Only
 * the documents' own labels live here; names of members are printed as the operator registered them.
 *
 * Promise: every language has every key (the `Labels` type makes a missing one a compile error).
 */

export const DOCUMENT_LANGUAGES = ["kk", "ru", "en"] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export interface Labels {
  readonly contractTitle: string;
  readonly workingCopy: string;
  readonly trade: string;
  /**
   * The contract's trade-time heading. It still says "Astana" (not "Kazakhstan time" as the pages and timeNote do):
   * it is printed on the contract PDF, a deterministic copy whose own SHA-256 (contract.ts, pdfSha256) checks copies
   * already issued, which new wording would make fail.
   */
  readonly tradeTime: string;
  /** Said once on a document whose times are exchange time, as the pages say it ("Kazakhstan time"). */
  readonly timeNote: string;
  readonly journalRecord: string;
  readonly seller: string;
  readonly buyer: string;
  readonly bin: string;
  readonly binMissing: string;
  readonly account: string;
  readonly client: string;
  readonly instrument: string;
  readonly product: string;
  readonly price: string;
  readonly quantity: string;
  readonly valueWithoutVat: string;
  readonly vatRate: string;
  readonly vat: string;
  readonly valueWithVat: string;
  readonly deliveryTerms: string;
  readonly deliveryTermsText: (basis: string, region: string, period: string) => string;
  readonly transport: string;
  /** Transport mode, unit in tonnes and the number of units the trade's quantity is. */
  readonly transportText: (mode: "road" | "rail", unitTonnes: string, units: number) => string;
  readonly paymentDue: string;
  readonly deliveryDue: string;
  readonly collateral: string;
  readonly fees: string;
  /** One side's exchange fee (the statement's lines, which show one side). */
  readonly fee: string;
  readonly penalty: string;
  readonly rulebook: string;
  readonly rulebookText: string;
  readonly hashNote: string;
  readonly tenge: string;
  readonly tonnes: string;
  readonly perTonne: string;
  readonly notCleared: string;
  readonly statementTitle: string;
  readonly date: string;
  readonly trades: string;
  readonly obligations: string;
  readonly deliveries: string;
  readonly totals: string;
  readonly none: string;
  readonly truncated: (pages: number) => string;
  readonly sides: Readonly<Record<"buy" | "sell", string>>;
  /** An obligation's status (open, settled, defaulted, voided). */
  readonly statuses: Readonly<Record<string, string>>;
  readonly defaultedBy: Readonly<Record<"buyer" | "seller", string>>;
  /** Why an arrival is a diversion (the engine's `DiversionReason`); the surveillance report's words. */
  readonly diversions: Readonly<Record<"outside-region" | "registered-after-trade", string>>;
  readonly forfeited: string;
  readonly penaltyPaid: string;
  readonly claim: string;
}

const PRODUCTS: Readonly<Record<string, Readonly<Record<DocumentLanguage, string>>>> = {
  "propane-butane": {
    kk: "Пропан-бутан қоспасы (сұйытылған көмірсутек газы)",
    ru: "Смесь пропана и бутана (сжиженный углеводородный газ)",
    en: "Propane-butane mix (liquefied petroleum gas)",
  },
  propane: { kk: "Пропан (сұйытылған)", ru: "Пропан сжиженный", en: "Propane, liquefied" },
  butane: { kk: "Бутан (сұйытылған)", ru: "Бутан сжиженный", en: "Butane, liquefied" },
};

const REGIONS: Readonly<Record<string, Readonly<Record<DocumentLanguage, string>>>> = {
  MANGYSTAU: { kk: "Маңғыстау облысы", ru: "Мангистауская область", en: "Mangystau region" },
  ATYRAU: { kk: "Атырау облысы", ru: "Атырауская область", en: "Atyrau region" },
  KZ: { kk: "Қазақстан Республикасы", ru: "Республика Казахстан", en: "Republic of Kazakhstan" },
};

/** A product's name for people; an unknown product reads as its code. */
export function productName(product: string, language: DocumentLanguage): string {
  return PRODUCTS[product]?.[language] ?? product;
}

/** A region's name for people; an unknown region reads as its code. */
export function regionName(region: string, language: DocumentLanguage): string {
  return REGIONS[region]?.[language] ?? region;
}

export const LABELS: Readonly<Record<DocumentLanguage, Labels>> = {
  kk: {
    contractTitle: "Биржалық шарт",
    workingCopy: "",
    trade: "Мәміле",
    tradeTime: "Мәміле жасалған уақыт (Астана, UTC+5)",
    timeNote: "Уақыт — Қазақстан уақыты (UTC+5)",
    journalRecord: "Журналдағы жазба №",
    seller: "Сатушы",
    buyer: "Сатып алушы",
    bin: "БСН",
    binMissing: "көрсетілмеген",
    account: "Шот",
    client: "Клиент",
    instrument: "Құрал",
    product: "Тауар",
    price: "Бағасы, ҚҚС-сыз",
    quantity: "Саны",
    valueWithoutVat: "ҚҚС-сыз құны",
    vatRate: "ҚҚС мөлшерлемесі",
    vat: "ҚҚС сомасы",
    valueWithVat: "ҚҚС-мен құны",
    deliveryTerms: "Жеткізу шарттары",
    deliveryTermsText: (basis, region, period) =>
      `EXW ${basis} зауыты; жеткізу өңірі: ${region}; жеткізу кезеңі: ${period}; тасымалдау — сатып алушының есебінен`,
    transport: "Көлік",
    transportText: (mode, unit, units) =>
      mode === "rail"
        ? `темір жол көлігі, теміржол цистернасы ${unit} т; шарт бойынша цистерналар саны: ${units}`
        : `автомобиль көлігі, автоцистерна, тасымалдау бірлігі ${unit} т; шарт бойынша бірліктер саны: ${units}`,
    paymentDue: "Төлем мерзімі",
    deliveryDue: "Жеткізу мерзімі",
    collateral: "Кепілдік жарна",
    fees: "Биржалық алым (сатушы / сатып алушы)",
    fee: "Биржалық алым",
    penalty: "Сатушының жеткізбеуі үшін айыппұл",
    rulebook: "Биржа ережелерінің тармағы",
    rulebookText:
      "sauda биржалық сауда ережелері: сауда — docs/market-rules.md; клиринг және жеткізу — docs/delivery.md §1–§4; " +
      "биржалық шарт және ҚҚС — docs/documents.md §1–§2. Ережелер бұзылып жасалған мәміле күшін жоюға жатады.",
    hashNote: "Осы шарттың JSON нұсқасының SHA-256 хэші; кез келген көшірмені осы мәнмен тексеруге болады",
    tenge: "теңге",
    tonnes: "т",
    perTonne: "теңге/т",
    notCleared: "клирингсіз құрал",
    statementTitle: "Күнделікті үзінді-көшірме",
    date: "Күні",
    trades: "Мәмілелер",
    obligations: "Міндеттемелер",
    deliveries: "Жөнелтулер мен келулер",
    totals: "Жиыны",
    none: "жоқ",
    truncated: (pages) => `Үзінді-көшірме ${pages} беттен кейін қысқартылды; толық нұсқасы — JSON және XLSX түрінде.`,
    sides: { buy: "сатып алу", sell: "сату" },
    statuses: { open: "ашық", settled: "есеп айырысылды", defaulted: "орындалмады", voided: "күші жойылды" },
    defaultedBy: { buyer: "сатып алушы орындамады", seller: "сатушы орындамады" },
    diversions: { "outside-region": "өңірден тыс", "registered-after-trade": "станция мәміледен кейін тіркелген" },
    forfeited: "ұсталған кепілдік жарна",
    penaltyPaid: "айыппұл",
    claim: "талап",
  },
  ru: {
    contractTitle: "Биржевой договор",
    workingCopy: "",
    trade: "Сделка",
    tradeTime: "Время сделки (Астана, UTC+5)",
    timeNote: "Время — время Казахстана (UTC+5)",
    journalRecord: "Запись журнала №",
    seller: "Продавец",
    buyer: "Покупатель",
    bin: "БИН",
    binMissing: "не указан",
    account: "Счёт",
    client: "Клиент",
    instrument: "Инструмент",
    product: "Товар",
    price: "Цена без НДС",
    quantity: "Количество",
    valueWithoutVat: "Стоимость без НДС",
    vatRate: "Ставка НДС",
    vat: "Сумма НДС",
    valueWithVat: "Стоимость с НДС",
    deliveryTerms: "Условия поставки",
    deliveryTermsText: (basis, region, period) =>
      `EXW завод ${basis}; регион поставки: ${region}; период поставки: ${period}; транспорт — за счёт покупателя`,
    transport: "Транспорт",
    transportText: (mode, unit, units) =>
      mode === "rail"
        ? `железнодорожный транспорт, вагон-цистерна ${unit} т; вагонов-цистерн по договору: ${units}`
        : `автомобильный транспорт, автоцистерна, транспортная единица ${unit} т; единиц по договору: ${units}`,
    paymentDue: "Срок оплаты",
    deliveryDue: "Срок поставки",
    collateral: "Гарантийный взнос",
    fees: "Биржевой сбор (продавец / покупатель)",
    fee: "Биржевой сбор",
    penalty: "Неустойка продавца за непоставку",
    rulebook: "Пункт правил биржи",
    rulebookText:
      "Правила биржевой торговли sauda: торги — docs/market-rules.md; клиринг и поставка — docs/delivery.md §1–§4; " +
      "биржевой договор и НДС — docs/documents.md §1–§2. Сделка, заключённая с нарушением правил, подлежит отмене.",
    hashNote: "SHA-256 JSON-версии настоящего договора; любая копия проверяется по этому значению",
    tenge: "тенге",
    tonnes: "т",
    perTonne: "тенге/т",
    notCleared: "инструмент без клиринга",
    statementTitle: "Ежедневная выписка",
    date: "Дата",
    trades: "Сделки",
    obligations: "Обязательства",
    deliveries: "Отгрузки и прибытия",
    totals: "Итого",
    none: "нет",
    truncated: (pages) => `Выписка сокращена после ${pages} страниц; полная версия — в форматах JSON и XLSX.`,
    sides: { buy: "покупка", sell: "продажа" },
    statuses: { open: "открыто", settled: "исполнено", defaulted: "не исполнено", voided: "аннулировано" },
    defaultedBy: { buyer: "не исполнено покупателем", seller: "не исполнено продавцом" },
    diversions: {
      "outside-region": "за пределами региона",
      "registered-after-trade": "станция зарегистрирована после сделки",
    },
    forfeited: "удержан гарантийный взнос",
    penaltyPaid: "неустойка",
    claim: "требование",
  },
  en: {
    contractTitle: "Exchange contract",
    workingCopy: "Working copy in English; the Kazakh and Russian texts prevail.",
    trade: "Trade",
    tradeTime: "Trade time (Astana, UTC+5)",
    timeNote: "Times in Kazakhstan time (UTC+5)",
    journalRecord: "Journal record no.",
    seller: "Seller",
    buyer: "Buyer",
    bin: "BIN",
    binMissing: "not recorded",
    account: "Account",
    client: "Client",
    instrument: "Instrument",
    product: "Goods",
    price: "Price without VAT",
    quantity: "Quantity",
    valueWithoutVat: "Value without VAT",
    vatRate: "VAT rate",
    vat: "VAT",
    valueWithVat: "Value with VAT",
    deliveryTerms: "Delivery terms",
    deliveryTermsText: (basis, region, period) =>
      `EXW ${basis} plant; delivery region: ${region}; delivery period: ${period}; transport at the buyer's cost`,
    transport: "Transport",
    transportText: (mode, unit, units) =>
      mode === "rail"
        ? `rail, rail tank car of ${unit} t; tank cars under this contract: ${units}`
        : `road, tank truck, transport unit ${unit} t; units under this contract: ${units}`,
    paymentDue: "Payment due",
    deliveryDue: "Delivery due",
    collateral: "Guarantee deposit",
    fees: "Exchange fee (seller / buyer)",
    fee: "Exchange fee",
    penalty: "Seller's penalty for non-delivery",
    rulebook: "Rulebook clause",
    rulebookText:
      "sauda exchange trading rules: trading — docs/market-rules.md; clearing and delivery — docs/delivery.md §1–§4; " +
      "exchange contract and VAT — docs/documents.md §1–§2. A trade made in breach of the rules may be voided.",
    hashNote: "SHA-256 of this contract's JSON form; any copy can be checked against this value",
    tenge: "tenge",
    tonnes: "t",
    perTonne: "tenge/t",
    notCleared: "instrument without clearing",
    statementTitle: "Daily statement",
    date: "Date",
    trades: "Trades",
    obligations: "Obligations",
    deliveries: "Shipments and arrivals",
    totals: "Totals",
    none: "none",
    truncated: (pages) => `The statement is cut after ${pages} pages; the JSON and XLSX forms are whole.`,
    sides: { buy: "buy", sell: "sell" },
    statuses: { open: "open", settled: "settled", defaulted: "defaulted", voided: "voided" },
    defaultedBy: { buyer: "defaulted by the buyer", seller: "defaulted by the seller" },
    diversions: {
      "outside-region": "outside the region",
      "registered-after-trade": "station registered after the trade",
    },
    forfeited: "guarantee deposit kept",
    penaltyPaid: "penalty",
    claim: "claim",
  },
};
