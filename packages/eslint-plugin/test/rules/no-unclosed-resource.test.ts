import { noUnclosedResource } from '../../src/rules/no-unclosed-resource.js';
import { commonJsTester, javaScriptTester, typedTester, typeScriptTester } from '../rule-testers.js';

const importLine = "import { onShutdown } from '@quiesce/runtime-shim';\n";
const requireLine = "const { onShutdown } = require('@quiesce/runtime-shim');\n";
const closeWith = (close: string, output: string) => [{ messageId: 'closeOnShutdown' as const, data: { close }, output }];
const unclosed = (what: string, module: string, method: string, holder: string) => ({
  messageId: 'unclosedResource' as const,
  data: { what, module, method, holder, close: `${holder}.${method}()` },
});

typeScriptTester.run('no-unclosed-resource (TypeScript, no types)', noUnclosedResource, {
  valid: [
    // Closed in an onShutdown hook, in a SIGTERM handler (also by reference), or by a stop-path function.
    "import Redis from 'ioredis';\nimport { onShutdown } from '@quiesce/runtime-shim';\nconst redis = new Redis();\nonShutdown(() => redis.quit());",
    "import { Pool } from 'pg';\nconst pool = new Pool();\nprocess.on('SIGTERM', async () => { await pool.end(); process.exitCode = 0; });",
    "import { Pool } from 'pg';\nconst pool = new Pool();\nasync function gracefulShutdown() { await pool.end(); }\nexport { gracefulShutdown };",
    "import { MongoClient } from 'mongodb';\nconst client = new MongoClient('mongodb://db');\nconst stop = async () => { await client.close(); };\nfor (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stop);",
    // Closed by a callback given to a shutdown library.
    "import http from 'node:http';\nimport { createTerminus } from '@godaddy/terminus';\nimport { createClient } from 'redis';\nconst cache = createClient();\ncreateTerminus(http.createServer(), { onSignal: () => cache.quit() });",
    "import closeWithGrace from 'close-with-grace';\nimport { Kafka } from 'kafkajs';\nconst kafka = new Kafka({ brokers: [] });\nconst consumer = kafka.consumer({ groupId: 'g' });\ncloseWithGrace(async () => { await consumer.disconnect(); });",
    // Kept on the instance and closed by the class's stop path.
    "import { Worker } from 'bullmq';\nclass Jobs {\n  worker = new Worker('mail', async () => {});\n  async close() { await this.worker.close(); }\n}\nexport const jobs = new Jobs();",
    // Returned to the caller, who owns it.
    "import { Pool } from 'pg';\nexport function makePool() { return new Pool(); }",
    // A shared instance required from another module is not created here.
    "const knex = require('./knex');\nexport const users = () => knex('users');",
    // Created per call (a request handler), not when the module loads.
    "import { Client } from 'pg';\nexport async function handler() {\n  const client = new Client();\n  await client.connect();\n  try { return await client.query('select 1'); } finally { await client.end(); }\n}",
    "import express from 'express';\nimport { Client } from 'pg';\nconst app = express();\napp.get('/', async () => { const client = new Client(); await client.end(); });",
    // A ws server given a port is no-untracked-server's; the Kafka object itself holds nothing open.
    "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });",
    "import { Kafka } from 'kafkajs';\nconst kafka = new Kafka({ brokers: [] });",
    // Not a package we know, and no types to tell.
    "import { Pool } from './my-pool';\nconst pool = new Pool();",
  ],
  invalid: [
    {
      // Exported and closed by no shutdown path of the service's files (closing it in another file is not seen here).
      code: "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();",
      errors: [{ ...unclosed('Prisma client', '@prisma/client', '$disconnect', 'prisma'), suggestions: closeWith('prisma.$disconnect()', `import { PrismaClient } from '@prisma/client';\n${importLine}export const prisma = new PrismaClient();\nonShutdown(() => prisma.$disconnect());`) }],
    },
    {
      // Mongoose's default connection, opened in a named function the entry calls: closed through the module.
      code: "import mongoose from 'mongoose';\nexport async function connectDB(uri: string) {\n  await mongoose.connect(uri);\n}",
      errors: [{ ...unclosed('Mongoose connection', 'mongoose', 'disconnect', 'mongoose'), line: 3, suggestions: closeWith('mongoose.disconnect()', `import mongoose from 'mongoose';\n${importLine}export async function connectDB(uri: string) {\n  await mongoose.connect(uri);\n  onShutdown(() => mongoose.disconnect());\n}`) }],
    },
    {
      code: "import Queue from 'bull';\nimport knex from 'knex';\nimport { CronJob } from 'cron';\nexport const visits = new Queue('visit', 'redis://r');\nexport const db = knex({ client: 'pg' });\nconst job = new CronJob('* * * * *', () => {});\njob.start();",
      errors: [
        { ...unclosed('Bull queue', 'bull', 'close', 'visits'), line: 4, suggestions: closeWith('visits.close()', `import Queue from 'bull';\nimport knex from 'knex';\nimport { CronJob } from 'cron';\n${importLine}export const visits = new Queue('visit', 'redis://r');\nonShutdown(() => visits.close());\nexport const db = knex({ client: 'pg' });\nconst job = new CronJob('* * * * *', () => {});\njob.start();`) },
        { ...unclosed('Knex pool', 'knex', 'destroy', 'db'), line: 5, suggestions: closeWith('db.destroy()', `import Queue from 'bull';\nimport knex from 'knex';\nimport { CronJob } from 'cron';\n${importLine}export const visits = new Queue('visit', 'redis://r');\nexport const db = knex({ client: 'pg' });\nonShutdown(() => db.destroy());\nconst job = new CronJob('* * * * *', () => {});\njob.start();`) },
        { ...unclosed('cron job', 'cron', 'stop', 'job'), line: 6, suggestions: closeWith('job.stop()', `import Queue from 'bull';\nimport knex from 'knex';\nimport { CronJob } from 'cron';\n${importLine}export const visits = new Queue('visit', 'redis://r');\nexport const db = knex({ client: 'pg' });\nconst job = new CronJob('* * * * *', () => {});\nonShutdown(() => job.stop());\njob.start();`) },
      ],
    },
    {
      code: "import Redis from 'ioredis';\nconst redis = new Redis(process.env.REDIS_URL);\nexport async function get(key: string) { return redis.get(key); }",
      errors: [
        {
          ...unclosed('Redis client', 'ioredis', 'quit', 'redis'),
          line: 2,
          column: 15,
          endColumn: 47,
          suggestions: closeWith('redis.quit()', `import Redis from 'ioredis';\n${importLine}const redis = new Redis(process.env.REDIS_URL);\nonShutdown(() => redis.quit());\nexport async function get(key: string) { return redis.get(key); }`),
        },
      ],
    },
    {
      // A SIGINT-only handler does not run on SIGTERM.
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nprocess.on('SIGINT', () => pool.end());",
      errors: [{ ...unclosed('PostgreSQL pool', 'pg', 'end', 'pool'), suggestions: closeWith('pool.end()', `import { Pool } from 'pg';\n${importLine}const pool = new Pool();\nonShutdown(() => pool.end());\nprocess.on('SIGINT', () => pool.end());`) }],
    },
    {
      // Created in the entry's async main(), which the module runs when it loads.
      code: "import amqp from 'amqplib';\nasync function main() {\n  const connection = await amqp.connect('amqp://mq');\n  const channel = await connection.createChannel();\n  await channel.consume('jobs', () => {});\n}\nmain().catch(console.error);",
      errors: [{ ...unclosed('AMQP connection', 'amqplib', 'close', 'connection'), line: 3, suggestions: closeWith('connection.close()', `import amqp from 'amqplib';\n${importLine}async function main() {\n  const connection = await amqp.connect('amqp://mq');\n  onShutdown(() => connection.close());\n  const channel = await connection.createChannel();\n  await channel.consume('jobs', () => {});\n}\nmain().catch(console.error);`) }],
    },
    {
      code: "import { Kafka } from 'kafkajs';\nconst kafka = new Kafka({ brokers: ['k:9092'] });\nconst producer = kafka.producer();\nawait producer.connect();",
      errors: [{ ...unclosed('Kafka producer', 'kafkajs', 'disconnect', 'producer'), line: 3, suggestions: closeWith('producer.disconnect()', `import { Kafka } from 'kafkajs';\n${importLine}const kafka = new Kafka({ brokers: ['k:9092'] });\nconst producer = kafka.producer();\nonShutdown(() => producer.disconnect());\nawait producer.connect();`) }],
    },
    {
      // Not kept at all: nothing can close it.
      code: "import { Worker } from 'bullmq';\nnew Worker('mail', async () => {});",
      errors: [{ messageId: 'unkeptResource', data: { what: 'BullMQ worker', module: 'bullmq', method: 'close', holder: '', close: 'it.close()' }, suggestions: [] }],
    },
    {
      // Kept on an instance whose class has no stop path that closes it.
      code: "import { PrismaClient } from '@prisma/client';\nclass App {\n  db = new PrismaClient();\n  async run() { await this.db.user.findMany(); }\n}\nnew App().run();",
      errors: [{ ...unclosed('Prisma client', '@prisma/client', '$disconnect', 'this.db'), line: 3, suggestions: [] }],
    },
    {
      code: "import mqtt from 'mqtt';\nimport { Server } from '@grpc/grpc-js';\nconst client = mqtt.connect('mqtt://broker');\nconst grpcServer = new Server();",
      errors: [
        { ...unclosed('MQTT client', 'mqtt', 'end', 'client'), line: 3, suggestions: closeWith('client.end()', `import mqtt from 'mqtt';\nimport { Server } from '@grpc/grpc-js';\n${importLine}const client = mqtt.connect('mqtt://broker');\nonShutdown(() => client.end());\nconst grpcServer = new Server();`) },
        { ...unclosed('gRPC server', '@grpc/grpc-js', 'tryShutdown', 'grpcServer'), line: 4, suggestions: closeWith('grpcServer.tryShutdown()', `import mqtt from 'mqtt';\nimport { Server } from '@grpc/grpc-js';\n${importLine}const client = mqtt.connect('mqtt://broker');\nconst grpcServer = new Server();\nonShutdown(() => grpcServer.tryShutdown());`) },
      ],
    },
  ],
});

