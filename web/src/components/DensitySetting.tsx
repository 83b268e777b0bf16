/** The density used to show prices per litre: 0.55 kg/l by default, changeable by the reader and said on screen. */

import { useState } from "react";
import { DENSITY_KG_PER_LITRE_DEFAULT } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { DENSITY_RANGE, setDensity, useDensity } from "../market.ts";

export function DensitySetting() {
  const { t, locale } = useI18n();
  const density = useDensity();
  const [text, setText] = useState(String(density));
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
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
        aria-describedby="density-note"
      />
      <span id="density-note" className="muted">
        {t("density.note", { default: format.format(DENSITY_KG_PER_LITRE_DEFAULT) })}
      </span>
    </label>
  );
}
