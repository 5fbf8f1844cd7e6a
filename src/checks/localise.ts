// The message catalogue's machinery: each checker declares, per rule, its description and its finding messages in
// French and English (a `<checker>/messages.ts` file); a finding carries the message's id, its parameters and both
// renderings, so the JSON report, SARIF, the CLI and the console show the user's language without re-running checks.
// This mirrors the gate's reasons (a code plus parameters rendered in both languages). Pure: no I/O.
import type { CataloguedMessage, Finding, LocalisedText, MessageParams, Rule } from './model.ts';

export type Language = 'fr' | 'en';

/** One catalogued sentence: a renderer per language over the same parameters. */
export interface MessageTemplate<P extends MessageParams> {
  fr: (p: P) => string;
  en: (p: P) => string;
}

/** A rule's catalogue entry: its description and its messages. */
export interface RuleCatalogue<M extends Record<string, MessageTemplate<never>>> {
  description: LocalisedText;
  messages: M;
}

/** Renders a catalogued message of `ruleId` (the id becomes `<ruleId>/<name>`). */
export function say<P extends MessageParams>(
  ruleId: string,
  name: string,
  template: MessageTemplate<P>,
  params: P,
): CataloguedMessage {
  return { id: `${ruleId}/${name}`, params, text: { fr: template.fr(params), en: template.en(params) } };
}

/** The finding's message in `lang`; findings of older reports (or uncatalogued rules) keep their English sentence. */
export function findingText(finding: Pick<Finding, 'message' | 'text'>, lang: Language): string {
  return finding.text?.[lang] ?? finding.message;
}

/** The rule's one-line description in `lang`. */
export function ruleDescription(rule: Pick<Rule, 'description' | 'text'>, lang: Language): string {
  return rule.text?.[lang] ?? rule.description;
}

/** French plural of a counted noun: 1 fichier, 2 fichiers (0 is singular in French). */
export function pluralFr(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n > 1 ? plural : singular}`;
}

/** English plural of a counted noun. */
export function pluralEn(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Declares a catalogued message from its two renderers. */
export function message<P extends MessageParams = Record<string, never>>(
  fr: (p: P) => string,
  en: (p: P) => string,
): MessageTemplate<P> {
  return { fr, en };
}

type Messages = Record<string, MessageTemplate<never>>;
type Bound<M> = { [K in keyof M]: M[K] extends MessageTemplate<infer P> ? (params: P) => CataloguedMessage : never };

/** A checker's catalogue, keyed by rule id: each rule's description and messages. */
export type Catalogue = Record<string, { description: LocalisedText; messages: Messages }>;

/** Binds every message of a catalogue to its rule id, so that checkers call `say[ruleId].name(params)`. */
export function bindCatalogue<C extends Catalogue>(catalogue: C): { [R in keyof C]: Bound<C[R]['messages']> } {
  const bound: Record<string, Record<string, (params: MessageParams) => CataloguedMessage>> = {};
  for (const [ruleId, entry] of Object.entries(catalogue)) {
    bound[ruleId] = Object.fromEntries(
      Object.entries(entry.messages).map(([name, template]) => [
        name,
        (params: MessageParams) => say(ruleId, name, template as unknown as MessageTemplate<MessageParams>, params),
      ]),
    );
  }
  return bound as { [R in keyof C]: Bound<C[R]['messages']> };
}

/** Adds to each rule its description from the catalogue (French and English); the English one replaces
 * `description`. */
export function withDescriptions<R extends Record<string, Rule>>(rules: R, catalogue: Catalogue): R {
  for (const rule of Object.values(rules) as Rule[]) {
    const entry = catalogue[rule.id];
    if (!entry) throw new Error(`rule ${rule.id} has no entry in its message catalogue`);
    rule.description = entry.description.en;
    rule.text = entry.description;
  }
  return rules;
}
