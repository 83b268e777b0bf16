/**
 * The density used to show prices per litre: 0.55 kg/l by default, changeable by the reader and said on screen. A value
 * outside 0.4–0.7 kg/l (or none) is not taken, and the page says so and which density the prices per litre still use.
 */

import { useState } from "react";
import { DENSITY_KG_PER_LITRE_DEFAULT } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { DENSITY_RANGE, setDensity, useDensity } from "../market.ts";

export function DensitySetting() {
  const { t, locale } = useI18n();
  const density = useDensity();
  const [text, setText] = useState(String(density));
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const value = Number(text);
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
        type="number"
        inputMode="decimal"
        min={DENSITY_RANGE.min}
        max={DENSITY_RANGE.max}
        step={0.001}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setDensity(Number(event.target.value));
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
