/**
 * Exchange members and their trading accounts.
 *
 * A member is a company accredited by the operator: a producer (sells), a buyer (buys), or a broker (trades for
 * clients). Orders, money and gas belong to accounts. A producer's or buyer's account trades for the member itself;
 * a broker opens one account per client, and the account carries the client's roles and buyer category, so the
 * exchange's rules apply to the client, not to the broker.
 *
 * A suspended member (the operator's kill switch) keeps its records but cannot enter orders; its orders are cancelled
 * when it is suspended.
 */

export const MEMBER_ROLES = ["producer", "buyer", "broker"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Buyer categories, for eligibility rules: filling-station networks, gas-distribution organisations, wholesalers,
 * industrial users, and households' suppliers. The list is configuration, not code: new ones can be added freely.
 */
export const BUYER_CATEGORIES = [
  "filling-station-network",
  "gas-distribution",
  "wholesaler",
  "industrial",
  "other",
] as const;
export type BuyerCategory = (typeof BUYER_CATEGORIES)[number];

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly MemberRole[];
  readonly buyerCategory: BuyerCategory | null;
  suspended: boolean;
}

export interface Account {
  readonly id: string;
  readonly member: string;
  /** For a broker's client account: the client's name; null for a member's own account. */
  readonly client: string | null;
  readonly canBuy: boolean;
  readonly canSell: boolean;
  readonly buyerCategory: BuyerCategory | null;
}

export interface MembersSnapshot {
  readonly members: readonly Member[];
  readonly accounts: readonly Account[];
}

export class Members {
  private readonly members = new Map<string, Member>();
  private readonly accounts = new Map<string, Account>();

  member(id: string): Member | undefined {
    return this.members.get(id);
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  hasMember(id: string): boolean {
    return this.members.has(id);
  }

  hasAccount(id: string): boolean {
    return this.accounts.has(id);
  }

  addMember(member: Member): void {
    this.members.set(member.id, member);
  }

  addAccount(account: Account): void {
    this.accounts.set(account.id, account);
  }

  /** A member's accounts in id order: a restore rebuilds the map in id order, so opening order is not state. */
  accountsOf(member: string): Account[] {
    return [...this.accounts.values()]
      .filter((account) => account.member === member)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  allMembers(): readonly Member[] {
    return [...this.members.values()];
  }

  allAccounts(): readonly Account[] {
    return [...this.accounts.values()];
  }

  snapshot(): MembersSnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      members: [...this.members.values()].map((m) => ({ ...m })).sort(byId),
      accounts: [...this.accounts.values()].map((a) => ({ ...a })).sort(byId),
    };
  }

  static restore(snapshot: MembersSnapshot): Members {
    const members = new Members();
    for (const m of snapshot.members) members.members.set(m.id, { ...m });
    for (const a of snapshot.accounts) members.accounts.set(a.id, { ...a });
    return members;
  }
}
