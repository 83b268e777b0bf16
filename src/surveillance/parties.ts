/**
 * Who is who: accounts belong to members, members to groups of persons. Wherever a rule speaks of a participant it
 * means a group; a member without a recorded group is a group of its own, named by its member id (so a group id and a
 * member id that are equal name the same group).
 *
 * An account the history never declared (a journal's bare book, where orders need no open account) counts as a member
 * and a group of its own, named by the account id.
 *
 * Complexity: O(1) per lookup; re-grouping a member O(its accounts). Memory: one entry per member and account.
 */

export interface Party {
  readonly account: string;
  readonly member: string;
  readonly group: string;
}

export class Parties {
  private readonly groupOfMember = new Map<string, string>();
  private readonly accountsOfMember = new Map<string, string[]>();
  private readonly byAccount = new Map<string, Party>();

  /** Declares a member, or records its new group (null: a group of its own). */
  member(member: string, group: string | null): void {
    const groupId = group ?? member;
    this.groupOfMember.set(member, groupId);
    for (const account of this.accountsOfMember.get(member) ?? []) {
      this.byAccount.set(account, { account, member, group: groupId });
    }
  }

  account(account: string, member: string): void {
    const previous = this.byAccount.get(account);
    if (previous !== undefined && previous.member === member) return;
    if (previous !== undefined) {
      const list = this.accountsOfMember.get(previous.member) ?? [];
      const at = list.indexOf(account);
      if (at >= 0) list.splice(at, 1);
    }
    let accounts = this.accountsOfMember.get(member);
    if (accounts === undefined) {
      accounts = [];
      this.accountsOfMember.set(member, accounts);
    }
    accounts.push(account);
    this.byAccount.set(account, { account, member, group: this.groupOfMember.get(member) ?? member });
  }

  /** The account's member and group as recorded now. */
  of(account: string): Party {
    let party = this.byAccount.get(account);
    if (party === undefined) {
      party = { account, member: account, group: account };
      this.byAccount.set(account, party);
    }
    return party;
  }

  /** The member's group as recorded now. */
  groupOf(member: string): string {
    return this.groupOfMember.get(member) ?? member;
  }
}
