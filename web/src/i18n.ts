// A tiny reactive i18n: French by default, English available. Keys are flat dotted strings.
import { ref } from 'vue';
import { argocdWord } from '../../src/domain/argocd-words.ts';
import { messages, type MessageKey } from './messages.ts';

export type Locale = 'fr' | 'en';
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('dso.locale') : null;
export const locale = ref<Locale>(stored === 'en' ? 'en' : 'fr');

export function setLocale(next: Locale): void {
  locale.value = next;
  localStorage.setItem('dso.locale', next);
  document.documentElement.lang = next;
}

/** Translate a key, replacing `{name}` placeholders. Unknown keys show themselves (visible in review). */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = messages[locale.value][key] ?? messages.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A key built from a value coming from the API (`runs.status.` + status); falls back to the raw value. */
export function tv(prefix: string, value: string, params: Record<string, string | number> = {}): string {
  const key = `${prefix}${value}`;
  return key in messages.fr ? t(key as MessageKey, params) : value;
}

/** Pick the current language from a {fr, en} pair coming from the API (problem titles, role labels…). */
export function pick(text: { fr: string; en: string } | string | undefined | null): string {
  if (!text) return '';
  return typeof text === 'string' ? text : (text[locale.value] ?? text.fr);
}

/** ArgoCD's sync or health word in the current language (the raw value stays ArgoCD's, e.g. in a title). */
export function argocd(kind: 'sync' | 'health', value: string | null | undefined): string {
  return argocdWord(kind, value, locale.value);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale.value === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
}