javaScriptTester.run('no-unclosed-resource (JavaScript, ESM)', noUnclosedResource, {
  valid: ["import { createClient } from 'redis';\nimport { onShutdown } from '@quiesce/runtime-shim';\nconst client = createClient();\nonShutdown(() => client.quit());"],
  invalid: [
    {
      code: "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ host: 'db' });",
      errors: [{ ...unclosed('MySQL pool', 'mysql2/promise', 'end', 'pool'), suggestions: closeWith('pool.end()', `import mysql from 'mysql2/promise';\n${importLine}const pool = mysql.createPool({ host: 'db' });\nonShutdown(() => pool.end());`) }],
    },
  ],
});

commonJsTester.run('no-unclosed-resource (JavaScript, CommonJS)', noUnclosedResource, {
  valid: ["const Redis = require('ioredis');\nconst redis = new Redis();\nprocess.on('SIGTERM', () => redis.quit());\nmodule.exports = { redis };"],
  invalid: [
    {
      code: "const Redis = require('ioredis');\nconst redis = new Redis();\nredis.set('boot', Date.now());",
      errors: [{ ...unclosed('Redis client', 'ioredis', 'quit', 'redis'), suggestions: closeWith('redis.quit()', `${requireLine}const Redis = require('ioredis');\nconst redis = new Redis();\nonShutdown(() => redis.quit());\nredis.set('boot', Date.now());`) }],
    },
  ],
});

