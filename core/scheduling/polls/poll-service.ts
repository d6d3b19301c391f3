// Polls for people whose calendars Quorum cannot see (external guests): propose several slots,
// share a signed link per participant, collect votes, and book automatically once every
// required person has answered — then tell the organizer.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { Schema } from 'mongoose';
import type { LinkType } from '../../identity/user-settings.ts';
import { findByIds } from '../../store/by-id.ts';
import { documentKey } from '../../store/entry-maps.ts';
import { serialized } from '../../store/serial.ts';
import { defineModel, type Store } from '../../store/store.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import type { Envelope } from '../../privacy/envelope.ts';
import { sealedTitles } from '../../privacy/sealed-titles.ts';
import { verifiedTenantContext, type TenantContext } from '../../store/tenant-context.ts';
import type { BookingService } from '../booking/booking-service.ts';

export type PollStatus = 'open' | 'booked' | 'no-common-time' | 'closed';

export interface PollDoc {
  _id: string;
  organizerId: string;
  organizerEmail: string;
  /** Stored sealed (POLL_TITLES); the poll service opens it for its callers. */
  title: string;
  linkType: LinkType;
  options: Array<{ start: Date; end: Date }>;
  participants: Array<{ email: string; name?: string; required: boolean }>;
  status: PollStatus;
  bookingId: string | null;
  createdAt: Date;
}
/** How a poll's title is sealed (core/privacy/sealed-titles.ts). */
export const POLL_TITLES = { collection: 'polls', what: 'poll' } as const;

export const Poll = defineModel<PollDoc>(
  'Poll',
  new Schema<PollDoc>(
    {
      _id: { type: String, required: true },
      organizerId: { type: String, required: true, index: true },
      organizerEmail: { type: String, required: true },
      title: { type: String, required: true },
      linkType: { type: String, required: true },
      options: [{ _id: false, start: Date, end: Date }],
      participants: [{ _id: false, email: String, name: String, required: Boolean }],
      status: { type: String, required: true },
      bookingId: { type: String, default: null },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'polls', versionKey: false },
  ),
);

export interface VoteDoc {
  /**
   * `${pollId}:${email}`: one vote per participant; voting again replaces it. A poll's votes are
   * read by these ids, from its participant list.
   */
  _id: string;
  pollId: string;
  email: string;
  /** Indexes into the poll's options that work for the voter. */
  yes: number[];
  at: Date;
}
export const PollVote = defineModel<VoteDoc>(
  'PollVote',
  new Schema<VoteDoc>(
    {
      _id: { type: String, required: true },
      pollId: { type: String, required: true },
      email: { type: String, required: true },
      yes: [Number],
      at: { type: Date, required: true },
    },
    { collection: 'poll_votes', versionKey: false },
  ),
);

/**
 * How a poll ended, claimed once with a unique insert (`_id` is the poll's id): of two final
 * votes racing, only the one that claims it ends the poll and tells everyone.
 */
interface PollOutcomeDoc {
  _id: string;
  outcome: 'booked' | 'no-common-time';
  at: Date;
}
const PollOutcome = defineModel<PollOutcomeDoc>(
  'PollOutcome',
  new Schema<PollOutcomeDoc>(
    {
      _id: { type: String, required: true },
      outcome: { type: String, required: true },
      at: { type: Date, required: true },
    },
    { collection: 'poll_outcomes', versionKey: false },
  ),
);

/** A poll's vote ids: one per participant. */
export function voteIdsOf(poll: Pick<PollDoc, '_id' | 'participants'>): string[] {
  return poll.participants.map((p) => `${poll._id}:${p.email}`);
}

export interface PollNotice {
  poll: PollDoc;
  outcome: 'booked' | 'no-common-time';
  bookingId?: string;
  /** Where the deciding vote came from: `link` (a participant's signed link) or an adapter. */
  via: string;
}

/** A vote was counted; `poll` is its state after the vote. */
export interface PollChange {
  poll: PollDoc;
  via: string;
}

/**
 * An answer says something: times that work, or that none does. Doodle and Calendly's polls
 * likewise take "no time works" only as its own choice; an empty form sent by a slip of the
 * finger used to count as "none works" (and could end the poll with no common time) while the
 * page said "Thanks!".
 */
export function checkAnswer(yes: readonly number[], noneWork: boolean): void {
  if (yes.length === 0 && !noneWork) {
    throw new PollError(
      'bad-vote',
      'yes: No time is ticked. Tick the times that work for you, or choose ' +
        '"None of these times work for me" (noneWork).',
    );
  }
  if (yes.length > 0 && noneWork) {
    throw new PollError(
      'bad-vote',
      'noneWork: You ticked times and also "None of these times work for me". Choose one or ' +
        'the other.',
    );
  }
}

