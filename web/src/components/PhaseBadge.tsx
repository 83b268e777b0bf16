/**
 * An instrument's trading phase as a badge, with a countdown to the next phase change when the server publishes it
 * (`nextPhase`), and the halt's reason when halted.
 */

import { useNow } from "../api/live.ts";
import type { InstrumentQuote } from "../api/types.ts";
import { countdown } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { haltReason, isHalted } from "../market.ts";

export function PhaseBadge({ quote }: { quote: InstrumentQuote }) {
  const { t } = useI18n();
  const now = useNow();
  const halted = isHalted(quote);
  const phase = halted ? "halted" : quote.phase;
  const next = quote.nextPhase ?? null;
  return (
    <span className="phase-cell">
      <span className={`badge phase-${phase}`} data-testid="phase" title={haltReason(quote) ?? undefined}>
        {t(`phases.${phase}`)}
      </span>
      {next && next.atMs > now ? (
        <span className="small muted countdown" data-testid="countdown">
          {t("board.nextPhase", { phase: t(`phases.${next.phase}`), in: countdown(next.atMs - now) })}
        </span>
      ) : null}
    </span>
  );
}
