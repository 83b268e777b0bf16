/**
 * Negotiated (addressed) deals on the terminal (docs/market-rules.md §10): the seller's trader registers a deal agreed
 * off the book with a buyer account (POST /api/accounts/{account}/negotiated: instrument, price in tenge per tonne and
 * quantity in tonnes, sent in the API's integer tiyn per tonne and kg as the order ticket does); the account's pending
 * deals in both directions are listed, the buyer accepts or rejects each and the seller withdraws its own. The
 * exchange checks the price limits, lots, gas and collateral: its refusal is shown in its own words under the panel.
 * A price or quantity of zero or below (written with a minus sign) is refused in the page as not positive, and text
 * that is no number as such, before anything is sent. The button is not greyed out for empty fields: pressed, it names
 * the ones still empty (as the terminal's other forms do), each until it is filled.
 */

import { type FormEvent, useId, useState } from "react";
import { MEMBER_ACCOUNT_ID_LENGTH_MAX } from "../../../src/domain/ids.ts";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import type { Account } from "../api/types.ts";
import { describeError } from "../errors.ts";
import { exchangeMinute, parsePriceTenge, parseQuantityTonnes, tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { BreakableId } from "./BreakableId.tsx";
import { FieldError } from "./FieldError.tsx";

/** The form's fields a deal cannot go without, in the form's order. */
const DEAL_FIELDS = ["buyer", "price", "quantity"] as const;
type DealField = (typeof DEAL_FIELDS)[number];
const MISSING_KEYS: Record<DealField, string> = {
  buyer: "negotiated.missingBuyer",
  price: "negotiated.missingPrice",
  quantity: "negotiated.missingQuantity",
};

export function NegotiatedDeals({
  account,
  instruments,
  instrument,
  canTrade,
}: {
  account: Account;
  /** The instruments a deal may name, in listing order. */
  instruments: readonly string[];
  /** The terminal's chosen instrument: the form's first choice. */
  instrument: string;
  canTrade: boolean;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const ids = useId();
  const params = { path: { account: account.account } };
  const deals = useApi("/api/accounts/{account}/negotiated", params);
  const list = deals.data?.deals ?? [];
  const [buyer, setBuyer] = useState("");
  const [chosenInstrument, setInstrument] = useState<string | null>(null);
  const [priceText, setPriceText] = useState("");
  const [quantityText, setQuantityText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The fields found empty when the button was last pressed; each is said until it is filled. */
  const [missing, setMissing] = useState<readonly DealField[]>([]);

  const dealInstrument = chosenInstrument ?? instrument;
  const price = parsePriceTenge(priceText, locale);
  const quantity = parseQuantityTonnes(quantityText, locale);
  const priceProblem = amountProblem(priceText, price, (text) => parsePriceTenge(text, locale));
  const quantityProblem = amountProblem(quantityText, quantity, (text) => parseQuantityTonnes(text, locale));
  const priceBad = priceProblem !== null;
  const quantityBad = quantityProblem !== null;
  const complete = buyer.trim() !== "" && price !== null && price > 0 && quantity !== null && quantity > 0;
  const texts: Record<DealField, string> = { buyer, price: priceText, quantity: quantityText };
  const empty = (field: DealField) => texts[field].trim() === "";
  const stillMissing = missing.filter(empty);

  // The exchange's last refusal is about what was sent: it goes as soon as any input changes (a new field error
  // would otherwise stand beside a refusal of values no longer in the form).
  const edited =
    (set: (value: string) => void) =>
    (value: string): void => {
      set(value);
      setError(null);
    };

  const refresh = () => invalidate(`/api/accounts/${encodeURIComponent(account.account)}/`, "/api/instruments");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMissing(DEAL_FIELDS.filter(empty));
    if (!complete || price === null || quantity === null) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const response = await call("post", "/api/accounts/{account}/negotiated", params, {
        instrument: dealInstrument,
        buyer: buyer.trim(),
        priceTiynPerTonne: price,
        quantityKg: quantity,
      });
      setResult(t("negotiated.submitted", { deal: response.deal.id, buyer: response.deal.buyer }));
      setPriceText("");
      setQuantityText("");
      refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const answer = async (deal: string, action: "accept" | "reject") => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      if (action === "accept") {
        const response = await call(
          "post",
          "/api/accounts/{account}/negotiated/{deal}/accept",
          { path: { account: account.account, deal } },
          {},
        );
        setResult(t("negotiated.accepted", { deal, trade: response.tradeId }));
      } else {
        await call(
          "post",
          "/api/accounts/{account}/negotiated/{deal}/reject",
          { path: { account: account.account, deal } },
          {},
        );
        setResult(t("negotiated.rejected", { deal }));
      }
      refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${ids}-title`} data-testid="negotiated">
      <h2 id={`${ids}-title`}>{t("negotiated.title")}</h2>
      <p className="small muted">{t("negotiated.explain")}</p>
      <div className="table-scroll">
        <table data-testid="negotiated-deals">
          <thead>
            <tr>
              <th scope="col">{t("negotiated.deal")}</th>
              <th scope="col">{t("negotiated.instrument")}</th>
              <th scope="col">{t("negotiated.seller")}</th>
              <th scope="col">{t("negotiated.buyer")}</th>
              <th scope="col" className="num">
                {t("negotiated.price")}
              </th>
              <th scope="col" className="num">
                {t("negotiated.quantity")}
              </th>
              <th scope="col">{t("negotiated.submittedAt")}</th>
              <th scope="col">{t("negotiated.answer")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-deal={d.id}>
                <td className="mono small">{d.id}</td>
                <td>
                  <BreakableId id={d.instrument} />
                </td>
                <td>{d.seller}</td>
                <td>{d.buyer}</td>
                <td className="num">{tengePerTonne(d.priceTiynPerTonne, locale)}</td>
                <td className="num">{tonnes(d.quantityKg, locale)}</td>
                <td>{exchangeMinute(d.submittedMs, locale)}</td>
                <td>
                  {!canTrade ? (
                    t(d.buyer === account.account ? "negotiated.awaitsYou" : "negotiated.awaitsBuyer")
                  ) : d.buyer === account.account ? (
                    <>
                      <button type="button" disabled={busy} onClick={() => void answer(d.id, "accept")}>
                        {t("negotiated.accept")}
                      </button>{" "}
                      <button type="button" disabled={busy} onClick={() => void answer(d.id, "reject")}>
                        {t("negotiated.reject")}
                      </button>
                    </>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => void answer(d.id, "reject")}>
                      {t("negotiated.withdraw")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.length === 0 ? <p className="muted small">{t("negotiated.none")}</p> : null}
      </div>
      {canTrade && account.canSell ? (
        <form onSubmit={(event) => void submit(event)} noValidate data-testid="negotiated-form" className="inline-form">
          <label>
            {t("negotiated.counterparty")}
            <input
              name="buyer"
              autoComplete="off"
              maxLength={MEMBER_ACCOUNT_ID_LENGTH_MAX}
              value={buyer}
              aria-invalid={stillMissing.includes("buyer")}
              onChange={(event) => edited(setBuyer)(event.target.value)}
            />
          </label>
          <label>
            {t("negotiated.instrument")}
            <select
              name="instrument"
              value={dealInstrument}
              onChange={(event) => edited(setInstrument)(event.target.value)}
            >
              {instruments.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("negotiated.priceInput")}
            <input
              name="price"
              inputMode="decimal"
              autoComplete="off"
              value={priceText}
              placeholder="133400"
              aria-invalid={priceBad || stillMissing.includes("price")}
              onChange={(event) => edited(setPriceText)(event.target.value)}
            />
          </label>
          <label>
            {t("negotiated.quantityInput")}
            <input
              name="quantity"
              inputMode="decimal"
              autoComplete="off"
              value={quantityText}
              placeholder="20"
              aria-invalid={quantityBad || stillMissing.includes("quantity")}
              onChange={(event) => edited(setQuantityText)(event.target.value)}
            />
          </label>
          <button type="submit" disabled={busy || priceBad || quantityBad}>
            {t("negotiated.submit")}
          </button>
          {stillMissing.map((field) => (
            <p key={field} className="field-error small" role="alert" data-testid={`negotiated-${field}-missing`}>
              {t(MISSING_KEYS[field])}
            </p>
          ))}
          {priceProblem !== null ? (
            <p className="field-error small" role="alert" data-testid="negotiated-price-problem">
              {t(priceProblem === "positive" ? "negotiated.pricePositive" : "ticket.check.priceNumber")}
            </p>
          ) : null}
          {quantityProblem !== null ? (
            <p className="field-error small" role="alert" data-testid="negotiated-quantity-problem">
              {t(quantityProblem === "positive" ? "negotiated.quantityPositive" : "ticket.check.quantityNumber")}
            </p>
          ) : null}
        </form>
      ) : null}
      <FieldError id="negotiated-error" message={error ? describeError(error, i18n) : ""} />
      {result ? (
        <p className="ok" role="status" data-testid="negotiated-result">
          {result}
        </p>
      ) : null}
    </section>
  );
}

/**
 * What is wrong with an amount typed in the form: nothing (empty, or a number above zero), `positive` for zero or a
 * number written with a minus sign (a price or quantity must be above zero), `number` for text that is no number.
 */
function amountProblem(
  text: string,
  parsed: number | null,
  parse: (text: string) => number | null,
): "positive" | "number" | null {
  if (text.trim() === "") return null;
  if (parsed !== null) return parsed > 0 ? null : "positive";
  const unsigned = text.trim().replace(/^[-\u2212]\s*/, "");
  return unsigned !== text.trim() && parse(unsigned) !== null ? "positive" : "number";
}
