/** Entry point: the providers (language, session) around the application. */

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { SessionProvider } from "./api/session.tsx";
import { loadServerCatalogue } from "./errors.ts";
import { I18nProvider } from "./i18n/index.tsx";
import "./styles.css";

// The server's sentences for refusals, fetched beside the page (errors.ts); the page does not wait for them.
void loadServerCatalogue();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
