// The three pages every State service links from its footer (accessibility statement, legal notice, personal
// data), in both languages. Written for the console itself; an operator who needs other wording replaces this file.
type Text = { fr: string; en: string };
export interface LegalSection {
  heading: Text;
  paragraphs: Text[];
}
export interface LegalPage {
  title: Text;
  sections: LegalSection[];
}

export const legalPages: Record<'accessibilite' | 'mentions-legales' | 'donnees-personnelles', LegalPage> = {
  accessibilite: {
    title: { fr: 'Déclaration d’accessibilité', en: 'Accessibility statement' },
    sections: [
      {
        heading: { fr: 'État de conformité', en: 'Compliance status' },
        paragraphs: [
          {
            fr: 'La console DSO π est non conforme au référentiel général d’amélioration de l’accessibilité (RGAA 4.1) : aucun audit complet n’a encore été mené. Elle est construite avec le système de design de l’État (DSFR), utilisable au clavier seul, et chaque écran est vérifié automatiquement (axe-core, critères WCAG 2.1 A et AA) à 1 366 et 390 pixels de large.',
            en: 'The DSO π console is not compliant with the French accessibility framework (RGAA 4.1): no full audit has been carried out yet. It is built with the State design system (DSFR), can be used with the keyboard only, and every screen is checked automatically (axe-core, WCAG 2.1 A and AA criteria) at 1,366 and 390 pixels wide.',
          },
        ],
      },
      {
        heading: { fr: 'Signaler un défaut', en: 'Reporting a problem' },
        paragraphs: [
          {
            fr: 'Si un contenu ou une fonction vous est inaccessible, signalez-le à l’équipe qui exploite la plateforme : elle vous apportera l’information sous une autre forme et corrigera le défaut.',
            en: 'If some content or feature is not accessible to you, tell the team that runs the platform: they will give you the information in another form and fix the problem.',
          },
          {
            fr: 'Sans réponse satisfaisante, vous pouvez saisir le Défenseur des droits (formulaire en ligne, délégués territoriaux ou courrier gratuit : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).',
            en: 'Without a satisfactory answer, you may contact the Défenseur des droits (online form, local delegates, or free post: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).',
          },
        ],
      },
    ],
  },
  'mentions-legales': {
    title: { fr: 'Mentions légales', en: 'Legal notice' },
    sections: [
      {
        heading: { fr: 'Éditeur', en: 'Publisher' },
        paragraphs: [
          {
            fr: 'Ministère de l’Intérieur, place Beauvau, 75008 Paris. La plateforme est exploitée par le service informatique qui l’héberge pour les équipes d’application des administrations.',
            en: 'Ministry of the Interior, place Beauvau, 75008 Paris. The platform is run by the IT department that hosts it for the application teams of public administrations.',
          },
        ],
      },
      {
        heading: { fr: 'Hébergement', en: 'Hosting' },
        paragraphs: [
          {
            fr: 'La console et ses données sont hébergées sur l’infrastructure de l’exploitant de la plateforme, dans les zones qu’il administre.',
            en: 'The console and its data are hosted on the platform operator’s infrastructure, in the zones it administers.',
          },
        ],
      },
      {
        heading: { fr: 'Logiciel', en: 'Software' },
        paragraphs: [
          {
            fr: 'DSO π est un logiciel libre distribué sous la licence publique de l’Union européenne (EUPL 1.2).',
            en: 'DSO π is free software distributed under the European Union Public Licence (EUPL 1.2).',
          },
        ],
      },
    ],
  },
  'donnees-personnelles': {
    title: { fr: 'Données personnelles', en: 'Personal data' },
    sections: [
      {
        heading: { fr: 'Ce que la plateforme conserve', en: 'What the platform keeps' },
        paragraphs: [
          {
            fr: 'À votre connexion, le fournisseur d’identité transmet votre nom, votre adresse électronique, votre identifiant et vos groupes. La plateforme les garde pour vous attribuer vos droits, vous nommer dans les projets et vous envoyer les résultats de la chaîne.',
            en: 'When you sign in, the identity provider passes on your name, e-mail address, identifier and groups. The platform keeps them to give you your rights, name you in projects and send you the chain’s results.',
          },
          {
            fr: 'Le journal d’audit enregistre vos actions (connexions, jetons créés ou révoqués, exécutions lancées ou annulées, modifications) avec leur date : c’est la traçabilité exigée par les conditions d’utilisation. Il ne contient jamais de secret ni de mot de passe.',
            en: 'The audit log records your actions (sign-ins, tokens created or revoked, runs started or cancelled, changes) with their time: this is the traceability the usage policy requires. It never holds a secret or a password.',
          },
        ],
      },
      {
        heading: { fr: 'Cookies', en: 'Cookies' },
        paragraphs: [
          {
            fr: 'Un seul cookie de session, strictement nécessaire à la connexion, est déposé ; aucun cookie de mesure d’audience ni de publicité. Il expire à la fin de la session.',
            en: 'A single session cookie, strictly needed to stay signed in, is set; no audience-measurement or advertising cookie. It expires at the end of the session.',
          },
        ],
      },
      {
        heading: { fr: 'Vos droits', en: 'Your rights' },
        paragraphs: [
          {
            fr: 'Vous pouvez accéder à vos données, les faire rectifier ou limiter leur traitement en écrivant au délégué à la protection des données du ministère, et saisir la CNIL si vous estimez que vos droits ne sont pas respectés.',
            en: 'You may access your data, have it corrected or its processing limited by writing to the ministry’s data protection officer, and complain to the CNIL if you think your rights are not respected.',
          },
        ],
      },
    ],
  },
};
