// A chart's title or description in the reader's language. Charts write their own text (Chart.yaml, `dso.pi/title`)
// in English and may give the French one in an annotation (`dso.pi/title-fr`, `dso.pi/description-fr`): the French
// console shows it when there is one; otherwise the chart's own text, marked as English so that screen readers
// switch voice.
import { locale } from '../../i18n.ts';

export interface ChartText {
  text: string;
  lang: 'fr' | 'en';
}

export const chartText = (own: string, french: string | null | undefined): ChartText =>
  locale.value === 'fr' && french ? { text: french, lang: 'fr' } : { text: own, lang: 'en' };
