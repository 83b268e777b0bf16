/** The policy lab's names (web/src/lab-names.ts): a scenario's short name in the reader's language. */

import { describe, expect, it } from "vitest";
import en from "../../web/src/i18n/en.json" with { type: "json" };
import kk from "../../web/src/i18n/kk.json" with { type: "json" };
import ru from "../../web/src/i18n/ru.json" with { type: "json" };
import { scenarioShortName } from "../../web/src/lab-names.ts";

type Catalogue = { lab: { scenarios: Record<string, { title: string }> } };

function reader(catalogue: Catalogue) {
  const title = (key: string) => /^lab\.scenarios\.(.+)\.title$/.exec(key)?.[1];
  return {
    t: (key: string) => catalogue.lab.scenarios[title(key)!]!.title,
    has: (key: string) => title(key) !== undefined && title(key)! in catalogue.lab.scenarios,
  };
}

describe("a scenario's short name", () => {
  it("is its translated title up to the colon, in each language", () => {
    const names = (catalogue: Catalogue) => {
      const { t, has } = reader(catalogue);
      return ["liberalisation-2022", "safeguarded-2022"].map((name) => scenarioShortName(name, t, has));
    };
    expect(names(en)).toEqual(["Liberalisation 2022", "Safeguarded 2022"]);
    expect(names(ru)).toEqual(["Либерализация 2022", "Реформа 2022 с защитой"]);
    expect(names(kk)).toEqual(["2022 ырықтандыру", "Қорғалған 2022"]);
  });

  it("is the file name of a scenario whose title is not translated", () => {
    const { t, has } = reader(en);
    expect(scenarioShortName("my-own-scenario", t, has)).toBe("my-own-scenario");
  });
});
