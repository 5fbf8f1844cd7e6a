const db = process.env.DATABASE_URL ?? "postgres://localhost:5432/app";
const port = Number(process.env.PORT ?? 8080);
function urlOf(env: NodeJS.ProcessEnv) {
  return env.DSO_URL ?? 'http://localhost:8080';
}
