// No signal handling at all: Node's default for SIGTERM ends the process at once.
import { createAppServer, listenAndAnnounce } from './app.mjs';

listenAndAnnounce(createAppServer());
