/* global db, rs, print, sleep, Mongo -- mongosh shell globals */
// Run by the compose file's mongo-init job with mongosh against mongo1. Idempotent: initiates
// the replica set only when it has no configuration, then makes sure Quorum's database user
// exists, on the primary, with the password from MONGO_APP_PASSWORD.
db.getSiblingDB('admin').auth('root', process.env.MONGO_ROOT_PASSWORD);

function initiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.codeName === 'NotYetInitialized') return false;
    throw error;
  }
}

if (!initiated()) {
  rs.initiate({
    _id: 'rs0',
    members: [
      { _id: 0, host: 'mongo1:27017', priority: 2 },
      { _id: 1, host: 'mongo2:27017', priority: 1 },
      { _id: 2, host: 'mongo3:27017', priority: 1 },
    ],
  });
  print('replica set rs0 initiated');
}

// Users are written on the primary, wherever it is now: wait for one (up to two minutes).
let primary = db.hello().primary;
for (let i = 0; !primary; i += 1) {
  if (i >= 120) throw new Error('no primary after 120 s; check the mongo1, mongo2, mongo3 logs');
  sleep(1000);
  primary = db.hello().primary;
}
const admin = new Mongo(`mongodb://${primary}/admin?directConnection=true`).getDB('admin');
admin.auth('root', process.env.MONGO_ROOT_PASSWORD);

// Quorum makes a database per tenant, so it needs readWrite on any database (with the
// listDatabases that role brings), and nothing administrative.
const roles = [{ role: 'readWriteAnyDatabase', db: 'admin' }];
if (admin.getUser('quorum')) {
  admin.updateUser('quorum', { pwd: process.env.MONGO_APP_PASSWORD, roles });
  print('user quorum updated');
} else {
  admin.createUser({ user: 'quorum', pwd: process.env.MONGO_APP_PASSWORD, roles });
  print('user quorum created');
}
