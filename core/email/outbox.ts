// The durable email outbox: every flow queues its messages here, and the sender (a job on worker
// nodes, see jobs.ts) hands them to the SMTP transport.
//
// - One message per key: the message's `_id` is its tenant and the flow's key, claimed with a
//   unique insert, so a flow that runs again (a retried request, a job run twice) queues nothing
//   new.
// - Nothing lost across a restart: the queue pointer is written before the message and removed
//   only after the relay accepted it; the sweep (every few seconds, and at start) finds whatever
//   a stopped process left.
// - Nothing doubled: one lease per message (core/store/lease.ts) lets one sender at a time send
//   it, and a message recorded as sent is never sent again. The one window no SMTP client can
//   close (the relay accepted the message and the process died before recording it, RFC 1047)
//   repeats the message with the same Message-ID, which mail systems recognise as the same.
// - Retries with backoff (30 s doubling to an hour, 12 attempts, about half a day), and a limit
//   per tenant and minute on each sending node.
import { createHash } from 'node:crypto';
import { backoffMs } from '../delivery/consumer.ts';
import type { Logger } from '../logger.ts';
import type { Envelope } from '../privacy/envelope.ts';
import { TITLES_SCOPE } from '../privacy/sealed-titles.ts';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { deleteByIds, findByIds } from '../store/by-id.ts';
import { Leases } from '../store/lease.ts';
import { serialized } from '../store/serial.ts';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';
import type { MailTransport, RenderedEmail } from './message.ts';
import { EmailMessage, EmailQueue, EmailRefs, type EmailMessageDoc } from './models.ts';
import { recipientRef, recipientRefs } from './recipient-refs.ts';

const MAX_ATTEMPTS = 12;
const KEEP_MS = 60 * 86_400_000;
/** A queue pointer with no message yet is a flow half-way; only an old one is an orphan. */
const ORPHAN_AFTER_MS = 60_000;
const KEY = /^[\w.:@+-]{1,300}$/;

export interface QueuedEmail {
  /** The flow's key: one message per key and tenant, however often the flow runs. */
  key: string;
  ref: string;
  kind: string;
  email: RenderedEmail;
}

export interface SentEmail {
  to: string;
  kind: string;
  state: EmailMessageDoc['state'];
  at: Date;
}

export interface EmailOutboxOptions {
  store: Store;
  envelope: Envelope;
  logger: Logger;
  /** Absent: email is off, and nothing is queued. */
  transport: MailTransport | undefined;
  /** The domain of the Message-IDs (the sender address's). */
  messageDomain: string;
  /** Messages per tenant and minute, on each sending node. */
  perMinute?: number;
  /** Asks a sender to send this message now (the job runner); the sweep is the fallback. */
  kick?: (tenantId: string, key: string) => Promise<void>;
  now?: () => Date;
  /** How long a sender's lease holds without renewal (default 20 s, renewed every 5 s). */
  leaseMs?: number;
}

export type SendOutcome =
  'sent' | 'already' | 'gone' | 'busy' | 'waiting' | 'limited' | 'retry' | 'failed';

export class EmailOutbox {
  readonly #o: EmailOutboxOptions;
  readonly #leases: Leases;
  readonly #rate = new Map<string, { minute: number; count: number }>();

