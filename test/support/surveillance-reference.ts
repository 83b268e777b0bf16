/**
 * A deliberately simple model of rules 1–6 for differential tests: it reads the whole history into arrays and applies
 * each rule as the issue words it (and docs/surveillance.md reads it), by brute force — every pair of orders, every
 * window start — with no windows, queues, union-find or session ends. The fast detectors must print exactly what this
 * prints. Input: valid history lines (objects), in the file's order; output: alerts as `sauda surveil` prints them.
 */

interface Order {
  readonly id: string;
  readonly index: number;
  readonly timeMs: number;
  readonly session: string;
  readonly instrument: string;
  readonly account: string;
  readonly member: string;
  readonly group: string;
  readonly side: "buy" | "sell";
  readonly price: number;
  readonly quantity: number;
  readonly upper: number | null;
  readonly lower: number | null;
}

interface Trade {
  readonly index: number;
  readonly timeMs: number;
  readonly session: string;
  readonly buy: Order;
  readonly sell: Order;
  /** Parties as recorded at the trade. */
  readonly buyGroup: string;
  readonly sellGroup: string;
  readonly buyMember: string;
  readonly sellMember: string;
  readonly quantity: number;
}

interface Message {
  readonly index: number;
  readonly timeMs: number;
  readonly session: string;
  readonly order: Order;
  readonly account: string;
  readonly member: string;
  readonly group: string;
}

interface Cancel {
  readonly index: number;
  readonly timeMs: number;
  readonly order: Order;
  /** The canceller's member and group as recorded at the cancel. */
  readonly member: string;
  readonly group: string;
}

type Alert = Record<string, unknown>;

const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].sort();
const iso = (ms: number) => new Date(ms).toISOString();

