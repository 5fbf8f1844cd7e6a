// The built-in provider's sign-in page and the login error pages: our own HTML, laid out like the State design
// system (DSFR: the "République française" block, the service name, DSFR inputs and buttons), French first with an
// English line, dependency free (the console's bundle is not loaded here). Everything interpolated is escaped
// (usernames and error text come from users).
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const style = `*{box-sizing:border-box}body{font-family:Marianne,arial,sans-serif;background:#f6f6f6;margin:0;color:#161616;line-height:1.5}
header{background:#fff;box-shadow:0 8px 8px -8px rgba(0,0,18,.16);padding:1rem 1.5rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
.marque{font-weight:700;text-transform:uppercase;font-size:.9rem;line-height:1.1;letter-spacing:-.01em}
.marque::before{content:"";display:block;width:2.5rem;height:.9rem;margin-bottom:.3rem;background:linear-gradient(90deg,#000091 33%,#fff 33% 66%,#e1000f 66%)}
.service{font-weight:700;font-size:1.25rem}.service small{display:block;font-weight:400;font-size:.875rem;color:#3a3a3a}
main{max-width:30rem;margin:2.5rem auto;background:#fff;padding:2rem 2.5rem;border:1px solid #ddd}
h1{font-size:1.75rem;line-height:2.25rem;margin:0 0 1rem}label{display:block;margin:1.5rem 0 .5rem}
input{width:100%;padding:.5rem 1rem;border:0;border-radius:.25rem .25rem 0 0;box-shadow:inset 0 -2px 0 0 #3a3a3a;background:#eee;font:inherit;color:#161616}
input:focus,button:focus,a:focus{outline:2px solid #0a76f6;outline-offset:2px}
button,.button{display:inline-block;margin-top:2rem;background:#000091;color:#fff;border:0;padding:.5rem 1.5rem;font:inherit;font-weight:500;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:#1212ff}
.error{border-left:4px solid #ce0500;background:#ffe9e9;padding:.75rem 1rem;margin:1rem 0}.hint{color:#3a3a3a;font-size:.875rem}
footer{max-width:30rem;margin:0 auto 2rem;font-size:.75rem;color:#3a3a3a}footer a{color:#3a3a3a}a{color:#000091}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>${escapeHtml(title)} — DSO π</title><style>${style}</style></head>
<body><header role="banner"><span class="marque">République<br>française</span><span class="service">DSO π<small>Console DevSecOps Cloud π Native</small></span></header>
<main role="main" id="contenu">${body}</main>
<footer role="contentinfo"><a href="/accessibilite">Accessibilité</a> · <a href="/mentions-legales">Mentions légales</a> · <a href="/donnees-personnelles">Données personnelles</a></footer>
</body></html>`;
}

export function loginPage(options: { action: string; username?: string; error?: string }): string {
  return layout(
    'Connexion',
    `<h1>Se connecter à DSO π</h1>
<p class="hint">Fournisseur d’identité intégré (mode démonstration). <span lang="en">Built-in identity provider (demo mode).</span></p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="on">
<label for="username">Identifiant</label>
<input id="username" name="username" required maxlength="100" autocomplete="username" value="${escapeHtml(options.username ?? '')}" autofocus>
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" required maxlength="256" autocomplete="current-password">
<button type="submit">Se connecter</button>
</form>
<p class="hint">Comptes de démonstration&nbsp;: <code>admin</code>, <code>rssi</code>, <code>owner</code>, <code>dev</code>. Leurs mots de passe sont affichés une fois dans le terminal au premier démarrage.</p>`,
  );
}

export function errorPage(title: string, detail: string, action?: { href: string; label: string }): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(detail)}</p>
${action ? `<a class="button" href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a>` : '<p><a href="/">Retour à l’accueil</a></p>'}`,
  );
}

export type LoginFailurePageReason = 'transactionMissing' | 'transactionExpired' | 'providerRefused' | 'accountDisabled' | 'unexpected';

const failureTexts: Record<LoginFailurePageReason, { fr: string; en: string }> = {
  transactionMissing: {
    fr: 'Votre navigateur n’a pas renvoyé la session de connexion : elle a expiré, ou la connexion a été commencée à une autre adresse que celle-ci. Recommencez la connexion depuis cette page.',
    en: 'Your browser did not send the login session back: it expired, or the login was started at another address than this one. Start the login again from this page.',
  },
  transactionExpired: {
    fr: 'La connexion a pris plus de dix minutes. Recommencez-la.',
    en: 'The login took more than ten minutes. Start it again.',
  },
  providerRefused: {
    fr: 'Le fournisseur d’identité a refusé la connexion. Recommencez ; si cela se reproduit, contactez l’équipe plateforme.',
    en: 'The identity provider refused the login. Try again; if it happens again, contact the platform team.',
  },
  accountDisabled: {
    fr: 'Votre compte est désactivé. Contactez l’équipe plateforme pour le réactiver.',
    en: 'Your account is disabled. Contact the platform team to re-enable it.',
  },
  unexpected: {
    fr: 'Une erreur inattendue a interrompu la connexion. Recommencez ; si cela se reproduit, contactez l’équipe plateforme.',
    en: 'An unexpected error interrupted the login. Try again; if it happens again, contact the platform team.',
  },
};

/** What the person sees when the callback fails: what happened and what to do, with a button that starts again. */
export function loginFailurePage(reason: LoginFailurePageReason, origin: string): string {
  const text = failureTexts[reason];
  const again = reason === 'accountDisabled' ? `${origin}/` : `${origin}/auth/login`;
  return layout(
    'Connexion impossible',
    `<h1>Connexion impossible</h1>
<div class="error" role="alert"><p>${escapeHtml(text.fr)}</p><p lang="en">${escapeHtml(text.en)}</p></div>
<a class="button" href="${escapeHtml(again)}">${reason === 'accountDisabled' ? 'Retour à l’accueil' : 'Recommencer la connexion'}</a>`,
  );
}
