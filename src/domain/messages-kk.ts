/**
 * The error registry's sentences in Kazakh, the state language, one per code (the type makes a missing code a compile
 * error, and test/i18n/server-messages.test.ts checks that every template names the same values as the English one).
 * Placeholders are `{name}` or `{name:kind}`; the kind says how the value is written for the reader (see messages.ts).
 */

import type { ErrorCode } from "./errors.ts";

export const ERRORS_KK: Readonly<Record<ErrorCode, string>> = {
  COMMAND_INVALID: "Команда жарамсыз: {reason}.",
  COMMAND_UNKNOWN: "Белгісіз команда '{op}'; күтілетіні: {allowed}.",
  FIELD_INVALID: "{field} өрісінің мәні {value}; {rule}.",

  ORDER_ID_INVALID: "Өтінім идентификаторы {value} жарамсыз; {rule}.",
  ORDER_ID_DUPLICATE: "'{id}' өтінім идентификаторы бос емес; әр өтінімге жаңа идентификатор керек.",
  ORDER_SIDE_INVALID: "{value} бағыты жарамсыз; 'buy' (сатып алу) немесе 'sell' (сату) күтіледі.",
  ORDER_TYPE_INVALID: "{value} өтінім түрі жарамсыз; 'limit' (лимиттік) немесе 'market' (нарықтық) күтіледі.",
  ORDER_PRICE_INVALID: "{value} бағасы жарамсыз; баға — 1-ден {max:int}-ге дейінгі тиынның бүтін саны.",
  ORDER_PRICE_REQUIRED: "Лимиттік өтінімге баға керек.",
  ORDER_PRICE_NOT_ALLOWED: "Нарықтық өтінім бағасыз беріледі, бірақ {value:price} бағасы көрсетілген.",
  ORDER_PRICE_OFF_TICK: "{value:price} бағасы баға қадамына ({tick:price}) еселік емес.",
  ORDER_QUANTITY_INVALID: "{value} мөлшері жарамсыз; мөлшер — 1-ден {max:int}-ге дейінгі бүтін сан.",
  ORDER_QUANTITY_OFF_LOT: "{value:kg} мөлшері лот көлеміне ({lot:kg}) еселік емес.",
  ORDER_TIF_INVALID: "{value} қолданылу мерзімі жарамсыз; мыналардың бірі күтіледі: {allowed}.",
  ORDER_TIF_NOT_ALLOWED: "{tif} қолданылу мерзіміне {context} үшін рұқсат жоқ.",
  ORDER_EXPIRY_INVALID:
    "{value} аяқталу уақыты жарамсыз; GTD өтініміне ағымдағы уақыттан ({now:time}) кейінгі мерзім керек.",
  ORDER_STP_INVALID: "Өз-өзімен мәміледен қорғау режимі {value} жарамсыз; мыналардың бірі күтіледі: {allowed}.",
  ORDER_POST_ONLY_INVALID:
    "«Тек кітапқа» белгісі кітапта тұра алатын лимиттік өтінімдерге ғана қойылады; ол мынамен берілді: {context}.",
  ORDER_PRICE_OUTSIDE_BAND:
    "{value:price} бағасы бүгінгі баға дәлізінен тыс: {low:price}–{high:price} (анықтамалық баға {reference:price} айналасында ±{bandPercent:pct}).",
  ORDER_PRICE_ABOVE_CEILING: "{value:price} бағасы жоғарғы шектен ({ceiling:price}) жоғары.",
  ORDER_PRICE_BELOW_FLOOR: "{value:price} бағасы төменгі шектен ({floor:price}) төмен.",
  ORDER_LOTS_LIMIT: "Өтінімде {lots:int} лот; '{instrument}' бойынша бір өтінімде ең көбі {max:int} лотқа рұқсат.",
  ORDER_ACTIVE_LIMIT:
    "'{account}' шотының '{instrument}' бойынша {active:int} белсенді өтінімі бар, ең көбі {max:int} рұқсат.",
  ORDER_CONCENTRATION_LIMIT:
    "Осы сұраумен '{account}' шоты {wouldHold:kg} ұстар еді (сатып алынғаны {bought:kg}, сұрауға дейін өтінімдерде {bidding:kg}) — бұл сессияда ұсынылған {offered:kg} көлемінің {percent:pct} үлесінен көп (ең көбі {allowed:kg}).",
  ACCOUNT_NOT_ELIGIBLE:
    "'{account}' шоты (сатып алушы санаты: {category:categories}) '{instrument}' бойынша сатып ала алмайды; рұқсат етілгендер: {eligible:categories}.",
  ORDER_NOT_FOUND: "'{id}' идентификаторлы өтінім белгісіз.",
  ORDER_NOT_RESTING:
    "'{id}' өтінімі кітапта тұрған жоқ (ол {status:status}); тек кітаптағы өтінімді өзгертуге немесе жоюға болады.",
  ORDER_AMEND_EMPTY: "'{id}' өтінімін өзгерту үшін жаңа баға, жаңа мөлшер немесе екеуі де керек.",
  ORDER_LIMIT_REACHED: "Кітапта {count:int} өтінім бар, ол ең көбі {max:int} өтінім сыйғыза алады.",
  ORDER_ID_REUSED:
    "'{id}' өтінім идентификаторы басқа өтінімге қолданылған; қайталау бастапқы өтінімге дәл сәйкес болуы керек.",
  ORDER_MARKET_BUY_NOT_COVERED:
    "'{instrument}' бойынша нарықтық сатып алу өтінімін қамтамасыз ету мүмкін емес: кепілдік жарнасын есептеуге құралдың жоғарғы баға шегі жоқ. Лимиттік өтінім беріңіз.",
  ACCOUNT_INVALID: "{value} шоты жарамсыз; {rule}.",
  ACCOUNT_NOT_FOUND: "'{id}' шоты ашылмаған.",
  ACCOUNT_EXISTS: "'{id}' шоты ашылып қойған.",
  ACCOUNT_ROLE_FORBIDDEN: "'{account}' шоты мынаны істей алмайды — {action}: {reason}.",
  MEMBER_INVALID: "Қатысушының сипаттамасы жарамсыз: {reason}.",
  MEMBER_NOT_FOUND: "'{id}' қатысушысы аккредиттелмеген.",
  NOTICE_EMAIL_REQUIRED:
    "Хабарламалар ({kinds:noticeKinds}) үшін электрондық пошта таңдалған, бірақ мекенжай көрсетілмеген: мекенжайды көрсетіңіз немесе поштамен жіберуді таңдамаңыз.",
  NOTIFICATION_NOT_FOUND: "'{member}' қатысушысында '{id}' хабарламасы жоқ (соңғы 200-і сақталады).",
  MEMBER_EXISTS: "'{id}' қатысушысы аккредиттеліп қойған.",
  MEMBER_SUSPENDED:
    "'{member}' қатысушысы сауда-саттықтан шеттетілген; оператор қалпына келтірмейінше ол өтінім бере де, өзгерте де алмайды.",
  MEMBER_ALREADY_SUSPENDED: "'{member}' қатысушысы шеттетіліп қойған.",
  MEMBER_NOT_SUSPENDED: "'{member}' қатысушысы шеттетілмеген.",
  MEMBER_EXCLUDED:
    "'{member}' қатысушысы шығарылған; ол қайта қабылдауға тыйым салу мерзімі біткеннен кейін жаңа өтініш арқылы ғана орала алады.",
  APPLICATION_INVALID: "Өтініштің {field} өрісінің мәні {value}; күтілетіні: {rule}.",
  APPLICATION_EXISTS: "'{id}' өтініші бұрыннан бар.",
  APPLICATION_NOT_FOUND: "'{id}' өтініші жоқ.",
  APPLICATION_DECIDED: "'{id}' өтініші қаралып қойған ({status}); шешім бір рет қабылданады.",
  APPLICATION_PENDING: "{bin} БСН бойынша '{id}' өтініші қаралуда; шешімді күтіңіз.",
  APPLICANT_EXCLUDED:
    "{bin} БСН биржадан шығарылған '{member}' қатысушысына тиесілі; өтініш {until:date} бастап қабылданады.",
  GROUP_INVALID: "{value} тобы жарамсыз; {rule}.",
  GROUP_EVIDENCE_INVALID: "{value} негіздеме сілтемесі жарамсыз; {rule}.",
  GROUP_UNCHANGED: "'{member}' қатысушысы: {state}; бұл жазба ештеңені өзгертпейді.",

  USER_EXISTS: "'{id}' пайдаланушысы бар.",
  USER_NOT_FOUND: "'{id}' пайдаланушысы жоқ.",
  USER_DISABLED: "'{id}' пайдаланушысы өшірулі; алдымен оны қосыңыз.",
  API_KEY_EXISTS: "'{id}' API кілті бар.",
  API_KEY_NOT_FOUND: "'{id}' API кілті жоқ.",
  API_KEY_SCOPE_NOT_FOR_ROLE:
    "'{user}' пайдаланушысы — бақылаушы, тек қарай алады: оның API кілтіне тек оқу ('{allowed}') рұқсатын беруге болады, сауданы ('{scope}') емес.",
  API_KEY_ALREADY_REVOKED: "'{user}' пайдаланушысының '{id}' API кілті бұрын кері қайтарылған.",
  API_KEYS_LIMIT:
    "'{user}' пайдаланушысында {count:int} API кілті бар, ең көбі {max:int} рұқсат (кері қайтарылғандары да саналады).",

  AMOUNT_INVALID: "{value} сомасы жарамсыз; сома — 1-ден {max:int}-ге дейінгі тиынның бүтін саны.",
  REFERENCE_INVALID: "{value} сілтемесі жарамсыз; банк сілтемесі — 1-ден 64-ке дейінгі басылатын таңба.",
  REFERENCE_DUPLICATE: "'{reference}' банк сілтемесі өткізіліп қойған; үзінді көшірменің әр жолы бір рет өткізіледі.",
  RISK_INSUFFICIENT_FUNDS:
    "'{account}' шотында {free:money} бос, ал операцияға ({purpose}) {required:money} керек ({shortfall:money} жетпейді).",
  RISK_INSUFFICIENT_VOLUME:
    "'{account}' шотында {basis} базисінде {free:kg} бос, ал операцияға ({purpose}) {required:kg} керек ({shortfall:kg} жетпейді).",
  GAS_QUANTITY_INVALID:
    "{value} кг газ мөлшері жарамсыз; ол бүтін тоннамен (1000 кг-ға еселік) 1 т-дан {max:kg}-ге дейін болуы керек.",
  REPORT_DAY_NOT_OVER:
    "{day:date} күнгі есеп сол күн Қазақстан уақыты бойынша біткен соң жасалады; бүгін {today:date}.",
  MEMBER_NOT_PRODUCER:
    "'{member}' қатысушысы өндіруші емес; тоқтап тұру туралы хабарламалар мен жеткізу жоспарлары тек өндірушілерде болады.",
  OUTAGE_BASIS_NOT_OWN:
    "{basis} базисі '{member}' қатысушысының зауыты емес: оны онда бірде-бір жеткізу жоспары атамайды және оның бірде-бір шотында онда газ жоқ; өндіруші тек өз зауыттарының тоқтап тұруын жариялайды.",
  BASIS_INVALID: "{value} базисі жарамсыз; {rule}.",
  BASIS_UNKNOWN: "'{basis}' базисінде бірде-бір тізімдегі құрал жеткізілмейді; тізімдегі құралдың базисін көрсетіңіз.",

  OBLIGATION_NOT_FOUND: "'{id}' міндеттемесі жоқ.",
  OBLIGATION_NOT_OPEN:
    "'{id}' міндеттемесінің күйі: «{status:status}»; тек ашық міндеттеме бойынша растауға және жөнелтуге болады.",
  TRADE_NOT_FOUND: "Клирингі бар '{trade}' мәмілесі жоқ.",
  TRADE_NOT_VOIDABLE:
    "'{trade}' мәмілесінің күшін жою мүмкін емес: оның міндеттемесінің күйі «{status:status}»; тек міндеттемесі ашық және газы әлі жеткізілмеген мәміленің күшін жоюға болады.",
  OBLIGATION_ALREADY_CONFIRMED: "'{id}' міндеттемесінің «{leg}» бөлігі расталып қойған.",

  STATION_INVALID: "Станцияның {field} өрісінің {value} мәні жарамсыз; {rule}.",
  STATION_EXISTS: "'{id}' станциясы тіркеліп қойған.",
  STATION_NOT_FOUND: "'{id}' станциясы тіркелмеген.",
  STATION_NOT_OWN: "'{station}' станциясы '{member}' сатып алушысына емес, '{owner}' қатысушысына тіркелген.",
  STATION_MEMBER_NOT_BUYER:
    "'{member}' қатысушысы сатып алушы да, брокер де емес; станциялар сатып алатындар үшін тіркеледі.",
  STATIONS_LIMIT: "'{member}' қатысушысында {count:int} станция бар, ең көбі {max:int} рұқсат.",
  SHIPMENT_INVALID: "Жөнелтімнің {field} өрісінің {value} мәні жарамсыз; {rule}.",
  SHIPMENT_NOT_FOUND: "'{id}' жөнелтімі белгісіз.",
  SHIPMENT_NOT_PARTY:
    "'{account}' шоты '{obligation}' міндеттемесі бойынша {party:party} емес; мұны тек {party:party} істей алады.",
  SHIPMENT_OVER_OBLIGATION:
    "{quantity:kg} жөнелту '{obligation}' міндеттемесі бойынша жөнелтілгенді {total:kg} етер еді, бұл оның {max:kg} көлемінен көп.",
  SHIPMENT_WAYBILL_DUPLICATE: "'{account}' шотының '{waybill}' жүкқұжаты '{shipment}' жөнелтіміне жазылып қойған.",
  SHIPMENTS_LIMIT: "'{obligation}' міндеттемесі бойынша {count:int} жөнелтім бар, ең көбі {max:int} рұқсат.",
  SHIPMENT_ALREADY_ARRIVED: "'{id}' жөнелтімі '{station}' станциясына келіп қойған.",
  EXTRA_SESSION_SELL_FORBIDDEN:
    "'{instrument}' құралы бойынша қосымша сессия жүріп жатыр, онда тек қайта ұсынылған көлем сатылады; сатуға өтінімдер мен атаулы мәмілелер ол жабылғаннан кейін.",
  EXTRA_SESSION_SELLERS_RESTING:
    "'{instrument}' құралының кітабында сатуға {quantity:kg} бар; қосымша сессия тек қайта ұсынылған көлемді сатады, сондықтан сатуға өтінімсіз ашылады.",
  EXTRA_SESSION_NOT_CLOSED:
    "'{instrument}' құралы бойынша қосымша сессияны оның сессиясы жабылғаннан кейін ғана ашуға болады; қазіргі кезең: {phase:phase}.",
  REOFFER_NONE: "'{instrument}' құралында қосымша сессияда қайта ұсынуды күтіп тұрған көлем жоқ.",
  REOFFER_ORDER_LOCKED:
    "'{id}' өтінімі қосымша сессияда қайта ұсынылған көлемді сатады; оны өзгертуге де, болдырмауға да болмайды.",
  NEGOTIATED_NOT_FOUND: "Күтудегі '{id}' атаулы мәмілесі жоқ.",
  NEGOTIATED_NOT_PARTY:
    "'{account}' шоты '{id}' атаулы мәмілесінде {party:party} емес; мұны тек {party:party} жасай алады.",
  NEGOTIATED_SAME_ACCOUNT:
    "Атаулы мәміле екі шот арасында жасалады; '{account}' шоты әрі сатушы, әрі сатып алушы бола алмайды.",
  NEGOTIATED_PENDING_LIMIT: "'{account}' шотында күтудегі {count:int} атаулы мәміле бар, ең көбі {max:int} рұқсат.",

  INSTRUMENT_NOT_FOUND: "'{id}' құралы саудаға жіберілмеген.",
  INSTRUMENT_EXISTS: "'{id}' құралы саудаға жіберіліп қойған.",
  INSTRUMENT_INVALID: "Құралдың сипаттамасы жарамсыз: {reason}.",
  INSTRUMENT_NOT_CLEARED: "'{id}' құралының клиринг шарттары жоқ; {what} тек клирингтік құралдарға қолданылады.",
  TRANSPORT_UNIT_INVALID:
    "{value} кг тасымалдау бірлігі жарамсыз; тасымалдау бірлігі — {min:int}–{max:int} аралығындағы кг-ның бүтін саны.",
  LOT_NOT_TRANSPORT_UNITS:
    "{lotSize:int} кг лот мөлшері {unitKg:int} кг тасымалдау бірлігіне еселі емес; лот бүтін автоцистерналардан немесе теміржол цистерналарынан тұрады.",
  PHASE_CLOSED: "'{instrument}' құралы қазір «{phase:phase}» кезеңінде; өтінімдер қазір қабылданбайды.",
  PHASE_TRANSITION_INVALID:
    "'{instrument}' құралы {from:phase} кезеңінен {to:phase} кезеңіне өте алмайды; рұқсат етілген келесі кезеңдер: {allowed:phases}.",
  AUCTION_REFERENCE_PRICE_REQUIRED:
    "Анықтамалық бағасыз аукцион бағасын анықтау мүмкін емес: {reason}. Шешу үшін анықтамалық баға беріңіз.",
  CALENDAR_INVALID: "Сауда күнтізбесі жарамсыз: {reason}.",
  SAFEGUARDS_INVALID: "Шектеу шаралары жарамсыз: {reason}.",
  HALT_SCOPE_INVALID: "Тоқтата тұру аясы жарамсыз: {reason}.",
  NOTHING_TO_RESUME: "Қайта бастайтын ештеңе жоқ: бірде-бір құрал тоқтатылмаған ({scope}).",
  TIME_NOT_MONOTONIC: "Команда уақыты {value:time} ядроның ағымдағы уақытынан {now:time} ерте; уақыт кері жүрмейді.",

  SURVEILLANCE_CONFIG_INVALID: "Қадағалау баптаулары жарамсыз: {reason}.",
  SURVEILLANCE_CONFIG_UNCHANGED: "Қадағалау баптауларында осы мәндер бар; бұл жазба ештеңені өзгертпейді.",
  SURVEILLANCE_UNAVAILABLE:
    "Қадағалау журналдың {seq} жазбасында тоқтады ({reason}); сауда жалғасады, қайта іске қосу оны қалпына келтіреді.",
  ALERT_NOT_FOUND: "'{id}' қадағалау белгісі жоқ.",
  ALERT_INVALID: "{value} белгі идентификаторы жарамсыз; {rule}.",
  CASE_NOT_FOUND: "'{id}' қадағалау ісі жоқ ({where}).",
  CASE_ALERT_TAKEN:
    "'{alert}' белгісі '{caseId}' ісіне кіреді (күйі: {status}); белгі бір уақытта бір іске ғана кіреді.",
  CASE_TRANSITION_INVALID:
    "'{caseId}' ісінің күйі: «{status}»; «{action}» әрекеті мүмкін емес (істер: ашық → қаралуда → жабық).",
  CASE_OUTCOME_INVALID: "{value} іс нәтижесі жарамсыз; мыналардың бірі күтіледі: {allowed}.",
  CASE_NOTE_INVALID: "{value} іс жазбасы жарамсыз; {rule}.",
  CASES_LIMIT: "{count:int} іс ашық немесе қаралуда — бұл шек ({max:int}); жаңасын ашпас бұрын бірнешеуін жабыңыз.",
  CASE_ALERTS_LIMIT: "'{caseId}' ісінде {max:int} белгі бар — бұл шек.",

  REQUEST_INVALID: "Сұрау жарамсыз: {reason}.",
  REQUEST_TOO_LARGE: "Сұрау денесі {max:int} байттан үлкен.",
  REQUEST_MEDIA_TYPE: "Сұрау денесі JSON пішімінде болып, Content-Type: application/json тақырыбымен жіберілуі керек.",
  NOT_FOUND: "{method} {url} бағыты жоқ.",
  AUTH_REQUIRED: "Мынаны істеу үшін кіріңіз немесе сұрауға API кілтімен қол қойыңыз: {action}.",
  AUTH_FAILED: "Пайдаланушы аты немесе құпиясөз қате.",
  AUTH_SIGNATURE_INVALID: "Сұраудың қолтаңбасы жарамсыз: {reason}.",
  AUTH_BACKOFF:
    "Бұл атпен кіру әрекеттері тым көп сәтсіз болды: келесі әрекетке дейін {retryAfterSeconds:int} с күтіңіз (оператор хабардар етілді).",
  AUTH_ORIGIN: "{origin} көзінен келген сұраулар қабылданбайды; биржа мыналарды қабылдайды: {allowed}.",
  PASSWORD_WEAK: "Құпиясөз қабылданбады: {reason}.",
  AUTH_CSRF: "CSRF токені жоқ немесе қате; GET /api/session жауабындағы X-CSRF-Token тақырыбын жіберіңіз.",
  FORBIDDEN: "Сіздің рөліңіз ({role}) мынаны істей алмайды: {action}.",
  FORBIDDEN_SCOPE: "Бұл API кілтінде мынаған қажет '{scope}' аясы жоқ: {action}.",
  FORBIDDEN_ACCOUNT: "'{account}' шоты сіздің қатысушыңызға тиесілі емес.",
  RATE_LIMITED:
    "Сұраулар тым көп: {window:window} ішінде ең көбі {max:int}; {retryAfterSeconds:int} с кейін қайталаңыз.",
  UNAVAILABLE: "Биржа қазір «{state}» күйінде; сәлден соң қайталаңыз.",
  VIEWS_LOADING:
    "Биржаның көріністері (шоттар, пайдаланушылар, нарық деректері, аудит) қайта іске қосылғаннан кейін жүктелуде: {head:int} жазбаның {seq:int}-і; оларға тәуелді сұраулар олар дайын болғанша қабылданбайды, сәлден соң қайталаңыз.",
  SUBSCRIPTIONS_LIMIT:
    "Бұл қосылымда {count:int} жазылым бар, ең көбі {max:int} рұқсат; алдымен жазылымнан бас тартыңыз.",
  CANCEL_ON_DISCONNECT_LIMIT:
    "Бұл қосылым үзілгенде жоюмен {live:int} белсенді өтінімді қорғайды, ең көбі {max:int} рұқсат; бірнешеуін жойыңыз немесе басқа қосылым ашыңыз.",
  LAB_SCENARIO_NOT_FOUND: "Саясат зертханасында '{name}' сценарийі жоқ; барлары: {known}.",
  LAB_SCENARIO_INVALID: "Осы баптаулармен '{name}' сценарийі жарамсыз: {reason}.",
  LAB_RUNS_DAYS_LIMIT:
    "{days:int} күннен {runs:int} есептеу зертхана үшін тым көп: {runs:int} есептеуде бір есептеу ең көбі {daysMax:int} күн (барлығы ең көбі {totalMax:int} күн).",
  LAB_RUN_NOT_FOUND:
    "'{id}' зертхана есептеуі жоқ: ол болмаған немесе орын босату үшін өшірілген (аяқталған соңғы {kept:int} есептеу сақталады); оны қайта іске қосыңыз.",
  BULLETIN_DAY_FUTURE:
    "{day:date} күнгі бюллетень әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, {today:date}, кейін.",
  INDICES_DAY_FUTURE:
    "{day:date} күнгі индекстер әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, {today:date}, кейін.",
  PARTICIPATION_MONTH_FUTURE:
    "{month:month} айындағы қатысу көрсеткіштері әлі жоқ: бұл ай Қазақстан уақыты бойынша ағымдағы айдан, {current:month}, кейін.",
  EINVOICE_PERIOD_REVERSED:
    "Электрондық шот-фактуралар кезеңі {from:date} басталады, ал {to:date} аяқталады: кезеңнің басы оның соңынан кеш болмауы керек.",
  STATEMENT_DAY_FUTURE:
    "{date:date} күнгі үзінді көшірме әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, {today:date}, кейін.",
  STATEMENT_DAY_BEFORE_MEMBER:
    "{date:date} күнгі үзінді көшірме жоқ: '{member}' қатысушысы биржаға Қазақстан уақыты бойынша {since:date} қабылданды; оның алғашқы үзінді көшірмесі сол күнге.",
  CLEARING_REPORT_DAY_FUTURE:
    "{date:date} күнгі клирингтік есеп әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, {today:date}, кейін.",
  CLEARING_REPORT_DAY_BEFORE_MEMBER:
    "{date:date} күнгі клирингтік есеп жоқ: '{member}' қатысушысы биржаға Қазақстан уақыты бойынша {since:date} қабылданды; оның алғашқы клирингтік есебі сол күнге.",
  DOCUMENTS_BUSY:
    "Өткен күндердің құжаттары журналдан қалпына келтірілуде: кезекте {pending:int} күн, ең көбі {max:int} рұқсат; {retryAfterSeconds:int} с кейін қайталаңыз.",
  LAB_BUSY:
    "Зертхана бос емес: кезекте {queued:int} есептеу, ең көбі {max:int} рұқсат; {retryAfterSeconds:int} с кейін қайталаңыз.",
  LAB_RUNS_PER_CALLER_LIMIT:
    "Сізде кезекте немесе жұмыста {active:int} есептеу бар, ең көбі {max:int} рұқсат; біреуінің аяқталуын күтіңіз.",
  LAB_RUN_TIMEOUT:
    "Модельдеу {timeoutMs:duration} ішінде аяқталмай, {days:int} күннің {doneDays:int} күнінен кейін тоқтатылды.",
  LAB_RUN_FAILED: "Модельдеу қатемен аяқталды: {reason}.",
  LAB_STOPPED: "Сервер жұмысын аяқтап жатқандықтан модельдеу тоқтатылды.",
  TARIFF_INVALID: "Тариф мәні {field} = {value} жарамсыз; {rule}.",
  VAT_INVALID: "ҚҚС баптауы {value} жарамсыз; {rule}.",
  CONTRACT_NOT_FOUND:
    "'{account}' шоты үшін '{trade}' мәмілесінің шарты жоқ: шот оның тарапы емес, не мәміле белгісіз немесе сақталатын жазбалардан ескі.",
  SECOND_FACTOR_REQUIRED:
    "Бұл пайдаланушы екінші фактормен кіреді: аутентификатор қолданбасындағы 6 таңбалы кодты 'code' өрісінде жіберіңіз.",
  SECOND_FACTOR_CODE_FORMAT:
    "Екінші фактор коды — аутентификатор қолданбасы көрсететін {digits:int} цифр; жіберілген код олай емес.",
  SECOND_FACTOR_INVALID:
    "Код қате, ескірген немесе бұрын қолданылған; аутентификатор қолданбасы қазір көрсетіп тұрған кодты жіберіңіз.",
  SECOND_FACTOR_NOT_PENDING:
    "Екінші факторды баптау басталмаған (оны бастамаған, не оған 10 минуттан асқан); қайта бастаңыз.",
  SECOND_FACTOR_ALREADY_SET: "Сіз екінші фактормен кіресіз; басқасын баптамас бұрын оны (ағымдағы кодпен) өшіріңіз.",
  SECOND_FACTOR_NOT_SET: "'{id}' пайдаланушысы екінші факторсыз кіреді.",
  NOT_LEADER:
    "Бұл түйін журналды қадағалайды және өзгерістерді қабылдамайды; оларды {leader} жетекші түйініне жіберіңіз.",
  LEADER_UNAVAILABLE:
    "Бұл түйін өзгерісті жетекші түйінге ({leader}) бере алмады: {reason}; сәлден соң қайталаңыз (клиент идентификаторы сол күйінде қайта жіберілген өтінім екі рет берілмейді).",
  FORWARDING_INVALID: "Сұраудағы қайта жіберу белгісі жарамсыз: {reason}; оны биржаның өз түйіндері ғана қоя алады.",
  INTERNAL:
    "Биржа жағында бірдеңе дұрыс болмады (өтініш нөмірі {reference}); нәтижесінде басқасы айтылмаса, бұл сұрау ештеңені өзгертпеді.",
};
