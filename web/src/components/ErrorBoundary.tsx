/**
 * A fault in one page stays in that page: the boundary catches an error thrown while rendering what it wraps and
 * shows, in its place, what happened and a way on (try again, or another page from the header, which stays usable).
 * The application frame puts one around every page, keyed by the page's address, so leaving the page clears it.
 */

import { Component, type ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";

interface Props {
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return <PageFault error={this.state.error} onRetry={() => this.setState({ error: null })} />;
  }
}

function PageFault({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <section className="panel page-fault" role="alert" data-testid="page-fault">
      <h1>{t("app.fault.title")}</h1>
      <p>{t("app.fault.body")}</p>
      <p className="small muted mono">{error.message}</p>
      <button type="button" onClick={onRetry}>
        {t("app.fault.retry")}
      </button>
    </section>
  );
}
