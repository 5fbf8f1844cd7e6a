// Storage of the built-in provider's short-lived state (sessions, codes, interactions, grants) in process
// memory: the built-in provider is for one embedded process by design; a restart only ends provider sessions.
// (oidc-provider's own memory adapter does the same but warns at every start.)
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

const maxEntriesPerModel = 50_000;

export function createProviderStore(now: () => number = Date.now) {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>();
  const key = (model: string, id: string) => `${model}:${id}`;
  const live = (k: string) => {
    const entry = entries.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(k);
      return undefined;
    }
    return entry.payload;
  };
  const sweep = () => {
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
  };

  return class ProviderStore {
    constructor(private readonly model: string) {}
    async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
      if (entries.size > maxEntriesPerModel * 8) sweep();
      entries.set(key(this.model, id), { payload, expiresAt: now() + (expiresIn ?? 3600) * 1000 });
    }
    async find(id: string): Promise<Payload | undefined> {
      return live(key(this.model, id));
    }
    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      for (const [k] of entries) if (k.startsWith(`${this.model}:`) && live(k)?.userCode === userCode) return live(k);
      return undefined;
    }
    async findByUid(uid: string): Promise<Payload | undefined> {
      for (const [k] of entries) if (k.startsWith(`${this.model}:`) && live(k)?.uid === uid) return live(k);
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = live(key(this.model, id));
      if (payload) payload.consumed = Math.floor(now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      entries.delete(key(this.model, id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [k, e] of entries) if (e.payload.grantId === grantId) entries.delete(k);
    }
  };
}
