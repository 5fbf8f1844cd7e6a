// The platform's thresholds and lists that machine evidence is judged against: coverage minimum, advisory
// freshness, how recent forge pushes and feedback deliveries must be, the DORA thresholds, the languages,
// OIDC issuers, gateway classes, registries and object storage the administrators approve. Data only; the
// server builds it from its configuration (src/config.ts, `conformityPolicyOf`), the CLI uses the defaults.

export interface ConformityPolicy {
  /** Minimum back-end line coverage, in percent (EX10, EX27). */
  coverageMinimumPercent: number;
  /** Longest age of the advisory database dependencies were matched against (EX12, EX58). */
  advisoryMaxAgeDays: number;
  /** A push from the team's forge must have triggered a run within this many days (EX5). */
  forgePushMaxAgeDays: number;
  /** A feedback delivery (webhook, commit status) must have succeeded within this many days (EX16). */
  feedbackMaxAgeDays: number;
  /** DORA window and thresholds (EX17). */
  delivery: { windowDays: number; minDeployments: number; maxLeadTimeHours: number; maxChangeLines: number };
  /** Longest start-up budget allowed by the probes (EX51) and longest graceful stop (EX50), in seconds. */
  startMaxSeconds: number;
  stopMaxSeconds: number;
  /** Language ids the administrators approve (EX24), see checks/observations/languages.ts. */
  approvedLanguages: readonly string[];
  /** OIDC issuer URLs of the approved identity federations (EX56): staff SSO, FranceConnect… */
  oidcIssuers: readonly string[];
  /** Ingress classes and gateway (or gateway class) names of the platform's API management (EX44). */
  gatewayClasses: readonly string[];
  /** Registry hosts whose images the platform builds and publishes (EX34). Empty: no registry configured. */
  registryHosts: readonly string[];
  /** URL prefixes of the platform's object storage (EX7, EX33, EX40). */
  objectStorageEndpoints: readonly string[];
}

export const defaultConformityPolicy: ConformityPolicy = Object.freeze({
  coverageMinimumPercent: 100,
  advisoryMaxAgeDays: 7,
  forgePushMaxAgeDays: 30,
  feedbackMaxAgeDays: 30,
  delivery: { windowDays: 90, minDeployments: 3, maxLeadTimeHours: 168, maxChangeLines: 1000 },
  startMaxSeconds: 60,
  stopMaxSeconds: 30,
  approvedLanguages: ['java', 'kotlin', 'typescript', 'javascript', 'vue', 'python', 'go', 'php', 'csharp', 'rust', 'shell', 'sql'],
  oidcIssuers: [],
  gatewayClasses: [],
  registryHosts: [],
  objectStorageEndpoints: [],
});
