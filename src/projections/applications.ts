/**
 * Accreditation applications and exclusions as the operator reviews them (engine/accreditation.ts): each application
 * with its company, BIN, kind, documents, status, when it was submitted and decided, and the decision's reason; the
 * fee and deposit booked on approval; and the members excluded with the day their bar on readmission ends.
 *
 * Limits: every application is kept (the engine keeps at most `APPLICATIONS_MAX`); a list returns at most
 * `APPLICATIONS_QUERY_LIMIT_MAX`, newest first. Complexity: O(1) per event, a list O(applications).
 */

import type { ApplicationDocuments, ApplicationKind, ApplicationStatus, TariffEntry } from "../engine/accreditation.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { BuyerCategory } from "../engine/members.ts";
import type { ProjectionOutcome } from "./outcome.ts";

export const APPLICATIONS_QUERY_LIMIT_MAX = 1000;

export interface ApplicationView {
  readonly application: string;
  readonly company: string;
  readonly bin: string;
  readonly kind: ApplicationKind;
  readonly buyerCategory: BuyerCategory | null;
  readonly broker: string | null;
  readonly documents: ApplicationDocuments;
  status: ApplicationStatus;
  readonly submitted: { readonly seq: number; readonly timeMs: number };
  decided: { seq: number; timeMs: number; reason: string } | null;
  member: string | null;
  account: string | null;
  feeTiyn: number;
  depositTiyn: number;
}

export interface ExclusionView {
  readonly member: string;
  readonly bin: string | null;
  readonly barredUntil: string;
  readonly reason: string;
  readonly seq: number;
  readonly timeMs: number;
}

export class Applications {
  private readonly applications = new Map<string, ApplicationView>();
  private readonly exclusions: ExclusionView[] = [];
  /** The accreditation tariff schedule as the engine keeps it: by date of effect then kind, one per kind and date. */
  private tariffs: TariffEntry[] = [];

  apply(outcome: ProjectionOutcome): void {
    const { seq, timeMs } = outcome;
    for (const event of outcome.events as readonly EngineEvent[]) {
      switch (event.type) {
        case "application.submitted":
          this.applications.set(event.application, {
            application: event.application,
            company: event.company,
            bin: event.bin,
            kind: event.kind,
            buyerCategory: event.buyerCategory,
            broker: event.broker,
            documents: event.documents,
            status: "pending",
            submitted: { seq, timeMs },
            decided: null,
            member: null,
            account: null,
            feeTiyn: 0,
            depositTiyn: 0,
          });
          break;
        case "application.approved":
        case "application.refused": {
          const view = this.applications.get(event.application);
          if (view === undefined) break;
          view.status = event.type === "application.approved" ? "approved" : "refused";
          view.decided = { seq, timeMs, reason: event.reason };
          if (event.type === "application.approved") {
            view.member = event.member;
            view.account = event.account;
            view.feeTiyn = event.feeTiyn;
            view.depositTiyn = event.depositTiyn;
          }
          break;
        }
        case "tariff.set": {
          const { kind, feeTiyn, depositTiyn, from, reason } = event;
          this.tariffs = this.tariffs.filter((e) => e.kind !== kind || e.from !== from);
          this.tariffs.push({ kind, feeTiyn, depositTiyn, from, reason });
          this.tariffs.sort((a, b) =>
            a.from < b.from ? -1 : a.from > b.from ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
          );
          break;
        }
        case "member.excluded":
          this.exclusions.push({
            member: event.member,
            bin: event.bin,
            barredUntil: event.barredUntil,
            reason: event.reason,
            seq,
            timeMs,
          });
          break;
        default:
          break;
      }
    }
  }

  application(id: string): ApplicationView | null {
    return this.applications.get(id) ?? null;
  }

  /** Applications, newest first, optionally of one status. */
  list(status?: ApplicationStatus, limit = APPLICATIONS_QUERY_LIMIT_MAX): ApplicationView[] {
    const all = [...this.applications.values()].filter((a) => status === undefined || a.status === status);
    return all.reverse().slice(0, Math.max(0, Math.min(limit, APPLICATIONS_QUERY_LIMIT_MAX)));
  }

  /** The accreditation tariff schedule set by `tariff.set`, by date of effect (at most the engine's 1,000 entries). */
  tariffSchedule(): readonly TariffEntry[] {
    return this.tariffs;
  }

  excluded(): readonly ExclusionView[] {
    return this.exclusions;
  }
}
