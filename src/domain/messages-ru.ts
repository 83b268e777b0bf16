/**
 * The error registry's sentences in Russian, one per code (the type makes a missing code a compile error, and
 * test/i18n/server-messages.test.ts checks that every template names the same values as the English one).
 * Placeholders are `{name}` or `{name:kind}`; the kind says how the value is written for the reader (see messages.ts).
 */

import type { ErrorCode } from "./errors.ts";

export const ERRORS_RU: Readonly<Record<ErrorCode, string>> = {
  COMMAND_INVALID: "Команда недействительна: {reason}.",
  COMMAND_UNKNOWN: "Неизвестная команда '{op}'; ожидается одна из: {allowed}.",
  FIELD_INVALID: "Поле {field} имеет значение {value}; {rule}.",

  ORDER_ID_INVALID: "Идентификатор заявки {value} недействителен; {rule}.",
  ORDER_ID_DUPLICATE: "Идентификатор заявки '{id}' уже занят; каждой заявке нужен новый идентификатор.",
  ORDER_SIDE_INVALID: "Направление {value} недействительно; ожидается 'buy' (покупка) или 'sell' (продажа).",
  ORDER_TYPE_INVALID: "Тип заявки {value} недействителен; ожидается 'limit' (лимитная) или 'market' (рыночная).",
  ORDER_PRICE_INVALID: "Цена {value} недействительна; цена — целое число тиынов от 1 до {max:int}.",
  ORDER_PRICE_REQUIRED: "Лимитной заявке нужна цена.",
  ORDER_PRICE_NOT_ALLOWED: "Рыночная заявка подаётся без цены, но указана цена {value:price}.",
  ORDER_PRICE_OFF_TICK: "Цена {value:price} не кратна шагу цены {tick:price}.",
  ORDER_QUANTITY_INVALID: "Количество {value} недействительно; количество — целое число от 1 до {max:int}.",
  ORDER_QUANTITY_OFF_LOT: "Количество {value:kg} не кратно размеру лота {lot:kg}.",
  ORDER_TIF_INVALID: "Срок действия {value} недействителен; ожидается один из: {allowed}.",
  ORDER_TIF_NOT_ALLOWED: "Срок действия {tif} не допускается для {context}.",
  ORDER_EXPIRY_INVALID:
    "Срок истечения {value} недействителен; заявке GTD нужен срок позже текущего времени {now:time}.",
  ORDER_STP_INVALID: "Режим защиты от самосделок {value} недействителен; ожидается один из: {allowed}.",
  ORDER_POST_ONLY_INVALID:
    "«Только в книгу» допускается лишь для лимитных заявок, которые могут стоять в книге; указано {context}.",
  ORDER_PRICE_OUTSIDE_BAND:
    "Цена {value:price} вне ценового коридора на сегодня {low:price}–{high:price} (±{bandPercent:pct} от референтной цены {reference:price}).",
  ORDER_PRICE_ABOVE_CEILING: "Цена {value:price} выше предельной цены {ceiling:price}.",
  ORDER_PRICE_BELOW_FLOOR: "Цена {value:price} ниже минимальной цены {floor:price}.",
  ORDER_LOTS_LIMIT: "В заявке {lots:int} лотов; на '{instrument}' допускается не более {max:int} лотов в заявке.",
  ORDER_ACTIVE_LIMIT:
    "У счёта '{account}' {active:int} активных заявок на '{instrument}', допускается не более {max:int}.",
  ORDER_CONCENTRATION_LIMIT:
    "С этим запросом счёт '{account}' держал бы {wouldHold:kg} (куплено {bought:kg}, в заявках до запроса {bidding:kg}) — больше {percent:pct} от {offered:kg}, предложенных в этой сессии (не более {allowed:kg}).",
  ACCOUNT_NOT_ELIGIBLE:
    "Счёт '{account}' (категория покупателя: {category:categories}) не может покупать на '{instrument}'; допущены: {eligible:categories}.",
  ORDER_NOT_FOUND: "Заявка с идентификатором '{id}' неизвестна.",
  ORDER_NOT_RESTING:
    "Заявка '{id}' не стоит в книге (она {status:status}); изменить или снять можно только заявку в книге.",
  ORDER_AMEND_EMPTY: "Для изменения заявки '{id}' нужна новая цена, новое количество или и то и другое.",
  ORDER_LIMIT_REACHED: "В книге {count:int} заявок, больше {max:int} она вместить не может.",
  ORDER_ID_REUSED:
    "Идентификатор заявки '{id}' уже использован для другой заявки; повтор должен в точности совпадать с исходной.",
  ORDER_MARKET_BUY_NOT_COVERED:
    "Рыночную заявку на покупку на '{instrument}' нельзя обеспечить: у инструмента нет предельной цены для расчёта гарантийного взноса. Подайте лимитную заявку.",
  ACCOUNT_INVALID: "Счёт {value} недействителен; {rule}.",
  ACCOUNT_NOT_FOUND: "Счёт '{id}' не открыт.",
  ACCOUNT_EXISTS: "Счёт '{id}' уже открыт.",
  ACCOUNT_ROLE_FORBIDDEN: "Счёт '{account}' не может {action}: {reason}.",
  MEMBER_INVALID: "Описание участника недействительно: {reason}.",
  MEMBER_NOT_FOUND: "Участник '{id}' не аккредитован.",
  NOTICE_EMAIL_REQUIRED:
    "Для уведомлений ({kinds:noticeKinds}) выбрана электронная почта, но адрес не указан: укажите адрес или не выбирайте отправку по почте.",
  NOTIFICATION_NOT_FOUND: "У участника '{member}' нет уведомления '{id}' (хранятся последние 200).",
  MEMBER_EXISTS: "Участник '{id}' уже аккредитован.",
  MEMBER_SUSPENDED:
    "Участник '{member}' отстранён от торгов; он не может подавать и менять заявки, пока оператор его не восстановит.",
  MEMBER_ALREADY_SUSPENDED: "Участник '{member}' уже отстранён.",
  MEMBER_NOT_SUSPENDED: "Участник '{member}' не отстранён.",
  MEMBER_EXCLUDED:
    "Участник '{member}' исключён; вернуться он может только по новому заявлению после окончания запрета на повторный приём.",
  APPLICATION_INVALID: "Поле заявления {field} имеет значение {value}; ожидается: {rule}.",
  APPLICATION_EXISTS: "Заявление '{id}' уже существует.",
  APPLICATION_NOT_FOUND: "Заявления '{id}' нет.",
  APPLICATION_DECIDED: "Заявление '{id}' уже рассмотрено ({status}); решение принимается один раз.",
  APPLICATION_PENDING: "По БИН {bin} уже есть заявление '{id}' на рассмотрении; дождитесь решения.",
  APPLICANT_EXCLUDED:
    "БИН {bin} принадлежит участнику '{member}', исключённому с биржи; заявление принимается с {until:date}.",
  GROUP_INVALID: "Группа {value} недействительна; {rule}.",
  GROUP_EVIDENCE_INVALID: "Ссылка на основание {value} недействительна; {rule}.",
  GROUP_UNCHANGED: "Участник '{member}': {state}; такая запись ничего не меняет.",

  USER_EXISTS: "Пользователь '{id}' уже существует.",
  USER_NOT_FOUND: "Пользователя '{id}' нет.",
  USER_DISABLED: "Пользователь '{id}' отключён; сначала включите его.",
  API_KEY_EXISTS: "API-ключ '{id}' уже существует.",
  API_KEY_NOT_FOUND: "API-ключа '{id}' нет.",
  API_KEY_SCOPE_NOT_FOR_ROLE:
    "Пользователь '{user}' — наблюдатель и может только смотреть: его API-ключу можно дать только чтение ('{allowed}'), но не торговлю ('{scope}').",
  API_KEY_ALREADY_REVOKED: "API-ключ '{id}' пользователя '{user}' уже отозван.",
  API_KEYS_LIMIT:
    "У пользователя '{user}' уже {count:int} API-ключей, допускается не более {max:int} (отозванные считаются).",

  AMOUNT_INVALID: "Сумма {value} недействительна; сумма — целое число тиынов от 1 до {max:int}.",
  REFERENCE_INVALID: "Ссылка {value} недействительна; банковская ссылка — от 1 до 64 печатных символов.",
  REFERENCE_DUPLICATE: "Банковская ссылка '{reference}' уже проведена; каждая строка выписки проводится один раз.",
  RISK_INSUFFICIENT_FUNDS:
    "На счёте '{account}' свободно {free:money}, а для операции ({purpose}) нужно {required:money} (не хватает {shortfall:money}).",
  RISK_INSUFFICIENT_VOLUME:
    "На счёте '{account}' свободно {free:kg} на базисе {basis}, а для операции ({purpose}) нужно {required:kg} (не хватает {shortfall:kg}).",
  GAS_QUANTITY_INVALID:
    "Количество газа {value} кг недействительно; оно должно быть в целых тоннах (кратно 1000 кг) от 1 т до {max:kg}.",
  REPORT_DAY_NOT_OVER:
    "Отчёт за {day:date} составляется после окончания этого дня по времени Казахстана; сегодня {today:date}.",
  MEMBER_NOT_PRODUCER:
    "Участник '{member}' не производитель; сообщения о простоях и планы поставок — только у производителей.",
  OUTAGE_BASIS_NOT_OWN:
    "Базис {basis} не является заводом участника '{member}': ни один план поставок не называет его там, и ни один его счёт не держит там газ; производитель сообщает о простоях только своих заводов.",
  BASIS_INVALID: "Базис {value} недействителен; {rule}.",
  BASIS_UNKNOWN:
    "Ни один допущенный инструмент не поставляется на базисе '{basis}'; укажите базис допущенного инструмента.",

  OBLIGATION_NOT_FOUND: "Обязательства '{id}' нет.",
  OBLIGATION_NOT_OPEN:
    "Обязательство '{id}' в состоянии «{status:status}»; подтверждать и отгружать можно только по открытому обязательству.",
  TRADE_NOT_FOUND: "Сделки '{trade}' с клирингом нет.",
  TRADE_NOT_VOIDABLE:
    "Сделку '{trade}' нельзя аннулировать: её обязательство в состоянии «{status:status}»; аннулировать можно только сделку с открытым обязательством, газ по которой ещё не поставлен.",
  OBLIGATION_ALREADY_CONFIRMED: "Часть «{leg}» обязательства '{id}' уже подтверждена.",

  STATION_INVALID: "Поле станции {field} со значением {value} недействительно; {rule}.",
  STATION_EXISTS: "Станция '{id}' уже зарегистрирована.",
  STATION_NOT_FOUND: "Станция '{id}' не зарегистрирована.",
  STATION_NOT_OWN: "Станция '{station}' зарегистрирована за участником '{owner}', а не за покупателем '{member}'.",
  STATION_MEMBER_NOT_BUYER:
    "Участник '{member}' не покупатель и не брокер; станции регистрируются для тех, кто покупает.",
  STATIONS_LIMIT: "У участника '{member}' уже {count:int} станций, допускается не более {max:int}.",
  SHIPMENT_INVALID: "Поле отгрузки {field} со значением {value} недействительно; {rule}.",
  SHIPMENT_NOT_FOUND: "Отгрузка '{id}' неизвестна.",
  SHIPMENT_NOT_PARTY:
    "Счёт '{account}' — не {party:party} по обязательству '{obligation}'; это может сделать только {party:party}.",
  SHIPMENT_OVER_OBLIGATION:
    "Отгрузка {quantity:kg} довела бы отгруженное по обязательству '{obligation}' до {total:kg}, больше его {max:kg}.",
  SHIPMENT_WAYBILL_DUPLICATE: "Накладная '{waybill}' счёта '{account}' уже записана в отгрузке '{shipment}'.",
  SHIPMENTS_LIMIT: "По обязательству '{obligation}' уже {count:int} отгрузок, допускается не более {max:int}.",
  SHIPMENT_ALREADY_ARRIVED: "Отгрузка '{id}' уже прибыла на станцию '{station}'.",
  EXTRA_SESSION_SELL_FORBIDDEN:
    "По инструменту '{instrument}' идёт дополнительная сессия, где продаётся только повторно выставленный объём; заявки на продажу и внебиржевые (адресные) сделки — после её закрытия.",
  EXTRA_SESSION_SELLERS_RESTING:
    "В книге инструмента '{instrument}' {quantity:kg} на продажу; дополнительная сессия продаёт только повторно выставленный объём и открывается без заявок на продажу.",
  EXTRA_SESSION_NOT_CLOSED:
    "Дополнительную сессию по инструменту '{instrument}' можно открыть только после закрытия его сессии; сейчас фаза: {phase:phase}.",
  REOFFER_NONE: "У инструмента '{instrument}' нет объёма, ожидающего повторного выставления на дополнительной сессии.",
  REOFFER_ORDER_LOCKED:
    "Заявка '{id}' продаёт повторно выставленный объём на дополнительной сессии; её нельзя изменить или отменить.",
  NEGOTIATED_NOT_FOUND: "Ожидающей адресной сделки '{id}' нет.",
  NEGOTIATED_NOT_PARTY:
    "Счёт '{account}' — не {party:party} в адресной сделке '{id}'; это может сделать только {party:party}.",
  NEGOTIATED_SAME_ACCOUNT:
    "Адресная сделка заключается между двумя счетами; счёт '{account}' не может быть и продавцом, и покупателем.",
  NEGOTIATED_PENDING_LIMIT:
    "У счёта '{account}' уже {count:int} ожидающих адресных сделок, допускается не более {max:int}.",

  INSTRUMENT_NOT_FOUND: "Инструмент '{id}' не допущен к торгам.",
  INSTRUMENT_EXISTS: "Инструмент '{id}' уже допущен к торгам.",
  INSTRUMENT_INVALID: "Описание инструмента недействительно: {reason}.",
  INSTRUMENT_NOT_CLEARED:
    "У инструмента '{id}' нет условий клиринга; {what} применяется только к клиринговым инструментам.",
  TRANSPORT_UNIT_INVALID:
    "Транспортная единица {value} кг недействительна; транспортная единица — целое число кг от {min:int} до {max:int}.",
  LOT_NOT_TRANSPORT_UNITS:
    "Размер лота {lotSize:int} кг не кратен транспортной единице {unitKg:int} кг; лот состоит из целых автоцистерн или железнодорожных цистерн.",
  PHASE_CLOSED: "Инструмент '{instrument}' сейчас в фазе «{phase:phase}»; заявки сейчас не принимаются.",
  PHASE_TRANSITION_INVALID:
    "Инструмент '{instrument}' не может перейти из фазы {from:phase} в фазу {to:phase}; допустимые следующие фазы: {allowed:phases}.",
  AUCTION_REFERENCE_PRICE_REQUIRED:
    "Цену аукциона нельзя определить без референтной цены: {reason}. Укажите референтную цену для решения.",
  CALENDAR_INVALID: "Торговый календарь недействителен: {reason}.",
  SAFEGUARDS_INVALID: "Ограничительные меры недействительны: {reason}.",
  HALT_SCOPE_INVALID: "Охват приостановки недействителен: {reason}.",
  NOTHING_TO_RESUME: "Возобновлять нечего: ни один инструмент не приостановлен ({scope}).",
  TIME_NOT_MONOTONIC: "Время команды {value:time} раньше текущего времени ядра {now:time}; время не идёт назад.",

  SURVEILLANCE_CONFIG_INVALID: "Настройки надзора недействительны: {reason}.",
  SURVEILLANCE_CONFIG_UNCHANGED: "В настройках надзора уже эти значения; такая запись ничего не меняет.",
  SURVEILLANCE_UNAVAILABLE:
    "Надзор остановился на записи журнала {seq} ({reason}); торги продолжаются, перезапуск его восстановит.",
  ALERT_NOT_FOUND: "Сигнала надзора '{id}' нет.",
  ALERT_INVALID: "Идентификатор сигнала {value} недействителен; {rule}.",
  CASE_NOT_FOUND: "Дела надзора '{id}' нет ({where}).",
  CASE_ALERT_TAKEN:
    "Сигнал '{alert}' уже входит в дело '{caseId}' (состояние: {status}); сигнал может быть только в одном деле.",
  CASE_TRANSITION_INVALID:
    "Дело '{caseId}' в состоянии «{status}»; действие «{action}» невозможно (дела идут: открыто → на рассмотрении → закрыто).",
  CASE_OUTCOME_INVALID: "Итог дела {value} недействителен; ожидается один из: {allowed}.",
  CASE_NOTE_INVALID: "Заметка к делу {value} недействительна; {rule}.",
  CASES_LIMIT:
    "Открыто или на рассмотрении {count:int} дел — это предел ({max:int}); закройте часть, прежде чем открывать новые.",
  CASE_ALERTS_LIMIT: "В деле '{caseId}' уже {max:int} сигналов — это предел.",

  REQUEST_INVALID: "Запрос недействителен: {reason}.",
  REQUEST_TOO_LARGE: "Тело запроса больше {max:int} байт.",
  REQUEST_MEDIA_TYPE:
    "Тело запроса должно быть в формате JSON и отправляться с заголовком Content-Type: application/json.",
  NOT_FOUND: "Маршрута {method} {url} нет.",
  AUTH_REQUIRED: "Войдите или подпишите запрос API-ключом, чтобы {action}.",
  AUTH_FAILED: "Неверное имя пользователя или пароль.",
  AUTH_SIGNATURE_INVALID: "Подпись запроса недействительна: {reason}.",
  AUTH_BACKOFF:
    "Слишком много неудачных входов под этим именем: подождите {retryAfterSeconds:int} с до следующей попытки (оператор уведомлён).",
  AUTH_ORIGIN: "Запросы с источника {origin} не принимаются; биржа принимает {allowed}.",
  PASSWORD_WEAK: "Пароль не принят: {reason}.",
  AUTH_CSRF: "CSRF-токен отсутствует или неверен; передайте заголовок X-CSRF-Token из GET /api/session.",
  FORBIDDEN: "Ваша роль ({role}) не может {action}.",
  FORBIDDEN_SCOPE: "У этого API-ключа нет области '{scope}', нужной, чтобы {action}.",
  FORBIDDEN_ACCOUNT: "Счёт '{account}' не принадлежит вашему участнику.",
  RATE_LIMITED:
    "Слишком много запросов: не более {max:int} за {window:window}; повторите через {retryAfterSeconds:int} с.",
  UNAVAILABLE: "Биржа сейчас в состоянии «{state}»; повторите чуть позже.",
  VIEWS_LOADING:
    "Представления биржи (счета, пользователи, рыночные данные, аудит) загружаются после перезапуска: запись {seq:int} из {head:int}; всё, что от них зависит, отклоняется до их готовности, повторите чуть позже.",
  SUBSCRIPTIONS_LIMIT: "У этого соединения {count:int} подписок, допускается не более {max:int}; сначала отпишитесь.",
  CANCEL_ON_DISCONNECT_LIMIT:
    "Это соединение охраняет снятием при обрыве {live:int} активных заявок, допускается не более {max:int}; снимите часть или откройте другое соединение.",
  LAB_SCENARIO_NOT_FOUND: "В лаборатории политики нет сценария '{name}'; есть: {known}.",
  LAB_SCENARIO_INVALID: "Сценарий '{name}' с этими настройками недействителен: {reason}.",
  LAB_RUNS_DAYS_LIMIT:
    "{runs:int} прогонов по {days:int} дней — слишком много для лаборатории: при {runs:int} прогонах один прогон длится не более {daysMax:int} дней (всего не более {totalMax:int} дней).",
  LAB_RUN_NOT_FOUND:
    "Прогона лаборатории '{id}' нет: его не было или он удалён, чтобы освободить место (хранятся последние {kept:int} завершённых прогонов); запустите его снова.",
  BULLETIN_DAY_FUTURE:
    "Бюллетеня за {day:date} ещё нет: этот день позже сегодняшнего, {today:date}, по времени Казахстана.",
  INDICES_DAY_FUTURE:
    "Индексов за {day:date} ещё нет: этот день позже сегодняшнего, {today:date}, по времени Казахстана.",
  PARTICIPATION_MONTH_FUTURE:
    "Показателей участия за {month:month} ещё нет: этот месяц позже текущего, {current:month}, по времени Казахстана.",
  EINVOICE_PERIOD_REVERSED:
    "Период электронных счетов-фактур начинается {from:date}, позже своего конца {to:date}: начало периода должно быть не позже его конца.",
  STATEMENT_DAY_FUTURE:
    "Выписки за {date:date} ещё нет: этот день позже сегодняшнего, {today:date}, по времени Казахстана.",
  STATEMENT_DAY_BEFORE_MEMBER:
    "Выписки за {date:date} нет: участник '{member}' допущен к торгам на бирже {since:date} по времени Казахстана; его первая выписка — за этот день.",
  CLEARING_REPORT_DAY_FUTURE:
    "Клирингового отчёта за {date:date} ещё нет: этот день позже сегодняшнего, {today:date}, по времени Казахстана.",
  CLEARING_REPORT_DAY_BEFORE_MEMBER:
    "Клирингового отчёта за {date:date} нет: участник '{member}' допущен к торгам на бирже {since:date} по времени Казахстана; его первый клиринговый отчёт — за этот день.",
  DOCUMENTS_BUSY:
    "Документы прошлых дней восстанавливаются из журнала: в очереди {pending:int} дней, допускается не более {max:int}; повторите через {retryAfterSeconds:int} с.",
  LAB_BUSY:
    "Лаборатория занята: в очереди {queued:int} прогонов, допускается не более {max:int}; повторите через {retryAfterSeconds:int} с.",
  LAB_RUNS_PER_CALLER_LIMIT:
    "У вас {active:int} прогонов в очереди или в работе, допускается не более {max:int}; дождитесь окончания одного из них.",
  LAB_RUN_TIMEOUT:
    "Моделирование шло дольше {timeoutMs:durationGenitive} и остановлено после {doneDays:int} из {days:int} дней.",
  LAB_RUN_FAILED: "Моделирование завершилось ошибкой: {reason}.",
  LAB_STOPPED: "Моделирование остановлено, потому что сервер завершает работу.",
  TARIFF_INVALID: "Значение тарифа {field} = {value} недействительно; {rule}.",
  VAT_INVALID: "Настройка НДС {value} недопустима; {rule}.",
  CONTRACT_NOT_FOUND:
    "Договора по сделке '{trade}' для счёта '{account}' нет: счёт не является её стороной, либо сделка неизвестна или старше хранимых записей.",
  SECOND_FACTOR_REQUIRED:
    "Этот пользователь входит со вторым фактором: передайте 6-значный код из приложения-аутентификатора в поле 'code'.",
  SECOND_FACTOR_CODE_FORMAT:
    "Код второго фактора — это {digits:int} цифр, как его показывает приложение-аутентификатор; переданный код не такой.",
  SECOND_FACTOR_INVALID:
    "Код неверен, устарел или уже использован; передайте код, который приложение-аутентификатор показывает сейчас.",
  SECOND_FACTOR_NOT_PENDING:
    "Нет начатой настройки второго фактора (её не начинали, или ей больше 10 минут); начните заново.",
  SECOND_FACTOR_ALREADY_SET:
    "Вы уже входите со вторым фактором; отключите его (с текущим кодом), прежде чем настраивать другой.",
  SECOND_FACTOR_NOT_SET: "Пользователь '{id}' входит без второго фактора.",
  NOT_LEADER: "Этот узел следует за журналом и не принимает изменений; отправьте их ведущему узлу {leader}.",
  LEADER_UNAVAILABLE:
    "Этот узел не смог передать изменение ведущему узлу ({leader}): {reason}; повторите чуть позже (заявка, отправленная повторно с тем же идентификатором клиента, не будет подана дважды).",
  FORWARDING_INVALID:
    "Отметка о пересылке в запросе недействительна: {reason}; её могут ставить только узлы самой биржи.",
  INTERNAL:
    "На стороне биржи что-то пошло не так (номер обращения {reference}); этот запрос ничего не изменил, если его итог не говорит иного.",
};
