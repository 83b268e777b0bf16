/** An instrument's regulatory limits in words (band, ceiling, floor, halt), and a delivery region's name. */

import type { InstrumentQuote } from "../api/types.ts";
import { tengePerTonne } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { haltReason, type limitsOf, limitsPublished, pinnedBy } from "../market.ts";

export function regionName(t: (key: string) => string, region: string): string {
  const key = `regions.${region}`;
  const name = t(key);
  return name === key ? region : name;
}

export function LimitsText({
  quote,
  limits,
  published = false,
}: {
  quote: InstrumentQuote;
  limits: ReturnType<typeof limitsOf>;
  published?: boolean;
}) {
  const { t, locale } = useI18n();
  const parts: string[] = [];
  // A ceiling below the day's band (or a floor above it) leaves one price: said as such, with the band it cut, not
  // as a band "100 000–100 000".
  const pinned = pinnedBy(limits);
  if (pinned !== null && limits.band && limits.staticBand) {
    parts.push(
      t(pinned === "ceiling" ? "limits.onlyAtCeiling" : "limits.onlyAtFloor", {
        price: tengePerTonne(limits.band.low, locale),
        low: tengePerTonne(limits.staticBand.low, locale),
        high: tengePerTonne(limits.staticBand.high, locale),
      }),
    );
  } else if (limits.band) {
    parts.push(
      t("limits.band", {
        low: tengePerTonne(limits.band.low, locale),
        high: tengePerTonne(limits.band.high, locale),
      }),
    );
  }
  if (limits.ceiling !== null && pinned !== "ceiling") {
    parts.push(t("limits.ceiling", { price: tengePerTonne(limits.ceiling, locale) }));
  }
  if (limits.floor !== null && pinned !== "floor") {
    parts.push(t("limits.floor", { price: tengePerTonne(limits.floor, locale) }));
  }
  const halt = haltReason(quote);
  if (halt !== null) parts.push(t("limits.halt", { reason: halt }));
  if (parts.length === 0) {
    return (
      <span className="muted" data-testid="limits">
        {published || limitsPublished(quote) ? t("limits.none") : t("limits.unpublished")}
      </span>
    );
  }
  return <span data-testid="limits">{parts.join(" · ")}</span>;
}