typedTester.run('no-unclosed-resource (TypeScript with types)', noUnclosedResource, {
  valid: [
    // Types from Node itself (streams, servers, timers) are not clients this rule judges.
    "import { createWriteStream } from 'node:fs';\nconst log = createWriteStream('/tmp/log');\nlog.write('x');",
    "const timer = setInterval(() => {}, 1000);\ntimer.unref();",
    // A client of the file's own that its stop path closes.
    "class Queue { async close(): Promise<void> {} }\nconst queue = new Queue();\nprocess.on('SIGTERM', () => { void queue.close(); });",
  ],
  invalid: [
    {
      // Only its type says it can be closed: a class with a `disconnect` method.
      code: "class Broker { async disconnect(): Promise<void> {} }\nconst broker = new Broker();\nexport function publish(): Broker { return broker; }",
      errors: [{ ...unclosed('Broker', 'type', 'disconnect', 'broker'), line: 2, suggestions: closeWith('broker.disconnect()', `${importLine}class Broker { async disconnect(): Promise<void> {} }\nconst broker = new Broker();\nonShutdown(() => broker.disconnect());\nexport function publish(): Broker { return broker; }`) }],
    },
  ],
});

commonJsTester.run('no-unclosed-resource: shared instances and factories (CommonJS, inferred types)', noUnclosedResource, {
  valid: [
    // Required shared instances and a debug logger made by a call: not creations of a long-lived client.
    "const db = require('./db');\nconst debug = require('debug')('app');\nmodule.exports = { db, debug };",
  ],
  invalid: [
    {
      code: "const { Server } = require('socket.io');\nconst http = require('node:http');\nconst server = http.createServer();\nconst io = new Server(server);\nmodule.exports = { io };",
      errors: [{ ...unclosed('Socket.IO server', 'socket.io', 'close', 'io'), line: 4, suggestions: closeWith('io.close()', `${requireLine}const { Server } = require('socket.io');\nconst http = require('node:http');\nconst server = http.createServer();\nconst io = new Server(server);\nonShutdown(() => io.close());\nmodule.exports = { io };`) }],
    },
  ],
});

