/**
 * What a panel shows until its data comes: the reading's refusal (its sentence in the reader's language), or that
 * it is loading.
 */

import { describeError } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";

export function Loading({ error }: { error: unknown }) {
  const i18n = useI18n();
  return error ? <FieldError message={describeError(error, i18n)} /> : <p className="muted">{i18n.t("app.loading")}</p>;
}
