/**
 * Whether the exchange answers, decided by the newest request that has an outcome. Requests overlap: one sent before
 * the network went down can come back after newer ones have failed, and its answer says nothing about the exchange
 * now. So each request takes a ticket when it is sent, and an outcome counts only when no request sent after it has
 * already had one; an older answer still puts its figures on screen, but does not mark the exchange reachable again.
 */
export class Reachability {
  private sent = 0;
  private decidedBy = 0;
  reachable = true;

  /** A ticket for a request about to be sent. */
  send(): number {
    this.sent += 1;
    return this.sent;
  }

  /** The outcome of the request with this ticket; true when it changed whether the exchange is reachable. */
  settle(ticket: number, reachable: boolean): boolean {
    if (ticket < this.decidedBy) return false;
    this.decidedBy = ticket;
    if (reachable === this.reachable) return false;
    this.reachable = reachable;
    return true;
  }
}
