// The secret rules: one per kind of credential, so a finding says exactly what leaked and how to rotate it.
import type { Rule } from '../model.ts';

const requirements = ['EX47', 'EX58'];

function secretRule(kind: string, severity: 'critical' | 'high', description: string): Rule {
  return { id: `secrets.${kind}`, kind: 'secret', severity, requirements, description };
}

/** Private keys and live-format cloud credentials: usable wherever they were committed, so they block everywhere. */
function blockingEverywhere(rule: Rule): Rule {
  return { ...rule, blocksEverywhere: true };
}

export const secretRules = {
  awsAccessKeyId: blockingEverywhere(secretRule('aws-access-key-id', 'critical', 'An AWS access key id (AKIA…/ASIA…) is written in the code.')),
  awsSecretAccessKey: blockingEverywhere(secretRule('aws-secret-access-key', 'critical', 'An AWS secret access key is assigned in the code.')),
  githubToken: secretRule('github-token', 'critical', 'A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) is written in the code.'),
  gitlabToken: secretRule('gitlab-token', 'critical', 'A GitLab personal, project or group access token (glpat-) is written in the code.'),
  slackToken: secretRule('slack-token', 'high', 'A Slack token (xox…) or incoming-webhook URL is written in the code.'),
  stripeKey: secretRule('stripe-secret-key', 'critical', 'A live Stripe secret or restricted key (sk_live_, rk_live_) is written in the code.'),
  googleApiKey: secretRule('google-api-key', 'high', 'A Google API key (AIza…) is written in the code.'),
  npmToken: secretRule('npm-token', 'critical', 'An npm access token (npm_…) is written in the code.'),
  sendgridKey: secretRule('sendgrid-api-key', 'high', 'A SendGrid API key (SG.…) is written in the code.'),
  twilioKey: secretRule('twilio-api-key', 'high', 'A Twilio API key (SK + 32 hex digits) is written in the code.'),
  azureStorageKey: blockingEverywhere(secretRule('azure-storage-key', 'critical', 'An Azure storage account key (AccountKey=…) is written in the code.')),
  jwt: secretRule('jwt', 'high', 'A signed JSON Web Token is written in the code.'),
  privateKey: blockingEverywhere(secretRule('private-key', 'critical', 'A private key (PEM: RSA, EC, DSA, OpenSSH, PGP, PKCS#8) is written in the code.')),
  connectionString: secretRule('connection-string', 'high', 'A connection string or URL carries a literal password (user:password@host, password=…).'),
  password: secretRule('password', 'high', 'A literal password is assigned to a password-like name.'),
  genericSecret: secretRule('generic-secret', 'high', 'A high-entropy literal is assigned to a secret-like name (secret, token, api key…).'),
} as const;

export const allSecretRules: readonly Rule[] = Object.values(secretRules);
