/** A scenario that breaks a rule: the message names the field and the rule. Its own module so inputs.ts can throw it. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}
