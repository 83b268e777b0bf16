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
 *
 * Related parties: the operator may record that a member belongs to a group of persons (a beneficial owner or an
 * affiliated group), naming the document that shows it. The engine only keeps the record; market surveillance reads it
 * to treat the group as one participant. A member without a group is a group of its own.
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
  /** Business identification number, 12 digits; absent when the operator recorded none. */
  readonly bin?: string;
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

/** A member's group of persons as the operator recorded it, with the reference of the document that shows it. */
export interface MemberGroup {
  readonly member: string;
  readonly group: string;
  readonly evidence: string;
}

export interface MembersSnapshot {
  readonly members: readonly Member[];
  readonly accounts: readonly Account[];
  /**
   * Recorded groups, by member id. Present only when there is one, so the snapshots (and state hashes) of exchanges
   * that never recorded a group are what they were before groups existed.
   */
  readonly groups?: readonly MemberGroup[];
}

export class Members {
  private readonly members = new Map<string, Member>();
  private readonly accounts = new Map<string, Account>();
  private readonly groups = new Map<string, MemberGroup>();

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

  /** The member's recorded group, or undefined when it is a group of its own. */
  groupOf(member: string): MemberGroup | undefined {
    return this.groups.get(member);
  }

  /** Records the member's group (null: the member is a group of its own again). */
  setGroup(member: string, group: MemberGroup | null): void {
    if (group === null) this.groups.delete(member);
    else this.groups.set(member, group);
  }

  allMembers(): readonly Member[] {
    return [...this.members.values()];
  }

  allAccounts(): readonly Account[] {
    return [...this.accounts.values()];
  }

  snapshot(): MembersSnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const groups = [...this.groups.values()]
      .map((g) => ({ member: g.member, group: g.group, evidence: g.evidence }))
      .sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    return {
      members: [...this.members.values()].map((m) => ({ ...m })).sort(byId),
      accounts: [...this.accounts.values()].map((a) => ({ ...a })).sort(byId),
      ...(groups.length > 0 ? { groups } : {}),
    };
  }

  static restore(snapshot: MembersSnapshot): Members {
    const members = new Members();
    for (const m of snapshot.members) members.members.set(m.id, { ...m });
    for (const a of snapshot.accounts) members.accounts.set(a.id, { ...a });
    for (const g of snapshot.groups ?? []) members.groups.set(g.member, { ...g });
    return members;
  }
}
