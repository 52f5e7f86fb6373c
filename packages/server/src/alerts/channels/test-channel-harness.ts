import { createFakeClock } from '../../platform/index.ts';
import { createChannelSender, type ChannelSender } from './send-notification.ts';
import { TEST_NOW_MS } from './test-messages.ts';
import {
  startTestReceiver,
  type ReceivedRequest,
  type ReceiverReply,
  type TestReceiver,
} from '../../testing/http-receiver.ts';

/** The harness clock's time: milliseconds not on a second, to tell ms from s timestamps. */
export const HARNESS_NOW_MS = TEST_NOW_MS + 123;
export const NO_SMTP = { host: '', port: 25, secure: false, user: '', password: '', from: 'a@b.c' };

export interface ChannelHarness {
  receiver: TestReceiver;
  /** A sender on a fake clock stopped at HARNESS_NOW_MS. */
  sender: ChannelSender;
  /** The one request the receiver got (throws unless exactly one arrived). */
  onlyRequest(): ReceivedRequest;
  close(): Promise<void>;
}

/** A 200 reply with a JSON body, as the chat services answer. */
export function replyJson(value: unknown): ReceiverReply {
  return { status: 200, body: JSON.stringify(value) };
}

/** A receiver and a sender, for the HTTP channel tests. Test support only. */
export async function startChannelHarness(): Promise<ChannelHarness> {
  const receiver = await startTestReceiver();
  const sender = createChannelSender({ clock: createFakeClock(HARNESS_NOW_MS), smtp: NO_SMTP });
  return {
    receiver,
    sender,
    onlyRequest() {
      const [request, ...others] = receiver.requests;
      if (!request || others.length)
        throw new Error(`expected one request, got ${receiver.requests.length}`);
      return request;
    },
    async close() {
      await sender.close();
      await receiver.close();
    },
  };
}
