// The dependency checker's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message } from '../localise.ts';
import { severityName } from '../format/messages.ts';
import type { Severity } from '../model.ts';

export const dependencyCatalogue = {
  'dependencies.vulnerable-package': {
    description: {
      fr: 'Une version de dépendance verrouillée est touchée par une vulnérabilité connue (avis OSV) ; la sévérité vient de son score CVSS.',
      en: 'A locked dependency version is affected by a known vulnerability (OSV advisory); the severity comes from its CVSS score.',
    },
    messages: {
      vulnerable: message<{ package: string; advisory: string; title: string; fixedIn: string; cvss: string; unknownSeverity?: 'yes' }>(
        (p) => `${p.package} est touché par ${p.advisory}${p.title ? ` — ${p.title}` : ''}. ` +
          (p.fixedIn ? `Corrigé en ${p.fixedIn} : passez à cette version ou à une plus récente.` : 'Aucune version corrigée n’est connue : remplacez le paquet ou demandez une dérogation.') +
          (p.cvss ? ` CVSS ${p.cvss}.` : p.unknownSeverity ? ' Sévérité inconnue : l’avis ne donne ni vecteur CVSS ni niveau.' : ''),
        (p) => `${p.package} is affected by ${p.advisory}${p.title ? ` — ${p.title}` : ''}. ` +
          (p.fixedIn ? `Fixed in ${p.fixedIn}: upgrade to it or later.` : 'No fixed version is known: replace the package or obtain a derogation.') +
          (p.cvss ? ` CVSS ${p.cvss}.` : p.unknownSeverity ? ' Severity unknown: the advisory gives neither a CVSS vector nor a rating.' : '')),
      // A Go advisory against packages of the module that the program never imports: reported, not blocking.
      notImported: message<{ package: string; advisory: string; title: string; packages: string; basis: 'vendor' | 'module-cache' | 'own-code'; rated: Severity }>(
        (p) => `${p.package} est touché par ${p.advisory}${p.title ? ` — ${p.title}` : ''}, mais seulement dans ${p.packages}, ` +
          (p.basis === 'vendor' || p.basis === 'module-cache'
            ? `que la compilation n’inclut pas (${p.basis === 'vendor' ? 'vendor/modules.txt' : 'sources des dépendances lues dans le cache de modules Go'}).`
            : 'que le code du module n’importe nulle part ; une dépendance pourrait l’importer, ce qui n’a pas pu être vérifié sans ses sources (voir « non évalué »).') +
          ` Signalé pour information (sévérité ${severityName(p.rated, 'fr')}), sans bloquer ; mettez à jour à l’occasion.`,
        (p) => `${p.package} is affected by ${p.advisory}${p.title ? ` — ${p.title}` : ''}, but only in ${p.packages}, ` +
          (p.basis === 'vendor' || p.basis === 'module-cache'
            ? `which the build does not include (${p.basis === 'vendor' ? 'vendor/modules.txt' : 'dependencies’ sources read in the Go module cache'}).`
            : 'which the module’s code never imports; a dependency might import it, which could not be verified without its sources (see "not evaluated").') +
          ` Reported for information (${severityName(p.rated, 'en')} severity), not blocking; upgrade when convenient.`),
    },
  },
  'dependencies.unparsable': {
    description: {
      fr: 'Un fichier de verrouillage ou un manifeste de dépendances n’a pas pu être lu : ses paquets n’ont pas été vérifiés.',
      en: 'A lockfile or dependency manifest could not be read, so its packages were not checked for vulnerabilities.',
    },
    messages: {
      parse: message<{ format: string; reason: string }>(
        (p) => `Impossible de lire ${p.format} : ${p.reason}. Ses dépendances n’ont pas été vérifiées.`,
        (p) => `Could not parse ${p.format}: ${p.reason}. Its dependencies were not checked for vulnerabilities.`),
    },
  },
} as const;

export const say = bindCatalogue(dependencyCatalogue);
