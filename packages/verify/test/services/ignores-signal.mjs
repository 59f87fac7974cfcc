// Never exits: it handles SIGTERM by doing nothing, so only quiesce-verify's --hard-limit ends it.
import { createApp, listen } from './app.mjs';

listen(createApp());
process.on('SIGTERM', () => {});
