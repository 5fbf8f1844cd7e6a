/**
 * Turns git's stderr into a failure a team can act on. Kinds are stable (used by the
 * chain to decide whether a retry makes sense); messages are French first, English too.
 */
export type GitFailureKind =
  | 'unreachable'
  | 'not-a-repository'
  | 'authentication-failed'
  | 'unknown-revision'
  | 'timeout'
  | 'too-large'
  | 'refused-url'
  | 'git-error';

export interface GitFailure {
  kind: GitFailureKind;
  message: { fr: string; en: string };
  /** Whether trying again later may succeed (no retry storm on a wrong URL or password). */
  retryable: boolean;
  /** Last lines of git's diagnostics with credentials removed, for the run log. */
  detail?: string;
}

export class GitFailureError extends Error {
  constructor(readonly failure: GitFailure) {
    super(failure.message.en);
    this.name = 'GitFailureError';
  }
}

const MESSAGES: Record<GitFailureKind, { fr: string; en: string; retryable: boolean }> = {
  unreachable: {
    fr: "Le dépôt externe est injoignable (réseau, nom d'hôte ou port) : vérifiez l'adresse.",
    en: 'The external repository is unreachable (network, host name or port): check the URL.',
    retryable: true,
  },
  'not-a-repository': {
    fr: "L'adresse ne désigne pas un dépôt git, ou il n'existe pas.",
    en: 'The URL does not point to a git repository, or it does not exist.',
    retryable: false,
  },
  'authentication-failed': {
    fr: "L'authentification auprès du dépôt externe a échoué : vérifiez l'identifiant et le jeton.",
    en: 'Authentication to the external repository failed: check the username and token.',
    retryable: false,
  },
  'unknown-revision': {
    fr: "La révision ou la branche demandée n'existe pas dans le dépôt.",
    en: 'The requested revision or branch does not exist in the repository.',
    retryable: false,
  },
  timeout: {
    fr: "L'opération git a dépassé le temps imparti.",
    en: 'The git operation took too long and was stopped.',
    retryable: true,
  },
  'too-large': {
    fr: 'Le dépôt dépasse les limites de la plateforme (taille ou nombre de fichiers).',
    en: 'The repository exceeds the platform limits (size or file count).',
    retryable: false,
  },
  'refused-url': {
    fr: "L'adresse du dépôt est refusée par la plateforme.",
    en: 'The repository URL is refused by the platform.',
    retryable: false,
  },
  'git-error': {
    fr: "L'opération git a échoué.",
    en: 'The git operation failed.',
    retryable: true,
  },
};

export function gitFailure(kind: GitFailureKind, detail?: string, message?: { fr: string; en: string }): GitFailure {
  const m = MESSAGES[kind];
  return {
    kind,
    message: message ?? { fr: m.fr, en: m.en },
    retryable: m.retryable,
    detail: detail ? redact(detail) : undefined,
  };
}

/** Removes anything that looks like a credential from git's output before it is logged. */
export function redact(text: string): string {
  return text
    .replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@')
    .replace(/(authorization:\s*)(\S+\s+)?\S+/gi, '$1***')
    .split('\n')
    .slice(-20)
    .join('\n')
    .slice(0, 4000);
}

export function classifyGitStderr(stderr: string, timedOut = false): GitFailure {
  if (timedOut) return gitFailure('timeout', stderr);
  const s = stderr.toLowerCase();
  if (
    /authentication failed|could not read username|could not read password|permission denied \(publickey|http 401|returned error: 401|returned error: 403|invalid username or password|terminal prompts disabled/.test(
      s,
    )
  ) {
    return gitFailure('authentication-failed', stderr);
  }
  if (/couldn't find remote ref|unknown revision|not a valid object name|bad revision|invalid reference/.test(s)) {
    return gitFailure('unknown-revision', stderr);
  }
  if (
    /does not appear to be a git repository|not found|repository .* not found|is not a git repository|not a git repository|returned error: 404|not valid: is this a git repository|invalid server response|protocol error/.test(
      s,
    )
  ) {
    return gitFailure('not-a-repository', stderr);
  }
  if (/could not resolve host|connection refused|connection timed out|failed to connect|network is unreachable|no route to host|could not connect|operation timed out|connection reset/.test(s)) {
    return gitFailure('unreachable', stderr);
  }
  if (/transport '[a-z]+' not allowed/.test(s)) return gitFailure('refused-url', stderr);
  return gitFailure('git-error', stderr);
}
