/**
 * The surveillance configuration (each rule's thresholds, defaults and bounds): defined in the domain
 * (src/domain/surveillance-config.ts) because the engine checks the regulator's changes to it (`surveillance.configure`)
 * and surveillance reads it; re-exported here for the detectors and `sauda surveil`.
 */

export * from "../domain/surveillance-config.ts";
