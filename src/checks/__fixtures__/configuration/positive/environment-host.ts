const backend = "https://api.prod.mon-projet.fr/v1";
const sso = "https://sso.projet.interieur.gouv.fr/auth";
