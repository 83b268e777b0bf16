/**
 * The operator's accreditation desk: the applications waiting for review (company, BIN, kind, the documents' reference
 * numbers, when submitted), a form to approve one (the new member's id, its trading account, the bank statement lines
 * on which the accreditation fee and the insurance deposit arrived) and one to refuse it with the reason, the decided
 * applications with their decision, the members excluded with the day their bar on readmission ends, and the form that
 * excludes a member. Each form is a ControlForm: a mandatory reason and a confirmation step before it is sent.
 */

import { ID_LENGTH_MAX, ID_PATTERN_SOURCE } from "../../../src/domain/limits.ts";
import { isMissingRoute } from "../api/client.ts";
import { useApi } from "../api/live.ts";
import { mutation } from "../api/typed.ts";
import { calendarDate, exchangeMinute, tengeOfTiyn } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { ControlForm, FieldProblem } from "./ControlForm.tsx";
import { regionName } from "./LimitsText.tsx";

const REFRESHES = ["/api/admin/applications", "/api/admin/members", "/api/accounts"];
/** An id or a bank reference as the exchange takes one: printable characters without spaces (src/domain/limits.ts). */
const PRINTABLE_ID = new RegExp(ID_PATTERN_SOURCE);
const APPROVAL_IDS = ["member", "account", "feeReference", "depositReference"] as const;