// A connection opened and closed by the same call (awaited when it is made): a per-call resource, not a long-lived one.
const perCall = "import { MongoClient } from 'mongodb';\nexport class Check {\n  async run(url: string) {\n    const client = await MongoClient.connect(url);\n    const result = await client.db().command({ ping: 1 });\n    await client.close();\n    return result;\n  }\n}";
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-unclosed-resource: a connection awaited when made and closed by the same method (${name})`, noUnclosedResource, {
    valid: [perCall],
    invalid: [
      {
        code: perCall.replace('    await client.close();\n', ''),
        errors: [{ ...unclosed('MongoDB client', 'mongodb', 'close', 'client'), line: 4, suggestions: closeWith('client.close()', perCall.replace('    await client.close();\n', '').replace("from 'mongodb';\n", `from 'mongodb';\n${importLine}`).replace('await MongoClient.connect(url);\n', 'await MongoClient.connect(url);\n    onShutdown(() => client.close());\n')) }],
      },
    ],
  });
}

// A resource handed to an owner that a stop path closes: the owner's close closes what it was given (same file only).
const handedToOrm = "import knex from 'knex';\nimport { orm } from './orm';\nexport class Database {\n  static async connect() {\n    const pool = knex({ client: 'sqlite3' });\n    orm.setup(pool);\n  }\n  static async close() { await orm.close(); }\n}\nDatabase.connect();";
const handedStraight = "import knex from 'knex';\nimport { orm } from './orm';\norm.setup(knex({ client: 'pg' }));\nprocess.on('SIGTERM', async () => { await orm.close(); });";
const wrappedInStore = "import Redis from 'ioredis';\nclass Store { constructor(readonly redis: Redis) {} async close() { await this.redis.quit(); } }\nconst store = new Store(new Redis());\nprocess.on('SIGTERM', () => store.close());";
const ownerNeverClosed = "import knex from 'knex';\nimport { orm } from './orm';\nconst pool = knex({ client: 'pg' });\norm.setup(pool);";
const ownerClosedElsewhere = "import knex from 'knex';\nimport { orm } from './orm';\nconst pool = knex({ client: 'pg' });\norm.setup(pool);\nexport async function reset() { await orm.close(); }";
const loggedOnly = "import knex from 'knex';\nconst pool = knex({ client: 'pg' });\nconsole.log(pool);\nprocess.on('SIGTERM', () => console.log('bye'));";

// A resource created over a server: the server decides. One this file does not start is judged where it is started;
// one it starts is handled when that server is tracked or closed at shutdown.
const overUnstartedServer = "import http from 'node:http';\nimport { Server } from 'socket.io';\nexport class App {\n  httpServer: http.Server;\n  io: Server;\n  constructor() {\n    this.httpServer = http.createServer();\n    this.io = new Server(this.httpServer, { cors: {} });\n  }\n}\nexport const app = new App();";
const overTrackedServer = "import http from 'node:http';\nimport { WebSocketServer } from 'ws';\nimport { trackServer } from '@quiesce/runtime-shim';\nconst server = trackServer(http.createServer());\nconst wss = new WebSocketServer({ server });\nserver.listen(8080);";
const overClosedServer = "import http from 'node:http';\nimport { Server } from 'socket.io';\nconst server = http.createServer();\nconst io = new Server(server);\nserver.listen(3000);\nprocess.on('SIGTERM', () => server.close());";
const overOpenServer = "import http from 'node:http';\nimport { Server } from 'socket.io';\nconst server = http.createServer();\nserver.listen(3000);\nconst io = new Server(server);";
const overStartedApp = "import express from 'express';\nimport { WebSocketServer } from 'ws';\nconst server = express().listen(3000);\nconst wss = new WebSocketServer({ server });";
const overParameter = "import { Server } from 'socket.io';\nexport function attach(server: unknown) { return new Server(server as never); }\nconst io = new Server(3000);";

/** The suggestion's output: the shim's import after the last import (or first), the hook after the statement that keeps it. */
const hooked = (code: string, statement: string, close: string, line = importLine) => {
  const lines = code.split('\n');
  let last = -1;
  lines.forEach((text, index) => { if (/^import |^const .* = require\(/.test(text)) last = index; });
  lines.splice(last + 1, 0, line.trimEnd());
  return lines.join('\n').replace(statement, `${statement}\nonShutdown(() => ${close});`);
};
for (const [name, tester] of [['no types', typeScriptTester], ['with types', typedTester]] as const) {
  tester.run(`no-unclosed-resource: handed to an owner, or riding on a server (${name})`, noUnclosedResource, {
    valid: [handedToOrm, handedStraight, wrappedInStore, overUnstartedServer, overTrackedServer, overClosedServer],
    invalid: [
      { code: ownerNeverClosed, errors: [{ ...unclosed('Knex pool', 'knex', 'destroy', 'pool'), line: 3, suggestions: closeWith('pool.destroy()', hooked(ownerNeverClosed, "const pool = knex({ client: 'pg' });", 'pool.destroy()')) }] },
      // Closed, but not in a stop path.
      { code: ownerClosedElsewhere, errors: [{ ...unclosed('Knex pool', 'knex', 'destroy', 'pool'), line: 3, suggestions: closeWith('pool.destroy()', hooked(ownerClosedElsewhere, "const pool = knex({ client: 'pg' });", 'pool.destroy()')) }] },
      // A global's method is no owner.
      { code: loggedOnly, errors: [{ ...unclosed('Knex pool', 'knex', 'destroy', 'pool'), line: 2, suggestions: closeWith('pool.destroy()', hooked(loggedOnly, "const pool = knex({ client: 'pg' });", 'pool.destroy()')) }] },
      { code: overOpenServer, errors: [{ ...unclosed('Socket.IO server', 'socket.io', 'close', 'io'), line: 5, suggestions: closeWith('io.close()', hooked(overOpenServer, 'const io = new Server(server);', 'io.close()')) }] },
      { code: overStartedApp, errors: [{ ...unclosed('WebSocket', 'ws', 'close', 'wss'), line: 4, suggestions: closeWith('wss.close()', hooked(overStartedApp, 'const wss = new WebSocketServer({ server });', 'wss.close()')) }] },
      // Listening by itself (a port), or over a server this file cannot tell is one.
      { code: overParameter, errors: [{ ...unclosed('Socket.IO server', 'socket.io', 'close', 'io'), line: 3, suggestions: closeWith('io.close()', hooked(overParameter, 'const io = new Server(3000);', 'io.close()')) }] },
    ],
  });
}

commonJsTester.run('no-unclosed-resource: a pool handed to an ORM that a stop path closes (CommonJS)', noUnclosedResource, {
  valid: ["const knex = require('knex');\nconst { R } = require('redbean-node');\nclass Database {\n  static async connect(config) {\n    const instance = knex(config);\n    R.setup(instance);\n  }\n  static async close() { await R.close(); }\n}\nmodule.exports = Database;\nDatabase.connect({});"],
  invalid: [
    {
      code: "const knex = require('knex');\nconst { R } = require('redbean-node');\nconst instance = knex({});\nR.setup(instance);\nmodule.exports = R;",
      errors: [{ ...unclosed('Knex pool', 'knex', 'destroy', 'instance'), line: 3, suggestions: closeWith('instance.destroy()', `${requireLine}const knex = require('knex');\nconst { R } = require('redbean-node');\nconst instance = knex({});\nonShutdown(() => instance.destroy());\nR.setup(instance);\nmodule.exports = R;`) }],
    },
  ],
});
