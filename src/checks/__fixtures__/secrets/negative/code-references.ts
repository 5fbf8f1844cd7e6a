const password = process.env.DB_PASSWORD;
const token = await getToken();
const field = { type: "password", label: "Mot de passe" };
if (!secretName) throw new Error("missing secret");
const tokenUrl = "https://auth.example.org/token";
