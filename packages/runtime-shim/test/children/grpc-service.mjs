// A gRPC service defined without a .proto file: JSON messages, one unary method (the benchmark's own).
export { waitService as demoService } from '../../../../bench/shutdown/contenders/messages-app.mjs';
