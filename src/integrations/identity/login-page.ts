// The built-in provider's login page: our own, French first, DSFR-like and dependency free. Everything
// interpolated is escaped (usernames and error text come from users).
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const style = `body{font-family:Marianne,Arial,sans-serif;background:#f6f6f6;margin:0;color:#161616}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-top:4px solid #000091;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.5rem;margin-top:0}label{display:block;margin:1rem 0 .25rem;font-weight:bold}
input{width:100%;box-sizing:border-box;padding:.5rem;border:0;border-bottom:2px solid #3a3a3a;background:#eee;font-size:1rem}
button{margin-top:1.5rem;background:#000091;color:#fff;border:0;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
.error{color:#ce0500;border-left:4px solid #ce0500;padding-left:.75rem}.hint{color:#666;font-size:.875rem}`;

export function loginPage(options: { action: string; username?: string; error?: string }): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Connexion — DSO π</title><style>${style}</style></head>
<body><main>
<h1>Connexion à DSO π</h1>
<p class="hint">Fournisseur d’identité intégré (mode démonstration). <span lang="en">Built-in identity provider (demo mode).</span></p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="on">
<label for="username">Identifiant</label>
<input id="username" name="username" required maxlength="100" autocomplete="username" value="${escapeHtml(options.username ?? '')}" autofocus>
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" required maxlength="256" autocomplete="current-password">
<button type="submit">Se connecter</button>
</form>
<p class="hint">Comptes de démonstration&nbsp;: admin, rssi, owner, dev (mots de passe affichés au premier démarrage).</p>
</main></body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)} — DSO π</title><style>${style}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(detail)}</p><p><a href="/">Retour à l’accueil / back to home</a></p></main></body></html>`;
}