export function Applications({ memberIds }: { memberIds: readonly string[] }) {
  const { t, locale } = useI18n();
  const listing = useApi("/api/admin/applications");
  const applications = listing.data?.applications ?? [];
  const pending = applications.filter((a) => a.status === "pending");
  const decided = applications.filter((a) => a.status !== "pending");
  const options = pending.map((a) => ({ value: a.application, label: `${a.application} · ${a.company}` }));
  // Today's tariff by kind: the insurance deposit an approval books, whose bank reference it then needs.
  const tariffs = useApi("/api/admin/tariffs");
  const depositOf = (application: string | undefined): number | null => {
    const kind = pending.find((a) => a.application === application)?.kind;
    return tariffs.data?.inForce.find((entry) => entry.kind === kind)?.depositTiyn ?? null;
  };
  return (
    <section className="panel" aria-labelledby="applications-title">
      <h2 id="applications-title">{t("applications.title")}</h2>
      {isMissingRoute(listing.error) ? (
        <p className="placeholder small">{t("placeholder.endpoint", { endpoint: "GET /api/admin/applications" })}</p>
      ) : null}
      <p className="muted small">{t("applications.explain")}</p>
      <div className="table-scroll">
        <table data-testid="applications">
          <thead>
            <tr>
              <th scope="col">{t("applications.application")}</th>
              <th scope="col">{t("applications.kind")}</th>
              <th scope="col">{t("applications.documents")}</th>
              <th scope="col">{t("applications.submitted")}</th>
            </tr>
          </thead>
          <tbody>
            {pending.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  {t("applications.none")}
                </td>
              </tr>
            ) : null}
            {pending.map((a) => (
              <tr key={a.application} data-application={a.application}>
                <th scope="row">
                  {a.company}
                  <div className="small muted">
                    {a.application} · {t("applications.bin")} {a.bin}
                  </div>
                </th>
                <td>
                  {t(`applications.kinds.${a.kind}`)}
                  {a.broker ? (
                    <div className="small muted">{t("applications.broker", { broker: a.broker })}</div>
                  ) : null}
                </td>
                <td className="small">
                  <div>{t("applications.registration", { number: a.documents.registration })}</div>
                  <div>
                    {a.documents.vat
                      ? t("applications.vat", { number: a.documents.vat.certificate, years: a.documents.vat.years })
                      : t("applications.noVat")}
                  </div>
                  {a.documents.stations.map((s) => (
                    <div key={`${s.name}|${s.document}`}>
                      {t("applications.station", {
                        name: s.name,
                        region: regionName(t, s.region),
                        document: s.document,
                      })}
                    </div>
                  ))}
                </td>
                <td className="small">{exchangeMinute(a.submitted.timeMs, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="controls-grid">
        <ControlForm
          id="approve-form"
          title={t("applications.approve")}
          fields={[
            { name: "application", label: t("applications.application"), kind: "select", options },
            { name: "member", label: t("applications.member"), placeholder: "BATYS" },
            { name: "account", label: t("applications.account"), placeholder: "BATYS-1", required: false },
            { name: "feeReference", label: t("applications.feeReference"), placeholder: "KZ-2026-0101" },
            {
              name: "depositReference",
              label: t("applications.depositReference"),
              placeholder: "KZ-2026-0102",
              required: false,
            },
          ]}
          action={(v, reason) => {
            if (!v.application || !v.member || !v.feeReference) return null;
            const account = (v.account ?? "").trim();
            const deposit = (v.depositReference ?? "").trim();
            // An id or a reference the exchange would not take is said at its field, with what it takes; its
            // refusal said only "the member is written in a form that is not valid".
            for (const name of APPROVAL_IDS) {
              const value = (v[name] ?? "").trim();
              if (value !== "" && (value.length > ID_LENGTH_MAX || !PRINTABLE_ID.test(value))) {
                throw new FieldProblem(
                  name,
                  t("applications.idInvalid", { field: t(`applications.${name}`), max: ID_LENGTH_MAX }),
                );
              }
            }
            // A kind whose tariff holds a deposit needs the reference of its payment: said at the field, where the
            // exchange's refusal said "reference null is not valid" under the form.
            const depositTiyn = depositOf(v.application);
            if (deposit === "" && depositTiyn !== null && depositTiyn > 0) {
              throw new FieldProblem(
                "depositReference",
                t("applications.depositNeeded", { deposit: tengeOfTiyn(depositTiyn, locale) }),
              );
            }
            return mutation(
              "post",
              "/api/admin/applications/{id}/approve",
              { path: { id: v.application } },
              {
                member: v.member.trim(),
                account: account === "" ? null : account,
                feeReference: v.feeReference.trim(),
                depositReference: deposit === "" ? null : deposit,
                reason,
              },
            );
          }}
          summary={(v) => {
            // What is booked: the fee, and the deposit only where the tariff holds one.
            const depositTiyn = depositOf(v.application);
            return t(
              depositTiyn !== null && depositTiyn > 0
                ? "applications.approveSummary"
                : "applications.approveSummaryNoDeposit",
              { application: v.application ?? "", member: v.member ?? "" },
            );
          }}
          submitLabel={t("applications.approveSubmit")}
          refreshes={REFRESHES}
        />
        <ControlForm
          id="refuse-form"
          title={t("applications.refuse")}
          fields={[{ name: "application", label: t("applications.application"), kind: "select", options }]}
          action={(v, reason) =>
            v.application
              ? mutation("post", "/api/admin/applications/{id}/refuse", { path: { id: v.application } }, { reason })
              : null
          }
          summary={(v) => t("applications.refuseSummary", { application: v.application ?? "" })}
          submitLabel={t("applications.refuseSubmit")}
          danger
          refreshes={REFRESHES}
        />
        <ControlForm
          id="exclude-form"
          title={t("applications.exclude")}
          fields={[
            {
              name: "member",
              label: t("operator.member"),
              kind: "select",
              options: memberIds.map((id) => ({ value: id, label: id })),
            },
          ]}
          action={(v, reason) =>
            v.member
              ? mutation("post", "/api/admin/members/{id}/exclude", { path: { id: v.member } }, { reason })
              : null
          }
          summary={(v) => t("applications.excludeSummary", { member: v.member ?? "" })}
          submitLabel={t("applications.excludeSubmit")}
          danger
          refreshes={REFRESHES}
        />
      </div>
      <h3>{t("applications.decided")}</h3>
      <ul className="small" data-testid="decided-applications">
        {decided.map((a) => (
          <li key={a.application} data-application={a.application}>
            {a.company} ({a.application}):{" "}
            {a.status === "approved"
              ? t("applications.approved", {
                  member: a.member ?? "",
                  fee: tengeOfTiyn(a.feeTiyn, locale),
                  deposit: tengeOfTiyn(a.depositTiyn, locale),
                })
              : t("applications.refused")}
            {a.decided ? ` — ${a.decided.reason}` : ""}
          </li>
        ))}
      </ul>
      <h3>{t("applications.exclusions")}</h3>
      <ul className="small" data-testid="exclusions">
        {(listing.data?.exclusions ?? []).map((e) => (
          <li key={`${e.member}|${e.seq}`}>
            {t("applications.excluded", { member: e.member, until: calendarDate(e.barredUntil, locale) })} — {e.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
