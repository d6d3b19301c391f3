// The proposal store: save the times offered, get them back by id while they last. The title
// asked for is stored sealed (core/privacy/sealed-titles.ts) and opened when read.
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../privacy/envelope.ts';
import { sealedTitles } from '../../privacy/sealed-titles.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { PROPOSAL_TITLES, Proposal, type ProposalRecord } from './model.ts';

export const PROPOSAL_LIFETIME_MS = 7 * 86_400_000;

export type NewProposal = Omit<ProposalRecord, '_id' | 'createdAt' | 'expiresAt'>;

export class ProposalStore {
  readonly #store: Store;
  readonly #titles;

  constructor(store: Store, envelope: Envelope) {
    this.#store = store;
    this.#titles = sealedTitles(envelope, PROPOSAL_TITLES);
  }

  async save(ctx: TenantContext, input: NewProposal): Promise<ProposalRecord> {
    const now = new Date();
    const record: ProposalRecord = {
      ...input,
      _id: randomUUID(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + PROPOSAL_LIFETIME_MS),
    };
    await (
      await this.#store.tenantModel(ctx, Proposal)
    ).create(await this.#titles.seal(ctx, record));
    return record;
  }

  /** The proposal while it lasts; ids come from buttons, so anything odd is simply not found. */
  async get(ctx: TenantContext, id: unknown): Promise<ProposalRecord | undefined> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
    const record = await (await this.#store.tenantModel(ctx, Proposal)).findById(id).lean();
    return record && record.expiresAt > new Date() ? this.#titles.open(ctx, record) : undefined;
  }
}