export class PollError extends Error {
  override name = 'PollError';
  readonly code: 'invalid-link' | 'not-found' | 'closed' | 'bad-vote';
  constructor(code: PollError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface PollDeps {
  store: Store;
  /** Seals polls' titles (core/privacy/sealed-titles.ts). */
  envelope: Envelope;
  bookings: BookingService;
  /** Signs participants' links. */
  linkSecret: Uint8Array;
  baseUrl: string;
  /** Tells the organizer how the poll ended (Slack, Teams, email…). */
  notify?: (ctx: TenantContext, notice: PollNotice) => Promise<void>;
  /** Told after every counted vote, so a poll shown elsewhere (a Slack message) stays current. */
  changed?: (ctx: TenantContext, change: PollChange) => Promise<void>;
}

export function createPollService(deps: PollDeps): PollService {
  return new PollService(deps);
}

export class PollService {
  readonly #deps: PollDeps;
  readonly #titles;

  constructor(deps: PollDeps) {
    this.#deps = deps;
    this.#titles = sealedTitles(deps.envelope, POLL_TITLES);
  }

  #polls(ctx: TenantContext) {
    return this.#deps.store.tenantModel(ctx, Poll);
  }

  /** The poll, its title opened. */
  async #read(ctx: TenantContext, id: string): Promise<PollDoc | null> {
    const stored = await (await this.#polls(ctx)).findById(id).lean();
    return stored && this.#titles.open(ctx, stored);
  }

  #votes(ctx: TenantContext) {
    return this.#deps.store.tenantModel(ctx, PollVote);
  }

