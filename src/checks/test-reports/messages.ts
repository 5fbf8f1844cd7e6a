// The test report reader's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message, pluralEn, pluralFr } from '../localise.ts';

export const testReportCatalogue = {
  'test-reports.failing-tests': {
    description: {
      fr: 'Un rapport de tests du projet montre des tests en échec ou en erreur.',
      en: 'A test report of the project shows failing or erroring tests.',
    },
    messages: {
      failed: message<{ test: string; reason: string }>((p) => `Test en échec : ${p.test} — ${p.reason}`, (p) => `Test failed: ${p.test} — ${p.reason}`),
      unnamed: message<{ count: number }>(
        (p) => `${pluralFr(p.count, 'test')} en échec ou en erreur.`,
        (p) => `${pluralEn(p.count, 'test')} failed or errored.`),
    },
  },
  'test-reports.unparsable': {
    description: {
      fr: 'Un rapport de tests ou de couverture n’a pas pu être lu : ses résultats sont inconnus.',
      en: 'A test or coverage report could not be read, so its results are unknown.',
    },
    messages: {
      parse: message<{ format: string; reason: string }>(
        (p) => `Le rapport ${p.format} n’a pas pu être lu : ${p.reason}.`,
        (p) => `The ${p.format} report could not be read: ${p.reason}.`),
    },
  },
  'test-reports.back-end-coverage': {
    description: {
      fr: 'La couverture des lignes du back-end est inférieure à l’objectif de 100 % fixé par le cadre.',
      en: 'Line coverage of the back end is below the 100% target set by the framework.',
    },
    messages: {
      below: message<{ rate: number; covered: number; valid: number }>(
        (p) => `La couverture des lignes du back-end est de ${p.rate} % (${p.covered}/${p.valid} lignes) ; l’objectif est de 100 %.`,
        (p) => `Back-end line coverage is ${p.rate}% (${p.covered}/${p.valid} lines); the target is 100%.`),
    },
  },
} as const;

export const say = bindCatalogue(testReportCatalogue);