  constructor(options: EmailOutboxOptions) {
    this.#o = options;
    this.#leases = new Leases(
      options.store.control.collection('email_leases') as never,
      options.leaseMs ?? 20_000,
    );
  }

  /** Whether email is on (SMTP_URL set). When off, surfaces say which link to share by hand. */
  get enabled(): boolean {
    return this.#o.transport !== undefined;
  }

  #now() {
    return this.#o.now?.() ?? new Date();
  }

  #models() {
    const { store } = this.#o;
    return {
      Messages: store.controlModel(EmailMessage),
      Queue: store.controlModel(EmailQueue),
      Refs: store.controlModel(EmailRefs),
    };
  }

  /** Queues a message once per key; 'off' when email is off. */
  async enqueue(ctx: TenantContext, item: QueuedEmail): Promise<'queued' | 'already' | 'off'> {
    if (!this.enabled) return 'off';
    if (!KEY.test(item.key)) throw new Error(`email key "${item.key.slice(0, 40)}" is not valid`);
    const { Messages } = this.#models();
    const _id = `${ctx.tenantId}|${item.key}`;
    const at = this.#now();
    const pointer = { tenantId: ctx.tenantId, key: item.key, dueAt: at, createdAt: at };
    const existing = await Messages.findById(_id, { state: 1 }).lean();
    if (existing) {
      // A flow that stopped between its two writes left the message without its pointer.
      if (existing.state === 'queued') await this.#point(_id, pointer);
      return 'already';
    }
    // The pointer first: a message is never stored without a way to be found.
    await this.#point(_id, pointer);
    const content = await this.#o.envelope.encrypt(ctx, TITLES_SCOPE, target(_id), item.email);
    try {
      await Messages.create({
        _id,
        tenantId: ctx.tenantId,
        key: item.key,
        ref: item.ref,
        kind: item.kind,
        to: item.email.to.email,
        content,
        state: 'queued',
        attempts: 0,
        createdAt: at,
        expiresAt: new Date(at.getTime() + KEEP_MS),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return 'already';
    }
    await this.#listUnder(ctx, item.ref, item.key, at);
    // And under its recipient, so their data export and erasure find it by exact `_id`.
    await this.#listUnder(ctx, recipientRef(item.email.to.email, at), item.key, at);
    await this.#o.kick?.(ctx.tenantId, item.key).catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'email queued; the sweep sends it');
    });
    return 'queued';
  }

  async #point(_id: string, pointer: Record<string, unknown>) {
    const { Queue } = this.#models();
    await Queue.updateOne({ _id }, { $setOnInsert: pointer }, { upsert: true });
  }

  async #listUnder(ctx: TenantContext, ref: string, key: string, at: Date) {
    const { Refs } = this.#models();
    const _id = `${ctx.tenantId}|${ref}`;
    await serialized(`control/email_refs/${_id}`, () =>
      Refs.updateOne(
        { _id },
        { $addToSet: { keys: key }, $set: { expiresAt: new Date(at.getTime() + KEEP_MS) } },
        { upsert: true },
      ),
    );
  }

  /** What was sent (or is on its way) for a booking or poll, in the order it was queued. */
  async sentFor(ctx: TenantContext, ref: string): Promise<SentEmail[]> {
    const { Messages, Refs } = this.#models();
    const list = await Refs.findById(`${ctx.tenantId}|${ref}`).lean();
    if (!list) return [];
    const messages = await findByIds(
      Messages,
      list.keys.map((key) => `${ctx.tenantId}|${key}`),
      { to: 1, kind: 1, state: 1, createdAt: 1, sentAt: 1 },
    );
    return messages.map((m) => ({
      to: m.to,
      kind: m.kind,
      state: m.state,
      at: m.sentAt ?? m.createdAt,
    }));
  }

  /** What was sent (or is on its way) to one address, over the time messages are kept. */
  async sentTo(ctx: TenantContext, address: string): Promise<SentEmail[]> {
    const sent: SentEmail[] = [];
    for (const ref of recipientRefs(address, this.#now(), KEEP_MS)) {
      sent.push(...(await this.sentFor(ctx, ref)));
    }
    return sent;
  }

  /**
   * Forgets every message to one address (an erased account): the messages, their queue
   * pointers (one not yet sent never goes out) and the lists naming them. Returns how many.
   */
  async eraseTo(ctx: TenantContext, address: string): Promise<number> {
    const { Messages, Queue, Refs } = this.#models();
    let erased = 0;
    for (const ref of recipientRefs(address, this.#now(), KEEP_MS)) {
      const listId = `${ctx.tenantId}|${ref}`;
      const list = await Refs.findById(listId).lean();
      if (!list) continue;
      const ids = list.keys.map((key) => `${ctx.tenantId}|${key}`);
      await deleteByIds(Queue, ids);
      erased += await deleteByIds(Messages, ids);
      await Refs.deleteOne({ _id: listId });
    }
    return erased;
  }

  /** Sends the due messages the queue holds (the sweep); returns how many went out. */
  async sendDue(limit = 50): Promise<number> {
    const { Queue } = this.#models();
    // email_queue is bounded by design (messages not yet sent), so it may be read by time.
    const due = await Queue.find({ dueAt: { $lte: this.#now() } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .lean();
    let sent = 0;
    for (const pointer of due) {
      if ((await this.sendOne(pointer.tenantId, pointer.key)) === 'sent') sent += 1;
    }
    return sent;
  }

  /** Sends one message unless it was sent, is being sent, or is not due yet. */
  async sendOne(tenantId: string, key: string): Promise<SendOutcome> {
    const _id = `${tenantId}|${key}`;
    const outcome = await this.#leases.with(`email:${_id}`, () => this.#sendHeld(tenantId, _id));
    return outcome ?? 'busy';
  }

  async #sendHeld(tenantId: string, _id: string): Promise<SendOutcome> {
    const { Messages, Queue } = this.#models();
    const at = this.#now();
    const pointer = await Queue.findById(_id).lean();
    if (!pointer) return 'gone';
    const message = await Messages.findById(_id).lean();
    if (!message || message.state === 'sent' || message.state === 'failed' || !message.content) {
      if (message || at.getTime() - pointer.createdAt.getTime() > ORPHAN_AFTER_MS) {
        await Queue.deleteOne({ _id });
      }
      return message ? 'already' : 'gone';
    }
    if (pointer.dueAt > at) return 'waiting';
    if (!this.#takeRate(tenantId, at)) {
      const nextMinute = new Date((Math.floor(at.getTime() / 60_000) + 1) * 60_000);
      await Queue.updateOne({ _id }, { $set: { dueAt: nextMinute } });
      return 'limited';
    }
    const attempt = message.attempts + 1;
    await Messages.updateOne({ _id }, { $set: { state: 'sending', attempts: attempt } });
    const ctx = verifiedTenantContext(tenantId, 'system');
    const email = (await this.#o.envelope.decrypt(
      ctx,
      target(_id),
      message.content,
    )) as RenderedEmail;
    try {
      await this.#o.transport!.send({ ...email, messageId: this.#messageId(_id) });
    } catch (error) {
      return this.#failed(_id, attempt, error);
    }
    await Messages.updateOne(
      { _id },
      { $set: { state: 'sent', sentAt: this.#now(), content: null }, $unset: { error: 1 } },
    );
    await Queue.deleteOne({ _id });
    return 'sent';
  }

  async #failed(_id: string, attempt: number, error: unknown): Promise<SendOutcome> {
    const { Messages, Queue } = this.#models();
    // The relay's answer, never the message: it names no content, and no credentials.
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
    if (attempt >= MAX_ATTEMPTS) {
      await Messages.updateOne(
        { _id },
        { $set: { state: 'failed', error: reason, content: null } },
      );
      await Queue.deleteOne({ _id });
      this.#o.logger.error({ message: _id, attempt }, 'email given up after its last attempt');
      return 'failed';
    }
    const retryAt = new Date(this.#now().getTime() + backoffMs(attempt));
    await Messages.updateOne({ _id }, { $set: { state: 'queued', error: reason } });
    await Queue.updateOne({ _id }, { $set: { dueAt: retryAt } });
    this.#o.logger.warn(
      { message: _id, attempt, retryAt, reason },
      'email not sent yet; tried again later',
    );
    return 'retry';
  }

  #takeRate(tenantId: string, at: Date): boolean {
    const limit = this.#o.perMinute ?? 60;
    const minute = Math.floor(at.getTime() / 60_000);
    const used = this.#rate.get(tenantId);
    const count = used?.minute === minute ? used.count : 0;
    if (count >= limit) return false;
    this.#rate.set(tenantId, { minute, count: count + 1 });
    return true;
  }

  /** The same for every attempt of one message, so a repeat is recognisably the same message. */
  #messageId(_id: string): string {
    const digest = createHash('sha256').update(_id).digest('base64url').slice(0, 32);
    return `<${digest}@${this.#o.messageDomain}>`;
  }
}

const target = (id: string) => ({ collection: 'email_messages', id, field: 'content' });
