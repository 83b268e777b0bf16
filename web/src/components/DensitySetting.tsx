/**
 * The density used to show prices per litre: 0.55 kg/l by default, changeable by the reader and said on screen. A value
 * outside 0.4–0.7 kg/l (or none) is not taken, and the page says so and which density the prices per litre still use.
 * A text field, not a number one: a browser's number field drops the decimal comma a Kazakh or Russian reader types
 * ("0,56" became 56), so the comma is read here as the decimal point, as the ticket reads prices.
 */

import { useState } from "react";
import { DENSITY_KG_PER_LITRE_DEFAULT, decimalSeparatorOf } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { DENSITY_RANGE, setDensity, useDensity } from "../market.ts";

export function DensitySetting() {
  const { t, locale } = useI18n();
  const density = useDensity();
  // Until the reader types, the density in force as the language writes it ("0,55" in kk and ru).
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? String(density).replace(".", decimalSeparatorOf(locale));
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const value = densityOf(text);
  const limits = {
    min: format.format(DENSITY_RANGE.min),
    max: format.format(DENSITY_RANGE.max),
    density: format.format(density),
  };
  const problem =
    text.trim() === "" || !Number.isFinite(value)
      ? t("density.missing", limits)
      : value < DENSITY_RANGE.min || value > DENSITY_RANGE.max
        ? t("density.outOfRange", { ...limits, value: format.format(value) })
        : null;
  return (
    <label className="inline density small">
      {t("density.label")}
      <input
        type="text"
        inputMode="decimal"
        value={text}
        onChange={(event) => {
          setTyped(event.target.value);
          setDensity(densityOf(event.target.value));
        }}
        aria-describedby={problem === null ? "density-note" : "density-note density-error"}
        aria-invalid={problem !== null}
      />
      <span id="density-note" className="muted">
        {t("density.note", { default: format.format(DENSITY_KG_PER_LITRE_DEFAULT) })}
      </span>
      {problem === null ? null : (
        <span id="density-error" className="field-error" role="alert" data-testid="density-error">
          {problem}
        </span>
      )}
    </label>
  );
}

/** A density typed with a decimal point or comma ("0.56", "0,56"); NaN when it is not a number. */
function densityOf(text: string): number {
  const trimmed = text.trim();
  return /^-?\d*[.,]?\d+$/.test(trimmed) ? Number(trimmed.replace(",", ".")) : Number.NaN;
}
