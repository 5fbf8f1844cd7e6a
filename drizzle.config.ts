// drizzle-kit: generates SQL migrations from src/db/schema.ts into src/db/migrations (committed, applied at start).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
