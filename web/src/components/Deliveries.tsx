/**
 * After the trade, on the terminal: the account's shipments (the seller's dispatches, with where each arrived; newest
 * first, a page at a time with "show more", as the documents list pages its contracts), the
 * seller's form that records a shipment (Dispatch.tsx), the buyer's control to confirm an arrival at one of its member's stations (POST /api/accounts/{account}/arrivals; the
 * server's refusal is shown under the form), and the documents to download: each trade's exchange contract as PDF and
 * the account's daily statement as PDF or XLSX, in the page's language. The statement's day is offered once it is known
 * (the newest trade's, else today), never from the member's admission back (`statementsFrom`); a document the exchange
 * refuses (a statement of a day after today or before the admission, a day left empty) is said in words under the
 * links, never saved as a file of JSON.
 */

import { type FormEvent, type MouseEvent, useEffect, useState } from "react";
import { ACCOUNT_LIST_LIMIT_MAX } from "../../../src/domain/limits.ts";
import { fetchFile } from "../api/client.ts";
import { invalidate, useApi } from "../api/live.ts";
import { apiPath, call, type Schemas } from "../api/typed.ts";
import { describeError } from "../errors.ts";
import { calendarDate, exchangeMinute, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { Dispatch } from "./Dispatch.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { FieldError } from "./FieldError.tsx";
import type { Say } from "./FormSubmit.tsx";
import { regionName } from "./LimitsText.tsx";
import { ShowMore, usePaging } from "./ShowMore.tsx";

type Obligation = Schemas["Obligation"];
type DocumentLanguage = "kk" | "ru" | "en";
/** Exchange time is UTC+5: the exchange date of a moment. */
const EXCHANGE_OFFSET_MS = 5 * 3_600_000;

/**
 * Contracts listed at first, and added by "show more" (as the regulator's audit trail pages): the account's
 * obligations newest first, one contract each, up to the API's longest list, which is said when reached.
 */
export const DOCUMENTS_PAGE = 20;
/**
 * Shipments listed at first, and added by "show more", as the documents list pages its contracts: the account's
 * shipments (sent or received) newest first, up to the API's longest list, which is said when reached.
 */
export const SHIPMENTS_PAGE = 20;

function exchangeDate(timeMs: number): string {
  return new Date(timeMs + EXCHANGE_OFFSET_MS).toISOString().slice(0, 10);
}

export function Deliveries({
  account,
  client = null,
  statementsFrom,
  obligations,
  canTrade,
}: {
  account: string;
  /** The first day the account's statements are given for (its member's admission, GET /api/accounts). */
  statementsFrom: string;
  /** A broker's client whose account this is: its own statement is offered beside the member's (all clients'). */
  client?: string | null;
  /** The account's open obligations, all of them up to the API's longest list: the dispatch form's choices. */
  obligations: readonly Obligation[];
  canTrade: boolean;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const lang = (["kk", "ru", "en"].includes(i18n.language) ? i18n.language : "en") as DocumentLanguage;
  const params = { path: { account } };
  const shipmentsPaging = usePaging(SHIPMENTS_PAGE);
  const shipments = useApi("/api/accounts/{account}/shipments", {
    ...params,
    query: { limit: shipmentsPaging.limit },
  });
  const stations = useApi("/api/accounts/{account}/stations", params);
  const documentsPaging = usePaging(DOCUMENTS_PAGE);
  const contracts = useApi("/api/accounts/{account}/obligations", {
    ...params,
    query: { limit: documentsPaging.limit },
  });
  const trades = contracts.data?.obligations ?? [];
  const stationList = stations.data?.stations ?? [];
  // What the buyer may confirm: all its shipments on their way up to the API's longest list, asked of the API on their
  // own, so one older than the shown page is still offered.
  const arriving = useApi("/api/accounts/{account}/shipments", {
    ...params,
    query: { awaitingArrival: true, limit: ACCOUNT_LIST_LIMIT_MAX },
  });
  const list = shipments.data?.shipments ?? [];
  const awaiting = arriving.data?.shipments ?? [];
  const [shipment, setShipment] = useState("");
  const [station, setStation] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** The arrival last confirmed here, said under the form (the form itself goes once nothing is on its way). */
  const [confirmed, setConfirmed] = useState<{ shipment: string; station: string } | null>(null);
  /** A station as people name it: its registered name with its id, or the id alone when it is not in the list. */
  const stationText = (id: string) => {
    const known = stationList.find((s) => s.station === id);
    return known ? `${known.name} (${id})` : id;
  };
  const [statementDate, setStatementDate] = useState<string | null>(null);
  const [documentError, setDocumentError] = useState<{ say: Say } | null>(null);
  // The statement's day until one is chosen: the newest trade's of any status (the newest obligation, asked on its own
  // so paging the contracts does not hide it a moment), else today. Null until that answer comes: the field and its
  // links wait for it, so a link never names a day that changes under the reader.
  const newest = useApi("/api/accounts/{account}/obligations", { ...params, query: { limit: 1 } });
  const newestTrade = newest.data ? (newest.data.obligations[0]?.tradeTimeMs ?? Date.now()) : null;
  const date = statementDate ?? (newestTrade === null ? null : exchangeDate(newestTrade));
  // A trade's day, once shown, stays until the reader picks another: a trade of a later day joining the list meanwhile
  // does not move the field and its links onto that day under the reader. (Today, shown while the account has no
  // trade, gives way to the first trade's day.)
  const tradeDay = newest.data?.obligations[0] ? date : null;
  useEffect(() => {
    if (statementDate === null && tradeDay !== null) setStatementDate(tradeDay);
  }, [statementDate, tradeDay]);

  // Fetched by the page, so a refusal is shown as a sentence; a document the exchange gives is saved under its name.
  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const link = event.currentTarget;
    setDocumentError(null);
    if (link.dataset.testid?.includes("statement-") && date === "") {
      setDocumentError({ say: (x) => x.t("deliveries.statementDateMissing") });
      return;
    }
    try {
      const { blob, fileName } = await fetchFile(link.href);
      const url = URL.createObjectURL(blob);
      const save = document.createElement("a");
      save.href = url;
      save.download = fileName ?? "";
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (caught) {
      setDocumentError({ say: (x) => describeError(caught, x) });
    }
  };

  // The shipment shown is the one chosen, and it stays chosen: until the buyer picks one, the newest on its way is
  // shown and kept, so a shipment the seller records while the buyer chooses the station (the list is live, newest
  // first) does not become the one confirmed. One that is no longer on its way (confirmed meanwhile) gives its place
  // to the newest, which is kept in turn; the form never sends a shipment it does not show.
  const chosenShipment = (awaiting.find((s) => s.shipment === shipment) ?? awaiting[0])?.shipment ?? "";
  useEffect(() => {
    if (chosenShipment !== "" && chosenShipment !== shipment) setShipment(chosenShipment);
  }, [chosenShipment, shipment]);
  // Likewise the station shown: until the buyer picks one, the first of the live list (by id) is shown and kept, so a
  // station the operator registers meanwhile whose id sorts first does not become the one the gas is confirmed at.
  const chosenStation = stationList.some((s) => s.station === station) ? station : (stationList[0]?.station ?? "");
  useEffect(() => {
    if (chosenStation !== "" && chosenStation !== station) setStation(chosenStation);
  }, [chosenStation, station]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setConfirmed(null);
    try {
      await call("post", "/api/accounts/{account}/arrivals", params, {
        shipment: chosenShipment,
        station: chosenStation,
      });
      setConfirmed({ shipment: chosenShipment, station: stationText(chosenStation) });
      setShipment("");
      invalidate(`/api/accounts/${encodeURIComponent(account)}/`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="deliveries-title" data-testid="deliveries">
      <h2 id="deliveries-title">{t("deliveries.title")}</h2>
      <div className="table-scroll">
        <table data-testid="shipments">
          <thead>
            <tr>
              <th scope="col">{t("deliveries.shipment")}</th>
              <th scope="col">{t("deliveries.vehicle")}</th>
              <th scope="col">{t("deliveries.waybill")}</th>
              <th scope="col" className="num">
                {t("deliveries.quantity")}
              </th>
              <th scope="col">{t("deliveries.dispatched")}</th>
              <th scope="col">{t("deliveries.arrived")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.shipment} data-shipment={s.shipment}>
                <td className="mono small">{s.shipment}</td>
                <td>{s.vehicle}</td>
                <td>{s.waybill}</td>
                <td className="num">{tonnes(s.quantityKg, locale)}</td>
                <td>{calendarDate(s.date, locale)}</td>
                <td data-testid="shipment-arrival">
                  {s.arrivedMs === null
                    ? t("deliveries.onTheWay")
                    : t("deliveries.arrivedAt", {
                        station: s.station === null ? "—" : stationText(s.station),
                        time: exchangeMinute(s.arrivedMs, locale),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shipments.data && list.length === 0 ? <p className="muted small">{t("deliveries.none")}</p> : null}
      </div>
      <ShowMore
        paging={shipmentsPaging}
        shown={list.length}
        testId="shipments"
        words={{
          all: "deliveries.shipmentsShown",
          some: "deliveries.shipmentsShownMore",
          more: "deliveries.shipmentsMore",
          limit: "deliveries.shipmentsLimit",
        }}
      />
      {canTrade ? (
        <ErrorBoundary>
          <Dispatch account={account} obligations={obligations} />
        </ErrorBoundary>
      ) : null}
      {canTrade && awaiting.length > 0 ? (
        <form onSubmit={(event) => void confirm(event)} noValidate data-testid="arrival-form" className="inline-form">
          <label>
            {t("deliveries.shipment")}
            <select name="shipment" value={chosenShipment} onChange={(event) => setShipment(event.target.value)}>
              {awaiting.map((s) => (
                <option key={s.shipment} value={s.shipment}>
                  {s.shipment} · {s.vehicle}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("deliveries.station")}
            <select name="station" value={chosenStation} onChange={(event) => setStation(event.target.value)}>
              {stationList.map((s) => (
                <option key={s.station} value={s.station}>
                  {s.name} ({s.station}, {regionName(t, s.region)})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy || chosenStation === "" || chosenShipment === ""}>
            {t("deliveries.confirm")}
          </button>
          {stations.data && stationList.length === 0 ? (
            <p className="muted" data-testid="no-station">
              {t("deliveries.noStation")}
            </p>
          ) : null}
          <FieldError id="arrival-error" message={error ? describeError(error, i18n) : ""} />
        </form>
      ) : null}
      {confirmed ? (
        <p role="status" className="ok" data-testid="arrival-done">
          {t("deliveries.confirmed", confirmed)}
        </p>
      ) : null}
      <h3>{t("deliveries.documents")}</h3>
      {/* The contracts are the list; how many are shown and the statement's day and links follow it, unbulleted. */}
      <div data-testid="documents">
        <ul className="downloads">
          {trades.map((o) => (
            <li key={o.tradeId}>
              <a
                href={apiPath("/api/accounts/{account}/contracts/{trade}/pdf", {
                  path: { account, trade: o.tradeId },
                  query: { lang },
                })}
                download
                onClick={(event) => void download(event)}
                data-testid="contract-link"
              >
                {t("deliveries.contract", { trade: o.tradeId })}
              </a>
            </li>
          ))}
        </ul>
        <ShowMore
          paging={documentsPaging}
          shown={trades.length}
          testId="documents"
          words={{
            all: "deliveries.contractsShown",
            some: "deliveries.contractsShownMore",
            more: "deliveries.contractsMore",
            limit: "deliveries.contractsLimit",
          }}
        />
        {date === null ? (
          <p className="muted" data-testid="statement-loading">
            {t("deliveries.statementLoading")}
          </p>
        ) : (
          <p className="downloads parted">
            <label>
              {t("deliveries.statementDate")}
              <input
                type="date"
                name="statementDate"
                value={date}
                min={statementsFrom}
                onChange={(event) => {
                  setStatementDate(event.target.value);
                  setDocumentError(null);
                }}
                aria-invalid={date === ""}
              />
            </label>{" "}
            <a
              href={apiPath("/api/accounts/{account}/statements/{date}/pdf", {
                path: { account, date },
                query: { scope: "member", lang },
              })}
              download
              onClick={(event) => void download(event)}
              data-testid="statement-link"
            >
              {t("deliveries.statement")}
            </a>
            {" · "}
            <a
              href={apiPath("/api/accounts/{account}/statements/{date}/xlsx", {
                path: { account, date },
                query: { scope: "member", lang },
              })}
              download
              onClick={(event) => void download(event)}
              data-testid="statement-xlsx-link"
            >
              {t("deliveries.statementXlsx")}
            </a>
            {" · "}
            {/* The e-invoices (ESF XML) of the obligations delivered that day, for the member's accounting. */}
            <a
              href={apiPath("/api/accounts/{account}/einvoices", {
                path: { account },
                query: { from: date, to: date },
              })}
              download
              onClick={(event) => void download(event)}
              data-testid="einvoices-link"
            >
              {t("deliveries.einvoices")}
            </a>
            {client ? (
              <>
                {" · "}
                <a
                  href={apiPath("/api/accounts/{account}/statements/{date}/pdf", {
                    path: { account, date },
                    query: { scope: "account", lang },
                  })}
                  download
                  onClick={(event) => void download(event)}
                  data-testid="client-statement-link"
                >
                  {t("deliveries.clientStatement", { client })}
                </a>
                {" · "}
                <a
                  href={apiPath("/api/accounts/{account}/statements/{date}/xlsx", {
                    path: { account, date },
                    query: { scope: "account", lang },
                  })}
                  download
                  onClick={(event) => void download(event)}
                  data-testid="client-statement-xlsx-link"
                >
                  {t("deliveries.clientStatementXlsx", { client })}
                </a>
              </>
            ) : null}
          </p>
        )}
      </div>
      <FieldError id="documents-error" message={documentError ? documentError.say(i18n) : null} />
    </section>
  );
}
