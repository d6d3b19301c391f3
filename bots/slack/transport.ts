// Slack over HTTP, inside Quorum's one server: a Bolt receiver mounted at POST /slack/events.
//
// Every request is checked before anything reads it: the v0 signature over the raw bytes and
// its 5-minute window (core/webhooks), then the delivery ledger in the database (the same
// signed request twice is refused with 401). A Slack retry is a new signed request for a
// delivery already handled: it is answered 200 and nothing runs twice. Listeners acknowledge first; a
// listener that has not after ACK_DEADLINE_MS is acknowledged for it, so Slack always gets its
// answer within 3 seconds.
import express, { Router, type Request, type Response } from 'express';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { MAX_WEBHOOK_BYTES } from '../../core/webhooks/signatures.ts';
import { verifySlackSignature } from './signature.ts';
import type { DeliveryLedger } from './delivery-ledger.ts';
import { deliveryIdentity, parseSlackBody } from './delivery.ts';

export const EVENTS_PATH = '/slack/events';
const ACK_DEADLINE_MS = 2500;

export interface ReceiverDeps {
  signingSecret: string;
  ledger: DeliveryLedger;
  logger: Logger;
}

function refuse(res: Response, reason: string): void {
  res.status(401).json({ error: 'invalid_request', message: `Slack request refused: ${reason}.` });
}

export class QuorumSlackReceiver implements Receiver {
  readonly router: Router;
  /** Requests received and not yet answered: slow work waits while there are any. */
  waiting = 0;
  #app: App | undefined;
  #deps: ReceiverDeps;

  constructor(deps: ReceiverDeps) {
    this.#deps = deps;
    this.router = Router();
    this.router.post(
      EVENTS_PATH,
      express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
      (req, res, next) => {
        this.waiting += 1;
        res.once('close', () => {
          this.waiting -= 1;
        });
        this.#handle(req, res).catch(next);
      },
    );
  }

  init(app: App): void {
    this.#app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async #handle(req: Request, res: Response): Promise<void> {
    const { logger, ledger, signingSecret } = this.#deps;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifySlackSignature({
      signingSecret,
      rawBody: raw,
      timestamp: req.get('x-slack-request-timestamp'),
      signature: req.get('x-slack-signature'),
    });
    if (!verdict.ok) {
      logger.warn({ reason: verdict.reason }, 'Slack request refused');
      refuse(res, verdict.reason);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, req.get('content-type'));
    } catch {
      res
        .status(400)
        .json({ error: 'bad_request', message: 'The Slack request body is unreadable.' });
      return;
    }
    const sighting = await ledger.record(verdict.deliveryId, deliveryIdentity(body, raw));
    if (sighting === 'replay') {
      logger.warn('Slack request refused: replayed');
      refuse(res, 'this exact request was already received');
      return;
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') {
      res.json({ challenge: body.challenge });
      return;
    }
    if (body.ssl_check === '1') {
      res.status(200).end();
      return;
    }
    if (sighting === 'retry') {
      logger.info(
        { retry: req.get('x-slack-retry-num') ?? null },
        'Slack delivery already handled; not run again',
      );
      res.status(200).end();
      return;
    }
    await this.#dispatch(req, res, body);
  }

  async #dispatch(req: Request, res: Response, body: Record<string, unknown>): Promise<void> {
    const app = this.#app;
    if (!app) throw new Error('the Slack receiver was not initialised by its App');
    let acked = false;
    const answer = (response?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (response === undefined || response === '') res.status(200).end();
      else if (typeof response === 'string') res.status(200).type('text/plain').send(response);
      else res.status(200).json(response);
    };
    const deadline = setTimeout(() => {
      if (acked) return;
      this.#deps.logger.warn('Slack listener did not acknowledge in time; acknowledged for it');
      answer();
    }, ACK_DEADLINE_MS);
    const retry = req.get('x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => answer(response),
      ...(retry !== undefined && { retryNum: Number(retry) }),
      ...(req.get('x-slack-retry-reason') !== undefined && {
        retryReason: req.get('x-slack-retry-reason'),
      }),
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'Slack event failed');
      if (!acked) {
        acked = true;
        clearTimeout(deadline);
        res.status(500).end();
      }
    } finally {
      // Nothing acknowledged and nothing pending (no listener matched): answer now.
      answer();
    }
  }
}