  async create(
    ctx: TenantContext,
    input: Omit<PollDoc, '_id' | 'status' | 'bookingId' | 'createdAt'>,
  ): Promise<{ poll: PollDoc; links: Array<{ email: string; url: string }> }> {
    const poll: PollDoc = {
      ...input,
      _id: randomUUID(),
      status: 'open',
      bookingId: null,
      createdAt: new Date(),
    };
    await (await this.#polls(ctx)).create(await this.#titles.seal(ctx, poll));
    const links = await Promise.all(
      poll.participants.map(async (p) => ({
        email: p.email,
        url: await this.linkFor(ctx, poll._id, p.email),
      })),
    );
    return { poll, links };
  }

  async get(ctx: TenantContext, id: string) {
    const poll = await this.#read(ctx, id);
    if (!poll) return undefined;
    return { poll, ...(await this.#tally(ctx, poll)) };
  }

  /** What a participant sees through their link. */
  async view(pollId: string, token: string) {
    const { ctx, email } = await this.#openLink(pollId, token);
    const poll = await this.#read(ctx, pollId);
    if (!poll) throw new PollError('not-found', 'This poll no longer exists.');
    const mine = await (await this.#votes(ctx)).findById(`${pollId}:${email}`).lean();
    return { poll, email, yes: mine?.yes ?? [] };
  }

  /**
   * Counts a vote; `via` says where it came from (`link` for the web page). No time ticked
   * counts only with `noneWork`: see `checkAnswer`.
   */
  async vote(
    pollId: string,
    token: string,
    yes: number[],
    via = 'link',
    options: { noneWork?: boolean } = {},
  ) {
    checkAnswer(yes, options.noneWork ?? false);
    const { ctx, email } = await this.#openLink(pollId, token);
    const poll = await this.#read(ctx, pollId);
    if (!poll) throw new PollError('not-found', 'This poll no longer exists.');
    if (poll.status !== 'open')
      throw new PollError('closed', 'This poll is closed; the organizer has the result.');
    if (!poll.participants.some((p) => p.email === email))
      throw new PollError('invalid-link', 'This link is not for this poll.');
    if (yes.some((i) => !Number.isInteger(i) || i < 0 || i >= poll.options.length)) {
      throw new PollError('bad-vote', `Choose among options 0 to ${poll.options.length - 1}.`);
    }
    const Votes = await this.#votes(ctx);
    // One document per participant; only that participant's link writes it.
    await Votes.replaceOne(
      { _id: `${pollId}:${email}` },
      { pollId, email, yes: [...new Set(yes)].sort(), at: new Date() },
      { upsert: true },
    );

    const result = await this.#tally(ctx, poll);
    if (!result.complete) {
      await this.#deps.changed?.(ctx, { poll, via });
      return { poll, ...result };
    }
    if (result.workable.length === 0) return this.#endWithoutTime(ctx, poll, result, via);
    return this.#bookBest(ctx, poll, result, via);
  }

  async linkFor(ctx: TenantContext, pollId: string, email: string): Promise<string> {
    const token = await new SignJWT({ tid: ctx.tenantId, pid: pollId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(email)
      .setAudience('quorum-poll')
      .setExpirationTime('30d')
      .sign(this.#deps.linkSecret);
    return `${this.#deps.baseUrl}/polls/${pollId}?t=${token}`;
  }

  /** Every required person answered and some options work for all: books the best one. */
  async #bookBest(ctx: TenantContext, poll: PollDoc, result: Tally, via: string) {
    const pollId = poll._id;
    // Most votes among the times every required person can make; the earliest on a tie.
    const best = [...result.workable].sort(
      (a, b) =>
        result.counts[b]! - result.counts[a]! ||
        poll.options[a]!.start.getTime() - poll.options[b]!.start.getTime(),
    )[0]!;
    const option = poll.options[best]!;
    // The poll's id is the idempotency key: racing final votes book once.
    const booked = await this.#deps.bookings.book(ctx, {
      organizerEmail: poll.organizerEmail,
      title: poll.title,
      start: option.start,
      end: option.end,
      attendees: poll.participants.map((p) => ({
        email: p.email,
        ...(p.name ? { name: p.name } : {}),
        optional: !p.required,
      })),
      linkType: poll.linkType,
      idempotencyKey: `poll:${pollId}`,
      origin: { platform: 'poll', conversationId: pollId },
    });
    // A racing final vote holds the poll's booking key and is booking it right now: that vote
    // ends the poll and tells everyone, so this one must not call the poll unbookable.
    if (!booked.ok && booked.reason === 'in-progress') return { poll, ...result };
    if (!booked.ok) return this.#endWithoutTime(ctx, poll, result, via);
    const done: PollDoc = { ...poll, status: 'booked', bookingId: booked.booking._id };
    // Booked has the last word, as the booking itself happened once (its key is the poll's).
    await this.#claimOutcome(ctx, pollId, 'booked');
    await this.#savePoll(ctx, done, false);
    await this.#deps.changed?.(ctx, { poll: done, via });
    if (!booked.alreadyBooked)
      await this.#deps.notify?.(ctx, {
        poll: done,
        outcome: 'booked',
        bookingId: booked.booking._id,
        via,
      });
    return { poll: done, ...result };
  }

  /** Claims the poll's outcome; false when another vote claimed it first. */
  async #claimOutcome(
    ctx: TenantContext,
    pollId: string,
    outcome: PollOutcomeDoc['outcome'],
  ): Promise<boolean> {
    try {
      await (
        await this.#deps.store.tenantModel(ctx, PollOutcome)
      ).create({ _id: pollId, outcome, at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Writes the poll's new state unless it has ended meanwhile (`onlyIfOpen`). */
  async #savePoll(ctx: TenantContext, poll: PollDoc, onlyIfOpen: boolean) {
    const Polls = await this.#polls(ctx);
    return serialized(documentKey(Polls, poll._id), async () => {
      const current = await this.#read(ctx, poll._id);
      if (onlyIfOpen && current?.status !== 'open') return { saved: false, current };
      await Polls.replaceOne({ _id: poll._id }, await this.#titles.seal(ctx, poll));
      return { saved: true, current: poll };
    });
  }

  /** Reads a participant's link: the tenant, poll and person all come from the signature. */
  async #openLink(pollId: string, token: string) {
    try {
      const { payload } = await jwtVerify(token, this.#deps.linkSecret, {
        audience: 'quorum-poll',
        algorithms: ['HS256'],
      });
      if (payload.pid !== pollId || typeof payload.tid !== 'string' || !payload.sub)
        throw new Error('mismatch');
      return { ctx: verifiedTenantContext(payload.tid, 'system'), email: payload.sub };
    } catch {
      throw new PollError(
        'invalid-link',
        'This poll link is not valid or has expired. Ask the organizer for a new one.',
      );
    }
  }

  async #tally(ctx: TenantContext, poll: PollDoc): Promise<Tally> {
    const cast = await findByIds(await this.#votes(ctx), voteIdsOf(poll));
    const byEmail = new Map(cast.map((v) => [v.email, v]));
    const required = poll.participants.filter((p) => p.required);
    const complete = required.every((p) => byEmail.has(p.email));
    const counts = poll.options.map((_, i) => cast.filter((v) => v.yes.includes(i)).length);
    const workable = poll.options
      .map((_, i) => i)
      .filter((i) => required.every((p) => byEmail.get(p.email)?.yes.includes(i)));
    return { cast, complete, counts, workable };
  }

  /**
   * Ends an open poll as having no time that works — only while it is still open: a racing
   * final vote that booked it first has the last word.
   */
  async #endWithoutTime<T extends object>(
    ctx: TenantContext,
    poll: PollDoc,
    result: T,
    via: string,
  ) {
    const ended: PollDoc = { ...poll, status: 'no-common-time' };
    const claimed = await this.#claimOutcome(ctx, poll._id, 'no-common-time');
    const { saved, current } = claimed
      ? await this.#savePoll(ctx, ended, true)
      : { saved: false, current: await this.#read(ctx, poll._id) };
    if (!saved) return { poll: current ?? poll, ...result };
    await this.#deps.changed?.(ctx, { poll: ended, via });
    await this.#deps.notify?.(ctx, { poll: ended, outcome: 'no-common-time', via });
    return { poll: ended, ...result };
  }
}

/** The votes cast on a poll and what they add up to. */
interface Tally {
  cast: VoteDoc[];
  /** Every required participant has voted. */
  complete: boolean;
  /** Yes votes per option. */
  counts: number[];
  /** Options every required participant said yes to. */
  workable: number[];
}
