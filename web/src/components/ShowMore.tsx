/**
 * A list of the member's records shown a page at a time, newest first as the API lists them: the query's `limit`
 * starts at one page and grows by a page at each "show more", up to the API's longest list (ACCOUNT_LIST_LIMIT_MAX),
 * which is said when reached. Used by the terminal's documents list and obligations table alike.
 */

import { useState } from "react";
import { ACCOUNT_LIST_LIMIT_MAX } from "../../../src/domain/limits.ts";
import { useI18n } from "../i18n/index.tsx";

export interface Paging {
  /** Entries one page adds. */
  readonly page: number;
  /** The `limit` to ask the API for now. */
  readonly limit: number;
  showMore(): void;
}

/** The paging of one list; a new list (another account) starts again at its first page when the caller keys it. */
export function usePaging(page: number): Paging {
  const [limit, setLimit] = useState(Math.min(page, ACCOUNT_LIST_LIMIT_MAX));
  return { page, limit, showMore: () => setLimit((now) => Math.min(now + page, ACCOUNT_LIST_LIMIT_MAX)) };
}

/** The sentences a list says of itself: all shown, the newest shown, "show {count} more", and the API's limit. */
export interface ShowMoreWords {
  readonly all: string;
  readonly some: string;
  readonly more: string;
  readonly limit: string;
}

/**
 * How many entries are shown and, while the API may hold more (a full page came back), a button for the next page.
 * `testId` names the line (`{testId}-shown`) and its button (`{testId}-more`).
 */
export function ShowMore({
  paging,
  shown,
  words,
  testId,
  as: Element = "p",
}: {
  paging: Paging;
  shown: number;
  words: ShowMoreWords;
  testId: string;
  as?: "p" | "li";
}) {
  const { t } = useI18n();
  if (shown === 0) return null;
  const more = shown === paging.limit && paging.limit < ACCOUNT_LIST_LIMIT_MAX;
  return (
    <Element className="small muted" data-testid={`${testId}-shown`}>
      {t(more ? words.some : words.all, { count: String(shown) })}
      {more ? (
        <>
          {" "}
          <button type="button" className="secondary" data-testid={`${testId}-more`} onClick={paging.showMore}>
            {t(words.more, { count: String(paging.page) })}
          </button>
        </>
      ) : null}
      {shown === ACCOUNT_LIST_LIMIT_MAX ? ` ${t(words.limit)}` : null}
    </Element>
  );
}
