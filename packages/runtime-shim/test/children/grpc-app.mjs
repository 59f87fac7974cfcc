// A @grpc/grpc-js server under trackServer, with one unary method that answers after `ms`.
import grpc from '@grpc/grpc-js';
import { installShutdownHandlers, trackServer } from '@quiesce/runtime-shim';
import { demoService } from './grpc-service.mjs';

installShutdownHandlers({ timeoutMs: Number(process.env.TIMEOUT_MS ?? 10_000) });
const server = new grpc.Server();
server.addService(demoService, {
  wait: (call, callback) => setTimeout(() => callback(null, { waited: call.request.ms }), call.request.ms),
});
trackServer(server);
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(JSON.stringify({ port }));
});
