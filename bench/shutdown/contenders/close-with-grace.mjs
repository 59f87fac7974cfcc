// close-with-grace as its README shows it: close the server inside the grace callback.
import closeWithGrace from 'close-with-grace';
import { GRACE_MS, createAppServer, listenAndAnnounce } from './app.mjs';

const server = listenAndAnnounce(createAppServer());
closeWithGrace({ delay: GRACE_MS, logger: false }, async () => {
  await new Promise((resolve) => server.close(resolve));
});