export function referenceAlerts(lines: readonly Record<string, unknown>[]): Alert[] {
  const groupOf = new Map<string, string>();
  const memberOf = new Map<string, string>();
  const sessions = new Map<string, { instrument: string; index: number; upper: number | null; lower: number | null }>();
  const sessionCount = new Map<string, number>();
  const orders = new Map<string, Order>();
  const trades: Trade[] = [];
  const messages: Message[] = [];
  const cancels: Cancel[] = [];
  const allOrders: Order[] = [];

  const party = (account: string) => {
    const member = memberOf.get(account) ?? account;
    return { account, member, group: groupOf.get(member) ?? member };
  };

  lines.forEach((line, index) => {
    const time = typeof line.time === "string" ? Date.parse(line.time) : 0;
    switch (line.type) {
      case "member":
        groupOf.set(String(line.member), typeof line.group === "string" ? line.group : String(line.member));
        return;
      case "account":
        memberOf.set(String(line.account), String(line.member));
        return;
      case "session": {
        const instrument = String(line.instrument);
        const n = (sessionCount.get(instrument) ?? 0) + 1;
        sessionCount.set(instrument, n);
        sessions.set(String(line.session), {
          instrument,
          index: n,
          upper: typeof line.upperLimit === "number" ? line.upperLimit : null,
          lower: typeof line.lowerLimit === "number" ? line.lowerLimit : null,
        });
        return;
      }
      case "order": {
        const session = sessions.get(String(line.session))!;
        const p = party(String(line.account));
        const order: Order = {
          id: String(line.order),
          index,
          timeMs: time,
          session: String(line.session),
          instrument: session.instrument,
          ...p,
          side: line.side as "buy" | "sell",
          price: Number(line.price),
          quantity: Number(line.quantity),
          upper: session.upper,
          lower: session.lower,
        };
        orders.set(order.id, order);
        allOrders.push(order);
        messages.push({ index, timeMs: time, session: order.session, order, ...p });
        return;
      }
      case "amend":
      case "cancel": {
        const order = orders.get(String(line.order))!;
        const p = party(order.account);
        messages.push({ index, timeMs: time, session: order.session, order, ...p });
        if (line.type === "cancel") cancels.push({ index, timeMs: time, order, member: p.member, group: p.group });
        return;
      }
      case "trade": {
        const buy = orders.get(String(line.buyOrder))!;
        const sell = orders.get(String(line.sellOrder))!;
        const b = party(buy.account);
        const s = party(sell.account);
        trades.push({
          index,
          timeMs: time,
          session: String(line.session),
          buy,
          sell,
          buyGroup: b.group,
          sellGroup: s.group,
          buyMember: b.member,
          sellMember: s.member,
          quantity: Number(line.quantity),
        });
        return;
      }
    }
  });

  const alerts: Alert[] = [];
  const instrumentOf = (session: string) => sessions.get(session)!.instrument;

  // Rule 1.
  const wash = new Map<string, Trade[]>();
  for (const t of trades) {
    if (t.buyGroup !== t.sellGroup) continue;
    const key = [t.session, ...[t.buy.account, t.sell.account].sort()].join("|");
    wash.set(key, [...(wash.get(key) ?? []), t]);
  }
  for (const list of wash.values()) {
    const t0 = list[0]!;
    alerts.push({
      rule: "wash-trade",
      session: t0.session,
      instrument: instrumentOf(t0.session),
      accounts: uniqueSorted(list.flatMap((t) => [t.buy.account, t.sell.account])),
      members: uniqueSorted(list.flatMap((t) => [t.buyMember, t.sellMember])),
      groups: uniqueSorted(list.flatMap((t) => [t.buyGroup, t.sellGroup])),
      sessions: [t0.session],
      from: iso(Math.min(...list.map((t) => t.timeMs))),
      to: iso(Math.max(...list.map((t) => t.timeMs))),
      orders: uniqueSorted(list.flatMap((t) => [t.buy.id, t.sell.id])),
      figures: { trades: list.length, quantityTonnes: list.reduce((sum, t) => sum + t.quantity, 0) },
    });
  }

  // Rule 2.
  for (const session of sessions.keys()) {
    const inSession = trades.filter((t) => t.session === session);
    const volume = inSession.reduce((sum, t) => sum + t.quantity, 0);
    for (const side of ["buy", "sell"] as const) {
      const groups = new Set(inSession.map((t) => (side === "buy" ? t.buyGroup : t.sellGroup)));
      for (const group of groups) {
        const mine = inSession.filter((t) => (side === "buy" ? t.buyGroup : t.sellGroup) === group);
        const quantity = mine.reduce((sum, t) => sum + t.quantity, 0);
        if (!(quantity * 100 > 35 * volume && quantity > 300)) continue;
        const orderOf = (t: Trade) => (side === "buy" ? t.buy : t.sell);
        alerts.push({
          rule: "concentration",
          session,
          instrument: instrumentOf(session),
          side,
          accounts: uniqueSorted(mine.map((t) => orderOf(t).account)),
          members: uniqueSorted(mine.map((t) => (side === "buy" ? t.buyMember : t.sellMember))),
          groups: [group],
          sessions: [session],
          from: iso(Math.min(...mine.map((t) => t.timeMs))),
          to: iso(Math.max(...mine.map((t) => t.timeMs))),
          orders: uniqueSorted(mine.map((t) => orderOf(t).id)),
          figures: {
            quantityTonnes: quantity,
            sessionVolumeTonnes: volume,
            // Rounded half up to four decimals, in integers (a float product would round 52.03125 down).
            sharePercent: Math.floor((quantity * 2_000_000 + volume) / (2 * volume)) / 10_000,
          },
        });
      }
    }
  }

  // Rule 3: every pair of orders.
  for (const side of ["buy", "sell"] as const) {
    const coincidences: [Order, Order][] = [];
    const mine = allOrders.filter((o) => o.side === side);
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const a = mine[i]!;
        const b = mine[j]!;
        if (a.session !== b.session || a.price !== b.price || a.account === b.account || a.group === b.group) continue;
        if (Math.abs(a.timeMs - b.timeMs) > 1000) continue;
        coincidences.push([a, b]);
      }
    }
    const pairKey = (a: string, b: string) => [a, b].sort().join("|");
    const sessionsOfPair = new Map<string, Set<string>>();
    for (const [a, b] of coincidences) {
      const key = pairKey(a.account, b.account);
      sessionsOfPair.set(key, (sessionsOfPair.get(key) ?? new Set()).add(a.session));
    }
    const linked = [...sessionsOfPair]
      .filter(([, s]) => s.size >= 3)
      .map(([key]) => key.split("|") as [string, string]);
    const seen = new Set<string>();
    for (const [start] of linked) {
      if (seen.has(start)) continue;
      const component = new Set([start]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [a, b] of linked) {
          if (component.has(a) !== component.has(b)) {
            component.add(a);
            component.add(b);
            grew = true;
          }
        }
      }
      for (const account of component) seen.add(account);
      const evidence = coincidences.filter(([a, b]) => component.has(a.account) && component.has(b.account));
      const inComponent = linked.filter(([a]) => component.has(a));
      const instruments = new Set(evidence.map(([a]) => a.instrument));
      alerts.push({
        rule: "coordinated-bidding",
        ...(instruments.size === 1 ? { instrument: [...instruments][0] } : {}),
        side,
        accounts: uniqueSorted(component),
        members: uniqueSorted(evidence.flatMap(([a, b]) => [a.member, b.member])),
        groups: uniqueSorted(evidence.flatMap(([a, b]) => [a.group, b.group])),
        sessions: uniqueSorted(evidence.map(([a]) => a.session)),
        from: iso(Math.min(...evidence.flatMap(([a, b]) => [a.timeMs, b.timeMs]))),
        to: iso(Math.max(...evidence.flatMap(([a, b]) => [a.timeMs, b.timeMs]))),
        orders: uniqueSorted(evidence.flatMap(([a, b]) => [a.id, b.id])),
        figures: {
          linkedPairs: inComponent.length,
          sessions: new Set(evidence.map(([a]) => a.session)).size,
          linkedPairSessionsMin: Math.min(...inComponent.map(([a, b]) => sessionsOfPair.get(pairKey(a, b))!.size)),
        },
      });
    }
  }

  // Rule 4.
  const spoofs = new Map<string, { cancel: Cancel; fills: Trade[]; median: number }[]>();
  for (const c of cancels) {
    const o = c.order;
    const filledBefore = trades.some((t) => t.index < c.index && (t.buy === o || t.sell === o));
    if (filledBefore || c.timeMs - o.timeMs > 60_000) continue;
    const quantities = allOrders
      .filter((x) => x.session === o.session)
      .map((x) => x.quantity)
      .sort((a, b) => a - b);
    const mid = quantities.length / 2;
    const median =
      quantities.length % 2 === 1 ? quantities[Math.floor(mid)]! : (quantities[mid - 1]! + quantities[mid]!) / 2;
    if (o.quantity < 5 * median) continue;
    const fills = trades.filter((t) => {
      const mineOpposite = o.side === "sell" ? t.buy : t.sell;
      return mineOpposite.account === o.account && t.timeMs >= o.timeMs && t.timeMs <= c.timeMs;
    });
    if (fills.length === 0) continue;
    const key = [o.session, o.account, o.side].join("|");
    spoofs.set(key, [...(spoofs.get(key) ?? []), { cancel: c, fills, median }]);
  }
  for (const list of spoofs.values()) {
    const o = list[0]!.cancel.order;
    const fills = new Map(list.flatMap((s) => s.fills.map((t) => [t.index, t] as const)));
    const filledOrder = (t: Trade) => (o.side === "sell" ? t.buy : t.sell);
    alerts.push({
      rule: "spoofing",
      session: o.session,
      instrument: o.instrument,
      side: o.side,
      accounts: [o.account],
      members: uniqueSorted(list.map((s) => s.cancel.member)),
      groups: uniqueSorted(list.map((s) => s.cancel.group)),
      sessions: [o.session],
      from: iso(Math.min(...list.map((s) => s.cancel.order.timeMs))),
      to: iso(Math.max(...list.map((s) => s.cancel.timeMs))),
      orders: uniqueSorted([
        ...list.map((s) => s.cancel.order.id),
        ...[...fills.values()].map((t) => filledOrder(t).id),
      ]),
      figures: {
        spoofOrders: list.length,
        quantityMaxTonnes: Math.max(...list.map((s) => s.cancel.order.quantity)),
        sessionMedianTonnes: list[0]!.median,
        lifeMaxMs: Math.max(...list.map((s) => s.cancel.timeMs - s.cancel.order.timeMs)),
        oppositeFills: fills.size,
        oppositeFilledTonnes: [...fills.values()].reduce((sum, t) => sum + t.quantity, 0),
      },
    });
  }

  // Rule 5.
  const atLimit = allOrders.filter((o) => (o.side === "buy" ? o.upper : o.lower) === o.price);
  const tracks = new Map<string, Order[]>();
  for (const o of atLimit) {
    const key = [o.group, o.instrument, o.side].join("|");
    tracks.set(key, [...(tracks.get(key) ?? []), o]);
  }
  for (const list of tracks.values()) {
    const indices = uniqueSorted(list.map((o) => String(sessions.get(o.session)!.index).padStart(6, "0"))).map(Number);
    let best = 0;
    for (const first of indices) best = Math.max(best, indices.filter((i) => i >= first && i <= first + 9).length);
    if (best < 3) continue;
    const o = list[0]!;
    alerts.push({
      rule: "price-limit-bidding",
      instrument: o.instrument,
      side: o.side,
      accounts: uniqueSorted(list.map((x) => x.account)),
      members: uniqueSorted(list.map((x) => x.member)),
      groups: [o.group],
      sessions: uniqueSorted(list.map((x) => x.session)),
      from: iso(Math.min(...list.map((x) => x.timeMs))),
      to: iso(Math.max(...list.map((x) => x.timeMs))),
      orders: uniqueSorted(list.map((x) => x.id)),
      figures: { sessionsAtLimit: indices.length, sessionsInWindowMax: best, windowSessions: 10 },
    });
  }

  // Rule 6: every window starting at a message.
  const byMemberSession = new Map<string, Message[]>();
  for (const m of messages) {
    const key = `${m.member}|${m.session}`;
    byMemberSession.set(key, [...(byMemberSession.get(key) ?? []), m]);
  }
  for (const list of byMemberSession.values()) {
    let peak = 0;
    const inBursts = new Set<Message>();
    for (const first of list) {
      const window = list.filter((m) => m.timeMs >= first.timeMs && m.timeMs < first.timeMs + 1000);
      peak = Math.max(peak, window.length);
      if (window.length >= 3) for (const m of window) inBursts.add(m);
    }
    if (inBursts.size === 0) continue;
    const burst = [...inBursts];
    alerts.push({
      rule: "automated-entry",
      session: list[0]!.session,
      accounts: uniqueSorted(burst.map((m) => m.account)),
      members: [list[0]!.member],
      groups: uniqueSorted(burst.map((m) => m.group)),
      sessions: [list[0]!.session],
      from: iso(Math.min(...burst.map((m) => m.timeMs))),
      to: iso(Math.max(...burst.map((m) => m.timeMs))),
      orders: uniqueSorted(burst.map((m) => m.order.id)),
      figures: { peakMessages: peak, windowMs: 1000, messagesInBursts: burst.length },
    });
  }
  return alerts;
}
