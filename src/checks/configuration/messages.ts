// The configuration checker's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message } from '../localise.ts';

export const configurationCatalogue = {
  'configuration.hardcoded-ip': {
    description: {
      fr: 'Une adresse IP est écrite dans le code ou la configuration au lieu de venir de l’environnement.',
      en: 'An IP address is written in code or configuration instead of coming from the environment.',
    },
    messages: {
      ip: message<{ ip: string }>(
        (p) => `Adresse IP écrite en dur ${p.ip} : utilisez un nom d’hôte venant de l’environnement ou de la découverte de services.`,
        (p) => `Hard-coded IP address ${p.ip}: use a host name from the environment or from service discovery.`),
    },
  },
  'configuration.localhost-url': {
    description: {
      fr: 'Une URL vers localhost est écrite dans le code ou la configuration sans variable d’environnement pour la remplacer.',
      en: 'A URL pointing at localhost is written in code or configuration without an environment variable to override it.',
    },
    messages: {
      url: message<{ url: string }>(
        (p) => `URL locale écrite en dur ${p.url} : lisez-la depuis une variable d’environnement (une valeur par défaut à côté de la lecture convient).`,
        (p) => `Hard-coded local URL ${p.url}: read it from an environment variable (a default is fine next to the lookup).`),
    },
  },
  'configuration.environment-host': {
    description: {
      fr: 'Un nom d’hôte propre à un environnement ou à un réseau interne (prod., staging., *.interieur.gouv.fr…) est écrit en dur.',
      en: 'A host name tied to one environment or internal network (prod., staging., *.interieur.gouv.fr…) is hard-coded.',
    },
    messages: {
      host: message<{ host: string }>(
        (p) => `Hôte propre à un environnement ${p.host} : il doit venir de la configuration de l’environnement.`,
        (p) => `Environment-specific host ${p.host}: it must come from the environment's configuration.`),
    },
  },
  'configuration.credentials-in-url': {
    description: {
      fr: 'Une URL contient un nom d’utilisateur et un mot de passe par défaut ; l’URL entière doit venir de l’environnement.',
      en: 'A URL embeds a user name and a default password; the whole URL should come from the environment.',
    },
    messages: {
      credentials: message<{ user: string }>(
        (p) => `URL avec identifiants intégrés pour l’utilisateur « ${p.user} » : prenez l’URL entière dans une variable d’environnement.`,
        (p) => `URL with built-in credentials for user "${p.user}": take the whole URL from an environment variable.`),
    },
  },
} as const;

export const say = bindCatalogue(configurationCatalogue);
