/**
 * What the browser needs to make the server's sentence for an error code in a language (web/src/errors.ts loads this
 * module on its own, beside the page): the code and language checks and the message catalogues' `localize`.
 */

export { isErrorCode } from "./errors.ts";
export { isLanguage } from "./locale.ts";
export { localize } from "./messages.ts";
export { phraseForReader } from "./phrases.ts";
