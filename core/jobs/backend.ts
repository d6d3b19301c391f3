// Agenda's MongoDB backend with job locking made exclusive on every Mongo-compatible database.
//
// Agenda locks a job with findOneAndUpdate, which MongoDB runs atomically but the embedded
// FerretDB does not (see core/store/lease.ts): two workers could both lock and run the
// same job. Each lock attempt is therefore taken under a per-job-name lease.
import type { AgendaBackend } from 'agenda';
import { MongoJobLogger, MongoJobRepository } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import { Leases } from '../store/lease.ts';

type LockJob = MongoJobRepository['lockJob'];
type GetNext = MongoJobRepository['getNextJobToRun'];

class ExclusiveLockRepository extends MongoJobRepository {
  readonly #mutex: Leases;

  constructor(db: Db, collection: string) {
    super({ mongo: db, db: { collection } });
    this.#mutex = new Leases(db.collection(`${collection}_locks`), 30_000);
  }

  override async lockJob(...args: Parameters<LockJob>): ReturnType<LockJob> {
    return this.#mutex.with(`lock:${args[0].name}`, () => super.lockJob(...args));
  }

  override async getNextJobToRun(...args: Parameters<GetNext>): ReturnType<GetNext> {
    return this.#mutex.with(`lock:${args[0]}`, () => super.getNextJobToRun(...args));
  }
}

export class QuorumJobBackend implements AgendaBackend {
  readonly name = 'MongoDB (exclusive locks)';
  readonly repository: ExclusiveLockRepository;
  readonly logger: MongoJobLogger;
  readonly ownsConnection = false;
  readonly #db: Db;

  constructor(db: Db, collection = 'jobs') {
    this.#db = db;
    this.repository = new ExclusiveLockRepository(db, collection);
    this.logger = new MongoJobLogger();
  }

  async connect(): Promise<void> {
    await this.repository.connect();
    await this.logger.setDb(this.#db);
  }

  async disconnect(): Promise<void> {
    await this.repository.disconnect();
  }
}
