/** Names the policy lab shows for what a person chose: a scenario's, in the reader's language. */

/**
 * A scenario's short name in the reader's language, for legends and run labels: its translated title up to the colon
 * ("2022 ырықтандыру" of "2022 ырықтандыру: шектеу 1 қаңтарда алынды, экспорт ашық"); its file name when the title is
 * not translated (a scenario file of one's own).
 */
export function scenarioShortName(name: string, t: (key: string) => string, has: (key: string) => boolean): string {
  const key = `lab.scenarios.${name}.title`;
  if (!has(key)) return name;
  const title = t(key);
  const colon = title.indexOf(":");
  return colon > 0 ? title.slice(0, colon) : title;
}
