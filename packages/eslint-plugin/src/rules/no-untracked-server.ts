import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import {
  mayStartServer,
  serverClosingLibraryCalls,
  serverTrackingOf,
  serverLabels,
  type ServerKind,
  type ServerTracking,
  serverStartOf,
  wsConstructions,
} from '../detect/servers.js';
import { rangeOf } from '../detect/syntax.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

type FindingMessageIds = 'untrackedServer' | 'closedOnlyAtSignal' | 'closedByNestShutdownHooks' | 'closedByShutdownLibrary';
export type MessageIds = FindingMessageIds | 'wrapInTrackServer';

const messageIdOf: Readonly<Record<Exclude<ServerTracking, 'tracked'>, FindingMessageIds>> = {
  untracked: 'untrackedServer',
  'closed-at-signal': 'closedOnlyAtSignal',
  'closed-by-nest-hooks': 'closedByNestShutdownHooks',
};

export interface UntrackedServer extends RuleFinding<FindingMessageIds, { server: ServerKind; what: string }> {
  /** What the suggestion wraps in trackServer(…): the receiver when it is a plain name, or the whole `serve(…)` /
   * `new WebSocketServer(…)` that makes the server. */
  readonly receiverName?: { readonly name: string; readonly start: number; readonly end: number };
}

/**
 * Every start of a server the drain does not track (or, in a service, that only its own close() at the signal stops):
 * `x.listen(…)`, a Hapi `server.start()`, Hono's `serve(…)`, a `ws` server made with a port; the range is that call's
 * (or construction's).
 */
export function findUntrackedServers(file: DetectionFile): UntrackedServer[] {
  const findings: UntrackedServer[] = [];
  const candidates: (ts.CallExpression | ts.NewExpression)[] = [...file.calls, ...wsConstructions(file)].filter(mayStartServer);
  candidates.sort((a, b) => a.pos - b.pos);
  for (const node of candidates) {
    const start = serverStartOf(node, file);
    if (!start) continue;
    const tracking = serverTrackingOf(start, file);
    if (tracking === 'tracked') continue;
    const [from, to] = rangeOf(node, file.sourceFile);
    const wrapped = start.receiver ?? node;
    const [wrapStart, wrapEnd] = rangeOf(wrapped, file.sourceFile);
    const plainName = start.receiver ? ts.isIdentifier(start.receiver) : true;
    findings.push({
      messageId: messageIdOf[tracking],
      data: { server: start.kind, what: serverLabels[start.kind] },
      start: from,
      end: to,
      ...(plainName ? { receiverName: { name: file.sourceFile.text.slice(wrapStart, wrapEnd), start: wrapStart, end: wrapEnd } } : {}),
    });
  }
  // In a service, a server handed to a library that closes it at the signal without draining it: the finding is the
  // library call, where the signals and the app's teardown are given (a start of that server is not reported too).
  if (file.role.role === 'service') {
    for (const call of serverClosingLibraryCalls(file)) {
      const [from, to] = rangeOf(call, file.sourceFile);
      findings.push({ messageId: 'closedByShutdownLibrary', data: { server: 'http', what: serverLabels.http }, start: from, end: to });
    }
    findings.sort((a, b) => a.start - b.start);
  }
  return findings;
}

export const noUntrackedServer = createRule<[], MessageIds>({
  name: 'no-untracked-server',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow servers whose connections the shutdown drain does not close and wait for',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      untrackedServer:
        'This {{what}} keeps accepting connections during shutdown and its in-flight requests are cut off on exit. Pass it to trackServer(…) from @quiesce/runtime-shim, or close it in an onShutdown hook.',
      closedOnlyAtSignal:
        'This {{what}} is closed only by its own close() when the signal comes, which does not drain it: busy keep-alive connections stay open until their timeout, and idle ones are closed under clients that are sending. Pass it to trackServer(…) from @quiesce/runtime-shim and run its shutdown(signal) first.',
      closedByNestShutdownHooks:
        "This {{what}} is closed by enableShutdownHooks() when the signal comes, which does not drain it: Nest runs app.close() at once, whose server.close() leaves busy keep-alive connections open until their timeout. Replace enableShutdownHooks() with installShutdownHandlers(…) from @quiesce/runtime-shim and pass the app to trackServer(…), which runs app.close() after the drain.",
      closedByShutdownLibrary:
        "http-graceful-shutdown closes this {{what}} at the signal without draining it: once its preShutdown has run, it destroys every idle keep-alive connection at once, under clients about to send on them. Hand the signals to @quiesce/runtime-shim instead: trackServer(server), installShutdownHandlers(…), and the onShutdown and finally given here as an onShutdown(…) hook, which runs after the drain.",
      wrapInTrackServer: 'Pass the server to trackServer(…) from @quiesce/runtime-shim.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const finding of findUntrackedServers(detectionFileOf(context))) {
          const receiver = finding.receiverName;
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            suggest: receiver
              ? [
                  {
                    messageId: 'wrapInTrackServer',
                    fix(fixer) {
                      const binding = shimBinding(context, fixer, 'trackServer');
                      return [...binding.fixes, fixer.replaceTextRange([receiver.start, receiver.end], `${binding.local}(${receiver.name})`)];
                    },
                  },
                ]
              : [],
          });
        }
      },
    };
  },
});
