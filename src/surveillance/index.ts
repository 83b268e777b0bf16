/**
 * Market surveillance (issue 11): detectors over the market history that raise alerts with evidence, and per-session
 * statistics. `Surveillance` runs them over records (records.ts); `HistoryReader` makes records of the `sauda surveil`
 * file contract, `JournalAdapter` of the exchange's journal; `LiveSurveillance` keeps what they find as a read model
 * for the server, and `EvidenceCollector` rebuilds an alert's evidence from the journal. Imports only the domain and
 * the engine.
 */

export * from "./alerts.ts";
export * from "./book-replay.ts";
export * from "./config.ts";
export type { Detector, SessionInfo } from "./detector.ts";
export * from "./evidence.ts";
export * from "./history.ts";
export * from "./journal.ts";
export * from "./live.ts";
export * from "./parties.ts";
export type * from "./records.ts";
export * from "./statistics.ts";
export * from "./surveillance.ts";
