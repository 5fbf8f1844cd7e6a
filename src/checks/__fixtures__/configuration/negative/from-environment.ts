const db = process.env.DATABASE_URL ?? "postgres://localhost:5432/app";
const port = Number(process.env.PORT ?? 8080);
